"""Human documentation of the ontology (``/ontology``) and of the SHACL shapes (``/shapes``).

We write these pages ourselves rather than with pyLODE: pyLODE 3.4.1 (the newest for
Python 3.11) fails on import (it reads a pyproject.toml that its wheel does not ship),
3.3.4 cannot document an ontology whose IRI ends in ``/`` (ours, ``mcf:``) and sets the
root logger to DEBUG on import. The pages read the ontology graph served by the store
(so they follow the configured base) and the shapes file the build validates with.

Besides our own terms, ``/ontology`` documents the reused terms the ontology annotates
(``schema:value``, ``prov:wasAttributedTo``, ...), gives each datatype property the shape of its
values, and shows the example query of each query pattern (``mcfkg.web.model_docs``), as
``docs/model.md`` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from rdflib import OWL, RDF, RDFS, SH, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from mcfkg.graph import LoadError, load_graph
from mcfkg.vocab import Vocab
from mcfkg.web.entity_view import Link, Presenter
from mcfkg.web.model_docs import english, pattern_examples, query_body, value_shapes
from mcfkg.web.templating import render, settings_of, store_of, vocab_of

router = APIRouter()
TERM_KINDS = {
    "Classes": (OWL.Class, RDFS.Class),
    "Object properties": (OWL.ObjectProperty,),
    "Datatype properties": (OWL.DatatypeProperty,),
    "Annotation properties": (OWL.AnnotationProperty,),
}
TERM_RELATIONS = {
    "subclass of": RDFS.subClassOf,
    "subproperty of": RDFS.subPropertyOf,
    "domain": RDFS.domain,
    "range": RDFS.range,
    "inverse of": OWL.inverseOf,
    "equivalent to": OWL.equivalentClass,
}
# SHACL constraint parameters shown for a property shape, in this order, with readable names.
CONSTRAINTS = {
    SH.minCount: "at least",
    SH.maxCount: "at most",
    SH.datatype: "datatype",
    SH["class"]: "class",
    SH.nodeKind: "node kind",
    SH.node: "conforms to",
    SH.pattern: "pattern",
    SH.minInclusive: "minimum",
    SH.maxInclusive: "maximum",
    SH.minExclusive: "greater than",
    SH.maxExclusive: "less than",
    SH.hasValue: "has value",
    SH.languageIn: "languages",
    SH["in"]: "one of",
    SH.uniqueLang: "one per language",
    SH.severity: "severity",
}
# Constraints whose value is a list of shapes: a name, and the word between the shapes.
LOGICAL = {SH["or"]: ("either", " or "), SH["and"]: ("all of", " and "), SH.xone: ("exactly one of", ", ")}


@dataclass
class Term:
    """One term the ontology documents: its link, labels, definition, how mcfkg uses it (reused terms),
    an example, named relations, and for a datatype property the shape of its values."""

    link: Link
    labels: list[Literal]
    definition: str
    scope_note: str = ""
    example: str = ""
    relations: list[tuple[str, list[Link]]] = field(default_factory=list)
    value_shapes: list[str] = field(default_factory=list)


def ontology_graph(request: Request) -> Graph:
    """The ontology's named graph as served (so rebased IRIs are what the page shows)."""
    vocab = vocab_of(request)
    graph = Graph()
    for row in (
        store_of(request).select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{vocab.ontology_graph}> {{ ?s ?p ?o }} }}").rows
    ):
        graph.add((row["s"], row["p"], row["o"]))
    return graph


def _text(graph: Graph, node: Node, *props: URIRef) -> str:
    """The English text of the first of ``props`` that ``node`` has (see :func:`model_docs.english`)."""
    return next((text for prop in props if (text := english(graph, node, prop))), "")


def document_terms(graph: Graph, vocab: Vocab, shapes: Graph) -> dict[str, list[Term]]:
    """The terms the ontology defines or annotates (``rdfs:isDefinedBy``) by kind, each with labels,
    definition, use, example and relations; datatype properties with the shape ``shapes`` give their values."""
    labels: dict[URIRef, list[Literal]] = {}
    for s, o in graph.subject_objects(RDFS.label):
        labels.setdefault(s, []).append(o)  # type: ignore[arg-type]
    presenter = Presenter(vocab, labels)
    shaped = value_shapes(shapes, lambda term: presenter.link(term).text)
    sections: dict[str, list[Term]] = {}
    for kind, types in TERM_KINDS.items():
        found = {
            s
            for t in types
            for s in graph.subjects(RDF.type, t)
            if isinstance(s, URIRef) and (s, RDFS.isDefinedBy, None) in graph
        }
        terms = []
        for s in found:
            relations = [
                (name, [presenter.link(o) for o in graph.objects(s, prop) if isinstance(o, URIRef)])
                for name, prop in TERM_RELATIONS.items()
            ]
            terms.append(
                Term(
                    presenter.link(s),
                    labels.get(s, []),
                    _text(graph, s, SKOS.definition, RDFS.comment),
                    _text(graph, s, SKOS.scopeNote),
                    _text(graph, s, SKOS.example),
                    [r for r in relations if r[1]],
                    shaped.get(s, []),
                )
            )
        sections[kind] = sorted(terms, key=lambda t: t.link.text.casefold())
    return sections


def _shapes(request: Request) -> Graph | None:
    """The SHACL shapes the build validates with, rebased like the data; None if they cannot be read."""
    settings = settings_of(request)
    try:
        return load_graph(settings.ontology_dir / "shapes.ttl", settings.base_iri)
    except (LoadError, FileNotFoundError):
        return None


@router.get("/ontology", response_class=HTMLResponse, summary="Documentation of the mcf: ontology")
def ontology_page(request: Request) -> HTMLResponse:
    vocab = vocab_of(request)
    graph = ontology_graph(request)
    header = next(graph.subjects(RDF.type, OWL.Ontology), None)
    meta = {}
    if header is not None:
        meta = {
            name: _text(graph, header, prop)
            for name, prop in (
                ("title", DCTERMS.title),
                ("description", DCTERMS.description),
                ("version", OWL.versionInfo),
                ("licence", DCTERMS.license),
            )
        }
    ontology = Presenter(vocab, {}).link(header) if isinstance(header, URIRef) else None
    patterns = [(e, query_body(e)) for e in pattern_examples(settings_of(request).queries_dir, vocab.base)]
    sections = document_terms(graph, vocab, _shapes(request) or Graph())
    return render(request, "ontology.html", ontology=ontology, meta=meta, sections=sections, patterns=patterns)


@dataclass
class PropertyRule:
    """One property shape (or SPARQL constraint) of a node shape, its constraints in words."""

    path: str
    constraints: list[tuple[str, str]]
    message: str


@dataclass
class ShapeDoc:
    """One node shape: its name, the classes it applies to, its message and its rules."""

    name: str
    targets: list[Link]
    message: str
    rules: list[PropertyRule]


def _show(graph: Graph, node: Node, presenter: Presenter) -> str:
    if isinstance(node, URIRef):
        return presenter.link(node).text
    items = list(graph.items(node)) if (node, RDF.first, None) in graph else []
    if items:
        return ", ".join(_show(graph, i, presenter) for i in items)
    return str(node)


def _path(graph: Graph, node: Node, presenter: Presenter) -> str:
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return f"^{_show(graph, inverse, presenter)}"
    if (node, RDF.first, None) in graph:
        return " / ".join(_show(graph, i, presenter) for i in graph.items(node))
    return _show(graph, node, presenter)


def _constraints(graph: Graph, shape: Node, presenter: Presenter) -> list[tuple[str, str]]:
    """A shape's constraints as (name, value) in words; nested shapes (sh:or, sh:not, ...) spelled out."""
    found = [(name, _show(graph, value, presenter)) for p, name in CONSTRAINTS.items() for value in graph.objects(shape, p)]
    found += [("not", f"({_in_words(graph, nested, presenter)})") for nested in graph.objects(shape, SH["not"])]
    for p, (name, joiner) in LOGICAL.items():
        for members in graph.objects(shape, p):
            found.append((name, joiner.join(f"({_in_words(graph, m, presenter)})" for m in graph.items(members))))
    return found


def _in_words(graph: Graph, shape: Node, presenter: Presenter) -> str:
    return "; ".join(f"{name} {value}" for name, value in _constraints(graph, shape, presenter))


def _local_name(iri: URIRef) -> str:
    """``AwardShape`` for ``…/shapes/AwardShape``: shapes have no labels and no prefix of ours."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def document_shapes(shapes: Graph, vocab: Vocab, labels: dict[URIRef, list[Literal]]) -> list[ShapeDoc]:
    """Every node shape: what it targets and, per property, each constraint in words."""
    presenter = Presenter(vocab, labels)
    docs = []
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(SH.targetClass, None))
    for shape in node_shapes:
        targets = [presenter.link(t) for t in shapes.objects(shape, SH.targetClass) if isinstance(t, URIRef)]
        rules = []
        for prop in shapes.objects(shape, SH.property):
            constraints = _constraints(shapes, prop, presenter)
            path = shapes.value(prop, SH.path)
            rules.append(
                PropertyRule(
                    _path(shapes, path, presenter) if path is not None else "(no path)",
                    constraints,
                    _text(shapes, prop, SH.message, SH.description, SH.name),
                )
            )
        for sparql in shapes.objects(shape, SH.sparql):
            rules.append(PropertyRule("SPARQL constraint", [], _text(shapes, sparql, SH.message, RDFS.comment)))
        name = _local_name(shape) if isinstance(shape, URIRef) else "(unnamed shape)"
        docs.append(
            ShapeDoc(
                name,
                targets,
                _text(shapes, shape, SH.message, RDFS.comment, SH.description),
                sorted(rules, key=lambda r: r.path),
            )
        )
    return sorted(docs, key=lambda d: d.name.casefold())


@router.get("/shapes", response_class=HTMLResponse, summary="The SHACL shapes the data is validated with")
def shapes_page(request: Request) -> HTMLResponse:
    settings, vocab = settings_of(request), vocab_of(request)
    path = settings.ontology_dir / "shapes.ttl"
    try:
        shapes = load_graph(path, settings.base_iri)
    except (LoadError, FileNotFoundError) as exc:
        return render(request, "shapes.html", status_code=503, shapes=[], error=f"The shapes cannot be read: {exc}")
    ontology = ontology_graph(request)
    labels: dict[URIRef, list[Literal]] = {}
    for s, o in ontology.subject_objects(RDFS.label):
        labels.setdefault(s, []).append(o)  # type: ignore[arg-type]
    return render(request, "shapes.html", shapes=document_shapes(shapes, vocab, labels), error=None, source=path.name)
