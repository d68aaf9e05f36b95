"""Turn a :class:`Description` into what a person reads: labels, grouped facts, formatted amounts, a graph.

Kept apart from the queries so the formatting rules (currencies, lower bounds, which links
are external) can be read and tested on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from mcfkg.vocab import Vocab
from mcfkg.web.describe import Description, Detail, Fact, Source
from mcfkg.web.prefixes import curie

SCHEMA = "https://schema.org/"
# How a currency code is named before the amount, as the source writes it ("RMB 2.493 billion").
CURRENCY_NAMES = {"CNY": "RMB", "USD": "US$", "EUR": "€"}
LABEL_PREDICATES = {RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel}
MAX_GRAPH_EDGES = 80  # beyond this a neighbourhood picture stops being readable; the tables list everything
GRAPH_HIDDEN_PREDICATES = LABEL_PREDICATES | {RDF.subject, RDF.predicate, RDF.object}
IDENTITY_PREDICATES = {
    OWL.sameAs,
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
}


@dataclass
class Link:
    """An IRI as a person follows it: a local page for our IRIs, the IRI itself for others."""

    iri: str
    text: str
    href: str
    lang: str | None = None
    external: bool = False


@dataclass
class Cited:
    """One place a fact is stated, as the page shows it: the sentence (passage) and, when the page
    cites several sources, the source document's name linking to its page (its full title on hover)."""

    graph: URIRef
    passage: URIRef | None = None
    paragraph: int | None = None
    sentence: int | None = None
    excerpt: str | None = None
    document: Link | None = None
    document_title: str | None = None


@dataclass
class Value:
    """One value of a property, formatted, with where it comes from."""

    text: str
    link: Link | None = None
    lang: str | None = None
    sources: list[Cited] = field(default_factory=list)
    inferred: bool = False
    # For an n-ary node (a conferral, an application, ...): its own facts, shown under it.
    details: list[tuple[Link, Value]] = field(default_factory=list)
    # How many source documents state it (shown when more than one), and whether sources disagree on its property.
    documents: int = 0
    disputed: bool = False


@dataclass
class PropertyGroup:
    """The values of one property, shown as one block of rows headed by the property."""

    prop: Link
    values: list[Value]


@dataclass
class Disagreement:
    """A property sources give different values for: one row per value and source stating it."""

    prop: Link
    rows: list[tuple[Value, Cited]]


@dataclass
class EntityPage:
    """Everything ``entity.html`` shows about one IRI, formatted; the template only lays it out."""

    iri: str
    title: str
    title_lang: str | None
    labels: list[Value]
    types: list[Value]
    facts: list[PropertyGroup]
    inferred: list[PropertyGroup]
    identity: list[PropertyGroup]
    incoming: list[PropertyGroup]
    contents: list[tuple[Link, Link, Value, Link]]
    graph: dict[str, list[dict[str, object]]]
    query: str
    truncated: bool
    is_ontology: bool = False
    # The source documents the page's facts are stated in; with more than one, each source names its document.
    documents: list[Link] = field(default_factory=list)
    # Properties on which sources give different values: every value with its sources (``queries/52``).
    disagreements: list[Disagreement] = field(default_factory=list)


class Presenter:
    """Formats terms for one base IRI; the labels come from the description being shown."""

    def __init__(self, vocab: Vocab, labels: dict[URIRef, list[Literal]], name_documents: bool = False) -> None:
        self.vocab = vocab
        self.labels = labels
        self.name_documents = name_documents  # several sources on the page: each source says which it is

    def best_label(self, iri: URIRef) -> Literal | None:
        """English first, then no language, then Chinese, then anything."""
        found = self.labels.get(iri, [])
        for wanted in ("en", None, "zh"):
            for label in found:
                if (label.language or None) == wanted or (wanted == "zh" and (label.language or "").startswith("zh")):
                    return label
        return found[0] if found else None

    def link(self, iri: URIRef) -> Link:
        """``iri`` under its best label (else a CURIE); ours link to this server, others to themselves."""
        label = self.best_label(iri)
        text = str(label) if label is not None else curie(str(iri), self.vocab)
        ours = str(iri).startswith(self.vocab.base)
        href = self.vocab.local_path(str(iri)) or str(iri)
        return Link(str(iri), text, href, label.language if label is not None else None, external=not ours)

    def fact_value(self, fact: Fact) -> Value:
        """The value of a fact as shown, carrying the fact's sources and whether it was inferred."""
        value = self.value(fact.other, fact.nested)
        value.sources, value.inferred = [self.cited(s) for s in fact.sources], fact.inferred
        value.documents = len({s.document for s in fact.sources if s.document is not None})
        return value

    def cited(self, source: Source) -> Cited:
        """A source as shown: its document named only when the page cites more than one."""
        document = self.link(source.document) if source.document is not None and self.name_documents else None
        return Cited(source.graph, source.passage, source.paragraph, source.sentence, source.excerpt,
                     document, source.document_title)

    def details(self, details: list[Detail], about: URIRef) -> list[tuple[Link, Value]]:
        """An n-ary node's facts as shown under it, by property: its type, its names and the link back
        to ``about`` (the page's own IRI) are left out, the link already says them."""
        shown = [
            (self.link(d.predicate), self.value(d.value, list(d.nested)))
            for d in details
            if d.predicate not in LABEL_PREDICATES and d.predicate != RDF.type and d.value != about
        ]
        return sorted(shown, key=lambda pair: (pair[0].text.casefold(), pair[1].text.casefold()))

    def value(self, node: Node, nested: list[tuple[URIRef, Node]] | None = None) -> Value:
        """A term as shown; amounts and quantities (``nested`` pairs) in words, still linking to their page."""
        worded = format_structured(nested or [], self.vocab)
        if isinstance(node, URIRef):
            link = self.link(node)
            if worded:
                link.text, link.lang = worded, None
            return Value(link.text, link=link, lang=link.lang)
        if isinstance(node, BNode):
            nested_text = "; ".join(f"{self.link(p).text}: {o}" for p, o in nested or [] if p != RDF.type)
            return Value(worded or nested_text or "(unnamed node)")
        assert isinstance(node, Literal)
        return Value(format_literal(node), lang=node.language)


def format_number(value: object) -> str:
    """Thousands separated, no trailing zeros: 2493000000 → "2,493,000,000", 8.10 → "8.1"."""
    try:
        number = float(str(value))
    except ValueError:
        return str(value)
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:,.6f}".rstrip("0").rstrip(".")


def format_literal(literal: Literal) -> str:
    """Numbers (including decimals rdflib leaves as text) with :func:`format_number`; other literals as written."""
    if isinstance(literal.toPython(), (int, float)) or (
        literal.datatype and str(literal.datatype).endswith("#decimal")
    ):
        return format_number(literal)
    return str(literal)


UNCOUNTED_UNITS = {"mu", "percent", "yuan"}  # "800 mu", not "800 mus"


def _unit(unit: str, number: object) -> str:
    """A one-word unit in the plural when the number is not one ("20 sectors"); longer units as written."""
    plural = (" " not in unit and not unit.endswith("s") and unit not in UNCOUNTED_UNITS
              and format_number(number) != "1")
    if not plural:
        return f" {unit}"
    if unit.endswith("y") and unit[-2:-1] not in tuple("aeiou"):
        return f" {unit[:-1]}ies"
    return f" {unit}es" if unit.endswith(("x", "ch", "sh")) else f" {unit}s"


# How a measure with a UN/CEFACT unit code (schema:unitCode) is written after its number.
UNIT_SYMBOLS = {"P1": "%", "KMK": " km²", "MTK": " m²", "HAR": " ha", "ACR": " acres"}


def format_structured(pairs: list[tuple[URIRef, Node]], vocab: Vocab) -> str:
    """An amount or quantity in words: "RMB 2,493,000,000 (CNY)", "more than 20 sectors", "about 15%";
    "" if it is neither.

    A bound or approximation says what the source said (``mcf:qualifier``: "over", "under",
    "nearly"), else "more than"/"at least" from ``mcf:bound`` for a lower bound, "less than"/"at most"
    from ``mcf:maxBound`` for an upper bound, and "about" for ``mcf:approximateValue``.
    """
    props = {str(p)[len(SCHEMA) :]: o for p, o in pairs if str(p).startswith(SCHEMA)}
    qualifier = next((str(o) for p, o in pairs if p == vocab.MCF.qualifier), None)
    approximate = next((o for p, o in pairs if p == vocab.MCF.approximateValue), None)
    exclusive = any(p == vocab.MCF.bound and str(o) == "exclusive" for p, o in pairs)
    max_exclusive = any(p == vocab.MCF.maxBound and str(o) == "exclusive" for p, o in pairs)
    currency = str(props["currency"]) if "currency" in props else None
    code = str(props["unitCode"]) if "unitCode" in props else None

    def amount(n: Node) -> str:
        if currency:
            return f"{CURRENCY_NAMES.get(currency, currency)} {format_number(n)} ({currency})"
        if code in UNIT_SYMBOLS:
            return format_number(n) + UNIT_SYMBOLS[code]
        return format_number(n) + (_unit(str(props["unitText"]), n) if "unitText" in props else "")

    if "value" in props:
        return amount(props["value"])
    if approximate is not None:
        return f"{qualifier or 'about'} {amount(approximate)}"
    if "minValue" in props and "maxValue" in props:
        low = amount(props["minValue"]) if currency else format_number(props["minValue"])
        return f"between {low} and {amount(props['maxValue'])}"
    if "minValue" in props:
        return f"{qualifier or ('more than' if exclusive else 'at least')} {amount(props['minValue'])}"
    if "maxValue" in props:
        return f"{qualifier or ('less than' if max_exclusive else 'at most')} {amount(props['maxValue'])}"
    return ""


def _groups(presenter: Presenter, facts: list[Fact], about: URIRef) -> list[PropertyGroup]:
    """Facts grouped by property, n-ary values with their details; links before literals inside a group;
    groups in label order."""
    groups: dict[URIRef, PropertyGroup] = {}
    for fact in facts:
        group = groups.setdefault(fact.predicate, PropertyGroup(presenter.link(fact.predicate), []))
        value = presenter.fact_value(fact)
        value.details = presenter.details(fact.details, about)
        group.values.append(value)
    for group in groups.values():
        group.values.sort(key=lambda v: (v.link is None, v.inferred, v.text.casefold()))
    return sorted(groups.values(), key=lambda g: g.prop.text.casefold())


class _GraphNode(TypedDict):
    """The ``data`` of one Cytoscape node."""

    id: str
    label: str
    href: str
    external: bool
    centre: bool  # the entity itself


def _graph_data(desc: Description, presenter: Presenter) -> dict[str, list[dict[str, object]]]:
    """Cytoscape elements: the entity, its IRI neighbours both ways, one edge per neighbour and direction.

    Stated facts only: the closure (superclasses, inverses, sameAs copies) would bury them; and
    no bookkeeping (labels, the rdf:subject of link records). Facts between the same two nodes
    share one edge whose label lists them. The entity is the ``centre``; the view groups the
    others by property and direction from the edges.
    """
    nodes: dict[str, _GraphNode] = {}
    edges: dict[tuple[str, str], list[str]] = {}

    def node(link: Link, centre: bool = False) -> str:
        nodes.setdefault(link.iri, {"id": link.iri, "label": link.text, "href": link.href,
                                    "external": link.external, "centre": centre})
        return link.iri

    centre = node(presenter.link(desc.iri), centre=True)
    for facts, outgoing in ((desc.outgoing, True), (desc.incoming, False)):
        for fact in facts:
            if not isinstance(fact.other, URIRef) or fact.predicate in GRAPH_HIDDEN_PREDICATES or fact.inferred:
                continue
            other = presenter.link(fact.other)
            key = (centre, other.iri) if outgoing else (other.iri, centre)
            if key not in edges and len(edges) >= MAX_GRAPH_EDGES:
                continue
            node(other)
            labels = edges.setdefault(key, [])
            label = presenter.link(fact.predicate).text
            if label not in labels:
                labels.append(label)
    return {
        "nodes": [{"data": data} for data in nodes.values()],
        "edges": [{"data": {"id": f"e{i}", "source": source, "target": target, "label": ", ".join(labels)}}
                  for i, ((source, target), labels) in enumerate(edges.items())],
    }


def _details_once(*sections: list[PropertyGroup]) -> None:
    """Keep an n-ary node's details at its first row in page order: a node linked by several properties
    (a product set developed in, produced in and credited to a city) is spelt out once."""
    seen: set[str] = set()
    for value in (v for groups in sections for g in groups for v in g.values):
        if value.details and value.link is not None:
            if value.link.iri in seen:
                value.details = []
            seen.add(value.link.iri)


def _disagreements(presenter: Presenter, desc: Description, facts: list[PropertyGroup]) -> list[Disagreement]:
    """The properties sources disagree on, each value with each source stating it (in the order of the
    sources' titles, then sentences); their rows in ``facts`` are marked disputed."""
    found = []
    for prop, stated in desc.disagreements:
        rows = [(value, cited) for value in map(presenter.fact_value, stated) for cited in value.sources
                if cited.document is not None]
        rows.sort(key=lambda row: (row[1].document_title or row[1].document.text if row[1].document else "",
                                   row[1].paragraph or 0, row[1].sentence or 0, row[0].text.casefold()))
        found.append(Disagreement(presenter.link(prop), rows))
        for value in (v for g in facts if g.prop.iri == str(prop) for v in g.values):
            value.disputed = True
    return found


def entity_page(desc: Description, vocab: Vocab) -> EntityPage:
    """Everything the entity template shows, computed once."""
    documents = desc.documents
    presenter = Presenter(vocab, desc.labels, name_documents=len(documents) > 1)
    title = presenter.best_label(desc.iri)
    labels = [f for f in desc.outgoing if f.predicate in LABEL_PREDICATES]
    types = [
        presenter.fact_value(f) for f in desc.outgoing if f.predicate == RDF.type and isinstance(f.other, URIRef)
    ]
    types.sort(key=lambda v: (v.inferred, v.text.casefold()))
    identity = [f for f in desc.outgoing if f.predicate in IDENTITY_PREDICATES]
    rest = [
        f
        for f in desc.outgoing
        if f.predicate not in LABEL_PREDICATES | IDENTITY_PREDICATES and f.predicate != RDF.type
    ]
    label_values = []
    for fact in sorted(
        labels, key=lambda f: (str(f.predicate) != str(RDFS.label), getattr(f.other, "language", "") or "")
    ):
        value = presenter.fact_value(fact)
        value.link = presenter.link(fact.predicate)  # which kind of label
        label_values.append(value)
    contents = [
        (
            presenter.link(s) if isinstance(s, URIRef) else Link(str(s), "(unnamed node)", ""),
            presenter.link(p),
            presenter.value(o),
            presenter.link(g),
        )
        for s, p, o, g in desc.contents
    ]
    facts = _groups(presenter, [f for f in rest if not f.inferred], desc.iri)
    incoming = _groups(presenter, desc.incoming, desc.iri)
    _details_once(facts, incoming)
    disagreements = _disagreements(presenter, desc, facts)
    return EntityPage(
        iri=str(desc.iri),
        title=str(title) if title is not None else curie(str(desc.iri), vocab),
        title_lang=title.language if title is not None else None,
        labels=label_values,
        types=types,
        facts=facts,
        inferred=_groups(presenter, [f for f in rest if f.inferred], desc.iri),
        identity=_groups(presenter, identity, desc.iri),
        incoming=incoming,
        contents=contents,
        graph=_graph_data(desc, presenter),
        query=desc.query,
        truncated=desc.truncated,
        is_ontology=any(t.link is not None and t.link.iri == str(OWL.Ontology) for t in types),
        documents=[presenter.link(d) for d in documents],
        disagreements=disagreements,
    )
