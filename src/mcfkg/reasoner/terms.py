"""RDF terms as small integers: the engine's joins then hash ints, not IRIs.

The vocabulary the rules test for gets fixed ids (the constants below), so a rule reads
``p == SUB_CLASS_OF`` instead of looking a term up.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, BNode, Literal
from rdflib.term import Node

# The order fixes the ids of the constants below.
FIXED: tuple[Node, ...] = (
    RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf,
    OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs, OWL.propertyChainAxiom,
    RDF.first, RDF.rest, RDF.nil, OWL.TransitiveProperty, OWL.FunctionalProperty,
)  # fmt: skip
(
    TYPE, SUB_CLASS_OF, SUB_PROPERTY_OF, DOMAIN, RANGE, INVERSE_OF,
    EQUIVALENT_CLASS, EQUIVALENT_PROPERTY, SAME_AS, PROPERTY_CHAIN,
    FIRST, REST, NIL, TRANSITIVE, FUNCTIONAL,
) = range(len(FIXED))  # fmt: skip

Triple = tuple[int, int, int]
RdfTriple = tuple[Node, Node, Node]


class Terms:
    """A two-way map between rdflib terms and ids, which also knows which ids cannot be predicates."""

    def __init__(self) -> None:
        self._ids: dict[Node, int] = {}
        self._terms: list[Node] = []
        self.not_predicates: set[int] = set()  # literals: owlrl never stores a triple with one as predicate
        self.blank: set[int] = set()
        for term in FIXED:
            self.id(term)

    def id(self, term: Node) -> int:
        found = self._ids.get(term)
        if found is None:
            found = self._ids[term] = len(self._terms)
            self._terms.append(term)
            if isinstance(term, Literal):
                self.not_predicates.add(found)
            elif isinstance(term, BNode):
                self.blank.add(found)
        return found

    def term(self, ident: int) -> Node:
        return self._terms[ident]

    def encode(self, triple: RdfTriple) -> Triple:
        s, p, o = triple
        return self.id(s), self.id(p), self.id(o)

    def decode(self, triple: Triple) -> RdfTriple:
        s, p, o = triple
        return self._terms[s], self._terms[p], self._terms[o]
