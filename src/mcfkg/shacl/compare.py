"""Reports as comparable sets, so a report of this engine can be checked against pySHACL's (the oracle).

Two reports agree when they have the same results: focus node, result path, value, source
constraint component, severity and messages. Messages are compared where the shapes state them
(``sh:message``); where they do not, each engine words its own, so only their presence counts.
"""

from __future__ import annotations

from rdflib import RDF, SH, BNode, Graph
from rdflib.collection import Collection
from rdflib.term import Node

ResultKey = tuple[Node | None, object, Node | None, Node | None, Node | None, frozenset[str] | str]


def result_set(report: Graph, shapes: Graph) -> set[ResultKey]:
    """The results of a SHACL report graph, each as a hashable tuple (blank-node paths by structure)."""
    found = set()
    for r in report.objects(None, SH.result):  # not the nested sh:detail results pySHACL adds
        stated = any(shapes.value(n, SH.message) is not None
                     for n in (report.value(r, SH.sourceShape), report.value(r, SH.sourceConstraint)) if n is not None)
        messages: frozenset[str] | str = frozenset(str(m) for m in report.objects(r, SH.resultMessage)) if stated \
            else "generic"
        found.add((report.value(r, SH.focusNode), _path(report, report.value(r, SH.resultPath)),
                   report.value(r, SH.value), report.value(r, SH.sourceConstraintComponent),
                   report.value(r, SH.resultSeverity), messages))
    return found


def _path(graph: Graph, path: Node | None) -> object:
    if not isinstance(path, BNode):
        return path
    if graph.value(path, SH.inversePath) is None and graph.value(path, RDF.first) is not None:
        return ("sequence", *(_path(graph, p) for p in Collection(graph, path)))
    (predicate, inner), = ((p, o) for p, o in graph.predicate_objects(path))
    return (predicate, tuple(_path(graph, p) for p in Collection(graph, inner)) if predicate == SH.alternativePath
            else _path(graph, inner))



