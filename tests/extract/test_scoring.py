"""The extraction scorer (mcfkg.extract.scoring) on hand-made extractions: no extractor runs here.

A perfect extraction scores 1.0 in every row, also when its IRIs are minted and its fact nodes carry
no labels; one wrong amount costs exactly one true positive; a fact counts only in its own sentence;
dates match at the precision the gold states; sentences are found by the gold excerpts.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef

from mcfkg.extract.model import Article, Candidate, Extraction, Sentence
from mcfkg.extract.scoring import (AMOUNTS, COUNTS, DATES, DESCRIBED, ENTITIES, ENTITY_NAMES, LOWER_BOUNDS,
                                   RELATIONS, SCHEMA, SUMMARY_ROWS, Score, normalise_label, passages, score,
                                   sentence_graphs)
from mcfkg.graph import load_dataset
from mcfkg.vocab import CANONICAL

ROOT = Path(__file__).resolve().parents[2]
MCF, ID = CANONICAL.MCF, CANONICAL.ID
GOLD_DIR = ROOT / "tests" / "data" / "extraction" / "gold"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "mcf.ttl")


@pytest.fixture(scope="module")
def mianyang() -> Dataset:
    return load_dataset([ROOT / "data" / "mianyang-mcf-article.trig"])


def as_extraction(gold: Dataset, source_id: str) -> Extraction:
    """An extraction that proposes exactly the gold: one candidate per sentence with its graph's triples."""
    excerpts = passages(gold, source_id)
    sentences, candidates = [], []
    for (p, s), graph in sorted(sentence_graphs(gold, source_id).items()):
        sentence = Sentence(p, s, f"... {excerpts.get((p, s), '')} ...", 0)
        sentences.append(sentence)
        candidates.append(Candidate(sentence, "relation", sorted(graph), [], "gold", 1.0))
    return Extraction(source_id, Article("test", tuple(sentences)), candidates)


def assert_perfect(result: Score) -> None:
    assert not result.misses and not result.false_positives, (result.misses[:5], result.false_positives[:5])
    for row in SUMMARY_ROWS:
        tally = result[row]
        if tally.gold:
            assert (tally.precision, tally.recall, tally.f1) == (1.0, 1.0, 1.0), row


def test_perfect_extraction_scores_one(mianyang: Dataset, ontology: Graph) -> None:
    result = score(mianyang, "mianyang-mcf-article", as_extraction(mianyang, "mianyang-mcf-article"), ontology)
    assert_perfect(result)
    # The curated article's numbers, as the benchmark counts them.
    assert result[AMOUNTS].gold == 5  # 500 million, 2.493 billion, 8.1 billion, over 39.6 billion, 20 billion
    assert result[LOWER_BOUNDS].gold == 3  # over RMB 39.6 billion, more than 20 sectors, over 40 cooperation
    assert result[ENTITIES].gold == result[ENTITY_NAMES].gold > 100
    assert result[RELATIONS].gold > 100


@pytest.mark.parametrize("name", sorted(p.stem for p in GOLD_DIR.glob("*.trig")))
def test_perfect_extraction_with_minted_iris(name: str, ontology: Graph) -> None:
    """Minted IRIs are mapped to gold ones by label; fact nodes without labels by their relations,
    quantity nodes by their value."""
    gold = load_dataset([GOLD_DIR / f"{name}.trig"])
    extraction = as_extraction(gold, name)
    every = Graph()
    for c in extraction.candidates:
        for t in c.triples:
            every.add(t)
    facts = {s for s, o in every.subject_objects(RDF.type) if o in (SCHEMA.MonetaryAmount, SCHEMA.QuantitativeValue)
             or o in (MCF.Grant, MCF.Achievement, MCF.ExpectedOutcome, MCF.AwardConferral, MCF.ProjectPortfolio,
                      MCF.FocusAreaSet, MCF.SupplierRelationship, MCF.ProductApplication, MCF.EstablishmentEvent)}

    def minted(node):  # noqa: ANN001, ANN202
        return URIRef(f"{ID}x-{str(node)[len(str(ID)):]}") if str(node).startswith(str(ID)) else node

    for c in extraction.candidates:
        c.triples = [(minted(s), p, minted(o)) for s, p, o in c.triples
                     if not (s in facts and p in (RDFS.label, SKOS.altLabel))]
    result = score(gold, name, extraction, ontology)
    assert_perfect(result)
    assert result[DESCRIBED].tp > 0 and result[DATES].tp == 1


def test_one_wrong_amount(mianyang: Dataset, ontology: Graph) -> None:
    """RMB 500 million read as 50 million: one false positive and one miss of five amounts; the grant's
    relations still hold (its amount node is the same node)."""
    extraction = as_extraction(mianyang, "mianyang-mcf-article")
    first = next(c for c in extraction.candidates if (c.sentence.paragraph, c.sentence.number) == (1, 1))
    amount = ID["mianyang-mcf-grant-amount"]
    first.triples = [(s, p, Literal(Decimal("50000000"), datatype=XSD.decimal) if (s, p) == (amount, SCHEMA.value) else o)
                     for s, p, o in first.triples]
    result = score(mianyang, "mianyang-mcf-article", extraction, ontology)
    tally = result[AMOUNTS]
    assert (tally.tp, tally.fp, tally.fn) == (4, 1, 1)
    assert tally.precision == tally.recall == 0.8 and tally.f1 == pytest.approx(0.8)
    assert [str(i) for i in result.false_positives] == [f"p1/s1 {AMOUNTS}: 50000000 CNY exact"]
    assert [str(i) for i in result.misses] == [f"p1/s1 {AMOUNTS}: 500000000 CNY exact"]
    for row in (ENTITIES, COUNTS, LOWER_BOUNDS, RELATIONS):
        assert result[row].precision == result[row].recall == 1.0, row


# ---------------------------------------------------------------------------- a small gold of its own
GOLD = """
@prefix mcf: <https://w3id.org/mcfkg/def/> . @prefix mcfid: <https://w3id.org/mcfkg/id/> .
@prefix mcfg: <https://w3id.org/mcfkg/graph/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
mcfg:t {
  mcfid:t-p1 dcterms:isPartOf mcfid:t ; mcf:paragraph 1 ; mcf:sentence 1 ; mcf:excerpt "On March 3" .
  mcfid:t-p2 dcterms:isPartOf mcfid:t ; mcf:paragraph 1 ; mcf:sentence 2 ; mcf:excerpt "over 30" .
}
<https://w3id.org/mcfkg/graph/t/p1/s1> {
  mcfid:plan a mcf:ImplementationPlan ; rdfs:label "Qingshan Plan"@en ; mcf:approvedBy mcfid:drc ;
      dcterms:dateAccepted "--03-03"^^xsd:gMonthDay .
  mcfid:drc a mcf:GovernmentAgency ; rdfs:label "Fuxi Commission"@en .
  mcfid:grant a mcf:Grant ; mcf:amount mcfid:grant-amount ; mcf:funds mcfid:plan .
  mcfid:grant-amount a schema:MonetaryAmount ; schema:value "1200000000"^^xsd:decimal ; schema:currency "CNY" .
}
<https://w3id.org/mcfkg/graph/t/p1/s2> {
  mcfid:plan mcf:expectedOutcome mcfid:outcome .
  mcfid:outcome a mcf:ExpectedOutcome ; mcf:quantity mcfid:outcome-count .
  mcfid:outcome-count a schema:QuantitativeValue ; schema:minValue 30 ; mcf:bound "exclusive" ;
      schema:unitText "enterprise" .
}
"""
S1 = "On March 3, the Fuxi Commission approved the Qingshan Plan and granted RMB 1.2 billion to it."
S2 = "It will attract over 30 enterprises."


@pytest.fixture(scope="module")
def small() -> Dataset:
    ds = Dataset()
    ds.parse(data=GOLD, format="trig")
    return ds


def found(*sentences: tuple[Sentence, str]) -> Extraction:
    """An extraction from (sentence, Turtle of its candidate) pairs, with minted IRIs (ex:)."""
    prefixes = ("@prefix mcf: <https://w3id.org/mcfkg/def/> . @prefix ex: <https://w3id.org/mcfkg/id/ex-> . "
                "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix schema: <https://schema.org/> . "
                "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix dcterms: <http://purl.org/dc/terms/> .\n")
    candidates = [Candidate(s, "relation", sorted(Graph().parse(data=prefixes + ttl, format="turtle")), [], "test", 0.5)
                  for s, ttl in sentences]
    return Extraction("t", Article("t", tuple(dict.fromkeys(s for s, _ in sentences))), candidates)


FIRST = """ex:plan a mcf:ImplementationPlan ; rdfs:label "the Qingshan plan"@en ; mcf:approvedBy ex:c ;
    dcterms:dateAccepted "2025-03-03"^^xsd:date .
  ex:c a mcf:GovernmentAgency ; rdfs:label "Fuxi Commission" .
  ex:g a mcf:Grant ; mcf:amount ex:a ; mcf:funds ex:plan .
  ex:a a schema:MonetaryAmount ; schema:value 1200000000 ; schema:currency "CNY" ."""
SECOND = """ex:plan mcf:expectedOutcome ex:o . ex:o a mcf:ExpectedOutcome ; mcf:quantity ex:n .
  ex:n a schema:QuantitativeValue ; schema:minValue 30 ; mcf:bound "exclusive" ; schema:unitText "enterprises" ."""


def test_minted_iris_map_by_label_and_structure(small: Dataset, ontology: Graph) -> None:
    result = score(small, "t", found((Sentence(1, 1, S1, 0), FIRST), (Sentence(1, 2, S2, 100), SECOND)), ontology)
    assert_perfect(result)
    assert result[ENTITIES].tp == 4 and result[RELATIONS].tp == 5 and result[DATES].tp == 1


def test_a_fact_counts_only_in_its_sentence(small: Dataset, ontology: Graph) -> None:
    """The lower bound proposed for sentence 1 instead of 2: a false positive there, a miss here."""
    result = score(small, "t", found((Sentence(1, 1, S1, 0), FIRST + "\n" + SECOND), (Sentence(1, 2, S2, 100), "")),
                   ontology)
    assert (result[COUNTS].tp, result[COUNTS].fp, result[COUNTS].fn) == (0, 1, 1)
    assert (result[LOWER_BOUNDS].tp, result[LOWER_BOUNDS].fp, result[LOWER_BOUNDS].fn) == (0, 1, 1)
    assert {str(i) for i in result.misses if i.row == COUNTS} == {f"p1/s2 {COUNTS}: 30 enterprise lower-exclusive"}


def test_bounds_and_dates_must_agree(small: Dataset, ontology: Graph) -> None:
    """"over 30" read as exactly 30 is wrong, with the near miss said; a date must agree on every part the
    gold states (--03-03: month and day), and may add the year."""
    first = FIRST.replace('"2025-03-03"^^xsd:date', '"2025-03-04"^^xsd:date')
    second = SECOND.replace('schema:minValue 30 ; mcf:bound "exclusive"', "schema:value 30")
    result = score(small, "t", found((Sentence(1, 1, S1, 0), first), (Sentence(1, 2, S2, 100), second)), ontology)
    assert (result[DATES].tp, result[DATES].fp, result[DATES].fn) == (0, 1, 1)
    assert (result[COUNTS].tp, result[COUNTS].fp, result[COUNTS].fn) == (0, 1, 1)
    assert (result[LOWER_BOUNDS].tp, result[LOWER_BOUNDS].fp, result[LOWER_BOUNDS].fn) == (0, 0, 1)
    near = [i for i in result.false_positives if i.row == COUNTS]
    assert [i.note for i in near] == ["gold 30 enterprise lower-exclusive"]
    month_day = FIRST.replace('"2025-03-03"^^xsd:date', '"--03-03"^^xsd:gMonthDay')
    result = score(small, "t", found((Sentence(1, 1, S1, 0), month_day), (Sentence(1, 2, S2, 100), SECOND)), ontology)
    assert result[DATES].tp == 1 and not result.misses


def test_sentences_are_found_by_their_excerpts(small: Dataset, ontology: Graph) -> None:
    """A splitter that numbers the second sentence 3 is still scored on it, and the difference is noted."""
    result = score(small, "t", found((Sentence(1, 1, S1, 0), FIRST), (Sentence(1, 3, S2, 100), SECOND)), ontology)
    assert_perfect(result)
    assert result.notes == ["p1/s2 is the extractor's p1/s3 (sentence numbering differs)"]


def test_a_re_mention_is_neither_right_nor_wrong(small: Dataset, ontology: Graph) -> None:
    """Proposing the plan again where sentence 2 refers to it does not count; an unknown entity does."""
    again = SECOND + '\n ex:plan a mcf:ImplementationPlan ; rdfs:label "Qingshan Plan" .' \
                     '\n ex:x a mcf:Enterprise ; rdfs:label "Somebody Else Co." .'
    result = score(small, "t", found((Sentence(1, 1, S1, 0), FIRST), (Sentence(1, 2, S2, 100), again)), ontology)
    assert [str(i) for i in result.false_positives if i.row == ENTITIES] == [
        f"p1/s2 {ENTITIES}: 'Somebody Else Co.' a mcf:Enterprise"]
    assert result[ENTITIES].tp == 4 and result[ENTITIES].fn == 0


def test_normalised_labels() -> None:
    assert normalise_label("The Qingshan Hengtai Optoelectronics Co., Ltd.") == "qingshan hengtai optoelectronics co ltd"
    assert normalise_label("People’s Republic of China") == normalise_label("People's Republic of China")
    assert normalise_label("Sci-Tech City") == normalise_label("Sci Tech city")


def test_known_entities_need_no_entity_candidate(small: Dataset, ontology: Graph) -> None:
    """A name the gazetteer knows gets no entity candidate: not expected as one unless a candidate refers to
    its IRI, and then found with the graph's type."""
    without = FIRST.replace('ex:c a mcf:GovernmentAgency ; rdfs:label "Fuxi Commission" .', "") \
        .replace("mcf:approvedBy ex:c", "mcf:approvedBy <https://w3id.org/mcfkg/id/drc>")
    result = score(small, "t", found((Sentence(1, 1, S1, 0), without), (Sentence(1, 2, S2, 100), SECOND)), ontology,
                   known={ID.drc})
    assert_perfect(result)
    unused = without.replace("mcf:approvedBy <https://w3id.org/mcfkg/id/drc> ;", "")
    result = score(small, "t", found((Sentence(1, 1, S1, 0), unused), (Sentence(1, 2, S2, 100), SECOND)), ontology,
                   known={ID.drc})
    assert result[ENTITIES].fn == 0 and result[RELATIONS].fn == 1


def test_inverse_properties_are_one_relation(small: Dataset, ontology: Graph) -> None:
    """"plan fundedBy grant" is the gold's "grant funds plan" (owl:inverseOf in the ontology)."""
    inverse = FIRST.replace("mcf:amount ex:a ; mcf:funds ex:plan .", "mcf:amount ex:a .\n ex:plan mcf:fundedBy ex:g .")
    result = score(small, "t", found((Sentence(1, 1, S1, 0), inverse), (Sentence(1, 2, S2, 100), SECOND)), ontology)
    assert_perfect(result)


@pytest.mark.parametrize(("written", "read"), [
    ('mcf:approximateValue 30 ; mcf:qualifier "about"@en', ["30 enterprises approximate (gold 30 enterprise lower-exclusive)"]),
    ('schema:maxValue 30 ; mcf:maxBound "inclusive" ; mcf:qualifier "up to"@en', ["30 enterprises upper-inclusive (gold 30 enterprise lower-exclusive)"]),
    ('schema:maxValue 30 ; mcf:maxBound "exclusive" ; mcf:qualifier "under"@en', ["30 enterprises upper-exclusive (gold 30 enterprise lower-exclusive)"]),
])
def test_approximations_and_upper_bounds_are_not_the_lower_bound(small: Dataset, ontology: Graph, written: str,
                                                                 read: list[str]) -> None:
    """"about 30" or "up to 30" for the gold's "over 30" is a false positive and a miss, with the bound read said."""
    second = SECOND.replace('schema:minValue 30 ; mcf:bound "exclusive"', written)
    result = score(small, "t", found((Sentence(1, 1, S1, 0), FIRST), (Sentence(1, 2, S2, 100), second)), ontology)
    assert (result[COUNTS].tp, result[COUNTS].fp, result[COUNTS].fn) == (0, 1, 1)
    assert [str(i).split(": ", 1)[1] for i in result.false_positives if i.row == COUNTS] == read


def test_a_range_is_scored_as_its_two_bounds(small: Dataset, ontology: Graph) -> None:
    """"more than 30 but under 40": the lower bound is the gold's, the upper bound one more than it states."""
    second = SECOND.replace('mcf:bound "exclusive"', 'mcf:bound "exclusive" ; schema:maxValue 40 ; mcf:maxBound "exclusive"')
    result = score(small, "t", found((Sentence(1, 1, S1, 0), FIRST), (Sentence(1, 2, S2, 100), second)), ontology)
    assert (result[COUNTS].tp, result[COUNTS].fp, result[COUNTS].fn) == (1, 1, 0)
    assert (result[LOWER_BOUNDS].tp, result[LOWER_BOUNDS].fp, result[LOWER_BOUNDS].fn) == (1, 0, 0)
