"""SPARQL-based constraints (``sh:sparql`` with ``sh:select``), run natively by Oxigraph.

The data graph is copied once into an in-memory pyoxigraph Store; each constraint then runs once
per focus node with ``$this`` and ``$currentShape`` pre-bound (:mod:`mcfkg.shacl.prebind`) and
``$PATH`` replaced by the shape's path; ``FILTER NOT EXISTS`` becomes a left join where that gives
the same solutions (:mod:`mcfkg.shacl.antijoin`: Oxigraph evaluates the former without the focus
node's index, once per focus node).
Terms come back as the very rdflib terms of the data graph, so results compare with pySHACL's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from mcfkg.shacl.model import Shape, ShapesGraph, SparqlConstraint
from mcfkg.shacl.paths import sparql as path_text
from mcfkg.shacl.antijoin import anti_joins
from mcfkg.shacl.errors import InvalidShape
from mcfkg.shacl.prebind import prebind

_PATH = re.compile(r"\$PATH\b")
_SPECIAL = ("this", "path", "value", "failure")


class SparqlData:
    """The data graph in an Oxigraph store, with the way back from Oxigraph terms to rdflib's."""

    def __init__(self, data: Graph) -> None:
        self.store = ox.Store()
        self._back: dict[ox.BlankNode | ox.Literal, Node] = {}
        self._terms: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}  # the same few come back in most triples
        # The data graph's subjects and predicates are of the kinds Quad takes; term() is just typed wide.
        self.store.bulk_extend(ox.Quad(self.term(s), self.term(p), self.term(o))  # type: ignore[arg-type]
                               for s, p, o in data)

    def term(self, node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        """The pyoxigraph term for an rdflib term (remembering blank nodes and literals for the way back)."""
        found = self._terms.get(node)
        if found is None:
            found = self._terms[node] = self._convert(node)
        return found

    def _convert(self, node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found: ox.BlankNode | ox.Literal
        if isinstance(node, URIRef):
            return ox.NamedNode(str(node))
        if isinstance(node, BNode):
            found = ox.BlankNode(re.sub(r"[^A-Za-z0-9_]", "_", str(node)))
        elif isinstance(node, Literal) and node.language:
            found = ox.Literal(str(node), language=node.language)
        elif isinstance(node, Literal):
            found = ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype or XSD.string)))
        else:
            raise TypeError(f"{node!r} is not an RDF term a data graph holds")
        self._back.setdefault(found, node)
        return found

    def node(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        """The rdflib term of a query answer: the data graph's own, or a new one for computed values."""
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if term in self._back:
            return self._back[term]
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))


def violations(data: SparqlData, shapes: ShapesGraph, shape: Shape, constraint: SparqlConstraint,
               focus: Node) -> Iterator[dict[str, Node]]:
    """The solutions of the constraint's SELECT for ``focus``, duplicates left out, as variable → rdflib term."""
    text = constraint.select
    if _PATH.search(text):
        if shape.path is None:
            raise InvalidShape(f"SPARQL constraint {constraint.node.n3()} uses $PATH on a node shape: give it a path")
        text = _PATH.sub(lambda _: path_text(shapes.graph, shape.path), text)  # type: ignore[arg-type]
    bindings = {"this": focus}
    if re.search(r"[?$]currentShape\b", text):
        bindings["currentShape"] = shape.node
    # A blank node has no name in a query's text: Oxigraph binds it then (at the query's top level only).
    textual = {} if isinstance(focus, BNode) else {n: v for n, v in bindings.items() if not isinstance(v, BNode)}
    if textual:
        text = anti_joins(prebind(text, {name: node.n3() for name, node in textual.items()}))
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(name): data.term(node) for name, node in bindings.items() if name not in textual}
    solutions = data.store.query(text, prefixes=constraint.prefixes, substitutions=substitutions)
    seen: set[frozenset[tuple[str, Node]]] = set()
    for solution in solutions:  # type: ignore[union-attr]
        row = {v.value: data.node(solution[v]) for v in solutions.variables  # type: ignore[union-attr]
               if solution[v] is not None}
        key = frozenset(row.items())
        if key not in seen:
            seen.add(key)
            yield row


def message(template: Literal, row: dict[str, Node]) -> Literal:
    """``{?var}`` and ``{$var}`` in a message replaced by the solution's values (the language tag kept)."""
    text = re.sub(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: str(row.get(m.group(1), m.group(0))), str(template))
    return Literal(text, lang=template.language)
