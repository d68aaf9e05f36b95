"""`mcfkg sources|ingest|retract` through the real console script, on a private copy of the shipped data.

The incoming source is tests/data/sources/test-fixture-qingshan-optics.trig: an invented test
fixture (a fictional organisation), with one entity labelled like the shipped ``mcfid:mianyang``.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import OWL, RDFS, SKOS, Dataset, Literal, URIRef
from rdflib.compare import to_canonical_graph

from mcfkg.sources.document import IncomingSource, read_incoming
from mcfkg.sources.reconcile import Existing, Match, external_id, matches
from project_copy import built_copy, run_mcfkg

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "data" / "sources" / "test-fixture-qingshan-optics.trig"
SOURCE_ID = "test-fixture-qingshan-optics"
NEW, EXISTING = "mcfid:test-fixture-mianyang", "mcfid:mianyang"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped ontology and data, copied and built once for the module."""
    return built_copy(tmp_path_factory.mktemp("shipped"))


@pytest.fixture
def project(shipped: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the built project (mtimes kept, so dist/ stays current)."""
    root = tmp_path / "project"
    shutil.copytree(shipped, root)
    yield root


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_mcfkg(root, *args, timeout=300)


def _canonical_quads(path: Path) -> set[tuple[str, tuple[object, object, object]]]:
    """The quads of an N-Quads dump, blank nodes relabelled canonically per graph."""
    ds = Dataset()
    ds.parse(path, format="nquads")
    return {(str(g.identifier), t) for g in ds.graphs() for t in to_canonical_graph(g)}


def test_ingest_asks_decides_is_idempotent_and_retract_restores_every_quad(project: Path) -> None:
    dump = project / "dist" / "mcfkg.nq"
    before_bytes, before = dump.read_bytes(), _canonical_quads(dump)
    written = project / "data" / "sources" / f"{SOURCE_ID}.trig"

    asked = _run(project, "ingest", str(FIXTURE))
    assert asked.returncode == 1, asked.stderr
    assert "https://w3id.org/mcfkg/id/test-fixture-mianyang\thttps://w3id.org/mcfkg/id/mianyang\tmianyang" in asked.stderr
    assert "--same-as NEW=EXISTING" in asked.stderr and "--distinct NEW" in asked.stderr
    assert not written.exists() and dump.read_bytes() == before_bytes

    ingested = _run(project, "ingest", str(FIXTURE), "--same-as", f"{NEW}={EXISTING}")
    assert ingested.returncode == 0, ingested.stderr
    text = written.read_text()
    assert "test-fixture-mianyang" not in text and "Qingshan Test Optics Works" in text
    assert "test-fixture-qingshan-optics-works" in dump.read_text()

    listed = _run(project, "sources")
    assert listed.returncode == 0, listed.stderr
    rows = {line.split("\t")[0]: line.split("\t") for line in listed.stdout.splitlines()}
    assert rows["source"][6] == "date established"
    fixture_row = rows[f"https://w3id.org/mcfkg/id/{SOURCE_ID}"]
    assert fixture_row[1:] == [
        "Qingshan Test Optics Works Opens in Mianyang (invented test fixture)", "Qingshan Test Optics Works", "en",
        "https://example.org/test-fixture/2026/01/15/qingshan-optics.html", "2026-01-15", "stated in the document", "2026-01-20",
        "1", "6", "2",
    ]
    seed = rows["https://w3id.org/mcfkg/id/mianyang-mcf-article"]
    assert seed[5:8] == ["2018-04-16", "derived from the URL path", ""] and int(seed[8]) > 20

    stamp, dump_after = written.stat().st_mtime_ns, dump.read_bytes()
    again = _run(project, "ingest", str(FIXTURE))  # the decision is read back from the stored file
    assert again.returncode == 0, again.stderr
    assert "nothing changed" in again.stdout
    assert written.stat().st_mtime_ns == stamp and dump.read_bytes() == dump_after

    retracted = _run(project, "retract", f"https://w3id.org/mcfkg/id/{SOURCE_ID}")
    assert retracted.returncode == 0, retracted.stderr
    assert not written.exists()
    assert _canonical_quads(dump) == before


def test_a_violation_rejects_the_whole_source_and_names_focus_path_message(project: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.trig"
    broken.write_text(FIXTURE.read_text().replace('mcf:excerpt "a fictional optics maker"',
                                                  'mcf:excerpt "a fictional optics maker, copied in full from the text"'))
    dump = project / "dist" / "mcfkg.nq"
    before = dump.read_bytes()
    rejected = _run(project, "ingest", str(broken), "--same-as", f"{NEW}={EXISTING}")
    assert rejected.returncode == 1, rejected.stderr
    # focus node (by its label), path, value, message: one tab-separated row in a pipe
    assert ("Qingshan test fixture, paragraph 1, sentence 1\tmcf:excerpt\ta fictional optics maker, copied in full "
            "from the text\tAn excerpt is at most one short phrase") in rejected.stderr
    assert "1 violation(s)" in rejected.stderr and "Nothing was written" in rejected.stderr
    assert not (project / "data" / "sources" / f"{SOURCE_ID}.trig").exists()
    assert dump.read_bytes() == before
    assert not [p for p in (project / "data" / "sources").iterdir() if p.name.endswith(".tmp")]


def test_distinct_keeps_both_iris_and_nquads_input_is_read_by_its_extension(project: Path, tmp_path: Path) -> None:
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    as_nquads = tmp_path / "fixture.nq"
    as_nquads.write_bytes(ds.serialize(format="nquads", encoding="utf-8"))
    done = _run(project, "ingest", str(as_nquads), "--distinct", NEW)
    assert done.returncode == 0, done.stderr
    assert "test-fixture-mianyang" in (project / "data" / "sources" / f"{SOURCE_ID}.trig").read_text()


def test_retract_refuses_the_shipped_source_and_unknown_ones(project: Path) -> None:
    seed = project / "data" / "mianyang-mcf-article.trig"
    refused = _run(project, "retract", "mcfid:mianyang-mcf-article")
    assert refused.returncode == 1 and "--force" in refused.stderr and seed.exists()
    unknown = _run(project, "retract", "no-such-source")
    assert unknown.returncode == 1 and "mcfkg sources" in unknown.stderr


def test_a_source_writing_into_another_graph_or_a_bad_decision_is_refused(project: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.trig"
    foreign.write_text(FIXTURE.read_text() + "\nmcfg:curation { mcfid:mianyang rdfs:comment \"x\"@en . }\n")
    outside = _run(project, "ingest", str(foreign))
    assert outside.returncode == 2 and "mcfkg retract" in outside.stderr and "graph/curation" in outside.stderr
    typo = _run(project, "ingest", str(FIXTURE), "--same-as", f"{NEW}=mcfid:sichuan")
    assert typo.returncode == 2 and "is not a match" in typo.stderr
    assert not (project / "data" / "sources" / f"{SOURCE_ID}.trig").exists()


# ------------------------------------------------------------------ JSON-LD keeps its named graphs

def test_json_ld_with_named_graphs_keeps_them_and_equals_the_trig_source(project: Path, tmp_path: Path) -> None:
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    as_json_ld = tmp_path / "fixture.jsonld"
    as_json_ld.write_bytes(ds.serialize(format="json-ld", encoding="utf-8"))  # top level: @graph objects with @id
    done = _run(project, "ingest", str(as_json_ld), "--same-as", f"{NEW}={EXISTING}")
    assert done.returncode == 0, done.stderr
    stored = Dataset()
    stored.parse(project / "data" / "sources" / f"{SOURCE_ID}.trig", format="trig")
    graph = f"https://w3id.org/mcfkg/graph/{SOURCE_ID}"
    assert {str(g.identifier) for g in stored.graphs() if len(g)} == {graph, f"{graph}/p1/s1"}
    again = _run(project, "ingest", str(FIXTURE), "--same-as", f"{NEW}={EXISTING}")  # the TriG: the same quads
    assert again.returncode == 0 and "nothing changed" in again.stdout, again.stderr


def test_json_ld_default_graph_is_the_per_source_graph_beside_its_named_graphs(tmp_path: Path) -> None:
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    document = Dataset()
    graph = URIRef(f"https://w3id.org/mcfkg/graph/{SOURCE_ID}")
    for s, p, o, g in ds.quads((None, None, None, None)):
        (document.default_graph if g == graph else document.graph(g)).add((s, p, o))
    path = tmp_path / "fixture.jsonld"
    path.write_bytes(document.serialize(format="json-ld", encoding="utf-8"))
    source = read_incoming(path)
    assert source.quads == set(ds.quads((None, None, None, None)))  # the description back in mcfg:<id>


# ------------------------------------------------------------------ reconciliation by external IDs

EXT_FIXTURE = Path(__file__).parent / "data" / "sources" / "test-fixture-ext-ids.trig"
EXT_NEW = "https://w3id.org/mcfkg/id/test-fixture-province-q19770"


def test_an_external_id_shared_with_an_existing_entity_stops_the_ingest_until_decided(project: Path) -> None:
    written = project / "data" / "sources" / "test-fixture-ext-ids.trig"
    asked = _run(project, "ingest", str(EXT_FIXTURE))
    assert asked.returncode == 1, asked.stderr
    # links.trig has mcfid:sichuan owl:sameAs <http://www.wikidata.org/entity/Q19770>; the source uses the page IRI
    assert f"{EXT_NEW}\thttps://w3id.org/mcfkg/id/sichuan\twikidata:Q19770" in asked.stderr
    assert not written.exists()
    decided = _run(project, "ingest", str(EXT_FIXTURE), "--same-as", "test-fixture-province-q19770=sichuan")
    assert decided.returncode == 0, decided.stderr
    text = written.read_text()
    assert "test-fixture-province-q19770" not in text and "mcf:locatedIn mcfid:sichuan" in text
    again = _run(project, "ingest", str(EXT_FIXTURE))  # the decision is read back from the stored file
    assert again.returncode == 0 and "nothing changed" in again.stdout, again.stderr


def _source(*triples: tuple[object, object, object]) -> IncomingSource:
    iri = URIRef("https://w3id.org/mcfkg/id/test-fixture-x")
    graph = URIRef("https://w3id.org/mcfkg/graph/test-fixture-x")
    return IncomingSource(iri, "test-fixture-x", {(s, p, o, graph) for s, p, o in triples})  # type: ignore[misc]


ID = "https://w3id.org/mcfkg/id/"
LINKS = URIRef("https://w3id.org/mcfkg/graph/links")
EXISTING_QUADS = {
    (URIRef(ID + "sichuan"), RDFS.label, Literal("Sichuan", lang="en"), LINKS),
    (URIRef(ID + "sichuan"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q19770"), LINKS),
    (URIRef(ID + "sichuan"), OWL.sameAs, URIRef("https://sws.geonames.org/1794299/"), LINKS),
    (URIRef(ID + "c919"), SKOS.exactMatch, URIRef("http://dbpedia.org/resource/Comac_C919"), LINKS),
    (URIRef(ID + "mianyang"), SKOS.closeMatch, URIRef("https://sws.geonames.org/1800627/"), LINKS),
    (URIRef("https://ror.org/00test00"), OWL.sameAs, URIRef(ID + "test-lab"), LINKS),  # the other direction
}


@pytest.mark.parametrize(("triple", "shared"), [
    ((URIRef(ID + "new"), OWL.sameAs, URIRef("https://www.wikidata.org/wiki/Q19770")), ("sichuan", "wikidata:Q19770")),
    ((URIRef(ID + "new"), SKOS.exactMatch, URIRef("http://www.geonames.org/1794299/sichuan-sheng.html")),
     ("sichuan", "geonames:1794299")),
    ((URIRef("https://dbpedia.org/page/Comac_C919"), OWL.sameAs, URIRef(ID + "new")), ("c919", "dbpedia:Comac_C919")),
    ((URIRef(ID + "new"), OWL.sameAs, URIRef("https://ror.org/00test00")), ("test-lab", "https://ror.org/00test00")),
])
def test_a_new_entity_sharing_an_external_id_is_a_match(triple: tuple[object, object, object],
                                                        shared: tuple[str, str]) -> None:
    assert matches(_source(triple), Existing.of(EXISTING_QUADS)) == [
        Match(URIRef(ID + "new"), URIRef(ID + shared[0]), shared[1])]


def test_close_matches_described_entities_and_other_ids_are_not_matches() -> None:
    new = URIRef(ID + "new")
    assert matches(_source((new, SKOS.closeMatch, URIRef("https://sws.geonames.org/1794299/"))), Existing.of(EXISTING_QUADS)) == []
    assert matches(_source((new, OWL.sameAs, URIRef("https://sws.geonames.org/1800627/"))), Existing.of(EXISTING_QUADS)) == []
    assert matches(_source((new, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q148"))), Existing.of(EXISTING_QUADS)) == []
    restated = (URIRef(ID + "sichuan"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q19770"))
    assert matches(_source(restated), Existing.of(EXISTING_QUADS)) == []  # not new: described already
    both = matches(_source((new, RDFS.label, Literal("sichuan ", lang="en")),  # a name and an ID: one row each
                           (new, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q19770"))), Existing.of(EXISTING_QUADS))
    assert [m.name for m in both] == ["sichuan", "wikidata:Q19770"]
    assert external_id(URIRef(ID + "sichuan")) is None and external_id(Literal("Q19770")) is None
