"""What the model's documentation says beyond classes and object properties: the datatype
properties with the shape of their values, and one example query per query pattern.

``docs/model.md`` (``scripts/diagram.py``) and ``/ontology`` both render from here, so an
analyst reads the same thing in either place. The shape of a value is read from the SHACL
shapes the build validates with, not written a second time, so it cannot drift from what the
data is held to. The pattern queries are files of ``queries/`` marked ``# pattern:``: the
competency tests run each of them on the built graph, so the documented examples cannot rot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, SH, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from mcfkg.vocab import CANONICAL_BASE
from mcfkg.web.query_ui import Example, examples

# The patterns an analyst needs to write queries without copying one, in the order they are taught.
PATTERNS = ("an amount", "a lower bound", "a count", "a stated set", "a fact's sentence")

Namer = Callable[[URIRef], str]  # how a term is written: a prefixed name in Markdown, a label on a page


@dataclass(frozen=True)
class DatatypeTerm:
    """A datatype property as documented: its definition, how mcfkg uses it, an example, and its values' shape."""

    iri: URIRef
    definition: str
    scope_note: str
    example: str
    value_shapes: tuple[str, ...]  # "<where>: <constraints>", one per class or kind of subject it is used on


def english(graph: Graph, node: Node, prop: URIRef) -> str:
    """The English (or untagged) value of ``prop`` on ``node``, else any value, else ""."""
    values = [v for v in graph.objects(node, prop) if isinstance(v, Literal)]
    preferred = [v for v in values if v.language in (None, "en")] or values
    return str(sorted(preferred)[0]) if preferred else ""


def datatype_terms(ontology: Graph, shapes: Graph, namer: Namer) -> list[DatatypeTerm]:
    """Every datatype property the ontology documents (its own and the reused ones it annotates), by IRI."""
    shaped = value_shapes(shapes, namer)
    return [
        DatatypeTerm(
            prop,
            english(ontology, prop, SKOS.definition),
            english(ontology, prop, SKOS.scopeNote),
            english(ontology, prop, SKOS.example),
            tuple(shaped.get(prop, ())),
        )
        for prop in sorted(p for p in ontology.subjects(RDF.type, OWL.DatatypeProperty) if isinstance(p, URIRef))
        if english(ontology, prop, SKOS.definition)
    ]


def value_shapes(shapes: Graph, namer: Namer) -> dict[URIRef, list[str]]:
    """For each property, what the shapes require of its values on each class (or kind of subject) they target.

    Only the constraints of a property shape itself are read (datatype, bounds, allowed values,
    cardinality); constraints nested in ``sh:or`` and the like are left to ``/shapes``.
    """
    by_property: dict[URIRef, dict[str, list[tuple[int, str]]]] = {}
    for node_shape in sorted(set(shapes.subjects(SH.property, None)), key=str):
        targets = [namer(c) for c in shapes.objects(node_shape, SH.targetClass) if isinstance(c, URIRef)]
        targets += [f"subjects of {namer(p)}" for p in shapes.objects(node_shape, SH.targetSubjectsOf)
                    if isinstance(p, URIRef)]
        for property_shape in shapes.objects(node_shape, SH.property):
            path = shapes.value(property_shape, SH.path)
            words = _constraint_words(shapes, property_shape, namer)
            if not isinstance(path, URIRef) or not words:
                continue
            for target in targets:
                found = by_property.setdefault(path, {}).setdefault(target, [])
                found.extend(w for w in words if w not in found)
    return {path: [f"{target}: {', '.join(word for _, word in sorted(words))}" for target, words in sorted(targets.items())]
            for path, targets in by_property.items()}


def _constraint_words(shapes: Graph, shape: Node, namer: Namer) -> list[tuple[int, str]]:
    """A property shape's own constraints on values in words, ranked for reading order: the datatype
    (``xsd:integer``), its bound (``≥ 0``), the allowed values (``one of "a", "b"``), how many (``exactly one``)."""
    words = [(0, namer(d)) for d in shapes.objects(shape, SH.datatype) if isinstance(d, URIRef)]
    words += [(1, f"≥ {v}") for v in shapes.objects(shape, SH.minInclusive)]
    words += [(2, "one of " + ", ".join(f'"{v}"' for v in shapes.items(members))) for members in shapes.objects(shape, SH["in"])]
    least, most = _count(shapes, shape, SH.minCount), _count(shapes, shape, SH.maxCount)
    if least == most == 1:
        words.append((3, "exactly one"))
    elif most == 1:
        words.append((3, "at most one"))
    elif least:
        words.append((3, "required"))
    return words


def _count(shapes: Graph, shape: Node, bound: URIRef) -> int | None:
    """A cardinality of a property shape (``sh:minCount``, ``sh:maxCount``), None if it has none."""
    value = shapes.value(shape, bound)
    return int(value.toPython()) if isinstance(value, Literal) else None


def pattern_examples(queries_dir: Path, base: str = CANONICAL_BASE) -> list[Example]:
    """The example query of each pattern (``# pattern:`` in ``queries/``), in :data:`PATTERNS` order."""
    marked = {e.pattern: e for e in examples(queries_dir, base) if e.pattern}
    return [marked[p] for p in PATTERNS if p in marked]


def query_body(example: Example) -> str:
    """The query without its ``# title:``/``# description:``/``# pattern:`` header (which the docs show as prose)."""
    lines = example.query.splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "\n".join(lines).strip() + "\n"
