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
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from pathlib import Path

from rdflib import RDF, SH, Graph, Literal, URIRef
from rdflib.collection import Collection
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
        if found is None:  # rdflib's SPARQL parser takes a fifth of a second to import: only when needed
            from mcfkg.incremental.query_reach import query_reach

            found = query_reach(text, declared)
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


def shacl_steps(shapes: Graph, path: Node) -> list[AccessPath]:
    """The step sequences of a SHACL property path (several for sh:alternativePath)."""
    if isinstance(path, URIRef):
        return [((path, True),)]
    inverted = shapes.value(path, SH.inversePath)
    if inverted is not None:
        return inverse(shacl_steps(shapes, inverted))
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return [steps for p in Collection(shapes, alternatives) for steps in shacl_steps(shapes, p)]
    inner = shapes.value(path, SH.zeroOrOnePath)
    if inner is not None:
        return [(), *shacl_steps(shapes, inner)]
    for unbounded in (SH.zeroOrMorePath, SH.oneOrMorePath):
        if shapes.value(path, unbounded) is not None:
            raise NotIncremental(f"the path {path.n3()} uses {unbounded.n3()}, whose reads have no bound")
    return sequence([shacl_steps(shapes, p) for p in Collection(shapes, path)])


def inverse(sequences: list[AccessPath]) -> list[AccessPath]:
    """The same reads walked from the other end."""
    return [tuple((p, not forward) for p, forward in reversed(steps)) for steps in sequences]


def sequence(parts: list[list[AccessPath]]) -> list[AccessPath]:
    """Every way of reading the parts one after the other."""
    return [tuple(step for steps in combination for step in steps) for combination in product(*parts)]


def _predicate(node: Node) -> URIRef:
    if not isinstance(node, URIRef):
        raise NotIncremental(f"{node.n3()} is used as a property but is not an IRI")
    return node
