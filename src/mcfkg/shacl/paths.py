"""SHACL property paths: their value nodes in a data graph, and the same path as SPARQL text."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import SH, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from mcfkg.shacl.errors import InvalidShape, Unsupported


def values(data: Graph, shapes: Graph, path: Node, focus: Node) -> set[Node]:
    """The nodes reached from ``focus`` by the SHACL ``path`` (a node of ``shapes``)."""
    return _step(data, shapes, path, {focus})


def _step(data: Graph, shapes: Graph, path: Node, start: Iterable[Node]) -> set[Node]:
    if isinstance(path, URIRef):
        return {o for s in start for o in data.objects(s, path)}
    if sum(shapes.value(path, form) is not None for form in _FORMS) != 1:
        raise InvalidShape(f"{path.n3()} is not one SHACL property path (a list, or one of {', '.join(f.n3() for f in _FORMS[1:])})")
    if shapes.value(path, SH.inversePath) is not None:
        inverse = shapes.value(path, SH.inversePath)
        if isinstance(inverse, URIRef):
            return {s for o in start for s in data.subjects(inverse, o)}
        raise Unsupported(f"sh:inversePath of a complex path ({path.n3()}) is not implemented")
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return set().union(*(_step(data, shapes, p, start) for p in Collection(shapes, alternatives)))
    for name, least, most in (("zeroOrMorePath", 0, None), ("oneOrMorePath", 1, None), ("zeroOrOnePath", 0, 1)):
        inner = shapes.value(path, SH[name])
        if inner is not None:
            return _repeat(data, shapes, inner, set(start), least, most)
    if shapes.value(path, _FIRST) is not None:
        nodes = set(start)
        for p in Collection(shapes, path):
            nodes = _step(data, shapes, p, nodes)
        return nodes
    raise Unsupported(f"{path.n3()} is not a SHACL property path mcfkg.shacl knows")


def _repeat(data: Graph, shapes: Graph, inner: Node, start: set[Node], least: int, most: int | None) -> set[Node]:
    reached = set(start) if least == 0 else set()
    frontier, seen = set(start), set(start)
    steps = 0
    while frontier and (most is None or steps < most):
        frontier = _step(data, shapes, inner, frontier)
        reached |= frontier
        frontier -= seen
        seen |= frontier
        steps += 1
    return reached


def sparql(shapes: Graph, path: Node) -> str:
    """The SPARQL property path of a SHACL path, for ``$PATH`` in SPARQL-based constraints."""
    if isinstance(path, URIRef):
        return path.n3()
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return f"^({sparql(shapes, inverse)})"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(sparql(shapes, p) for p in Collection(shapes, alternatives)) + ")"
    for name, mark in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        inner = shapes.value(path, SH[name])
        if inner is not None:
            return f"({sparql(shapes, inner)}){mark}"
    return "(" + "/".join(sparql(shapes, p) for p in Collection(shapes, path)) + ")"


_FIRST = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#first")
_FORMS = (_FIRST, SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath)
