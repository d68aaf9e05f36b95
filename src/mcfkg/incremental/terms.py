"""Terms between rdflib (what the reasoner, SHACL and the sources speak) and pyoxigraph (the state store)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from mcfkg.graph import canonical

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
Triple = tuple[Node, Node, Node]

_XSD_STRING = str(XSD.string)
_REMEMBERED = 1 << 18  # terms kept converted: an ingest meets the same classes, predicates and hubs again and again


@lru_cache(maxsize=_REMEMBERED)
def to_rdflib(term: OxTerm | ox.DefaultGraph | ox.Triple) -> Node:
    """``term`` as the build writes it: a plain string literal carries no datatype, and a decimal is in
    canonical form. (The store keeps numbers by value: ``"2493000000.0"^^xsd:decimal`` comes back as
    ``"2493000000"``, which :func:`mcfkg.graph.canonical` turns back into what the build wrote.)"""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return canonical(Literal(term.value, datatype=URIRef(term.datatype.value)))
    raise TypeError(f"no rdflib term for {term!r} (RDF-star triples are not part of the build)")


@lru_cache(maxsize=_REMEMBERED)
def to_ox(term: Node) -> OxTerm:
    """``term`` as pyoxigraph stores it."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"no pyoxigraph term for {term!r}")


def to_quad(triple: Triple, graph: Node | ox.NamedNode | ox.DefaultGraph) -> ox.Quad:
    """``triple`` (rdflib terms) in ``graph`` as a pyoxigraph quad."""
    s, p, o = triple
    name = graph if isinstance(graph, (ox.NamedNode, ox.DefaultGraph)) else to_ox(graph)
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), name)  # type: ignore[arg-type]


def quad_to_rdflib(quad: ox.Quad) -> tuple[Node, Node, Node, Node]:
    """A pyoxigraph quad as rdflib terms: subject, predicate, object, graph name."""
    return (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object), to_rdflib(quad.graph_name))


def triples_to_rdflib(quads: Iterable[ox.Quad]) -> Iterator[Triple]:
    """The triples of ``quads`` as rdflib terms (their graphs dropped)."""
    for quad in quads:
        yield to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)
