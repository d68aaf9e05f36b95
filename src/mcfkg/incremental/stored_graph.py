"""A graph of the state store, read and changed through the part of rdflib's ``Graph`` API the VoID update uses.

The VoID of a large build holds hundreds of thousands of triples (a subset per named graph):
reading it into rdflib and writing it back, or even parsing the file into pyoxigraph, took longer
than the rest of an ingest. Kept as a graph of the state store, it is read by lookups and changed
in place by :func:`mcfkg.incremental.void.updated_void`, which touches a few hundred triples; the
graph remembers what changed, so the file is rewritten by lines (:mod:`mcfkg.incremental.dump`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableSet as Set

import pyoxigraph as ox
from rdflib.term import Node

from mcfkg.incremental.terms import Triple, to_ox, to_quad, to_rdflib

Pattern = tuple[Node | None, Node | None, Node | None]


class StoredGraph:
    """The triples of graph ``name`` of ``store``, as rdflib terms, and the triples added and removed since."""

    def __init__(self, store: ox.Store, name: ox.NamedNode) -> None:
        self.store, self.name = store, name
        self.added: set[ox.Triple] = set()
        self.removed: set[ox.Triple] = set()

    def triples(self, pattern: Pattern) -> Iterator[Triple]:
        s, p, o = (None if term is None else to_ox(term) for term in pattern)
        for quad in list(self.store.quads_for_pattern(s, p, o, self.name)):  # type: ignore[arg-type]
            yield to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)

    def __contains__(self, triple: Pattern) -> bool:
        return next(self.triples(triple), None) is not None

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return next((o for _, _, o in self.triples((subject, predicate, None))), None)

    def subjects(self, predicate: Node | None = None, obj: Node | None = None) -> Iterator[Node]:
        return (s for s, _, _ in self.triples((None, predicate, obj)))

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        return (o for _, _, o in self.triples((subject, predicate, None)))

    def add(self, triple: Triple) -> StoredGraph:
        quad = self._quad(triple)
        if quad not in self.store:
            self.store.add(quad)
            self._moved(quad.triple, self.added, self.removed)
        return self

    def remove(self, pattern: Pattern) -> StoredGraph:
        for triple in list(self.triples(pattern)):
            quad = self._quad(triple)
            self.store.remove(quad)
            self._moved(quad.triple, self.removed, self.added)
        return self

    def set(self, triple: Triple) -> StoredGraph:
        """Replace every value of the triple's subject and predicate by its object."""
        subject, predicate, _ = triple
        self.remove((subject, predicate, None))
        return self.add(triple)

    def __iadd__(self, triples: Iterable[Triple]) -> StoredGraph:
        for triple in triples:
            self.add(triple)
        return self

    def __isub__(self, triples: Iterable[Triple]) -> StoredGraph:
        for triple in triples:
            self.remove(triple)
        return self

    @staticmethod
    def _moved(triple: ox.Triple, into: Set[ox.Triple], undoing: Set[ox.Triple]) -> None:
        """Note a triple added (or removed): it undoes an earlier removal (addition), else it is a change."""
        if triple in undoing:
            undoing.discard(triple)
        else:
            into.add(triple)

    def _quad(self, triple: Triple) -> ox.Quad:
        return to_quad(triple, self.name)
