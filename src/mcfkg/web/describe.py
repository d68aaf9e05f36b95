"""Everything the server says about one IRI, gathered with a few SPARQL SELECTs.

One gathering feeds both the HTML page and the RDF bodies, so what a person reads and
what a machine downloads are the same facts. Each fact keeps the named graph it is stated
in; the graph leads to the passage of the source (``prov:wasDerivedFrom``) and so to its
paragraph, sentence and excerpt. Facts in the inferred graph are flagged, never mixed in
silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from mcfkg.store import Store
from mcfkg.vocab import Vocab
from mcfkg.web.prefixes import sparql_prologue

Quad = tuple[Node, URIRef, Node, URIRef]  # an RDF predicate is always an IRI

# The provenance of the graph ?g: the passage it was derived from and where that passage sits.
_PROVENANCE = """
  OPTIONAL {
    GRAPH ?pg {
      ?g prov:wasDerivedFrom ?passage .
      OPTIONAL { ?passage mcf:paragraph ?paragraph }
      OPTIONAL { ?passage mcf:sentence ?sentence }
      OPTIONAL { ?passage mcf:excerpt ?excerpt }
    }
  }"""
_PROV_VARS = "?g ?pg ?passage ?paragraph ?sentence ?excerpt"


@dataclass(frozen=True)
class Source:
    """Where a fact is stated: its named graph and, for facts from the article, the passage."""

    graph: URIRef
    passage: URIRef | None = None
    paragraph: int | None = None
    sentence: int | None = None
    excerpt: str | None = None


@dataclass
class Fact:
    """One triple seen from the described IRI: ``other`` is the object (outgoing) or the subject (incoming)."""

    predicate: URIRef
    other: Node
    sources: list[Source] = field(default_factory=list)
    inferred: bool = False
    # For an object that is a structure (an amount, a quantity, a blank node): its own property/value pairs.
    nested: list[tuple[URIRef, Node]] = field(default_factory=list)


@dataclass
class Description:
    """What is known about ``iri``: its facts both ways, the statements it contains, labels, and the quads behind them."""

    iri: URIRef
    outgoing: list[Fact]
    incoming: list[Fact]
    # Statements of the named graph ``iri``, or of the graphs derived from the passage ``iri``.
    contents: list[Quad]
    labels: dict[URIRef, list[Literal]]
    quads: list[Quad]
    query: str
    truncated: bool

    @property
    def exists(self) -> bool:
        return bool(self.outgoing or self.incoming or self.contents)


def outgoing_query(iri: URIRef, vocab: Vocab, limit: int) -> str:
    """The query that lists the IRI's own facts with their provenance (shown to users as "the query behind this page")."""
    return (
        sparql_prologue(vocab, ("mcf", "prov"))
        + f"SELECT ?p ?o {_PROV_VARS} WHERE {{\n  GRAPH ?g {{ <{iri}> ?p ?o }}{_PROVENANCE}\n}}\nLIMIT {limit}\n"
    )


def _incoming_query(iri: URIRef, vocab: Vocab, limit: int) -> str:
    return (
        sparql_prologue(vocab, ("mcf", "prov"))
        + f"SELECT ?s ?p {_PROV_VARS} WHERE {{\n  GRAPH ?g {{ ?s ?p <{iri}> }}{_PROVENANCE}\n}}\nLIMIT {limit}\n"
    )


def _nested_query(iri: URIRef, vocab: Vocab, limit: int) -> str:
    """Own triples of the values that are structures: blank nodes, amounts and quantities."""
    return sparql_prologue(vocab, ("schema",)) + (
        f"SELECT DISTINCT ?o ?p2 ?o2 ?g WHERE {{\n  GRAPH ?g0 {{ <{iri}> ?p ?o }}\n  GRAPH ?g {{ ?o ?p2 ?o2 }}\n"
        "  FILTER(isBlank(?o) || EXISTS { GRAPH ?g3 { ?o a ?t } FILTER(?t IN (schema:MonetaryAmount, schema:QuantitativeValue)) })\n"
        f"}} LIMIT {limit}\n"
    )


def _contents_query(iri: URIRef, vocab: Vocab, limit: int) -> str:
    return sparql_prologue(vocab, ("prov",)) + (
        f"SELECT ?s ?p ?o ?g WHERE {{\n  {{ BIND(<{iri}> AS ?g) }} UNION {{ GRAPH ?pg {{ ?g prov:wasDerivedFrom <{iri}> }} }}\n"
        f"  GRAPH ?g {{ ?s ?p ?o }}\n}} ORDER BY ?g ?s ?p ?o LIMIT {limit}\n"
    )


def label_query(iris: Iterable[URIRef], vocab: Vocab) -> str:
    """Labels (rdfs:label, skos:prefLabel) of many IRIs at once, in every language."""
    values = " ".join(f"<{i}>" for i in iris)
    return sparql_prologue(vocab, ("rdfs", "skos")) + (
        f"SELECT ?x ?label WHERE {{ VALUES ?x {{ {values} }} GRAPH ?lg {{ ?x rdfs:label|skos:prefLabel ?label }} }}"
    )


def _as_int(node: object) -> int | None:
    if isinstance(node, Literal):
        try:
            return int(node.toPython())
        except (TypeError, ValueError):
            return None
    return None


def _source(row: Mapping[str, Node]) -> Source:
    passage = row.get("passage")
    excerpt = row.get("excerpt")
    return Source(
        graph=row["g"],  # type: ignore[arg-type]
        passage=passage if isinstance(passage, URIRef) else None,
        paragraph=_as_int(row.get("paragraph")),
        sentence=_as_int(row.get("sentence")),
        excerpt=str(excerpt) if excerpt is not None else None,
    )


def _provenance_quads(row: Mapping[str, Node], vocab: Vocab) -> list[Quad]:
    passage, pg = row.get("passage"), row.get("pg")
    if passage is None or pg is None:
        return []
    quads: list[Quad] = [(row["g"], PROV.wasDerivedFrom, passage, pg)]  # type: ignore[list-item]
    for var in ("paragraph", "sentence", "excerpt"):
        if row.get(var) is not None:
            quads.append((passage, vocab.MCF[var], row[var], pg))  # type: ignore[arg-type]
    return quads


def _collect_facts(rows: Sequence[Mapping[str, Node]], other_var: str, inferred_graph: URIRef) -> list[Fact]:
    """Merge rows (one per fact and source) into facts with all their sources, in first-seen order."""
    facts: dict[tuple[Node, Node], Fact] = {}
    for row in rows:
        key = (row["p"], row[other_var])
        fact = facts.setdefault(key, Fact(predicate=row["p"], other=row[other_var]))  # type: ignore[arg-type]
        if row["g"] == inferred_graph:
            fact.inferred = True
            continue
        source = _source(row)
        if source not in fact.sources:
            fact.sources.append(source)
    for fact in facts.values():
        # A fact stated somewhere is asserted, even if the closure also derives it.
        fact.inferred = fact.inferred and not fact.sources
    return list(facts.values())


def describe(store: Store, vocab: Vocab, iri: str, limit: int) -> Description:
    """Gather the description of ``iri``; ``limit`` bounds each query's rows (``truncated`` says if it bit)."""
    subject = URIRef(iri)
    query = outgoing_query(subject, vocab, limit)
    out_rows = store.select(query).rows
    in_rows = store.select(_incoming_query(subject, vocab, limit)).rows
    content_rows = store.select(_contents_query(subject, vocab, limit)).rows
    nested_rows = store.select(_nested_query(subject, vocab, limit)).rows
    truncated = any(len(rows) >= limit for rows in (out_rows, in_rows, content_rows, nested_rows))

    outgoing = _collect_facts(out_rows, "o", vocab.inferred_graph)
    for fact in outgoing:
        fact.nested = list(dict.fromkeys((r["p2"], r["o2"]) for r in nested_rows if r["o"] == fact.other))  # type: ignore[misc]
    incoming = _collect_facts(in_rows, "s", vocab.inferred_graph)
    contents: list[Quad] = [(r["s"], r["p"], r["o"], r["g"]) for r in content_rows]  # type: ignore[misc]

    quads: list[Quad] = [(subject, r["p"], r["o"], r["g"]) for r in out_rows]  # type: ignore[misc]
    quads += [(r["o"], r["p2"], r["o2"], r["g"]) for r in nested_rows]  # type: ignore[misc]
    quads += [(r["s"], r["p"], subject, r["g"]) for r in in_rows]  # type: ignore[misc]
    quads += contents
    for row in (*out_rows, *in_rows):
        quads += _provenance_quads(row, vocab)
    quads = list(dict.fromkeys(quads))

    iris = {n for q in quads for n in q[:3] if isinstance(n, URIRef)} | {subject}
    labels: dict[URIRef, list[Literal]] = {}
    for row in store.select(label_query(sorted(iris), vocab)).rows:
        labels.setdefault(row["x"], []).append(row["label"])  # type: ignore[arg-type]
    return Description(subject, outgoing, incoming, contents, labels, quads, query, truncated)
