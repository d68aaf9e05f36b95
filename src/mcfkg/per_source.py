"""Cardinality per source: "a grant has one amount" holds within each source, not across them.

The graph is a union of claims. When two sources give a grant different amounts, both stay, each
in its source's graphs, and the pages and queries show the disagreement; a cap over the union
(``sh:maxCount 1``) would refuse the second source, and an ``owl:FunctionalProperty`` would make
the reasoner equate the two values. So such caps are declared on the property shape as
``mcfsh:maxCountPerSource N`` (defined in ``ontology/shapes.ttl``; pySHACL ignores it) and checked here: the triples of one
source are those in the fact graphs derived from its passages (``prov:wasDerivedFrom`` /
``dcterms:isPartOf``). Each excess is reported as a SHACL result would be: focus node, path, the
shape's message, and the source.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import RDF, SH, Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from mcfkg.validate import ValidationResult, label, short_name
from mcfkg.vocab import Vocab


@dataclass(frozen=True)
class Excess:
    """One source stating ``values`` for ``focus`` and ``path``, more than the shape allows."""

    source: Node
    focus: Node
    path: URIRef
    values: frozenset[Node]
    message: str


def excesses(ds: Dataset, shapes: Graph, data: Graph, vocab: Vocab) -> list[Excess]:
    """Every (source, focus node, property) where the source states more values than the shape allows.

    ``data`` is the validated graph (the focus node's classes, asserted and inferred).
    """
    caps = _caps(shapes, vocab.SHAPES.maxCountPerSource)
    if not caps:
        return []
    part_of = {passage: document for passage, _, document, _ in ds.quads((None, DCTERMS.isPartOf, None, None))}
    source_of = {graph: part_of[passage] for graph, _, passage, _ in ds.quads((None, PROV.wasDerivedFrom, None, None))
                 if passage in part_of}
    values: dict[tuple[Node, Node, URIRef], set[Node]] = defaultdict(set)
    for s, p, o, g in ds.quads((None, None, None, None)):
        if p in caps and g in source_of:
            values[(source_of[g], s, p)].add(o)  # type: ignore[index]
    found = []
    for (document, focus, path), objects in sorted(values.items(), key=str):
        for target, most, message in caps[path]:
            if len(objects) > most and (target is None or (focus, RDF.type, target) in data):
                found.append(Excess(document, focus, path, frozenset(objects), message))
    return found


def per_source_results(ds: Dataset, shapes: Graph, data: Graph, vocab: Vocab) -> list[ValidationResult]:
    """The :func:`excesses` as SHACL-like results: focus node, path, values, the shape's message and the source."""
    return [ValidationResult(
        focus=e.focus, focus_label=label(e.focus, data), path=short_name(e.path, data),
        value=", ".join(sorted(short_name(v, data) for v in e.values)),
        message=f"{e.message} (source {short_name(e.source, data)} states {len(e.values)}; sources may disagree "
                "with each other, but each states one)",
        severity="Violation") for e in excesses(ds, shapes, data, vocab)]


def _caps(shapes: Graph, term: URIRef) -> dict[URIRef, list[tuple[Node | None, int, str]]]:
    """Property → (target class or None, most values per source, message) for each capped property shape."""
    caps: dict[URIRef, list[tuple[Node | None, int, str]]] = defaultdict(list)
    for prop, most in shapes.subject_objects(term):
        path = shapes.value(prop, SH.path)
        shape = shapes.value(None, SH.property, prop)
        if isinstance(path, URIRef):
            target = shapes.value(shape, SH.targetClass) if shape is not None else None
            message = str(shapes.value(prop, SH.message) or f"at most {most} value(s) per source")
            caps[path].append((target, int(str(most)), message))
    return caps
