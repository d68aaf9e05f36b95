"""`mcfkg ingest` of a CSV file through its CSVW mapping: facts per row, each row graph derived from its row.

The fixture, tests/data/sources/mapping/, is invented by the mcfkg developers (organisations, projects
and amounts): a CSV table, its CSVW mapping (test-fixture-mcf-projects.csv-metadata.json) and the
source's description (test-fixture-mcf-projects.source.ttl, named by the mapping's rdfs:seeAlso).
The CLI tests run the real console script on a private copy of the shipped data; the others read
the mapping directly, with the network cut.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import DCTERMS, PROV, RDF, RDFS, XSD, Dataset, Literal, Namespace, URIRef
from rdflib.compare import to_canonical_graph

from mcfkg.sources.document import SourceError, read_incoming
from mcfkg.sources.mapping import is_mapping
from project_copy import built_copy, run_mcfkg

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "data" / "sources" / "mapping"
MAPPING = FIXTURES / "test-fixture-mcf-projects.csv-metadata.json"
CSV = FIXTURES / "test-fixture-mcf-projects.csv"
SOURCE_ID = "test-fixture-mcf-projects"

MCF = Namespace("https://w3id.org/mcfkg/def/")
ID = Namespace("https://w3id.org/mcfkg/id/")
GRAPH = Namespace("https://w3id.org/mcfkg/graph/")
SCHEMA = Namespace("https://schema.org/")
CSVW = Namespace("http://www.w3.org/ns/csvw#")


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


@pytest.fixture
def mapping_copy(tmp_path: Path) -> Path:
    """A private copy of the fixture folder, to change one thing in."""
    folder = tmp_path / "mapping"
    shutil.copytree(FIXTURES, folder)
    return folder


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_mcfkg(root, *args, timeout=300)


def _canonical_quads(path: Path) -> set[tuple[str, tuple[object, object, object]]]:
    ds = Dataset()
    ds.parse(path, format="nquads")
    return {(str(g.identifier), t) for g in ds.graphs() for t in to_canonical_graph(g)}


def _decimal(value: str) -> Literal:
    return Literal(value, datatype=XSD.decimal)


# ------------------------------------------------------------------ through the CLI, with SHACL


def test_csv_mapping_ingests_row_graphs_with_provenance_again_unchanged_and_retract_restores(project: Path) -> None:
    dump = project / "dist" / "mcfkg.nq"
    before = _canonical_quads(dump)
    written = project / "data" / "sources" / f"{SOURCE_ID}.trig"

    done = _run(project, "ingest", str(MAPPING))
    assert done.returncode == 0, done.stderr  # 0: the whole graph with the table conformed to the shapes
    assert f"ingested {ID[SOURCE_ID]}" in done.stdout

    stored = Dataset()
    stored.parse(written, format="trig")
    source_graph = GRAPH[SOURCE_ID]
    rows = {n: URIRef(f"{source_graph}/row/{n}") for n in range(1, 5)}
    assert {g.identifier for g in stored.graphs() if len(g)} == {source_graph, *rows.values()}

    # each row graph is a fact graph derived from its row: a passage with the row number and the file
    described = stored.graph(source_graph)
    for number, graph in rows.items():
        passage = URIRef(f"{ID[SOURCE_ID]}/p{number}/s1")
        assert (graph, RDF.type, MCF.FactGraph) in described
        assert (graph, PROV.wasDerivedFrom, passage) in described
        assert {(p, o) for p, o in described.predicate_objects(passage)} >= {
            (RDF.type, MCF.Passage), (RDF.type, CSVW.Row), (DCTERMS.isPartOf, ID[SOURCE_ID]),
            (MCF.paragraph, Literal(number)), (MCF.sentence, Literal(1)), (CSVW.rownum, Literal(number)),
            (DCTERMS.identifier, Literal(f"{CSV.name}#row={number + 2}")),  # a comment line, then the header
            (RDFS.label, Literal(f"{CSV.name}, row {number}", lang="en")),
        }
    assert (ID[SOURCE_ID], RDF.type, MCF.SourceDocument) in described

    # the facts, in base units with their currency; "over RMB 300 million" as an exclusive lower bound
    row1, row2, row3, row4 = (stored.graph(rows[n]) for n in range(1, 5))
    sensor_line, sensor_amount = ID["test-fixture-lakeside-sensor-line"], ID["test-fixture-lakeside-sensor-line-investment"]
    assert (sensor_line, RDF.type, MCF.Project) in row1
    assert (sensor_line, MCF.implementedBy, ID["test-fixture-lakeside-instruments"]) in row1
    assert (sensor_line, MCF.totalInvestment, sensor_amount) in row1
    assert (ID["test-fixture-lakeside-instruments"], MCF.locatedIn, ID["mianyang"]) in row1
    assert set(row1.predicate_objects(sensor_amount)) == {
        (RDF.type, SCHEMA.MonetaryAmount), (SCHEMA.value, _decimal("120000000.0")), (SCHEMA.currency, Literal("CNY")),
        (RDFS.label, Literal("RMB 120 million", lang="en"))}
    plant_amount = ID["test-fixture-hilltop-composites-plant-investment"]
    assert set(row2.predicate_objects(plant_amount)) == {
        (RDF.type, SCHEMA.MonetaryAmount), (SCHEMA.minValue, _decimal("300000000.0")),
        (MCF.bound, Literal("exclusive")), (MCF.qualifier, Literal("over", lang="en")),
        (SCHEMA.currency, Literal("CNY")), (RDFS.label, Literal("over RMB 300 million", lang="en"))}
    lab_amount = ID["test-fixture-lakeside-calibration-lab-investment"]
    assert row3.value(lab_amount, SCHEMA.value).toPython() == Decimal("45500000.5")
    centre_amount = ID["test-fixture-cedar-simulation-centre-investment"]
    assert row4.value(centre_amount, SCHEMA.currency) == Literal("USD")

    # in the build: which row states the lower bound?
    built = Dataset()
    built.parse(dump, format="nquads")
    answer = built.query("""
        PREFIX schema: <https://schema.org/>  PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX csvw: <http://www.w3.org/ns/csvw#>  PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?row ?where WHERE {
            GRAPH ?g { ?amount schema:minValue 300000000.0 }
            GRAPH ?source { ?g prov:wasDerivedFrom ?passage . ?passage csvw:rownum ?row ; dcterms:identifier ?where }
        }""")
    assert [(r.row.toPython(), str(r.where)) for r in answer] == [(2, f"{CSV.name}#row=4")]  # type: ignore[union-attr]

    # the same table again, this time named by its CSV file (the mapping is found beside it): nothing changes
    stamp, dump_after = written.stat().st_mtime_ns, dump.read_bytes()
    again = _run(project, "ingest", str(CSV))
    assert again.returncode == 0, again.stderr
    assert "nothing changed" in again.stdout
    assert written.stat().st_mtime_ns == stamp and dump.read_bytes() == dump_after

    retracted = _run(project, "retract", SOURCE_ID)
    assert retracted.returncode == 0, retracted.stderr
    assert not written.exists()
    assert _canonical_quads(dump) == before


def test_a_mapped_value_the_shapes_refuse_rejects_the_whole_table(project: Path, mapping_copy: Path) -> None:
    table = mapping_copy / CSV.name
    table.write_text(table.read_text().replace(",USD,", ",RMB,"))  # fits the column ([A-Z]{3}), not the shapes
    dump = project / "dist" / "mcfkg.nq"
    before = dump.read_bytes()
    refused = _run(project, "ingest", str(mapping_copy / MAPPING.name))
    assert refused.returncode == 1, refused.stderr
    assert "schema:currency must be an ISO 4217 code" in refused.stderr
    assert "Nothing was written" in refused.stderr
    assert not (project / "data" / "sources" / f"{SOURCE_ID}.trig").exists()
    assert dump.read_bytes() == before


def test_an_unusable_mapping_is_refused_before_anything_is_read(project: Path, mapping_copy: Path) -> None:
    _edit(mapping_copy, lambda md: md.update(url="../outside.csv"))
    refused = _run(project, "ingest", str(mapping_copy / MAPPING.name))
    assert refused.returncode == 2, refused.stderr
    assert "relative path inside the mapping's folder" in refused.stderr


# ------------------------------------------------------------------ the mapping itself, without the network


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"the mapping tried to use the network: {args}")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def _edit(folder: Path, change: Any) -> Path:
    """Apply ``change`` to the copied mapping's JSON and write it back."""
    path = folder / MAPPING.name
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))
    return path


def test_mapping_is_recognised_by_its_csvw_context_or_the_csv_file(tmp_path: Path) -> None:
    assert is_mapping(MAPPING) and is_mapping(CSV)
    plain = tmp_path / "source.jsonld"
    plain.write_text('{"@context": {"@vocab": "https://schema.org/"}, "@id": "https://example.org/x"}')
    assert not is_mapping(plain)
    assert not is_mapping(Path("tests/data/sources/test-fixture-qingshan-optics.trig"))


def test_reads_offline_one_graph_per_row_and_only_what_the_mapping_names(offline: None) -> None:
    source = read_incoming(MAPPING)
    assert source.id == SOURCE_ID
    graphs = {str(g) for *_, g in source.quads}
    assert graphs == {str(GRAPH[SOURCE_ID]), *(f"{GRAPH[SOURCE_ID]}/row/{n}" for n in range(1, 5))}
    assert read_incoming(CSV).quads.__len__() == len(source.quads)  # the CSV path finds the same mapping


@pytest.mark.parametrize("link", ["../outside.csv", "/etc/passwd", "http://example.org/projects.csv",
                                  "file:///etc/passwd", "sub/../../outside.csv", "projects.csv#row=2"])
def test_links_outside_the_folder_or_to_the_network_are_refused(mapping_copy: Path, offline: None, link: str) -> None:
    path = _edit(mapping_copy, lambda md: md.update(url=link))
    with pytest.raises(SourceError, match="relative path inside the mapping's folder"):
        read_incoming(path)
    path = _edit(mapping_copy, lambda md: md.update({"url": CSV.name, "rdfs:seeAlso": {"@id": link}}))
    with pytest.raises(SourceError, match="relative path inside the mapping's folder"):
        read_incoming(path)


@pytest.mark.parametrize(("change", "message"), [
    (lambda md: md.update(tableSchema="https://example.org/schema.json"), "give tableSchema inline"),
    (lambda md: md.update(dialect="dialect.json"), "give dialect inline"),
    (lambda md: md.update({"@context": ["http://www.w3.org/ns/csvw", {"@base": "https://example.org/"}]}),
     "no @base"),
    (lambda md: md.update({"@context": ["http://www.w3.org/ns/csvw", "https://example.org/context.jsonld"]}),
     "may add only @language"),
    (lambda md: md.update(tables=[{"url": CSV.name}, {"url": CSV.name}]), "Map each file as its own source"),
    (lambda md: md["tableSchema"]["columns"][1].update(propertyUrl="schema:name"), "mcfkg uses https://schema.org/"),
    (lambda md: md["tableSchema"]["columns"][1].update(propertyUrl="label"), "absolute http\\(s\\) IRIs"),
    (lambda md: md["tableSchema"]["columns"][1].pop("propertyUrl"), "has no propertyUrl"),
])
def test_a_mapping_that_would_fetch_or_mint_local_iris_is_refused(mapping_copy: Path, offline: None, change: Any,
                                                                  message: str) -> None:
    with pytest.raises(SourceError, match=message):
        read_incoming(_edit(mapping_copy, change))


def test_a_symbolic_link_out_of_the_folder_is_refused(mapping_copy: Path, tmp_path: Path, offline: None) -> None:
    outside = tmp_path / "elsewhere.csv"
    shutil.copy(CSV, outside)
    (mapping_copy / "linked.csv").symlink_to(outside)
    with pytest.raises(SourceError, match="leads outside the mapping's folder"):
        read_incoming(_edit(mapping_copy, lambda md: md.update(url="linked.csv")))


@pytest.mark.parametrize(("old", "new", "message"), [
    (",120000000,", ",-5,", r"test-fixture-mcf-projects.csv:3:6 investment: value must be >= 0"),
    (",120000000,", ",12x,", r"test-fixture-mcf-projects.csv:3:6 investment: invalid lexical value for decimal"),
    ("investment_text\n", "investment_text,notes\n", r'Unspecified column "notes"'),
    (",investment_text", ",investment_note", r"missing required columns \{'investment_text'\}"),
])
def test_a_cell_or_header_that_does_not_fit_the_mapping_is_refused_with_file_and_line(
        mapping_copy: Path, offline: None, old: str, new: str, message: str) -> None:
    table = mapping_copy / CSV.name
    text = table.read_text()
    assert old in text
    if "notes" in new:  # one more cell in every row, under a header the mapping does not describe
        lines = text.replace(old, new).splitlines()
        text = "\n".join(lines[:2] + [line + ",x" for line in lines[2:]]) + "\n"
        old = new
    table.write_text(text.replace(old, new))
    with pytest.raises(SourceError, match=message):
        read_incoming(mapping_copy / MAPPING.name)


def test_a_csv_file_without_its_mapping_is_refused(tmp_path: Path) -> None:
    lonely = tmp_path / "projects.csv"
    shutil.copy(CSV, lonely)
    with pytest.raises(SourceError, match="projects.csv-metadata.json"):
        read_incoming(lonely)
