"""OWL the fast reasoner does not implement never shrinks the closure: it refuses, and owlrl reasons instead."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, XSD, Graph, Namespace

from mcfkg.reason import ReasonerFallback, consequences, owlrl_consequences
from mcfkg.reasoner import Reasoner, Unsupported
from mcfkg.vocab import Vocab

V = Vocab()
EX = Namespace(V.base + "id/")
T = Namespace(V.base + "def/")
PREFIXES = f"""@prefix rdfs: <{RDFS}> . @prefix owl: <{OWL}> . @prefix xsd: <{XSD}> .
@prefix t: <{T}> . @prefix : <{EX}> .
"""


def _triples(turtle: str) -> set:
    return set(Graph().parse(data=PREFIXES + turtle, format="turtle"))


@pytest.mark.parametrize(
    ("turtle", "named"),
    [
        ("t:partner a owl:SymmetricProperty . :a t:partner :b .", "owl:SymmetricProperty"),
        ("t:Funded owl:onProperty t:grantedBy ; owl:someValuesFrom t:Fund . :g t:grantedBy :f .", "owl:(onProperty|someValuesFrom)"),
        (":a owl:differentFrom :b .", "owl:differentFrom"),
        ("t:Plan owl:disjointWith t:Fund . :x a t:Plan , t:Fund .", "owl:disjointWith"),
        ("t:Kind rdfs:subClassOf owl:SymmetricProperty . t:partner a t:Kind .", "owl:SymmetricProperty"),
        ("owl:sameAs rdfs:subPropertyOf t:alias .", "built-in term owl:sameAs"),
    ],
)
def test_a_construct_outside_the_rules_is_refused_by_name(turtle: str, named: str) -> None:
    with pytest.raises(Unsupported, match=named):
        Reasoner().add(_triples(turtle))


def test_a_construct_reached_only_by_inference_is_refused_too() -> None:
    """The chain of t:received is copied onto t:alias by owl:sameAs: a chain the engine never compiled."""
    stated = _triples("t:received owl:propertyChainAxiom ( t:a t:b ) . t:received owl:sameAs t:alias .")
    with pytest.raises(Unsupported, match="property chain reached by inference"):
        Reasoner().add(stated)


def test_an_ill_typed_literal_is_refused_because_owlrl_reports_it() -> None:
    with pytest.raises(Unsupported, match="ill-typed literal"):
        Reasoner().add(_triples(':plan t:total "a lot"^^xsd:integer .'))


def test_refused_input_falls_back_to_owlrl_with_a_warning_and_the_same_closure() -> None:
    stated = _triples("""
        t:partner a owl:SymmetricProperty ; rdfs:domain t:Org . t:Org rdfs:subClassOf t:Agent . :a t:partner :b .
    """)
    with pytest.warns(ReasonerFallback, match="owl:SymmetricProperty.*owlrl instead"):
        found = consequences(stated, V)
    oracle = owlrl_consequences(stated, V)
    assert sorted(found.validation) == sorted(oracle.validation)
    assert sorted(found.published) == sorted(oracle.published)
    assert (EX.b, T.partner, EX.a) in found.validation  # what the engine would have missed
    assert (EX.b, RDF.type, T.Agent) in found.published
