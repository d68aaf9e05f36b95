"""A SHACL engine for mcfkg's build: SHACL Core by indexed lookups, SHACL-SPARQL constraints on Oxigraph.

pySHACL gives the same report but takes minutes at 100k triples (see ``bench/validation.py``);
this engine evaluates the same components directly. A shape using anything it does not implement
raises :class:`Unsupported` rather than being skipped (see :mod:`mcfkg.shacl.model`).
"""

from __future__ import annotations

from collections.abc import Set

from rdflib import Graph
from rdflib.term import Node

from mcfkg.shacl.engine import Engine
from mcfkg.shacl.errors import InvalidShape, Unsupported
from mcfkg.shacl.model import ShapesGraph
from mcfkg.shacl.report import report_graph
from mcfkg.shacl.result import Result

__all__ = ["InvalidShape", "Result", "Unsupported", "report_graph", "results"]


def results(data: Graph, shapes: Graph, focus: Set[Node] | None = None) -> list[Result]:
    """Every validation result of ``data`` against ``shapes`` (with ``focus``, of those focus nodes only);
    raises :class:`Unsupported` before validating."""
    return Engine(data, ShapesGraph(shapes)).run(focus)
