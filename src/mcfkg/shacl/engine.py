"""The validation run: targets, then every constraint of every shape on every focus node."""

from __future__ import annotations

from collections.abc import Set

from rdflib import RDF, SH, Graph, Literal, URIRef
from rdflib.term import Node

from mcfkg.shacl import sparql
from mcfkg.shacl.core import CHECKS, subclasses, superclasses, value_nodes
from mcfkg.shacl.model import Shape, ShapesGraph, SparqlConstraint
from mcfkg.shacl.result import Result


class Engine:
    """One validation of ``data`` against ``shapes``: caches class closures and nested-shape conformance."""

    def __init__(self, data: Graph, shapes: ShapesGraph) -> None:
        self.data: Graph = data
        self.shapes: ShapesGraph = shapes
        self._supers: dict[Node, set[Node]] = {}
        self._node_types: dict[Node, set[Node]] = {}  # for targets asked node by node
        self._predicate_ends: dict[tuple[Node, bool], set[Node]] = {}  # likewise
        self._conforms: dict[tuple[int, Node], bool] = {}
        self._sparql: sparql.SparqlData | None = None

    def run(self, among: Set[Node] | None = None) -> list[Result]:
        """Every result of every shape that has targets; with ``among``, of those focus nodes only (the targets
        still decide which shapes each one is validated against)."""
        return [r for shape in self.shapes.top_level()
                for focus in (self.focus_nodes(shape) if among is None else self.targeted(shape, among))
                for r in self.evaluate(shape, focus)]

    def focus_nodes(self, shape: Shape) -> set[Node]:
        """The nodes the shape's targets select in the data graph (instances include those of subclasses)."""
        found: set[Node] = set()
        for cls in self._target_classes(shape):
            found.update(self.data.subjects(RDF.type, cls))
        found.update(shape.params.get(SH.targetNode, []))
        for p in shape.params.get(SH.targetSubjectsOf, []):
            found.update(self.data.subjects(p, None))
        for p in shape.params.get(SH.targetObjectsOf, []):
            found.update(self.data.objects(None, p))
        return found

    def targeted(self, shape: Shape, nodes: Set[Node]) -> list[Node]:
        """The nodes among ``nodes`` that the shape's targets select: :meth:`focus_nodes` asked node by node."""
        classes = self._target_classes(shape)
        selected = nodes & set(shape.params.get(SH.targetNode, []))
        for p in shape.params.get(SH.targetSubjectsOf, []):
            selected |= nodes & self._ends(p, subjects=True)
        for p in shape.params.get(SH.targetObjectsOf, []):
            selected |= nodes & self._ends(p, subjects=False)
        return [n for n in nodes if n in selected or not classes.isdisjoint(self._types(n))]

    def _types(self, node: Node) -> set[Node]:
        if node not in self._node_types:
            self._node_types[node] = set(self.data.objects(node, RDF.type))
        return self._node_types[node]

    def _ends(self, predicate: Node, subjects: bool) -> set[Node]:
        """The subjects (or objects) of ``predicate`` in the data: read once for every shape that targets them."""
        key = (predicate, subjects)
        if key not in self._predicate_ends:
            pairs = self.data.subject_objects(predicate)
            self._predicate_ends[key] = {s if subjects else o for s, o in pairs}
        return self._predicate_ends[key]

    def _target_classes(self, shape: Shape) -> set[Node]:
        """The target classes of the shape (and the shape itself, if it is a class) with all their subclasses."""
        classes = list(shape.params.get(SH.targetClass, []))
        if shape.implicit_class:
            classes.append(shape.node)
        return {sub for cls in classes for sub in subclasses(self.data, cls)}

    def evaluate(self, shape: Shape, focus: Node) -> list[Result]:
        """The results of validating ``focus`` against ``shape``, nested property shapes included."""
        if shape.deactivated:
            return []
        nodes = value_nodes(self.data, self.shapes.graph, shape, focus)
        results = []
        for parameter, params in shape.params.items():
            if parameter not in CHECKS:
                continue
            component, check = CHECKS[parameter]
            for param in params:
                for fail in check(self, shape, focus, nodes, param):
                    results.append(self._result(shape, focus, fail.component or component, fail.value,
                                                fail.path or shape.path))
        for prop in shape.properties:
            results.extend(r for v in nodes for r in self.evaluate(prop, v))
        for constraint in shape.sparql:
            results.extend(self._sparql_results(shape, constraint, focus))
        return results

    def conforms(self, node: Node, shape: Shape) -> bool:
        """Whether ``node`` conforms to ``shape`` (no result of any severity); a shape that refers back to itself
        is taken to hold while it is being checked."""
        key = (id(shape), node)
        if key not in self._conforms:
            self._conforms[key] = True
            self._conforms[key] = not self.evaluate(shape, node)
        return self._conforms[key]

    def is_instance(self, node: Node, cls: Node) -> bool:
        """``sh:class``: a type of ``node`` is ``cls`` or one of its subclasses (rdfs:subClassOf in the data)."""
        for t in self.data.objects(node, RDF.type):
            if t not in self._supers:
                self._supers[t] = superclasses(self.data, t)
            if cls in self._supers[t]:
                return True
        return False

    def _result(self, shape: Shape, focus: Node, component: URIRef, value: Node | None, path: Node | None) -> Result:
        messages = tuple(shape.messages) or (Literal(f"{component.fragment or component}: not satisfied"
                                                     + (f" by {value.n3()}" if value is not None else "")),)
        return Result(focus, path, value, component, shape.severity, shape.node, messages)

    def _sparql_results(self, shape: Shape, constraint: SparqlConstraint, focus: Node) -> list[Result]:
        if self._sparql is None:
            self._sparql = sparql.SparqlData(self.data)
        results = []
        for row in sparql.violations(self._sparql, self.shapes, shape, constraint, focus):
            value = row.get("value", focus if shape.path is None else None)
            bound = {**row, "this": row.get("this", focus), **({"value": value} if value is not None else {})}
            templates = list(shape.messages) + [m for m in constraint.messages if m not in shape.messages]
            messages = tuple(sparql.message(m, bound) for m in templates) or (
                Literal(f"SPARQL constraint {constraint.node.n3()}: not satisfied"),)
            results.append(Result(row.get("this", focus), row.get("path", shape.path), value,
                                  SH.SPARQLConstraintComponent, shape.severity, shape.node, messages, constraint.node))
        return results
