"""The review of an extraction: statuses, edits, the accepted facts as one source, SHACL mapped back to the
candidates, and ``mcfkg review`` through the real console script on a private copy of the project.

The article is invented for these tests (a fictional "Lanting Test Radar Works" in the shipped
Mianyang); nothing here is a real event. Built by hand as an :class:`Extraction`, so these tests do
not depend on what the extractor finds.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from project_copy import built_copy, run_mcfkg
from rdflib import RDF, RDFS, XSD, Dataset, Literal, Namespace, URIRef

from mcfkg.config import Settings
from mcfkg.extract import accepted, review
from mcfkg.extract.model import Article, Candidate, Extraction, Sentence, Span
from mcfkg.vocab import Vocab

ROOT = Path(__file__).resolve().parents[2]
V = Vocab()
MCF, ID, GRAPH = V.MCF, V.ID, V.GRAPH
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SOURCE = "test-lanting-radar-2024-03-05"
WORKS = ID["test-lanting-radar-works"]
GRANT = ID["test-lanting-radar-grant"]
AMOUNT = ID["test-lanting-radar-grant-amount"]
HEADLINE = "Lanting Test Radar Works Opens in Mianyang"
BODY = "The Lanting Test Radar Works, a new enterprise in Mianyang, received a grant of RMB 20 million."


def _span(text: str, words: str) -> Span:
    start = text.index(words)
    return Span(start, start + len(words), words)


def extraction(publisher: URIRef | None = ID["mianyang-drc"]) -> Extraction:
    """Four candidates in two sentences: the works (headline and body), where it is, and a grant amount."""
    headline = Sentence(0, 1, HEADLINE, 0)
    body = Sentence(1, 1, BODY, len(HEADLINE) + 2)
    article = Article(title=HEADLINE, sentences=(headline, body), url="http://example.org/news/20240305/1.html",
                      published=date(2024, 3, 5), publisher=publisher)
    works = [(WORKS, RDF.type, MCF.Enterprise), (WORKS, RDFS.label, Literal("Lanting Test Radar Works", lang="en"))]
    return Extraction(SOURCE, article, [
        Candidate(headline, "entity", list(works), [_span(HEADLINE, "Lanting Test Radar Works")], "gazetteer:new", 0.9),
        Candidate(body, "entity", list(works), [_span(BODY, "Lanting Test Radar Works")], "gazetteer:new", 0.9),
        Candidate(body, "relation", [(WORKS, MCF.locatedIn, ID["mianyang"])],
                  [_span(BODY, "Lanting Test Radar Works"), _span(BODY, "Mianyang")], "rule:enterprise-in", 0.7),
        Candidate(body, "amount", [(GRANT, RDF.type, MCF.Grant), (GRANT, MCF.grantedTo, WORKS),
                                   (GRANT, RDFS.label, Literal("grant to the Lanting Test Radar Works", lang="en")),
                                   (GRANT, MCF.grantedBy, ID["central-government"]), (GRANT, MCF.funds, WORKS),
                                   (GRANT, MCF.amount, AMOUNT), (AMOUNT, RDF.type, SCHEMA.MonetaryAmount),
                                   (AMOUNT, SCHEMA.value, Literal("20000000.0", datatype=XSD.decimal)),
                                   (AMOUNT, SCHEMA.currency, Literal("CNY"))],
                  [_span(BODY, "RMB 20 million")], "quantity:money", 0.95),
    ])


# --- statuses and edits ---------------------------------------------------------------------------


def test_ids_name_candidates_per_sentence_and_any_spelling_finds_them() -> None:
    ex = extraction()
    assert review.candidate_ids(ex) == ["p0/s1/c1", "p1/s1/c1", "p1/s1/c2", "p1/s1/c3"]
    full = f"https://w3id.org/mcfkg/graph/{SOURCE}/p1/s1/c2"
    assert review.find(ex, full) == review.find(ex, f"mcfg:{SOURCE}/p1/s1/c2") == review.find(ex, "p1/s1/c2") == 2
    assert review.candidate_iri(ex, "p1/s1/c2") == URIRef(full)
    for wrong in ("p1/s1/c9", "p9/s1/c1", "mcfg:another-source/p1/s1/c1", "c1"):
        with pytest.raises(review.ReviewError, match="names no candidate"):
            review.find(ex, wrong)


def test_statuses_change_by_id_all_kind_and_confidence() -> None:
    ex = extraction()
    assert review.set_status(ex, ["p1/s1/c3", "p0/s1/c1"], "accepted") == ["p0/s1/c1", "p1/s1/c3"]
    assert review.set_status(ex, ["p1/s1/c3"], "accepted") == []  # already accepted: nothing changes
    assert review.counts(ex) == {"pending": 2, "accepted": 2, "rejected": 0}
    assert review.select(ex, kind="relation") == ["p1/s1/c2"]
    assert review.select(ex, ["all"], min_confidence=0.8) == ["p0/s1/c1", "p1/s1/c1", "p1/s1/c3"]
    assert review.select(ex, status="pending") == ["p1/s1/c1", "p1/s1/c2"]
    assert review.set_status(ex, ["all"], "rejected") == review.candidate_ids(ex)
    with pytest.raises(review.ReviewError, match="status"):
        review.set_status(ex, ["p1/s1/c1"], "maybe")
    with pytest.raises(review.ReviewError):  # one unknown id: nothing changes
        review.set_status(ex, ["p1/s1/c1", "p1/s1/c7"], "accepted")
    assert review.counts(ex)["rejected"] == 4


def test_edit_changes_the_type_the_iri_everywhere_in_the_candidate_or_a_value() -> None:
    ex = extraction()
    entity = review.edit(ex, "p1/s1/c1", type="mcf:ResearchInstitute")
    assert (WORKS, RDF.type, MCF.ResearchInstitute) in entity.triples
    assert (WORKS, RDF.type, MCF.Enterprise) not in entity.triples
    assert entity.note and "type of mcfid:test-lanting-radar-works set to mcf:ResearchInstitute" in entity.note
    assert (WORKS, RDF.type, MCF.Enterprise) in ex.candidates[0].triples  # the other sentence's candidate is its own

    amount = review.edit(ex, "p1/s1/c3", subject="test-lanting-radar-subsidy")  # the main entity: the grant
    subsidy = ID["test-lanting-radar-subsidy"]
    assert (subsidy, MCF.amount, AMOUNT) in amount.triples and (subsidy, MCF.grantedTo, WORKS) in amount.triples
    assert not any(GRANT in t for t in amount.triples)
    review.edit(ex, "p1/s1/c3", subject="mcfid:test-lanting-radar-works-2", entity="mcfid:test-lanting-radar-works")
    assert (subsidy, MCF.grantedTo, ID["test-lanting-radar-works-2"]) in amount.triples

    review.edit(ex, "p1/s1/c3", obj="25,000,000")
    assert (AMOUNT, SCHEMA.value, Literal("25000000.0", datatype=XSD.decimal)) in amount.triples
    review.edit(ex, "p1/s1/c3", predicate="schema:currency", obj="USD")
    assert (AMOUNT, SCHEMA.currency, Literal("USD")) in amount.triples
    review.edit(ex, "p1/s1/c2", obj="mcfid:sichuan")  # an IRI value stays an IRI
    assert ex.candidates[2].triples == [(WORKS, MCF.locatedIn, ID["sichuan"])]
    assert amount.status == "pending"  # an edit does not decide


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, "nothing to edit"),
    ({"obj": "twenty"}, "not a number"),
    ({"predicate": "schema:value", "obj": "-"}, "not a number"),
    ({"predicate": "skos:altLabel", "obj": "x"}, "0 triples"),
    ({"predicate": "rdf:type", "obj": "x"}, "2 triples"),
    ({"type": "not an iri"}, "not an IRI"),
    ({"subject": "x", "entity": "mcfid:elsewhere"}, "not in candidate"),
])
def test_an_edit_that_does_not_fit_is_refused_and_changes_nothing(kwargs: dict, message: str) -> None:
    ex = extraction()
    before = list(ex.candidates[3].triples)
    with pytest.raises(review.ReviewError, match=message):
        review.edit(ex, "p1/s1/c3", **kwargs)
    assert ex.candidates[3].triples == before and ex.candidates[3].note is None


# --- the accepted facts as one source --------------------------------------------------------------


def test_the_accepted_source_follows_the_project_conventions() -> None:
    ex = extraction()
    review.set_status(ex, ["p1/s1/c1", "p1/s1/c3"], "accepted")
    review.set_status(ex, ["p1/s1/c2"], "rejected")  # p0/s1/c1 stays pending
    ds = accepted.accepted_source(ex)
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    source_graph, facts = GRAPH[SOURCE], GRAPH[f"{SOURCE}/p1/s1"]
    assert graphs == {str(source_graph), str(facts)}  # no review graph, no candidate graphs, no headline
    fact_triples = set(ds.graph(facts))
    assert fact_triples == {*ex.candidates[1].triples, *ex.candidates[3].triples}
    assert (WORKS, MCF.locatedIn, ID["mianyang"]) not in fact_triples
    meta = ds.graph(source_graph)
    passage, document = ID[f"{SOURCE}/p1/s1"], ID[SOURCE]
    assert (facts, RDF.type, MCF.FactGraph) in meta and (facts, PROV.wasDerivedFrom, passage) in meta
    assert (passage, RDF.type, MCF.Passage) in meta and (passage, DCTERMS.isPartOf, document) in meta
    assert (passage, MCF.paragraph, Literal(1)) in meta and (passage, MCF.sentence, Literal(1)) in meta
    excerpt = str(meta.value(passage, MCF.excerpt))
    assert excerpt in BODY and len(excerpt.split()) <= 6 and len(excerpt) <= 60
    assert (ID[f"{SOURCE}/p0/s1"], RDF.type, MCF.Passage) not in meta  # no accepted fact: no passage
    assert (document, RDF.type, MCF.SourceDocument) in meta
    assert (document, DCTERMS.publisher, ID["mianyang-drc"]) in meta
    assert (document, DCTERMS.issued, Literal("2024-03-05", datatype=XSD.date)) in meta
    assert (document, MCF.dateEstablishedBy, MCF.dateFromUrlPath) in meta  # 20240305 is in the URL
    assert not any(str(p).startswith(str(review.REVIEW)) for _, p, _ in meta)
    again = Dataset()
    again.parse(data=accepted.source_trig(ex), format="trig")  # what `ingest` is given parses back the same
    assert len(again) == len(ds) and {str(g.identifier) for g in again.graphs() if len(g)} == graphs


# --- SHACL on the accepted set, mapped back to the candidates ---------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped ontology and data, copied and built once for the module (never the real data/)."""
    return built_copy(tmp_path_factory.mktemp("review-project"))


def _settings(root: Path) -> Settings:
    return Settings(ontology_dir=root / "ontology", data_dir=root / "data", dist_dir=root / "dist")


def _run(root: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    done = run_mcfkg(root, *args)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_check_maps_each_violation_to_the_candidates_it_concerns(project: Path) -> None:
    ex = extraction(publisher=None)  # no publisher: the source as a whole does not conform
    amount = ex.candidates[3]
    amount.triples = [t for t in amount.triples if t[1] != SCHEMA.currency]  # an amount without its currency
    ex.candidates[2].triples = [(WORKS, MCF.locatedIn, ID["mianyang"]),
                                (ID["test-lanting-pending"], SCHEMA.value, Literal("-1", datatype=XSD.decimal))]
    review.set_status(ex, ["p0/s1/c1", "p1/s1/c1", "p1/s1/c3"], "accepted")  # p1/s1/c2 stays pending
    results = accepted.check(ex, _settings(project))
    violations = [r for r in results if r.severity == "Violation"]
    currency = [r for r in violations if r.path == "schema:currency"]
    assert len(currency) == 1 and currency[0].focus == str(AMOUNT) and currency[0].candidates == ("p1/s1/c3",)
    publisher = [r for r in violations if r.path == "dcterms:publisher"]
    assert len(publisher) == 1 and publisher[0].focus == str(ID[SOURCE]) and publisher[0].candidates == ()
    assert not any("test-lanting-pending" in r.focus for r in results)  # a pending candidate is not checked
    assert all(r.candidates for r in violations if r.focus == str(WORKS))

    fixed = extraction()
    review.set_status(fixed, ["all"], "accepted")
    assert [r for r in accepted.check(fixed, _settings(project)) if r.severity == "Violation"] == []


def test_a_result_on_a_passage_belongs_beside_every_accepted_candidate_of_its_sentence() -> None:
    ex = extraction()
    review.set_status(ex, ["p1/s1/c1", "p1/s1/c3", "p0/s1/c1"], "accepted")
    assert accepted.concerned(ex, ID[f"{SOURCE}/p1/s1"]) == ["p1/s1/c1", "p1/s1/c3"]
    assert accepted.concerned(ex, GRAPH[f"{SOURCE}/p0/s1"]) == ["p0/s1/c1"]
    assert accepted.concerned(ex, AMOUNT) == ["p1/s1/c3"]
    assert accepted.concerned(ex, WORKS) == ["p0/s1/c1", "p1/s1/c1", "p1/s1/c3"]
    assert accepted.concerned(ex, ID[SOURCE]) == []


# --- `mcfkg review` through the console script ---------------------------------------------------


@pytest.fixture
def review_file(tmp_path: Path) -> Path:
    from mcfkg.extract.review_file import write_review

    path = tmp_path / "reviews" / f"{SOURCE}.trig"
    path.parent.mkdir()
    write_review(extraction(), path)
    return path


def _statuses(root: Path, path: Path) -> dict[str, str]:
    listed = json.loads(_run(root, "review", str(path), "list", "--json", check=True).stdout)
    return {c["id"]: c["status"] for c in listed["candidates"]}


def test_list_accept_reject_and_edit_rewrite_the_review_file(project: Path, review_file: Path) -> None:
    listed = _run(project, "review", str(review_file), "list", check=True)  # into a pipe: whole tab-separated rows
    rows = [line.split("\t") for line in listed.stdout.splitlines() if line.startswith("p")]
    assert [(r[0], r[1], r[2]) for r in rows] == [("p0/s1/c1", "pending", "entity"), ("p1/s1/c1", "pending", "entity"),
                                                  ("p1/s1/c2", "pending", "relation"), ("p1/s1/c3", "pending", "amount")]
    assert "mcfid:test-lanting-radar-works mcf:locatedIn mcfid:mianyang" in rows[2][5] and rows[3][6] == "RMB 20 million"

    accepted = _run(project, "review", str(review_file), "accept", "p1/s1/c1", "p1/s1/c3", check=True)
    assert "accepted 2 candidate(s): p1/s1/c1, p1/s1/c3; now 2 pending, 2 accepted, 0 rejected" in accepted.stdout
    assert "accepted 1 candidate(s): p1/s1/c2" in _run(project, "review", str(review_file), "accept", "--kind",
                                                         "relation", check=True).stdout
    _run(project, "review", str(review_file), "reject", "--min-confidence", "0.9", "--kind", "entity", check=True)
    assert _statuses(project, review_file) == {"p0/s1/c1": "rejected", "p1/s1/c1": "rejected",
                                               "p1/s1/c2": "accepted", "p1/s1/c3": "accepted"}
    _run(project, "review", str(review_file), "accept", "p1/s1/c1", check=True)

    before = review_file.read_bytes()
    unknown = _run(project, "review", str(review_file), "accept", "p1/s1/c2", "p7/s1/c1")
    assert unknown.returncode == 2 and "names no candidate" in unknown.stderr
    nothing = _run(project, "review", str(review_file), "accept")
    assert nothing.returncode == 2 and "name the candidates" in nothing.stderr
    bad_edit = _run(project, "review", str(review_file), "edit", "p1/s1/c3", "--value", "twenty")
    assert bad_edit.returncode == 2 and "not a number" in bad_edit.stderr
    assert review_file.read_bytes() == before  # refusals leave the file as it was
    assert not list(review_file.parent.glob(".*"))  # and no temporary file behind

    edited = _run(project, "review", str(review_file), "edit", "p1/s1/c3", "--value", "25000000", check=True)
    assert "changed from 20000000.0 to 25000000.0" in edited.stdout
    _run(project, "review", str(review_file), "edit", "p1/s1/c1", "--type", "mcf:ResearchInstitute", check=True)
    from mcfkg.extract.review_file import read_review

    stored = read_review(review_file)
    assert (AMOUNT, SCHEMA.value, Literal("25000000.0", datatype=XSD.decimal)) in stored.candidates[3].triples
    assert (WORKS, RDF.type, MCF.ResearchInstitute) in stored.candidates[1].triples
    assert stored.candidates[1].status == "accepted" and "edited" in (stored.candidates[1].note or "")


def test_check_and_ingest_the_accepted_candidates_then_query_them_with_their_sentence(
        project: Path, review_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "project"  # ingest writes data/ and dist/: a copy of the module's copy
    shutil.copytree(project, copy)
    written = copy / "data" / "sources" / f"{SOURCE}.trig"
    nothing = _run(copy, "review", str(review_file), "ingest")
    assert nothing.returncode == 1 and "no candidate" in nothing.stderr and not written.exists()

    _run(copy, "review", str(review_file), "accept", "p1/s1/c1", "p1/s1/c2", "p1/s1/c3", check=True)
    _run(copy, "review", str(review_file), "edit", "p1/s1/c3", "--predicate", "schema:currency", "--value", "RMB",
         check=True)  # not an ISO 4217 code
    refused = _run(copy, "review", str(review_file), "check")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    lines = [line.split("\t") for line in refused.stdout.splitlines()]
    currency = [line for line in lines if len(line) == 6 and line[0] == "Violation" and line[3] == "schema:currency"]
    assert currency and all(line[1] == "p1/s1/c3" for line in currency), refused.stdout
    assert "do not conform" in refused.stderr

    _run(copy, "review", str(review_file), "edit", "p1/s1/c3", "--predicate", "schema:currency", "--value", "CNY",
         check=True)
    checked = json.loads(_run(copy, "review", str(review_file), "check", "--json", check=True).stdout)
    assert checked["conforms"] and checked["accepted"] == 3

    ingested = _run(copy, "review", str(review_file), "ingest")
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    assert f"ingested https://w3id.org/mcfkg/id/{SOURCE}" in ingested.stdout and written.is_file()
    again = _run(copy, "review", str(review_file), "ingest", "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["status"] == "unchanged"

    query = ("PREFIX mcf: <https://w3id.org/mcfkg/def/> PREFIX mcfid: <https://w3id.org/mcfkg/id/> "
             "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/> "
             "SELECT ?place ?paragraph ?sentence ?excerpt ?doc WHERE { "
             "GRAPH ?g { mcfid:test-lanting-radar-works mcf:locatedIn ?place } "
             "?g prov:wasDerivedFrom ?passage . ?passage mcf:paragraph ?paragraph ; mcf:sentence ?sentence ; "
             "mcf:excerpt ?excerpt ; dcterms:isPartOf ?doc }")
    answer = _run(copy, "query", query, "--format", "csv", check=True)
    rows = answer.stdout.splitlines()
    assert rows[1].split(",")[:3] == ["https://w3id.org/mcfkg/id/mianyang", "1", "1"], answer.stdout
    assert rows[1].endswith(f"https://w3id.org/mcfkg/id/{SOURCE}") and len(rows) == 2
