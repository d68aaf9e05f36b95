"""Everything the server says about one IRI, gathered with a few SPARQL SELECTs.

One gathering feeds both the HTML page and the RDF bodies, so what a person reads and
what a machine downloads are the same facts. Each fact keeps the named graph it is stated
in; the graph leads to the passage of the source (``prov:wasDerivedFrom``) and so to its
paragraph, sentence and excerpt. Facts in the inferred graph are flagged, never mixed in
silently.

The description is bounded like a Concise Bounded Description, extended to the model's n-ary
nodes: besides the IRI's own triples (both ways), it holds the stated triples of each neighbour
that is an n-ary node (:data:`NARY_CLASSES`), and the triples of each amount, quantity or blank
node that the IRI or such a neighbour points at (:data:`STRUCTURE_CLASSES`). So Skyeye Laser's
description says its application counts "more than 20 sectors", and Mianyang's holds the prize
count of the conferral it received. It stops there (one hop to an n-ary node, one more to a
structure), and every query is cut at ``limit`` rows (``Settings.page_max_facts``).
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
Pairs = list[tuple[URIRef, Node]]  # a node's own (property, value) pairs

# Classes (local names under ``mcf:``) whose instances stand for one relationship with its
# qualifiers, the n-ary relation pattern of the W3C note "Defining N-ary Relations on the Semantic
# Web": a supplier relationship and its tier, a conferral and its prize count, an application and
# its number of sectors, an expected outcome and its amount, a stated set and its count.
NARY_CLASSES = ("AwardConferral", "ExpectedOutcome", "Grant", "ProductApplication", "StatedSet",
                "SupplierRelationship", "SupportRelationship", "TargetRole", "TechnologyTransfer")
# Values that are structures, shown in words with their own triples (blank nodes are structures too).
STRUCTURE_CLASSES = ("schema:MonetaryAmount", "schema:QuantitativeValue")

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


@dataclass(frozen=True)
class Detail:
    """One stated fact of an n-ary neighbour: property, value, and the value's own pairs if it is a structure."""

    predicate: URIRef
    value: Node
    nested: tuple[tuple[URIRef, Node], ...] = ()


@dataclass
class Fact:
    """One triple seen from the described IRI: ``other`` is the object (outgoing) or the subject (incoming)."""

    predicate: URIRef
    other: Node
    sources: list[Source] = field(default_factory=list)
    inferred: bool = False
    # For an object that is a structure (an amount, a quantity, a blank node): its own property/value pairs.
    nested: Pairs = field(default_factory=list)
    # For a neighbour that is an n-ary node (NARY_CLASSES): its own stated facts, each with the structure of its value.
    details: list[Detail] = field(default_factory=list)


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


def _nary_neighbour(iri: URIRef, var: str) -> str:
    """A pattern binding ``?var`` to each n-ary node that ``iri`` points at or is pointed at by (typing aside:
    a class's instances are not its neighbours)."""
    classes = " ".join(f"mcf:{name}" for name in NARY_CLASSES)
    return (
        f"{{ GRAPH ?na {{ <{iri}> ?np ?{var} }} }} UNION {{ GRAPH ?na {{ ?{var} ?np <{iri}> }} }}\n"
        f"  FILTER(?np != rdf:type && ?{var} != <{iri}>)\n"
        f"  GRAPH ?nt {{ ?{var} a ?nclass }} VALUES ?nclass {{ {classes} }}"
    )


def _nary_query(iri: URIRef, vocab: Vocab, limit: int) -> str:
    """The stated triples of the IRI's n-ary neighbours (the closure's are left out: superclasses and inverses)."""
    return sparql_prologue(vocab, ("mcf", "rdf")) + (
        f"SELECT DISTINCT ?n ?p ?o ?g WHERE {{\n  {_nary_neighbour(iri, 'n')}\n"
        f"  GRAPH ?g {{ ?n ?p ?o }} FILTER(?g != <{vocab.inferred_graph}>)\n}} LIMIT {limit}\n"
    )


def _nested_query(iri: URIRef, vocab: Vocab, limit: int) -> str:
    """Own triples of the structures (blank nodes, amounts, quantities) that the IRI or an n-ary neighbour points at."""
    return sparql_prologue(vocab, ("mcf", "rdf", "schema")) + (
        f"SELECT DISTINCT ?o ?p2 ?o2 ?g WHERE {{\n  {{ BIND(<{iri}> AS ?holder) }} UNION {{\n"
        f"  {_nary_neighbour(iri, 'holder')} }}\n"
        "  GRAPH ?g0 { ?holder ?p ?o }\n  GRAPH ?g { ?o ?p2 ?o2 }\n"
        f"  FILTER(isBlank(?o) || EXISTS {{ GRAPH ?g3 {{ ?o a ?t }} FILTER(?t IN ({', '.join(STRUCTURE_CLASSES)})) }})\n"
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


def _pairs_by_node(rows: Sequence[Mapping[str, Node]], node: str, prop: str, value: str) -> dict[Node, Pairs]:
    """Each ``node``'s distinct (``prop``, ``value``) pairs, in row order."""
    pairs: dict[Node, Pairs] = {}
    for row in rows:
        found = pairs.setdefault(row[node], [])
        pair = (row[prop], row[value])
        if pair not in found:
            found.append(pair)  # type: ignore[arg-type]
    return pairs


def _add_details(facts: Iterable[Fact], nary: Mapping[Node, Pairs], structures: Mapping[Node, Pairs]) -> None:
    """Give each stated fact whose other end is an n-ary node that node's facts, with their structures.

    Inferred facts get none: each mirrors a stated one (an inverse, a super-property) that has them.
    """
    for fact in facts:
        if not fact.inferred:
            fact.details = [Detail(p, o, tuple(structures.get(o, ()))) for p, o in nary.get(fact.other, ())]


def describe(store: Store, vocab: Vocab, iri: str, limit: int) -> Description:
    """Gather the bounded description of ``iri`` (see the module docstring); ``limit`` bounds each query's
    rows (``truncated`` says if it bit)."""
    subject = URIRef(iri)
    query = outgoing_query(subject, vocab, limit)
    out_rows = store.select(query).rows
    in_rows = store.select(_incoming_query(subject, vocab, limit)).rows
    content_rows = store.select(_contents_query(subject, vocab, limit)).rows
    nary_rows = store.select(_nary_query(subject, vocab, limit)).rows
    nested_rows = store.select(_nested_query(subject, vocab, limit)).rows
    truncated = any(len(rows) >= limit for rows in (out_rows, in_rows, content_rows, nary_rows, nested_rows))

    structures = _pairs_by_node(nested_rows, "o", "p2", "o2")
    nary = _pairs_by_node(nary_rows, "n", "p", "o")
    outgoing = _collect_facts(out_rows, "o", vocab.inferred_graph)
    for fact in outgoing:
        fact.nested = structures.get(fact.other, [])
    incoming = _collect_facts(in_rows, "s", vocab.inferred_graph)
    _add_details([*outgoing, *incoming], nary, structures)
    contents: list[Quad] = [(r["s"], r["p"], r["o"], r["g"]) for r in content_rows]  # type: ignore[misc]

    quads: list[Quad] = [(subject, r["p"], r["o"], r["g"]) for r in out_rows]  # type: ignore[misc]
    quads += [(r["n"], r["p"], r["o"], r["g"]) for r in nary_rows]  # type: ignore[misc]
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
