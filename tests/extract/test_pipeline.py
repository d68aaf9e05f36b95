"""``extract()`` on whole articles, the review file it is written to and read back from, and
``mcfkg extract`` through a pipe.

The first article (data/sources/mianyang-mcf-article.txt) runs with the gazetteer of every source
(data/), so every entity its curated graph names must be resolved, and nothing it names is new. The
invented article (tests/data/extraction/articles/invented-baishui-aerospace-park.txt, written for
these tests: every place, body, product and number in it is fictional) names only new things, which
must be proposed with their types.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from live_mcfkg import MCFKG
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, Namespace, URIRef

from mcfkg.config import Settings
from mcfkg.extract.commands import load_gazetteer
from mcfkg.extract.entities import find_mentions, matchable, resolve_anaphora
from mcfkg.extract.gazetteer import Gazetteer, words
from mcfkg.extract.model import Extraction
from mcfkg.extract.pipeline import extract
from mcfkg.extract.review_file import MCFR, candidate_ids, read_review, write_review, write_table
from mcfkg.extract.text import read_article
from mcfkg.graph import source_files
from mcfkg.vocab import Vocab

ROOT = Path(__file__).resolve().parents[2]
FIRST = ROOT / "data" / "sources" / "mianyang-mcf-article.txt"
INVENTED = ROOT / "tests" / "data" / "extraction" / "articles" / "invented-baishui-aerospace-park.txt"
V = Vocab()
MCF, ID, G = V.MCF, V.ID, V.GRAPH
SDO = Namespace("https://schema.org/")
DCT = Namespace("http://purl.org/dc/terms/")
FIRST_URL = "http://en.my.gov.cn/MYGOV/159036660376403968/20180416/2229892.html"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    """Every name of every source and of the editors' graphs, as `mcfkg extract` knows them."""
    return Gazetteer.from_files(source_files(Settings()))


@pytest.fixture(scope="module")
def first(gazetteer: Gazetteer) -> Extraction:
    article = read_article(FIRST, url=FIRST_URL, published=date(2018, 4, 16), publisher=ID["mianyang-drc"])
    return extract(article, gazetteer, "mianyang-mcf-article-again")


@pytest.fixture(scope="module")
def invented(gazetteer: Gazetteer) -> Extraction:
    return extract(read_article(INVENTED, published=date(2019, 5, 20)), gazetteer, "invented-baishui")


def triples(extraction: Extraction) -> set[tuple]:
    return {t for c in extraction.candidates for t in c.triples}


# --------------------------------------------------------------------------- the first article
EXPECTED_KNOWN = {  # (paragraph, sentence) → entities of the curated graph named there
    (0, 1): {"china-sci-tech-city-mcf-project", "mianyang", "national-special-fund"},
    (1, 1): {"mianyang-mcf-cluster-plan", "ndrc", "china", "central-government"},
    (1, 2): {"china-sci-tech-city", "mianyang-mcf-cluster-plan", "electronic-information-technology",
             "nuclear-technology-application", "new-materials", "comprehensive-innovation-and-reform-experiment-platform"},
    (2, 6): {"mianyang", "sichuan"},
    (2, 8): {"mianyang", "national-science-and-technology-progress-award", "army-science-and-technology-progress-award",
             "sichuan-science-and-technology-progress-award"},
    (2, 12): {"sichuan-jiuzhou-electric-group", "c919"},
    (2, 13): {"skyeye-laser", "low-level-flying-platform"},
    (2, 16): {"technology-transfer-chain-project", "strategic-emerging-industries", "enterprises-outside"},
    (3, 1): {"xi-jinping-thought", "nineteenth-national-congress-guidelines", "cpc-central-committee", "state-council"},
    (4, 1): {"mianyang-drc"},
}


def test_every_known_entity_of_the_first_article_is_resolved(gazetteer: Gazetteer) -> None:
    article = read_article(FIRST)
    minted: dict = {}
    recent: list = []
    found: dict[tuple[int, int], set[URIRef]] = {}
    for sentence in article.sentences:
        mentions = resolve_anaphora(sentence, find_mentions(sentence, gazetteer, minted), recent, gazetteer)
        recent += mentions
        found[(sentence.paragraph, sentence.number)] = {m.iri for m in mentions if m.known}
        # Independently of the matcher: every name of a matchable entity that occurs in the sentence (as a
        # run of whole words, compared as the gazetteer compares them) and is not inside a longer such name.
        keys = [key for _, _, key in words(sentence.text)]
        spans = []
        for entry in gazetteer.entries.values():
            if not matchable(entry, gazetteer) or entry.label.startswith("the "):
                continue
            for name in entry.names:
                name_keys = [key for _, _, key in words(name.text)]
                for i in range(len(keys) - len(name_keys) + 1):
                    if name_keys and keys[i:i + len(name_keys)] == name_keys:
                        spans.append((i, i + len(name_keys), entry.iri))
        outer = [s for s in spans if not any(o[0] <= s[0] and s[1] <= o[1] and (o[1] - o[0]) > (s[1] - s[0])
                                             for o in spans)]
        missing = {iri for _, _, iri in outer} - found[(sentence.paragraph, sentence.number)]
        assert not missing, (sentence.paragraph, sentence.number, missing)
    for where, expected in EXPECTED_KNOWN.items():
        assert {ID[name] for name in expected} <= found[where], where


def test_the_first_article_names_nothing_new(first: Extraction) -> None:
    assert [c for c in first.candidates if c.kind == "entity"] == []
    assert not any(str(o).startswith(str(ID)) and "-2" in str(o).rsplit("/", 1)[-1]
                   for c in first.candidates if c.kind == "entity" for _, _, o in c.triples)


def test_the_first_articles_relations_as_curated(first: Extraction) -> None:
    found = triples(first)
    assert (ID["mianyang-mcf-cluster-plan"], MCF.approvedBy, ID["ndrc"]) in found
    assert (ID["sichuan-jiuzhou-electric-group"], MCF.tierOneSupplierFor, ID["c919"]) in found
    assert (ID["mianyang"], MCF.locatedIn, ID["sichuan"]) in found
    assert (ID["china-sci-tech-city-mcf-project"], MCF.supportedBy, ID["national-special-fund"]) in found
    values = {o for _, p, o in found if p in (SDO.value, SDO.minValue)}
    for amount in ("500000000.0", "2493000000.0", "8100000000.0", "39600000000.0", "20000000000.0"):
        assert Literal(amount, datatype=XSD.decimal) in values
    lower = [s for s, p, o in found if p == SDO.minValue and o == Literal("39600000000.0", datatype=XSD.decimal)]
    assert (lower[0], MCF.bound, Literal("exclusive")) in found and (lower[0], MCF.qualifier, Literal("over", lang="en")) in found
    counts = {o for _, p, o in found if p == MCF.statedCount}
    assert {Literal(n) for n in (12, 4, 25, 138, 9, 48)} <= counts
    conferrals = [s for s, p, o in found if p == RDF.type and o == MCF.AwardConferral]
    assert len(conferrals) == 3
    assert any(c.rule == "rule:approved-by/vague-date" for c in first.candidates)  # "Recently"
    assert any("'Recently'" in note for note in first.notes)


# --------------------------------------------------------------------------- an invented article
INVENTED_NEW = {
    ("Baishui Aerospace Industry Park", MCF.ScienceCity),
    ("Yunhe Provincial Military-Civilian Integration Fund", MCF.Fund),
    ("Implementation Plan for the Baishui Aerospace Industry Park", MCF.ImplementationPlan),
    ("Yunhe Provincial Development and Reform Commission", MCF.GovernmentAgency),
    ("Qiaotou District", SDO.AdministrativeArea),
    ("Baishui", MCF.City),
    ("Yunhe", MCF.Province),
    ("Baishui Hangtian Electronics Group Co., Ltd.", MCF.EnterpriseGroup),
    ("BS-200", MCF.Aircraft),
    ("Yunhe Academy of Aeronautical Sciences", MCF.ResearchInstitute),
    ("Yunhe Institute of Navigation Technology", MCF.ResearchInstitute),
    ("Yunhe Provincial Science and Technology Progress Award", MCF.Award),
    ("Baishui Municipal Innovation Award", MCF.Award),
    ("YH-7", MCF.Product),
    ("Baishui Municipal Development and Reform Commission", MCF.GovernmentAgency),
}


def test_an_invented_article_gets_its_new_organisations_places_and_products(invented: Extraction) -> None:
    entities = [c for c in invented.candidates if c.kind == "entity"]
    proposed = {}
    for candidate in entities:
        [(iri, _, label)] = [t for t in candidate.triples if t[1] == RDFS.label]
        [(_, _, cls)] = [t for t in candidate.triples if t[1] == RDF.type]
        assert iri.startswith(str(ID)) and candidate.rule.startswith("rule:entity/")
        proposed[str(label)] = (iri, cls)
    assert INVENTED_NEW <= {(label, cls) for label, (_, cls) in proposed.items()}
    assert len({iri for iri, _ in proposed.values()}) == len(proposed)  # one IRI per new entity
    agency = proposed["Yunhe Provincial Development and Reform Commission"][0]
    assert (agency, SKOS.altLabel, Literal("YPDRC", lang="en")) in triples(invented)


def test_an_invented_articles_relations(invented: Extraction) -> None:
    found = triples(invented)
    by_label = {str(o): s for s, p, o in found if p == RDFS.label}
    plan, agency = by_label["Implementation Plan for the Baishui Aerospace Industry Park"], \
        by_label["Yunhe Provincial Development and Reform Commission"]
    assert (plan, MCF.approvedBy, agency) in found
    assert (plan, DCT.dateAccepted, Literal("--05-06", datatype=XSD.gMonthDay)) in found
    assert (by_label["Baishui Hangtian Electronics Group Co., Ltd."], MCF.tierOneSupplierFor, by_label["BS-200"]) in found
    assert (agency, MCF.jurisdiction, by_label["Yunhe"]) in found
    assert (by_label["Baishui Aerospace Industry Park"], MCF.locatedIn, by_label["Qiaotou District"]) in found
    assert (by_label["Qiaotou District"], MCF.locatedIn, by_label["Baishui"]) in found
    assert Literal(2) in {o for _, p, o in found if p == MCF.prizeCount}
    assert Literal("6350000000.0", datatype=XSD.decimal) in {o for _, p, o in found if p == SDO.value}
    grants = [s for s, p, o in found if p == RDF.type and o == MCF.Grant]
    assert any((g, MCF.fromFund, by_label["Yunhe Provincial Military-Civilian Integration Fund"]) in found for g in grants)


def test_nothing_is_minted_onto_the_sources_iri_or_one_the_graph_uses(gazetteer: Gazetteer) -> None:
    # "Baishui City" slugifies as the source's id, and the graph uses mcfid:baishui-2 without naming it (as
    # it does passages and amount nodes), so the city must get a third IRI.
    extraction = extract(read_article(INVENTED, published=date(2019, 5, 20)), gazetteer, "baishui",
                         taken=[ID["baishui-2"]])
    typed = {(c.triples[0][0], c.triples[0][2]) for c in extraction.candidates if c.kind == "entity"}
    assert (ID["baishui-3"], MCF.City) in typed
    assert not {iri for iri, _ in typed} & {ID["baishui"], ID["baishui-2"]}


def test_the_command_reserves_every_iri_the_build_uses(pipeline_settings: Settings) -> None:
    # The fixture's source document mcfid:article has no name, so the gazetteer does not list it.
    gazetteer, taken = load_gazetteer(pipeline_settings, announce=lambda message: None)
    assert ID["article"] in taken and ID["article"] not in gazetteer.entries
    assert all(iri.startswith(str(ID)) for iri in taken)


# --------------------------------------------------------------------------- the review file
def test_the_review_file_round_trips(first: Extraction, invented: Extraction, tmp_path: Path) -> None:
    for extraction in (first, invented):
        path = tmp_path / f"{extraction.source_id}.review.trig"
        write_review(extraction, path)
        assert read_review(path) == extraction
    first.candidates[0].status = "accepted"
    first.candidates[1].note = "checked by hand: 'quotes' and \"double quotes\"\nand a new line"
    try:
        write_review(first, tmp_path / "changed.trig")
        assert read_review(tmp_path / "changed.trig") == first
    finally:
        first.candidates[0].status = "pending"
        first.candidates[1].note = None


def test_the_review_file_in_the_projects_conventions(first: Extraction, tmp_path: Path) -> None:
    path = tmp_path / "review.trig"
    write_review(first, path)
    ds = Dataset()
    ds.parse(str(path), format="trig")
    source_id = first.source_id
    document = ID[source_id]
    source = ds.graph(G[source_id])
    assert (document, RDF.type, MCF.SourceDocument) in source
    assert source.value(document, DCT.issued) == Literal("2018-04-16", datatype=XSD.date)
    assert source.value(document, MCF.dateEstablishedBy) == MCF.dateFromUrlPath  # the URL's path holds the date
    assert source.value(document, DCT.publisher) == ID["mianyang-drc"]
    assert source.value(document, SDO.url) == Literal(FIRST_URL, datatype=XSD.anyURI)
    passages = list(source.subjects(RDF.type, MCF.Passage))
    assert len(passages) == len(first.article.sentences)
    for passage in passages:
        p, s = int(source.value(passage, MCF.paragraph)), int(source.value(passage, MCF.sentence))
        assert passage == ID[f"{source_id}/p{p}/s{s}"]
        excerpt = source.value(passage, MCF.excerpt)
        if excerpt is not None:
            assert len(str(excerpt).split()) <= 6 and len(str(excerpt)) <= 60
    review = ds.graph(G[f"{source_id}/review"])
    ids = candidate_ids(first)
    for tail, candidate in zip(ids, first.candidates):
        name = G[f"{source_id}/{tail}"]
        assert set(ds.graph(name)) == set(candidate.triples)
        assert review.value(name, MCFR.sentence) == ID[f"{source_id}/p{candidate.sentence.paragraph}/s{candidate.sentence.number}"]
        assert str(review.value(name, MCFR.status)) == "pending"
    facts = [t for g in ds.graphs() if re.search(r"/p\d+/s\d+/c\d+$", str(g.identifier)) for t in g]
    assert facts and not any(str(node).startswith(str(MCFR)) for t in facts for node in t)
    assert len(list(review.subjects(MCFR.text, None))) == len(first.article.sentences)


def test_every_review_term_is_defined(first: Extraction, tmp_path: Path) -> None:
    path = tmp_path / "review.trig"
    write_review(first, path)
    ds = Dataset()
    ds.parse(str(path), format="trig")
    used = {node for s, p, o, _ in ds.quads() for node in (p, o) if isinstance(node, URIRef) and node.startswith(str(MCFR))}
    vocabulary = Graph().parse(ROOT / "ontology" / "review.ttl")
    for term in used:
        assert (term, RDF.type, None) in vocabulary, term
        for prop in (RDFS.label, SKOS.definition, SKOS.example):
            assert vocabulary.value(term, prop) is not None, (term, prop)
    assert (URIRef(str(MCFR)), RDF.type, OWL.Ontology) in vocabulary


def test_the_table_lists_every_candidate(first: Extraction, tmp_path: Path) -> None:
    write_table(first, tmp_path / "t.csv")
    write_table(first, tmp_path / "t.md")
    rows = list(csv.DictReader((tmp_path / "t.csv").open(encoding="utf-8")))
    assert [r["candidate"] for r in rows] == candidate_ids(first)
    approval = next(r for r in rows if r["rule"] == "rule:approved-by/passive")
    assert (approval["subject"], approval["predicate"], approval["object"]) == (
        "mcfid:mianyang-mcf-cluster-plan", "mcf:approvedBy", "mcfid:ndrc")
    assert approval["evidence"] and approval["status"] == "pending"
    markdown = (tmp_path / "t.md").read_text(encoding="utf-8")
    assert markdown.count("\n| p") == len(first.candidates) and "## Notes" in markdown


# --------------------------------------------------------------------------- the command
def test_mcfkg_extract_through_a_pipe(pipeline_env: dict[str, str], tmp_path: Path) -> None:
    env = {**os.environ, **pipeline_env, "COLUMNS": "200"}
    out = tmp_path / "reviews" / "first.review.trig"
    run = subprocess.run([MCFKG, "extract", str(FIRST), "--out", str(out), "--url", FIRST_URL, "--published",
                          "2018-04-16", "--publisher", "mcfid:mianyang-drc", "--id", "first-again"],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=240)
    assert run.returncode == 0, run.stderr
    assert "mcfkg extract first-again:" in run.stdout and "wrote" in run.stdout
    assert "\x1b[" not in run.stdout  # plain text into a pipe
    extraction = read_review(out)
    assert extraction.source_id == "first-again" and extraction.candidates
    assert extraction.article.published == date(2018, 4, 16) and extraction.article.publisher == ID["mianyang-drc"]
    assert (tmp_path / "reviews" / "first.review.md").is_file() and (tmp_path / "reviews" / "first.review.csv").is_file()

    bad = subprocess.run([MCFKG, "extract", str(FIRST), "--out", str(tmp_path / "bad.trig"), "--published", "16/04/2018"],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=240)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "bad.trig").exists()
    missing = subprocess.run([MCFKG, "extract", str(tmp_path / "nothing.txt")], env=env, cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=240)
    assert missing.returncode == 2 and "no article" in missing.stderr
