"""One validation result as SHACL defines it, before it is made readable."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node


@dataclass(frozen=True)
class Result:
    """A ``sh:ValidationResult``: terms of the data graph (focus, value) and of the shapes graph (path, shapes)."""

    focus: Node
    path: Node | None
    value: Node | None
    component: URIRef
    severity: URIRef
    source_shape: Node
    messages: tuple[Literal, ...]
    source_constraint: Node | None = None
