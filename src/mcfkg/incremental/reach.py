"""How far SHACL reads from a focus node: the access paths of the shapes, derived from the shapes graph.

Validating a change again means validating the focus nodes whose results it can alter, each on
the triples its evaluation can read. Which those are depends on the shapes: a property shape
reads the triples of its path, ``sh:class`` reads the ``rdf:type`` of each value node one step
further, a SPARQL constraint reads what its patterns join to ``$this`` (``?r mcf:supplier $this ;
mcf:suppliedProduct ?value``: backwards, then forwards). Each such read is an *access path*, a
sequence of steps from the focus node; :func:`shape_reach` derives all of them from the shapes
themselves, so a new or deeper shape is followed without anyone updating a constant.

A shape whose reads have no bound (``sh:zeroOrMorePath``, a recursive shape, a SPARQL pattern not
joined to ``$this``, ``GRAPH``, ``SERVICE``, ``MINUS``, ``VALUES``) raises
:class:`~mcfkg.incremental.state.NotIncremental`: such data can only be validated in full.
The class hierarchy (``rdfs:subClassOf``, which ``sh:class`` and ``sh:targetClass`` read) is read
whole and is not part of any access path.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from pathlib import Path

from rdflib import RDF, SH, BNode, Graph, Literal, URIRef, Variable
from rdflib.collection import Collection
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import translateGroupGraphPattern
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from mcfkg.incremental.errors import NotIncremental
from mcfkg.shacl.core import CHECKS
from mcfkg.shacl.model import Shape, ShapesGraph, SparqlConstraint
from mcfkg.shacl.paths import sparql as path_text

CACHE_FILE = "shape-reach.json"  # the cache of :func:`shape_reach`, in the state's directory (a full build renews it)
Step = tuple[URIRef | None, bool]  # a predicate (None: any) and whether it is followed subject to object
AccessPath = tuple[Step, ...]

# Components that read nothing but the value nodes (or the shapes graph): their path is their reach.
_VALUES_ONLY = frozenset(SH[n] for n in (
    "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive", "maxExclusive", "maxInclusive",
    "minLength", "maxLength", "pattern", "languageIn", "uniqueLang", "hasValue", "in"))
_PAIRS = frozenset((SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals))  # the focus node's values of the param
_NESTED = frozenset((SH.node, SH["not"], SH.qualifiedValueShape))  # a shape evaluated on each value node
_LISTS = frozenset((SH["and"], SH["or"], SH.xone))  # a list of such shapes


@dataclass(frozen=True)
class Reach:
    """Every access path of the shapes; with each path, every shorter one it starts with (the triples on the way)."""

    paths: frozenset[AccessPath]

    @property
    def depth(self) -> int:
        """The most steps any read takes from its focus node."""
        return max(map(len, self.paths), default=0)

    def trie(self) -> dict[Step, dict]:
        """The paths as a tree of steps, each followed once from a node whatever the paths below it."""
        root: dict[Step, dict] = {}
        for path in self.paths:
            node = root
            for step in path:
                node = node.setdefault(step, {})
        return root

    def endings(self) -> dict[Step, set[AccessPath]]:
        """For each last step, the paths that lead to it: where to walk back from a triple that step reads."""
        found: dict[Step, set[AccessPath]] = {}
        for path in self.paths:
            found.setdefault(path[-1], set()).add(path[:-1])
        return found


def shape_reach(shapes: Graph, cache: Path | None = None) -> Reach:
    """The reach of every shape with targets in ``shapes``: raises NotIncremental when some read has no bound.

    Parsing the SPARQL constraints takes most of the time (rdflib's parser), and the queries seldom
    change: with ``cache`` (a file), the paths of each query are kept there, by the query's digest.
    """
    queries = _QueryReaches(cache)
    walker = _Walker(ShapesGraph(shapes), queries)
    for shape in walker.shapes.top_level():
        walker.targets(shape)
        walker.shape(shape, (), frozenset())
    queries.save()
    return Reach(frozenset(walker.paths))


class _QueryReaches:
    """The access paths of SPARQL queries by their digest, read from and written to a JSON file.

    The file holds the queries of the last run only, so it does not grow as the shapes change; a
    file that does not read as such is ignored (and written again).
    """

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self.known: dict[str, frozenset[AccessPath]] = {}
        self.used: dict[str, frozenset[AccessPath]] = {}
        if file is not None and file.is_file():
            try:
                self.known = {key: frozenset(tuple((None if p is None else URIRef(p), bool(forward))
                                                   for p, forward in path) for path in paths)
                              for key, paths in json.loads(file.read_text()).items()}
            except (ValueError, TypeError, AttributeError):
                self.known = {}

    def paths(self, text: str, prefixes: dict[str, str]) -> frozenset[AccessPath]:
        """The access paths of the SELECT ``text`` from ``$this``."""
        declared = tuple(sorted(prefixes.items()))
        key = hashlib.sha256(json.dumps([text, declared]).encode()).hexdigest()
        found = self.known.get(key)
        if found is None:
            found = _query_reach(text, declared)
        self.used[key] = found
        return found

    def save(self) -> None:
        """Write the paths used in this run, unless the file holds exactly those."""
        if self.file is None or self.used == self.known:
            return
        data = {key: sorted(([[None if p is None else str(p), forward] for p, forward in path] for path in paths),
                            key=json.dumps) for key, paths in self.used.items()}
        partial = self.file.with_name(f".{self.file.name}.part")
        partial.write_text(json.dumps(data, sort_keys=True))
        os.replace(partial, self.file)


class _Walker:
    """Collects the access paths of one shapes graph."""

    def __init__(self, shapes: ShapesGraph, queries: _QueryReaches) -> None:
        self.shapes = shapes
        self.queries = queries
        self.paths: set[AccessPath] = set()

    def read(self, path: AccessPath) -> None:
        """``path`` is read, and so is every path it starts with (the triples on the way)."""
        self.paths.update(path[:n] for n in range(1, len(path) + 1))

    def targets(self, shape: Shape) -> None:
        """What selects the focus nodes: their types, or the triples they are subjects or objects of."""
        if SH.targetClass in shape.params or shape.implicit_class:
            self.read(((RDF.type, True),))
        for p in shape.params.get(SH.targetSubjectsOf, []):
            self.read(((_predicate(p), True),))
        for p in shape.params.get(SH.targetObjectsOf, []):
            self.read(((_predicate(p), False),))

    def shape(self, shape: Shape, at: AccessPath, active: frozenset[Node]) -> None:
        """The reads of ``shape`` evaluated on the node at the end of ``at`` (``active``: the shapes being walked)."""
        if shape.node in active:
            raise NotIncremental(f"shape {shape.node.n3()} refers back to itself, so its reads have no bound")
        active = active | {shape.node}
        values = [at] if shape.path is None else [at + steps for steps in shacl_steps(self.shapes.graph, shape.path)]
        for value in values:
            self.read(value)
        for parameter, params in shape.params.items():
            if parameter not in CHECKS or parameter in _VALUES_ONLY:
                continue
            for param in params:
                for value in values:
                    self.component(shape, parameter, param, at, value, active)
        for prop in shape.properties:
            for value in values:
                self.shape(prop, value, active)
        for constraint in shape.sparql:
            self.sparql(shape, constraint, at)

    def component(self, shape: Shape, parameter: URIRef, param: Node, at: AccessPath, value: AccessPath,
                  active: frozenset[Node]) -> None:
        """The reads of one constraint component beyond the value nodes (``at`` reaches the focus node)."""
        if parameter == SH["class"]:
            self.read(value + ((RDF.type, True),))
        elif parameter == SH.closed:
            self.read(value + ((None, True),))
        elif parameter in _PAIRS:
            self.read(at + ((_predicate(param), True),))
        elif parameter in _NESTED:
            self.shape(self.shapes.shape(param), value, active)
            if parameter == SH.qualifiedValueShape:  # disjoint qualified shapes are tested on the same values
                for sibling in self._siblings(shape, param):
                    self.shape(sibling, value, active)
        elif parameter in _LISTS:
            for member in self.shapes.shape_list(param):
                self.shape(member, value, active)
        else:
            raise NotIncremental(f"how far {parameter.n3()} reads is unknown to mcfkg.incremental.reach: add it there")

    def _siblings(self, shape: Shape, qualified: Node) -> Iterator[Shape]:
        """The qualified shapes of the sibling property shapes, with sh:qualifiedValueShapesDisjoint (as core does)."""
        disjoint = shape.param("qualifiedValueShapesDisjoint")
        if not (isinstance(disjoint, Literal) and disjoint.toPython() is True):
            return
        g = self.shapes.graph
        for parent in g.subjects(SH.property, shape.node):
            for prop in g.objects(parent, SH.property):
                yield from (self.shapes.shape(q) for q in g.objects(prop, SH.qualifiedValueShape) if q != qualified)

    def sparql(self, shape: Shape, constraint: SparqlConstraint, at: AccessPath) -> None:
        """The reads of a SPARQL constraint: each triple pattern, from the end nearer to ``$this``."""
        text, shape_path = constraint.select, shape.path
        if shape_path is not None:
            text = re.sub(r"\$PATH\b", lambda _: path_text(self.shapes.graph, shape_path), text)
        try:
            found = self.queries.paths(text, dict(constraint.prefixes))
        except NotIncremental as reason:
            raise NotIncremental(f"SPARQL constraint {constraint.node.n3()}: {reason}") from reason
        for path in found:
            self.read(at + path)


@lru_cache(maxsize=256)
def _query_reach(text: str, prefixes: tuple[tuple[str, str], ...]) -> frozenset[AccessPath]:
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
    for end, steps, other in ((s, sparql_steps(p), o), (o, _inverse(sparql_steps(p)), s)):
        if end in known:
            yield triple, {path + more for path in known[end] for more in steps}, other


def shacl_steps(shapes: Graph, path: Node) -> list[AccessPath]:
    """The step sequences of a SHACL property path (several for sh:alternativePath)."""
    if isinstance(path, URIRef):
        return [((path, True),)]
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return _inverse(shacl_steps(shapes, inverse))
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return [steps for p in Collection(shapes, alternatives) for steps in shacl_steps(shapes, p)]
    inner = shapes.value(path, SH.zeroOrOnePath)
    if inner is not None:
        return [(), *shacl_steps(shapes, inner)]
    for unbounded in (SH.zeroOrMorePath, SH.oneOrMorePath):
        if shapes.value(path, unbounded) is not None:
            raise NotIncremental(f"the path {path.n3()} uses {unbounded.n3()}, whose reads have no bound")
    return _sequence([shacl_steps(shapes, p) for p in Collection(shapes, path)])


def sparql_steps(predicate: object) -> list[AccessPath]:
    """The step sequences of a SPARQL triple pattern's predicate: an IRI, a variable (any) or a property path."""
    if isinstance(predicate, URIRef):
        return [((predicate, True),)]
    if isinstance(predicate, (Variable, BNode)):
        return [((None, True),)]
    if isinstance(predicate, InvPath):
        return _inverse(sparql_steps(predicate.arg))
    if isinstance(predicate, SequencePath):
        return _sequence([sparql_steps(p) for p in predicate.args])
    if isinstance(predicate, AlternativePath):
        return [steps for p in predicate.args for steps in sparql_steps(p)]
    if isinstance(predicate, MulPath) and predicate.mod == "?":
        return [(), *sparql_steps(predicate.path)]
    if isinstance(predicate, NegatedPath):
        return [((None, True),), ((None, False),)]
    raise NotIncremental(f"the property path {predicate} has no bound on how far it reads")


def _inverse(sequences: list[AccessPath]) -> list[AccessPath]:
    return [tuple((p, not forward) for p, forward in reversed(steps)) for steps in sequences]


def _sequence(parts: list[list[AccessPath]]) -> list[AccessPath]:
    return [tuple(step for steps in combination for step in steps) for combination in product(*parts)]


def _predicate(node: Node) -> URIRef:
    if not isinstance(node, URIRef):
        raise NotIncremental(f"{node.n3()} is used as a property but is not an IRI")
    return node


def _is_variable(node: Node) -> bool:
    """Blank nodes in a query are variables too."""
    return isinstance(node, (Variable, BNode))
