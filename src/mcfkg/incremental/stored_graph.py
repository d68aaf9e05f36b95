"""A graph of a pyoxigraph store, read and changed through the part of rdflib's ``Graph`` API the VoID update uses.

The VoID of a large build holds hundreds of thousands of triples (a subset per named graph):
reading it into rdflib and writing it back took longer than the rest of an ingest. Kept in a
pyoxigraph store, it is changed in place by :func:`mcfkg.incremental.void.updated_void`, which
touches a few dozen triples, and written out by pyoxigraph. The store is best an in-memory copy of
the VoID file (:meth:`StoredGraph.read`): reading a graph back from the on-disk state store costs
a RocksDB lookup per term, about ten times longer than parsing the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib.term import Node

from mcfkg.incremental.terms import Triple, to_ox, to_rdflib

Pattern = tuple[Node | None, Node | None, Node | None]


class StoredGraph:
    """The triples of graph ``name`` of ``store``, as rdflib terms."""

    def __init__(self, store: ox.Store, name: ox.NamedNode | ox.DefaultGraph) -> None:
        self.store, self.name = store, name

    @classmethod
    def read(cls, turtle: Path) -> StoredGraph:
        """The graph in the Turtle file ``turtle``, held in memory (changes stay there until written out)."""
        store = ox.Store()
        store.bulk_load(path=str(turtle), format=ox.RdfFormat.TURTLE)
        return cls(store, ox.DefaultGraph())

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
        self.store.add(self._quad(triple))
        return self

    def remove(self, pattern: Pattern) -> StoredGraph:
        for triple in list(self.triples(pattern)):
            self.store.remove(self._quad(triple))
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

    def turtle(self, prefixes: dict[str, str]) -> bytes:
        """The graph as Turtle (pyoxigraph's: blank nodes labelled rather than nested), written without a
        Python object per triple."""
        dumped = self.store.dump(format=ox.RdfFormat.TURTLE, from_graph=self.name, prefixes=prefixes)
        assert dumped is not None  # dump() returns the bytes when given no output
        return dumped

    def _quad(self, triple: Triple) -> ox.Quad:
        s, p, o = triple
        return ox.Quad(to_ox(s), to_ox(p), to_ox(o), self.name)  # type: ignore[arg-type]
