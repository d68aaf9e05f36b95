"""The SHACL shapes: the shipped data conforms, and each kind of corruption is caught.

Each file in ``tests/data/shapes/`` corrupts one thing of an otherwise valid graph
(``base.ttl``); the test checks the violation is reported on the expected focus node and
path with the expected message, and that nothing else is reported. The data is validated
with the ontology merged in, as the build validates the union of all graphs.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SH, Dataset, Graph, Namespace, URIRef
from rdflib.term import Node

from mcfkg.build import load_and_reason
from mcfkg.config import Settings
from mcfkg.graph import union_graph
from mcfkg.per_source import excesses
from mcfkg.reason import infer, validation_graph
from mcfkg.vocab import Vocab

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "data" / "shapes"
SHAPES = ROOT / "ontology" / "shapes.ttl"
ONTOLOGY = ROOT / "ontology" / "mcf.ttl"

MCF = Namespace("https://w3id.org/mcfkg/def/")
ID = Namespace("https://w3id.org/mcfkg/id/")
GRAPH = Namespace("https://w3id.org/mcfkg/graph/")
SDO = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")

# fixture -> (focus node, result path or None for node-level constraints, start of the message)
CAUGHT: dict[str, tuple[URIRef, URIRef | None, str]] = {
    "amount-as-text.ttl": (ID["test-amount"], SDO.value, "schema:value must be an xsd:decimal number"),
    "negative-amount.ttl": (ID["test-amount"], SDO.value, "A monetary amount must not be negative."),
    "missing-currency.ttl": (ID["test-amount"], SDO.currency, "A monetary amount needs exactly one schema:currency"),
    "rmb-currency.ttl": (ID["test-amount"], SDO.currency, "schema:currency must be an ISO 4217 code"),
    "missing-label.ttl": (ID["test-enterprise"], RDFS.label, "Missing label"),
    "duplicate-english-label.ttl": (ID["test-award"], RDFS.label, "More than one rdfs:label in the same language"),
    "wrong-class-approver.ttl": (ID["test-plan"], MCF.approvedBy, "An implementation plan must be approved by an organisation"),
    "fact-graph-without-provenance.ttl": (
        GRAPH["test-orphan"],
        PROV.wasDerivedFrom,
        "A fact graph must be derived from exactly one passage",
    ),
    "count-as-decimal.ttl": (ID["test-patents"], MCF.statedCount, "A stated count must be an xsd:integer."),
    "count-as-text.ttl": (ID["test-patents"], MCF.statedCount, "A stated count must be an xsd:integer."),
    "negative-count.ttl": (ID["test-patents"], MCF.statedCount, "A stated count must not be negative."),
    "listed-fewer-than-stated.ttl": (ID["test-models"], None, "The source lists 3 members but states a count of 4"),
    "supplier-without-direct-link.ttl": (
        ID["test-supply"],
        None,
        "A tier-1 supplier relationship must be matched by the direct statement",
    ),
    "excerpt-whole-sentence.ttl": (ID["test-doc/p1/s2"], MCF.excerpt, "An excerpt is at most one short phrase"),
    "locator-mismatch.ttl": (
        ID["test-doc/p9/s9"],
        None,
        "The passage IRI does not match its locator: expected https://w3id.org/mcfkg/id/test-doc/p2/s3",
    ),
    "passage-without-facts.ttl": (ID["test-doc/p1/s3"], None, "No fact graph is derived from this passage"),
    "guessed-date.ttl": (ID["test-doc"], None, "A publication date (2018-06-01) is recorded without how it was established"),
    "date-from-url-without-url.ttl": (ID["test-doc"], None, "A date derived from the URL path must come with the URL"),
    "date-not-in-url.ttl": (
        ID["test-doc"],
        None,
        "A date said to be derived from the URL path is not in it: the digits of http://example.org/news/20180428/1.html",
    ),
    "stated-date-contradicts-method.ttl": (
        ID["test-doc"],
        None,
        "How the date was established (https://w3id.org/mcfkg/def/dateStatedInText) disagrees with mcf:dateStated false",
    ),
    "two-date-methods.ttl": (ID["test-doc"], MCF.dateEstablishedBy, "How the publication date was established is one mcf:DateMethod"),
    "approval-date-as-text.ttl": (ID["test-plan"], DCTERMS.dateAccepted, "An approval date (dcterms:dateAccepted) is an xsd:date, or an xsd:gMonthDay (--MM-DD)"),
    "lower-bound-without-bound.ttl": (ID["test-sectors"], MCF.bound, "A lower bound (schema:minValue) needs exactly one mcf:bound"),
    "grant-with-two-amounts.ttl": (ID["test-grant"], MCF.amount, "A grant needs exactly one mcf:amount."),
    "exact-and-lower-bound.ttl": (ID["test-cooperation"], None, "A stated number needs exactly one of schema:value"),
    "quantity-not-a-number.ttl": (ID["test-fact"], MCF.quantity, "A quantity must be a schema:MonetaryAmount"),
    "count-value-as-decimal.ttl": (ID["test-sectors"], SDO.value, "A count's number (schema:value, schema:minValue, schema:maxValue or mcf:approximateValue) must be a non-negative xsd:integer, not 20.5"),
    "exact-and-approximate.ttl": (ID["test-jobs"], None, "A stated number needs exactly one of schema:value"),
    "approximation-without-qualifier.ttl": (ID["test-jobs"], MCF.qualifier, "An approximation (mcf:approximateValue) must keep"),
    "upper-bound-without-bound.ttl": (ID["test-land"], MCF.maxBound, "An upper bound (schema:maxValue) needs exactly one mcf:maxBound"),
    "upper-bound-kind-not-in-list.ttl": (ID["test-land"], MCF.maxBound, "An upper bound (schema:maxValue) needs exactly one mcf:maxBound"),
    "range-upside-down.ttl": (ID["test-projects"], None, "The range's lower bound (30) is above its upper bound (20)"),
    "bound-kind-without-its-bound.ttl": (ID["test-projects"], MCF.maxBound, "A bound's kind needs the bound it describes"),
    "percent-without-unit-code.ttl": (ID["test-share"], None, 'The unit text "percent" is a unit of measure: add schema:unitCode "P1"'),
    "unknown-unit-code.ttl": (ID["test-floor"], SDO.unitCode, "schema:unitCode must be one UN/CEFACT Common Code from the list"),
    "measure-as-integer.ttl": (ID["test-park-area"], SDO.value, "A measure's number (a percentage or an area, exact, bound or approximate) must be a non-negative xsd:decimal"),
    "outnumbers-outside-province.ttl": (
        ID["test-platforms"],
        None,
        "The count is said to outnumber other cities in https://w3id.org/mcfkg/id/test-province",
    ),
}
# Fixtures whose one corruption rightly breaks a second constraint too: those messages are also expected.
ALSO_REPORTED: dict[str, tuple[str, ...]] = {"missing-label.ttl": ("No English label",)}
# The uncorrupted graph every fixture starts from.
ACCEPTED = ["base.ttl", "date-from-url-path.ttl", "measures-bounds-and-approximations.ttl"]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


def results(data: Graph, shapes: Graph) -> tuple[bool, set[tuple[Node, Node | None, str]]]:
    """Validate as the build does (with the reasoner's consequences); return conformance and the (focus, path, message) of each result."""
    ds = Dataset()
    named = ds.graph(URIRef("urn:x-mcfkg-test:data"))
    for triple in data:
        named.add(triple)
    # The fixture is one source's fact graph, so the caps that hold per source apply to it too.
    ds.graph(URIRef("urn:x-mcfkg-test:provenance")).add((named.identifier, PROV.wasDerivedFrom, URIRef("urn:x-mcfkg-test:passage")))
    ds.graph(URIRef("urn:x-mcfkg-test:provenance")).add((URIRef("urn:x-mcfkg-test:passage"), DCTERMS.isPartOf,
                                                         URIRef("urn:x-mcfkg-test:source")))
    reasoned = validation_graph(ds, Vocab())
    conforms, report, _ = pyshacl.validate(reasoned, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    found = {
        (report.value(r, SH.focusNode), report.value(r, SH.resultPath), str(report.value(r, SH.resultMessage)))
        for r in report.subjects(SH.resultSeverity, None)
    }
    per_source = excesses(ds, shapes, reasoned, Vocab())
    found |= {(e.focus, e.path, e.message) for e in per_source}
    return conforms and not per_source, found


def fixture_graph(name: str, ontology: Graph) -> Graph:
    data = Graph().parse(FIXTURES / "base.ttl")
    data += ontology
    return data.parse(FIXTURES / name) if name != "base.ttl" else data


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in FIXTURES.glob("*.ttl")) == sorted([*CAUGHT, *ACCEPTED])


@pytest.mark.parametrize("name", sorted(CAUGHT))
def test_corruption_is_caught(name: str, shapes: Graph, ontology: Graph) -> None:
    focus, path, message = CAUGHT[name]
    conforms, found = results(fixture_graph(name, ontology), shapes)
    assert not conforms
    assert any(f == focus and p == path and m.startswith(message) for f, p, m in found), found
    assert {f for f, _, _ in found} == {focus}, "the fixture corrupts one thing; nothing else may be reported"
    expected = (message, *ALSO_REPORTED.get(name, ()))
    assert all(m.startswith(expected) for _, _, m in found), f"one mistake, one message: {found}"


@pytest.mark.parametrize("name", ACCEPTED)
def test_valid_fixture_conforms(name: str, shapes: Graph, ontology: Graph) -> None:
    conforms, found = results(fixture_graph(name, ontology), shapes)
    assert conforms, found


def test_every_constraint_has_a_message(shapes: Graph) -> None:
    constrained = set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.sparql))
    constrained |= {s for s in shapes.subjects(SH.xone, None)}
    missing = [node for node in constrained if shapes.value(node, SH.message) is None]
    assert constrained and not missing


def test_external_same_as_link_keeps_single_values_single(shapes: Graph, ontology: Graph) -> None:
    """sh:maxCount 1 holds after reasoning although a value has an owl:sameAs link to Wikidata.

    OWL-RL would copy ``dcterms:publisher`` onto the Wikidata IRI (two publishers); the reasoner
    leaves links to external IRIs out, so plain sh:maxCount needs no sameAs-aware counting.
    """
    ds = Dataset()
    data = ds.graph(GRAPH["test"])
    data += fixture_graph("base.ttl", ontology)
    ds.graph(GRAPH["links"]).add((ID["test-publisher"], OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q1")))
    infer(ds, Vocab())
    conforms, found = results(union_graph(ds), shapes)
    assert conforms, found


@pytest.fixture(scope="module")
def reasoned_union() -> Graph:
    return union_graph(load_and_reason(Settings()))


def test_shipped_data_conforms(reasoned_union: Graph, shapes: Graph) -> None:
    conforms, found = results(reasoned_union, shapes)
    assert conforms, sorted(found, key=str)[:20]


def test_every_class_used_in_the_data_has_a_shape(reasoned_union: Graph, shapes: Graph) -> None:
    targets = set(shapes.objects(None, SH.targetClass))
    used = {
        cls
        for cls in reasoned_union.objects(None, RDF.type)
        if isinstance(cls, URIRef) and str(cls).startswith(str(MCF))
    }
    unshaped = [
        cls for cls in used if not targets & set(reasoned_union.transitive_objects(cls, RDFS.subClassOf))
    ]
    assert used and not unshaped, unshaped
