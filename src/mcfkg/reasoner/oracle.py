"""owlrl, the reference: the fallback when the engine refuses its input, and the oracle of the tests."""

from __future__ import annotations

from collections.abc import Iterable

from owlrl import DeductiveClosure, OWLRL_Semantics
from rdflib import Graph

from mcfkg.reasoner.terms import RdfTriple


def owlrl_closure(premises: Iterable[RdfTriple]) -> Graph:
    """The OWL-RL closure of ``premises`` as owlrl computes it, without axiomatic triples."""
    closure = Graph()
    for triple in premises:
        closure.add(triple)
    DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    return closure
