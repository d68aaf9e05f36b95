"""mcfkg.shacl against pySHACL (the oracle) on the project's shapes, and its refusal of what it lacks.

Reports are compared as sets of (focus node, result path, value, source constraint component,
severity, messages): on the shipped graph (valid), on a copy broken in several ways at once, and on
every fixture of ``tests/data/shapes/``. The W3C test suite is in ``test_shacl_w3c.py``.
"""

from __future__ import annotations

import logging

import pyoxigraph as ox
import pytest
from rdflib import RDFS, SH, XSD, Dataset, Graph, Literal, URIRef

from mcfkg import shacl
from mcfkg.build import load_and_reason, load_shapes
from mcfkg.config import Settings
from mcfkg.reason import validation_graph
from mcfkg.shacl.antijoin import anti_joins
from mcfkg.shacl.compare import result_set
from mcfkg.validate import pyshacl_report, validate
from mcfkg.vocab import Vocab
from test_shapes import FIXTURES, ONTOLOGY, fixture_graph

V = Vocab()
SDO = "https://schema.org/"


def assert_same_report(data: Graph, shapes: Graph) -> set:
    found = shacl.results(data, shapes)
    mine = result_set(shacl.report_graph(found, not found, shapes, data), shapes)
    assert mine == result_set(pyshacl_report(data, shapes), shapes)
    return mine


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(Settings())


@pytest.fixture(scope="module")
def shipped() -> Graph:
    return validation_graph(load_and_reason(Settings()), V)


def test_shipped_graph_same_report(shipped: Graph, shapes: Graph) -> None:
    assert assert_same_report(shipped, shapes) == set()


def test_broken_copy_same_report(shipped: Graph, shapes: Graph) -> None:
    broken = Graph() + shipped
    amounts = sorted(broken.subjects(URIRef(SDO + "currency"), None))
    broken.remove((amounts[0], URIRef(SDO + "currency"), None))  # minCount
    broken.set((amounts[1], URIRef(SDO + "value"), Literal("-5", datatype=XSD.decimal)))  # sh:or + sh:not
    broken.add((amounts[2], URIRef(SDO + "currency"), Literal("RMB")))  # sh:in + maxCount
    labelled = sorted(broken.subjects(V.MCF.paragraph, None))
    broken.remove((labelled[0], RDFS.label, None))  # minCount + qualifiedMinCount
    broken.add((labelled[1], RDFS.label, Literal("second", lang="en")))  # uniqueLang
    broken.add((labelled[2], RDFS.label, Literal("plain")))  # datatype
    plan = next(broken.subjects(V.MCF.approvedBy, None))
    broken.add((plan, V.MCF.approvedBy, amounts[3]))  # sh:class
    found = assert_same_report(broken, shapes)
    assert {c for _, _, _, c, _, _ in found} >= {SH.MinCountConstraintComponent, SH.InConstraintComponent,
                                                 SH.UniqueLangConstraintComponent, SH.ClassConstraintComponent}


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.ttl")))
def test_fixture_same_report(name: str, shapes: Graph) -> None:
    ds = Dataset()
    named = ds.graph(URIRef("urn:x-mcfkg-test:data"))
    for triple in fixture_graph(name, Graph().parse(ONTOLOGY)):
        named.add(triple)
    assert_same_report(validation_graph(ds, V), shapes)


UNIMPLEMENTED = """
    PREFIX sh: <http://www.w3.org/ns/shacl#>
    PREFIX mcf: <https://w3id.org/mcfkg/def/>
    INSERT DATA { mcf:TargetedShape a sh:NodeShape ;
        sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this mcf:paragraph 1 }" ] ;
        sh:property [ sh:path mcf:paragraph ; sh:minInclusive 2 ; sh:message "Paragraph 1 is refused."@en ] . }
"""


def test_an_unimplemented_feature_is_refused_never_skipped(shipped: Graph, shapes: Graph) -> None:
    extended = Graph() + shapes
    extended.update(UNIMPLEMENTED)
    with pytest.raises(shacl.Unsupported, match="SPARQLTarget"):
        shacl.results(shipped, extended)


def test_validate_falls_back_to_pyshacl_and_says_so(shipped: Graph, shapes: Graph,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    extended = Graph() + shapes
    extended.update(UNIMPLEMENTED)
    with caplog.at_level(logging.WARNING, logger="mcfkg.validate"):
        report = validate(shipped, extended)
    assert "validating with pySHACL" in caplog.text
    assert not report.conforms
    assert {r.message for r in report.results} == {"Paragraph 1 is refused."}


def test_an_unknown_shacl_parameter_is_refused(shipped: Graph, shapes: Graph) -> None:
    extended = Graph() + shapes
    extended.add((URIRef("urn:x:shape"), SH.targetNode, V.ID.mianyang))
    extended.add((URIRef("urn:x:shape"), URIRef(f"{SH}minValue"), Literal(1)))  # a slip for sh:minInclusive
    with pytest.raises(shacl.Unsupported, match="minValue"):
        shacl.results(shipped, extended)


KEPT_AS_WRITTEN = [
    "SELECT ?this WHERE { ?this a <urn:C> FILTER NOT EXISTS { ?this <urn:p> ?o2 FILTER (?o2 != 1) } }",  # not triples only
    "SELECT ?this ?g WHERE { ?this a <urn:C> FILTER NOT EXISTS { ?g <urn:p> ?this } }",  # ?g is used outside
    "SELECT ?this WHERE { { ?this a <urn:C> FILTER NOT EXISTS { ?g <urn:p> ?this } } }",  # not in the outer group
]


@pytest.mark.parametrize("query", KEPT_AS_WRITTEN)
def test_not_exists_is_rewritten_only_where_equivalent(query: str) -> None:
    assert anti_joins(query) == query


def test_not_exists_over_triples_becomes_a_left_join_with_the_same_solutions() -> None:
    store = ox.Store()
    for s, p, o in [("a", "type", "C"), ("b", "type", "C"), ("g", "p", "a")]:
        store.add(ox.Quad(ox.NamedNode(f"urn:{s}"), ox.NamedNode(f"urn:{p}"), ox.NamedNode(f"urn:{o}")))
    query = "SELECT ?this WHERE { ?this <urn:type> <urn:C> FILTER NOT EXISTS { ?g <urn:p> ?this } }"
    rewritten = anti_joins(query)
    assert "NOT EXISTS" not in rewritten and "FILTER (!BOUND(?g))" in rewritten
    solutions = [{str(s["this"]) for s in store.query(q)} for q in (query, rewritten)]  # type: ignore[union-attr]
    assert solutions[0] == solutions[1] == {"<urn:b>"}
