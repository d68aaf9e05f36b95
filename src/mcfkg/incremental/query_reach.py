"""The access paths of a SPARQL constraint's query: what its triple patterns read, joined to ``$this``.

Part of :mod:`mcfkg.incremental.reach`, apart because it needs rdflib's SPARQL parser, which takes a
fifth of a second to import: an ingest whose shapes' reach is cached never loads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from rdflib import BNode, URIRef, Variable
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import translateGroupGraphPattern
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from mcfkg.incremental.errors import NotIncremental
from mcfkg.incremental.reach import AccessPath, inverse, sequence


@lru_cache(maxsize=256)
def query_reach(text: str, prefixes: tuple[tuple[str, str], ...]) -> frozenset[AccessPath]:
    """The access paths of one SELECT from ``$this`` (kept in memory too: tests validate many times)."""
    patterns = _Patterns()
    patterns.bind(prepareQuery(text, initNs=dict(prefixes)).algebra, {Variable("this"): {()}})
    patterns.check()
    return frozenset(patterns.paths)


class _Patterns:
    """The access paths of a SPARQL query's triple patterns, joined to ``$this`` through variables.

    A variable counts as reached only where every solution binds it (not through OPTIONAL or one
    branch of a UNION): a pattern joined to the focus node only through a variable that may be
    unbound reads the whole graph.
    """

    def __init__(self) -> None:
        self.paths: set[AccessPath] = set()
        self.pending: set[tuple[Node, Node, Node]] = set()
        self.done: set[tuple[Node, Node, Node]] = set()

    def check(self) -> None:
        left = self.pending - self.done
        if left:
            s, p, o = sorted(left, key=str)[0]
            raise NotIncremental(f"it reads ({s.n3()} {p.n3()} {o.n3()}) without joining it to $this, "
                                 "so its reads have no bound")

    def bind(self, node: object, known: dict[Node, set[AccessPath]]) -> dict[Node, set[AccessPath]]:
        """The variables every solution of ``node`` binds, each with how it is reached from the focus node."""
        if not isinstance(node, CompValue):
            raise NotIncremental(f"unexpected query part {node!r}")
        name = node.name
        if name == "BGP":
            return self._triples(node.triples, known)
        if name == "Join":
            while True:
                grown = self.bind(node.p2, self.bind(node.p1, known))
                if grown.keys() == known.keys():
                    return grown
                known = grown
        if name == "LeftJoin":
            known = self.bind(node.p1, known)
            self._expression(node.expr, self.bind(node.p2, known))
            return known
        if name == "Union":
            self.bind(node.p1, known)
            self.bind(node.p2, known)
            return known
        if name in ("Filter", "Extend"):
            found = self.bind(node.p, known)
            self._expression(node.expr, found)
            return found
        if name == "Project":
            found = self.bind(node.p, known)
            return {**known, **{v: found[v] for v in node.PV if v in found}}
        if name in ("SelectQuery", "ToMultiSet", "Distinct", "Reduced", "Slice", "OrderBy", "Group", "AggregateJoin"):
            return self.bind(node.p, known)
        raise NotIncremental(f"it uses {name}, whose reads mcfkg.incremental cannot bound")

    def _expression(self, expr: object, known: dict[Node, set[AccessPath]]) -> None:
        """The graph patterns of (NOT) EXISTS inside a filter or bind expression, joined to ``known``."""
        if isinstance(expr, CompValue):
            if expr.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                graph = expr.graph  # translated when the filter is, or else still as parsed
                self.bind(graph if getattr(graph, "translated", False) else translateGroupGraphPattern(graph), known)
                return
            for value in expr.values():
                self._expression(value, known)
        elif isinstance(expr, list):
            for value in expr:
                self._expression(value, known)

    def _triples(self, triples: Iterable[tuple[Node, Node, Node]], known: dict[Node, set[AccessPath]],
                 ) -> dict[Node, set[AccessPath]]:
        """Breadth first: each pattern is read from its end nearest to ``$this``, once that end is reached."""
        known, todo = dict(known), set(triples)
        while True:
            ends = [end for triple in todo for end in _ends(triple, known)]
            if not ends:
                break
            triple, reached, other = min(ends, key=lambda e: (min(map(len, e[1])), str(e[0])))
            self.paths.update(reached)
            self.done.add(triple)
            todo.discard(triple)
            if _is_variable(other) and other not in known:
                known[other] = reached
        self.pending.update(todo)
        return known


def _ends(triple: tuple[Node, Node, Node], known: dict[Node, set[AccessPath]],
          ) -> Iterator[tuple[tuple[Node, Node, Node], set[AccessPath], Node]]:
    """How a pattern is read from each of its ends already reached: the paths to its far end, and that end."""
    s, p, o = triple
    for end, steps, other in ((s, sparql_steps(p), o), (o, inverse(sparql_steps(p)), s)):
        if end in known:
            yield triple, {path + more for path in known[end] for more in steps}, other


def sparql_steps(predicate: object) -> list[AccessPath]:
    """The step sequences of a SPARQL triple pattern's predicate: an IRI, a variable (any) or a property path."""
    if isinstance(predicate, URIRef):
        return [((predicate, True),)]
    if isinstance(predicate, (Variable, BNode)):
        return [((None, True),)]
    if isinstance(predicate, InvPath):
        return inverse(sparql_steps(predicate.arg))
    if isinstance(predicate, SequencePath):
        return sequence([sparql_steps(p) for p in predicate.args])
    if isinstance(predicate, AlternativePath):
        return [steps for p in predicate.args for steps in sparql_steps(p)]
    if isinstance(predicate, MulPath) and predicate.mod == "?":
        return [(), *sparql_steps(predicate.path)]
    if isinstance(predicate, NegatedPath):
        return [((None, True),), ((None, False),)]
    raise NotIncremental(f"the property path {predicate} has no bound on how far it reads")


def _is_variable(node: Node) -> bool:
    """Blank nodes in a query are variables too."""
    return isinstance(node, (Variable, BNode))
