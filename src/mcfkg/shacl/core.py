"""The SHACL Core constraint components, evaluated with indexed lookups on an rdflib graph.

Each component is a function from a shape, a focus node and its value nodes to the value nodes
that fail it (``None`` where SHACL reports no ``sh:value``), so the engine builds every result the
same way. The graph's own indexes answer each lookup, so a shape costs time in proportion to its
focus nodes, not to the graph (pySHACL spends its time in generic machinery around the same
lookups).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from rdflib import RDFS, SH, Graph, Literal, URIRef
from rdflib.term import Node

from mcfkg.shacl import terms
from mcfkg.shacl.model import Shape
from mcfkg.shacl.paths import values as path_values

if TYPE_CHECKING:
    from mcfkg.shacl.engine import Engine



class Fail(NamedTuple):
    """One result of a component: its value node (None where SHACL reports none) and, for the few
    components that need it, the result path (sh:closed) or component (sh:qualifiedMin/MaxCount)."""

    value: Node | None = None
    path: Node | None = None
    component: URIRef | None = None


Check = Callable[["Engine", Shape, Node, set[Node], Node], Iterator[Fail]]


def _each_value(test: Callable[[Engine, Node, Node, Shape], bool]) -> Check:
    """A component that tests each value node on its own (sh:class, sh:datatype, sh:pattern, ...)."""
    def check(engine: Engine, shape: Shape, focus: Node, nodes: set[Node], param: Node) -> Iterator[Fail]:
        yield from (Fail(v) for v in nodes if not test(engine, v, param, shape))
    return check


def _bound(accept: Callable[[int], bool]) -> Check:
    return _each_value(lambda e, v, p, s: (c := terms.compare(v, p)) is not None and accept(c))


def _length(accept: Callable[[int, int], bool]) -> Check:
    return _each_value(lambda e, v, p, s: (n := terms.text_length(v)) is not None and accept(n, _int(p)))


def _int(node: Node) -> int:
    """A count parameter (sh:minCount 1) as a number."""
    return int(str(node))


def _min_count(engine: Engine, shape: Shape, focus: Node, nodes: set[Node], param: Node) -> Iterator[Fail]:
    if len(nodes) < _int(param):
        yield Fail()


def _max_count(engine: Engine, shape: Shape, focus: Node, nodes: set[Node], param: Node) -> Iterator[Fail]:
    if len(nodes) > _int(param):
        yield Fail()


def _unique_lang(engine: Engine, shape: Shape, focus: Node, nodes: set[Node], param: Node) -> Iterator[Fail]:
    if isinstance(param, Literal) and param.toPython() is True:
        counts = Counter(v.language.lower() for v in nodes if isinstance(v, Literal) and v.language)
        yield from (Fail() for n in counts.values() if n > 1)


def _has_value(engine: Engine, shape: Shape, focus: Node, nodes: set[Node], param: Node) -> Iterator[Fail]:
    if param not in nodes:
        yield Fail()


def _in(engine: Engine, shape: Shape, focus: Node, nodes: set[Node], param: Node) -> Iterator[Fail]:
    allowed = set(engine.shapes.node_list(param))
    yield from (Fail(v) for v in nodes if v not in allowed)


def _pattern(engine: Engine, v: Node, param: Node, shape: Shape) -> bool:
    return terms.matches(v, str(param), str(shape.param("flags") or ""))


def _logic(count_ok: Callable[[int, int], bool]) -> Check:
    """sh:and, sh:or, sh:xone: how many of the listed shapes a value node must conform to."""
    def check(engine: Engine, shape: Shape, focus: Node, nodes: set[Node], param: Node) -> Iterator[Fail]:
        members = engine.shapes.shape_list(param)
        for v in nodes:
            if not count_ok(sum(engine.conforms(v, m) for m in members), len(members)):
                yield Fail(v)
    return check


def _qualified(engine: Engine, shape: Shape, focus: Node, nodes: set[Node], param: Node,
               ) -> Iterator[Fail]:
    """sh:qualifiedValueShape with its min and max counts (and disjointness from sibling shapes)."""
    siblings: list[Shape] = []
    disjoint = shape.param("qualifiedValueShapesDisjoint")
    if isinstance(disjoint, Literal) and disjoint.toPython() is True:
        siblings = [engine.shapes.shape(q) for parent in engine.shapes.graph.subjects(SH.property, shape.node)
                    for p in engine.shapes.graph.objects(parent, SH.property)
                    for q in engine.shapes.graph.objects(p, SH.qualifiedValueShape) if q != param]
    qualified = engine.shapes.shape(param)
    count = sum(1 for v in nodes if engine.conforms(v, qualified) and not any(engine.conforms(v, s) for s in siblings))
    least, most = shape.param("qualifiedMinCount"), shape.param("qualifiedMaxCount")
    if least is not None and count < _int(least):
        yield Fail(component=SH.QualifiedMinCountConstraintComponent)
    if most is not None and count > _int(most):
        yield Fail(component=SH.QualifiedMaxCountConstraintComponent)


def _pairs(fails: Callable[[set[Node], set[Node]], Iterator[Node]]) -> Check:
    """sh:equals, sh:disjoint, sh:lessThan(OrEquals): the value nodes against the focus node's ``param`` values."""
    def check(engine: Engine, shape: Shape, focus: Node, nodes: set[Node], param: Node) -> Iterator[Fail]:
        yield from (Fail(v) for v in fails(nodes, set(engine.data.objects(focus, param))))
    return check


def _less(strict: bool) -> Callable[[set[Node], set[Node]], Iterator[Node]]:
    def fails(nodes: set[Node], others: set[Node]) -> Iterator[Node]:
        for v in nodes:
            if any((c := terms.compare(v, w)) is None or c > 0 or (strict and c == 0) for w in others):
                yield v
    return fails


def _closed(engine: Engine, shape: Shape, focus: Node, nodes: set[Node], param: Node) -> Iterator[Fail]:
    if not (isinstance(param, Literal) and param.toPython() is True):
        return
    allowed: set[Node] = {p.path for p in shape.properties if isinstance(p.path, URIRef)}
    for head in shape.params.get(SH.ignoredProperties, []):
        allowed |= set(engine.shapes.node_list(head))
    for v in nodes:
        yield from (Fail(o, path=p) for p, o in engine.data.predicate_objects(v) if p not in allowed)


CHECKS: dict[URIRef, tuple[URIRef, Check]] = {
    SH["class"]: (SH.ClassConstraintComponent, _each_value(lambda e, v, p, s: e.is_instance(v, p))),
    SH.datatype: (SH.DatatypeConstraintComponent, _each_value(lambda e, v, p, s: terms.has_datatype(v, p))),
    SH.nodeKind: (SH.NodeKindConstraintComponent, _each_value(lambda e, v, p, s: terms.has_kind(v, p))),
    SH.minCount: (SH.MinCountConstraintComponent, _min_count),
    SH.maxCount: (SH.MaxCountConstraintComponent, _max_count),
    SH.minExclusive: (SH.MinExclusiveConstraintComponent, _bound(lambda c: c > 0)),
    SH.minInclusive: (SH.MinInclusiveConstraintComponent, _bound(lambda c: c >= 0)),
    SH.maxExclusive: (SH.MaxExclusiveConstraintComponent, _bound(lambda c: c < 0)),
    SH.maxInclusive: (SH.MaxInclusiveConstraintComponent, _bound(lambda c: c <= 0)),
    SH.minLength: (SH.MinLengthConstraintComponent, _length(lambda n, p: n >= p)),
    SH.maxLength: (SH.MaxLengthConstraintComponent, _length(lambda n, p: n <= p)),
    SH.pattern: (SH.PatternConstraintComponent, _each_value(_pattern)),
    SH.languageIn: (SH.LanguageInConstraintComponent,
                    _each_value(lambda e, v, p, s: terms.language_in(v, e.shapes.node_list(p)))),
    SH.uniqueLang: (SH.UniqueLangConstraintComponent, _unique_lang),
    SH.equals: (SH.EqualsConstraintComponent, _pairs(lambda a, b: iter(a ^ b))),
    SH.disjoint: (SH.DisjointConstraintComponent, _pairs(lambda a, b: iter(a & b))),
    SH.lessThan: (SH.LessThanConstraintComponent, _pairs(_less(strict=True))),
    SH.lessThanOrEquals: (SH.LessThanOrEqualsConstraintComponent, _pairs(_less(strict=False))),
    SH["not"]: (SH.NotConstraintComponent,
                _each_value(lambda e, v, p, s: not e.conforms(v, e.shapes.shape(p)))),
    SH["and"]: (SH.AndConstraintComponent, _logic(lambda ok, n: ok == n)),
    SH["or"]: (SH.OrConstraintComponent, _logic(lambda ok, n: ok > 0)),
    SH.xone: (SH.XoneConstraintComponent, _logic(lambda ok, n: ok == 1)),
    SH.node: (SH.NodeConstraintComponent, _each_value(lambda e, v, p, s: e.conforms(v, e.shapes.shape(p)))),
    SH.hasValue: (SH.HasValueConstraintComponent, _has_value),
    SH["in"]: (SH.InConstraintComponent, _in),
    SH.closed: (SH.ClosedConstraintComponent, _closed),
    SH.qualifiedValueShape: (SH.QualifiedMinCountConstraintComponent, _qualified),  # the component comes with each Fail
}


def value_nodes(data: Graph, shapes: Graph, shape: Shape, focus: Node) -> set[Node]:
    """The focus node itself for a node shape, the nodes its path reaches for a property shape."""
    return {focus} if shape.path is None else path_values(data, shapes, shape.path, focus)


def class_closure(data: Graph, cls: Node, relation: Callable[[Node], Iterator[Node]]) -> set[Node]:
    """``cls`` and every class reachable by ``relation`` (sub- or superclasses), cycles allowed."""
    seen, todo = {cls}, [cls]
    while todo:
        for other in relation(todo.pop()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def subclasses(data: Graph, cls: Node) -> set[Node]:
    return class_closure(data, cls, lambda c: data.subjects(RDFS.subClassOf, c))


def superclasses(data: Graph, cls: Node) -> set[Node]:
    return class_closure(data, cls, lambda c: data.objects(c, RDFS.subClassOf))

