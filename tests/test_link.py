"""`mcfkg link` against a real SPARQL server on 127.0.0.1 loaded with a Wikidata-shaped extract."""

from __future__ import annotations

import csv
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_mcfkg import MCFKG, free_port, mcfkg_serve
from rdflib import OWL, RDF, VOID, Dataset, Literal, URIRef
from typer.testing import CliRunner, Result

from mcfkg.cli import app
from mcfkg.link.review import Decision, links_dataset
from mcfkg.link.void import linksets
from mcfkg.link.wikidata import WIKIDATA_SPARQL
from mcfkg.vocab import Vocab

ROOT = Path(__file__).resolve().parents[1]
EXTRACT = ROOT / "tests" / "data" / "wikidata-extract.ttl"
WD = "http://www.wikidata.org/entity/"
ONTOLOGY = """@prefix mcf: <https://w3id.org/mcfkg/def/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/mcfkg/def/> a owl:Ontology .
mcf:Place a owl:Class .
mcf:City a owl:Class ; rdfs:subClassOf mcf:Place .
mcf:Province a owl:Class ; rdfs:subClassOf mcf:Place .
mcf:Country a owl:Class ; rdfs:subClassOf mcf:Place .
mcf:GovernmentAgency a owl:Class .
mcf:Aircraft a owl:Class .
mcf:Award a owl:Class .
mcf:PartyCongress a owl:Class .
mcf:Region a owl:Class ; rdfs:subClassOf mcf:Place .
mcf:ResearchInstitute a owl:Class .
"""
PREFIXES = """@prefix mcf: <https://w3id.org/mcfkg/def/> .
@prefix mcfid: <https://w3id.org/mcfkg/id/> .
@prefix mcfg: <https://w3id.org/mcfkg/graph/> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
ENTITIES = """GRAPH mcfg:test {
  mcfid:china a mcf:Country ; rdfs:label "People's Republic of China"@en, "中华人民共和国"@zh .
  mcfid:sichuan a mcf:Province ; rdfs:label "Sichuan"@en, "四川省"@zh ; mcf:locatedIn mcfid:china .
  mcfid:mianyang a mcf:City ; rdfs:label "Mianyang"@en, "绵阳市"@zh ; mcf:locatedIn mcfid:sichuan .
  mcfid:ndrc a mcf:GovernmentAgency ; rdfs:label "National Development and Reform Commission"@en .
  mcfid:c919 a mcf:Aircraft ; rdfs:label "C919"@en .
  mcfid:nineteenth-national-congress a mcf:PartyCongress ; rdfs:label "19th National Congress"@en, "中国共产党第十九次全国代表大会"@zh .
  mcfid:western-region a mcf:Region ; rdfs:label "western region"@en .
  mcfid:unnamed-research-center a mcf:ResearchInstitute ; rdfs:label "the research center (not named in the source)"@en .
}
"""


@pytest.fixture(scope="module")
def wikidata() -> Iterator[str]:
    """The stand-in Wikidata: `mcfkg serve --data tests/data/wikidata-extract.ttl` on 127.0.0.1."""
    with mcfkg_serve(EXTRACT) as url:
        yield url


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An ontology and a data directory of our own, so these tests do not depend on data/."""
    (tmp_path / "ontology").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "ontology" / "mcf.ttl").write_text(ONTOLOGY, encoding="utf-8")
    monkeypatch.setenv("MCFKG_ONTOLOGY_DIR", str(tmp_path / "ontology"))
    monkeypatch.setenv("MCFKG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "250")  # rich tables on one line per row
    return tmp_path


def _write_data(project: Path, links: str) -> None:
    text = PREFIXES + ENTITIES + "GRAPH mcfg:links {\n" + links + "\n}\n"
    (project / "data" / "test.trig").write_text(text, encoding="utf-8")


def _run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def _propose(project: Path, endpoint: str) -> tuple[str, list[dict[str, str]]]:
    review = project / "review.csv"
    result = _run("link", "propose", "--endpoint", endpoint, "--out", str(review))
    assert result.exit_code == 0, result.output
    return result.output, list(csv.DictReader(review.open(encoding="utf-8")))


def _accepting(rows: list[dict[str, str]], qid: str, otherwise: str = "reject") -> list[dict[str, str]]:
    """The review rows decided: accept the candidate ``qid``, ``otherwise`` every other row."""
    return [{**row, "decision": "accept" if row["candidate"].endswith(qid) else otherwise} for row in rows]


def _decide(review: Path, rows: list[dict[str, str]]) -> None:
    with review.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_propose_finds_the_city_and_ranks_the_namesake_town_lower(wikidata: str, project: Path) -> None:
    _write_data(project, "mcfid:sichuan owl:sameAs wd:Q19770 . mcfid:china owl:sameAs wd:Q148 .")
    _, rows = _propose(project, wikidata)
    mianyang = [r for r in rows if r["entity"].endswith("/mianyang")]
    assert [r["candidate"] for r in mianyang][:2] == [WD + "Q426130", WD + "Q990000002"]
    best, town = mianyang[0], mianyang[1]
    assert float(best["score"]) > float(town["score"])
    assert (best["type_ok"], best["place_ok"]) == ("yes", "yes")
    assert (town["type_ok"], town["place_ok"]) == ("no", "no")
    assert best["predicate"] == "owl:sameAs"
    assert all(r["decision"] == "" for r in rows)
    # Entities linked already are not proposed; the redirect never is.
    assert not any(r["entity"].endswith(("/sichuan", "/china")) for r in rows)
    assert not any(r["candidate"].endswith("Q990000099") for r in rows)
    # English and Chinese labels both find candidates: the agency by its English name.
    ndrc = [r for r in rows if r["entity"].endswith("/ndrc")]
    assert ndrc[0]["candidate"] == WD + "Q990000020" and ndrc[0]["type_ok"] == "yes"


def test_propose_suggests_no_link_to_a_candidate_the_evidence_is_against(wikidata: str, project: Path) -> None:
    _write_data(project, "mcfid:sichuan owl:sameAs wd:Q19770 . mcfid:china owl:sameAs wd:Q148 .")
    _, rows = _propose(project, wikidata)
    town = next(r for r in rows if r["candidate"] == WD + "Q990000002")
    assert float(town["score"]) < 75
    assert town["predicate"] == ""
    assert town["advice"].startswith("reject suggested") and "type does not fit" in town["advice"]
    # Every row with a suggested predicate clears the threshold and has nothing against it.
    for row in rows:
        if row["predicate"]:
            assert float(row["score"]) >= 75 and "no" not in (row["type_ok"], row["place_ok"]), row


def test_propose_accounts_for_every_linkable_entity(wikidata: str, project: Path) -> None:
    _write_data(project, "mcfid:sichuan owl:sameAs wd:Q19770 . mcfid:china owl:sameAs wd:Q148 .")
    output, rows = _propose(project, wikidata)
    # A class with no Wikidata type constraint is still searched, scored lower, flagged for a type check by hand.
    congress = [r for r in rows if r["entity"].endswith("/nineteenth-national-congress")]
    assert congress and congress[0]["candidate"] == WD + "Q990000023"
    assert congress[0]["type_ok"] == "" and "no type constraint known for class PartyCongress" in congress[0]["evidence"]
    assert float(congress[0]["score"]) < float(next(r["score"] for r in rows if r["entity"].endswith("/c919")))
    assert congress[0]["predicate"] == "skos:closeMatch" and "type by hand" in congress[0]["advice"]
    # The others are listed with the reason they have no candidate; the unnamed one is not searched.
    assert "western-region: no item with a matching English or Chinese label" in output
    assert "none known for class Region" in output
    assert "unnamed-research-center: not named in the source" in output
    assert not any(r["entity"].endswith("/unnamed-research-center") for r in rows)
    proposed = {r["entity"].rsplit("/", 1)[-1] for r in rows}
    listed = {line.split(":")[0].strip() for line in output.split("No candidate for:")[1].splitlines()[1:] if ": " in line}
    assert proposed | listed >= {"mianyang", "ndrc", "c919", "nineteenth-national-congress", "western-region",
                                 "unnamed-research-center"}


def test_accept_records_the_endpoint_each_row_came_from(wikidata: str, project: Path) -> None:
    _write_data(project, "mcfid:sichuan owl:sameAs wd:Q19770 . mcfid:china owl:sameAs wd:Q148 .")
    output, rows = _propose(project, wikidata)
    review = project / "review.csv"
    assert f"mcfkg link accept {review}`" in output  # the hint is the command that works
    assert {r["endpoint"] for r in rows} == {wikidata}
    rows = _accepting(rows, "Q426130")
    _decide(review, rows)
    links = project / "data" / "links.trig"
    result = _run("link", "accept", str(review), "--links", str(links))
    assert result.exit_code == 0, result.output
    ds = Dataset()
    ds.parse(links, format="trig")
    graph = ds.graph(URIRef("https://w3id.org/mcfkg/graph/links"))
    mianyang, item = URIRef("https://w3id.org/mcfkg/id/mianyang"), URIRef(WD + "Q426130")
    assert (mianyang, OWL.sameAs, item) in graph
    record = graph.value(predicate=RDF.object, object=item)
    assert graph.value(record, RDF.subject) == mianyang
    prov = "http://www.w3.org/ns/prov#"
    # Derived from the stand-in that produced the candidate and the item as it names it; no wikidata.org page.
    assert set(graph.objects(record, URIRef(prov + "wasDerivedFrom"))) == {URIRef(wikidata), item}
    method = str(graph.value(record, URIRef("https://w3id.org/mcfkg/def/verificationMethod")))
    assert wikidata in method and "query.wikidata.org" not in method
    assert graph.value(record, URIRef(prov + "generatedAtTime")) is not None
    assert graph.value(record, URIRef(prov + "wasAttributedTo")) is not None
    # Accepting again adds nothing; the rejected town never became a link.
    again = _run("link", "accept", str(review), "--links", str(links))
    assert "0 link(s) added" in again.output
    assert (None, None, URIRef(WD + "Q990000002")) not in graph


def test_accept_twice_into_a_links_file_outside_the_data_leaves_it_byte_identical(wikidata: str, project: Path) -> None:
    _write_data(project, "mcfid:sichuan owl:sameAs wd:Q19770 . mcfid:china owl:sameAs wd:Q148 .")
    _, rows = _propose(project, wikidata)
    rows = _accepting(rows, "Q426130")
    review = project / "review.csv"
    _decide(review, rows)
    copy = project / "copy.trig"  # not in data/, so only the file itself can say what it holds
    first = _run("link", "accept", str(review), "--links", str(copy))
    assert first.exit_code == 0 and "1 link(s) added" in first.output, first.output
    written = copy.read_bytes()
    second = _run("link", "accept", str(review), "--links", str(copy))
    assert second.exit_code == 0, second.output
    assert "0 link(s) added" in second.output and "1 already present" in second.output, second.output
    assert copy.read_bytes() == written
    assert written.count(b"Accepted with") == 1


def _accept_one(project: Path, links: Path, predicate: str, *extra: str) -> Result:
    """Accept Mianyang → Q426130 with ``predicate`` (plus ``extra`` CSV rows) from a hand-written review file."""
    review = project / "review.csv"
    endpoint = "http://127.0.0.1:9/sparql"  # recorded only; accept never asks it
    rows = [f"https://w3id.org/mcfkg/id/mianyang,{WD}Q426130,{predicate},accept,{endpoint}", *extra]
    review.write_text("entity,candidate,predicate,decision,endpoint\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return _run("link", "accept", str(review), "--links", str(links))


def test_accept_counts_a_link_the_file_states_in_other_words_as_present(project: Path) -> None:
    _write_data(project, "")
    links = project / "copy.trig"
    # Full IRIs, no prefixes, the link inside a longer block: present as RDF, absent as text.
    links.write_text("<https://w3id.org/mcfkg/graph/links> {\n"
                     "  <https://w3id.org/mcfkg/id/china> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q148> .\n"
                     "  <https://w3id.org/mcfkg/id/mianyang> <http://www.w3.org/2002/07/owl#sameAs>\n"
                     "      <http://www.wikidata.org/entity/Q426130> .\n}\n", encoding="utf-8")
    before = links.read_bytes()
    result = _accept_one(project, links, "owl:sameAs")
    assert result.exit_code == 0, result.output
    assert "0 link(s) added" in result.output and "1 already present" in result.output, result.output
    assert links.read_bytes() == before


def test_accept_counts_only_the_links_graph(project: Path) -> None:
    _write_data(project, "")
    links = project / "copy.trig"
    links.write_text(PREFIXES + "GRAPH mcfg:elsewhere { mcfid:mianyang owl:sameAs wd:Q426130 . }\n", encoding="utf-8")
    result = _accept_one(project, links, "owl:sameAs")
    assert result.exit_code == 0 and "1 link(s) added" in result.output, result.output
    ds = Dataset()
    ds.parse(links, format="trig")
    link = (URIRef("https://w3id.org/mcfkg/id/mianyang"), OWL.sameAs, URIRef(WD + "Q426130"))
    assert link in ds.graph(URIRef("https://w3id.org/mcfkg/graph/links"))


def test_accept_reports_a_pair_already_linked_with_another_predicate_and_adds_nothing(project: Path) -> None:
    _write_data(project, "")
    links = project / "copy.trig"
    links.write_text(PREFIXES + "GRAPH mcfg:links { mcfid:mianyang skos:closeMatch wd:Q426130 . }\n", encoding="utf-8")
    before = links.read_bytes()
    # A second, unrelated row that would be new: nothing is added while a conflict stands.
    result = _accept_one(project, links, "owl:sameAs",
                         f"https://w3id.org/mcfkg/id/c919,{WD}Q990000020,skos:closeMatch,accept,http://127.0.0.1:9/sparql")
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())  # rich wraps long lines
    assert "review.csv:2" in message and "already linked to" in message, message
    assert "with skos:closeMatch, not owl:sameAs" in message and "Nothing was added" in message, message
    assert links.read_bytes() == before


def test_accept_cites_the_wikidata_page_only_for_wikidata_itself(tmp_path: Path) -> None:
    decision = Decision(2, URIRef("https://w3id.org/mcfkg/id/mianyang"), URIRef(WD + "Q426130"), OWL.sameAs,
                        Literal("Mianyang", lang="en"), "", WIKIDATA_SPARQL)
    graph = links_dataset([decision], tmp_path / "review.csv", Vocab().base).graph(Vocab().GRAPH["links"])
    derived = set(graph.objects(None, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
    assert derived == {URIRef(WIKIDATA_SPARQL), URIRef(WD + "Q426130"), URIRef("https://www.wikidata.org/wiki/Q426130")}


def test_accept_refuses_a_row_without_a_suggested_predicate(wikidata: str, project: Path) -> None:
    _write_data(project, "mcfid:sichuan owl:sameAs wd:Q19770 . mcfid:china owl:sameAs wd:Q148 .")
    _, rows = _propose(project, wikidata)
    rows = _accepting(rows, "Q990000002", otherwise="")
    review = project / "review.csv"
    _decide(review, rows)
    result = _run("link", "accept", str(review), "--links", str(project / "links.trig"))
    assert result.exit_code == 2
    assert "without a predicate" in result.output and "reject suggested" in result.output
    assert not (project / "links.trig").exists()


def test_accept_rejects_a_misspelt_decision(project: Path) -> None:
    _write_data(project, "")
    review = project / "review.csv"
    review.write_text("entity,candidate,predicate,decision,endpoint\n"
                      f"https://w3id.org/mcfkg/id/mianyang,{WD}Q426130,owl:sameAs,acept,http://127.0.0.1:9/sparql\n",
                      encoding="utf-8")
    result = _run("link", "accept", str(review), "--links", str(project / "links.trig"))
    assert result.exit_code == 2
    assert "review.csv:2" in result.output and "acept" in result.output
    assert not (project / "links.trig").exists()


def test_verify_flags_wrong_link_redirect_and_type_mismatch(wikidata: str, project: Path) -> None:
    _write_data(project, """
      mcfid:sichuan owl:sameAs wd:Q19770 .
      mcfid:china owl:sameAs wd:Q148 .
      mcfid:c919 owl:sameAs wd:Q990000020 .
      mcfid:ndrc skos:exactMatch wd:Q990000098 .
      mcfid:mianyang owl:sameAs wd:Q990000002 .
    """)
    result = _run("link", "verify", "--endpoint", wikidata)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if "problem" in line]
    assert any("c919" in line and "label" in line for line in lines), result.output
    assert any("ndrc" in line and "redirect" in line and "Q990000020" in line for line in lines), result.output
    assert any("mianyang" in line and "type" in line for line in lines), result.output
    assert not any("sichuan" in line or "china" in line for line in lines), result.output
    assert "5 link(s), 4 problem(s)" in result.output  # c919: label and type


def test_verify_passes_good_links_and_reports_unchecked_targets(wikidata: str, project: Path) -> None:
    _write_data(project, """
      mcfid:sichuan owl:sameAs wd:Q19770 ; owl:sameAs <https://sws.geonames.org/1794299/> .
      mcfid:mianyang skos:exactMatch wd:Q426130 .
    """)
    result = _run("link", "verify", "--endpoint", wikidata)
    assert result.exit_code == 0, result.output
    assert "not checked" in result.output and "no geonames endpoint" in result.output
    assert "0 problem(s)" in result.output


def test_verify_passes_for_the_shipped_links_against_the_stand_in(wikidata: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stand-in is a faithful extract: every Wikidata link of data/links.trig checks out against it."""
    for name in ("MCFKG_DATA_DIR", "MCFKG_ONTOLOGY_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    shipped = Dataset()
    shipped.parse(ROOT / "data" / "links.trig", format="trig")
    wikidata_links = {(str(s).rsplit("/", 1)[-1], str(o)) for s, _, o, _ in shipped.quads((None, None, None, None))
                      if str(o).startswith(WD + "Q") and str(s).startswith("https://w3id.org/mcfkg/id/")
                      and "/link/" not in str(s)}
    assert len(wikidata_links) >= 6
    result = _run("link", "verify", "--endpoint", wikidata)
    assert result.exit_code == 0, result.output
    assert "0 problem(s)" in result.output
    for slug, target in wikidata_links:
        assert any(slug in line and target in line and "\tlabel\t" in line and "\tok\t" in line
                   for line in result.output.splitlines()), (slug, target, result.output)
    # A class with no Wikidata type constraint is said to be unchecked, not passed silently.
    assert any("cpc-central-committee" in line and "\tnote\t" in line and "no type constraint known for class PartyOrgan"
               in line for line in result.output.splitlines()), result.output


def test_verify_piped_prints_every_value_whole(wikidata: str, project: Path) -> None:
    """Into a pipe (a log, grep) the table is tab-separated with nothing cut: no "…", no IRI split over lines."""
    _write_data(project, "mcfid:ndrc skos:exactMatch wd:Q990000098 .\nmcfid:c919 owl:sameAs wd:Q990000020 .")
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}  # the fixture's 250 would hide the 80-column cut
    proc = subprocess.run([MCFKG, "link", "verify", "--endpoint", wikidata], env=env, check=False,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    rows = [line.split("\t") for line in proc.stdout.splitlines() if line.count("\t") == 5]
    assert rows[0] == ["entity", "link", "target", "check", "status", "detail"]
    assert "…" not in proc.stdout and "│" not in proc.stdout
    redirect = next(row for row in rows if row[0] == "ndrc" and row[3] == "redirect")
    assert redirect[2] == WD + "Q990000098" and redirect[4] == "problem"
    assert len("\t".join(redirect)) > 80 and "Q990000020" in redirect[5]  # whole, past 80 columns


def test_offline_endpoint_fails_with_a_message_not_a_traceback(project: Path) -> None:
    _write_data(project, "mcfid:sichuan owl:sameAs wd:Q19770 .")
    closed = f"http://127.0.0.1:{free_port()}/sparql"  # nothing listens there
    env = {**os.environ, "MCFKG_LINK_ENDPOINT": closed, "MCFKG_LINK_TIMEOUT_S": "3"}
    for command in (["verify"], ["propose", "--out", str(project / "r.csv")]):
        proc = subprocess.run([MCFKG, "link", *command], env=env, check=False,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 3, proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr
        assert "Cannot reach SPARQL endpoint" in proc.stderr and closed in proc.stderr
        assert "Are you offline?" in proc.stderr and ".." not in proc.stderr.replace(closed, "")


@pytest.mark.parametrize("command", [
    ["verify", "--endpoint", "not-a-url"],
    ["propose", "--endpoint", "not-a-url"],
    ["verify", "--geonames-endpoint", "not-a-url"],
    ["verify", "--endpoint", "ftp://127.0.0.1/sparql"],
], ids=["verify", "propose", "geonames", "ftp"])
def test_an_endpoint_that_is_not_an_http_url_is_a_usage_error(project: Path, command: list[str]) -> None:
    _write_data(project, "mcfid:sichuan owl:sameAs wd:Q19770 .")
    proc = subprocess.run([MCFKG, "link", *command], check=False, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "Cannot reach" not in proc.stderr
    option, value = command[1], command[2]
    assert f"Invalid value for '{option}': must be an absolute http:// or https:// URL, got '{value}'" in proc.stderr


def test_a_link_endpoint_setting_that_is_not_an_http_url_is_a_usage_error(project: Path) -> None:
    _write_data(project, "mcfid:sichuan owl:sameAs wd:Q19770 .")
    env = {**os.environ, "MCFKG_LINK_ENDPOINT": "not-a-url"}
    proc = subprocess.run([MCFKG, "link", "verify"], env=env, check=False, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "MCFKG_LINK_ENDPOINT must be an absolute http:// or https:// URL, got 'not-a-url'" in proc.stderr


def test_void_linksets_count_links_per_target_and_predicate() -> None:
    ds = Dataset()
    ds.parse(data=PREFIXES + """GRAPH mcfg:links {
      mcfid:sichuan owl:sameAs wd:Q19770, <https://sws.geonames.org/1794299/> .
      mcfid:china owl:sameAs wd:Q148 .
      mcfid:western-region skos:closeMatch wd:Q1 .
    }""", format="trig")
    vocab = Vocab()
    graph = ds.graph(vocab.GRAPH["links"])
    void = linksets(graph, URIRef(vocab.base + "dataset"), vocab)
    counts = {
        (str(void.value(ls, VOID.objectsTarget)), str(void.value(ls, VOID.linkPredicate))): int(void.value(ls, VOID.triples))
        for ls in void.subjects(RDF.type, VOID.Linkset)
    }
    assert counts == {
        ("http://www.wikidata.org/", str(OWL.sameAs)): 2,
        ("http://www.wikidata.org/", "http://www.w3.org/2004/02/skos/core#closeMatch"): 1,
        ("https://sws.geonames.org/", str(OWL.sameAs)): 1,
    }
