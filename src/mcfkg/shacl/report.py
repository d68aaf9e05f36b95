"""The SHACL validation report graph (``sh:ValidationReport``) of a list of results, for ``--format turtle``."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import RDF, SH, BNode, Graph, Literal
from rdflib.term import Node

from mcfkg.shacl.result import Result


def report_graph(results: Iterable[Result], conforms: bool, shapes: Graph, data: Graph) -> Graph:
    """A report as SHACL section 3.6 lays it out; blank-node paths are copied from the shapes graph."""
    graph = Graph()
    for prefix, namespace in data.namespaces():
        graph.bind(prefix, namespace, override=False)
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(conforms)))
    for r in results:
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, r.focus))
        graph.add((node, SH.resultSeverity, r.severity))
        graph.add((node, SH.sourceConstraintComponent, r.component))
        graph.add((node, SH.sourceShape, r.source_shape))
        for message in r.messages:
            graph.add((node, SH.resultMessage, message))
        if r.value is not None:
            graph.add((node, SH.value, r.value))
        if r.source_constraint is not None:
            graph.add((node, SH.sourceConstraint, r.source_constraint))
        if r.path is not None:
            graph.add((node, SH.resultPath, r.path))
            _copy(shapes, graph, r.path)
    return graph


def _copy(source: Graph, target: Graph, node: Node) -> None:
    """The blank-node structure under ``node`` (a complex path), so the report reads on its own."""
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if not isinstance(current, BNode) or current in seen:
            continue
        seen.add(current)
        for p, o in source.predicate_objects(current):
            target.add((current, p, o))
            todo.append(o)
