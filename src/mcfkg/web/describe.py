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

Several sources: each fact keeps every graph it is stated in, so a fact two sources state is one
fact with two sources, each with its source document (the passage's ``dcterms:isPartOf``) and
that document's title. When the IRI's own facts cite more than one source document, one more
query asks the ontology which of their properties take one value (:func:`single_valued_query`),
and :func:`disagreements` finds the properties on which sources give different values: the same
rule as ``queries/52-sources-disagree.rq``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD
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
SCHEMA = "https://schema.org/"
# Values of these datatypes are dates: a property stating one takes one value (queries/52-sources-disagree.rq).
DATE_TYPES = frozenset({XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth, XSD.gMonthDay})
# The number of an amount or count node, which takes one value like the quantity properties leading to it.
NUMBER_PROPERTIES = frozenset({URIRef(SCHEMA + "value"), URIRef(SCHEMA + "minValue"), URIRef(SCHEMA + "maxValue"),
                               URIRef(str(Vocab().MCF) + "approximateValue")})

# The provenance of the graph ?g: the passage it was derived from and where that passage sits.
_PROVENANCE = """
  OPTIONAL {
    GRAPH ?pg {
      ?g prov:wasDerivedFrom ?passage .
      OPTIONAL { ?passage mcf:paragraph ?paragraph }
      OPTIONAL { ?passage mcf:sentence ?sentence }
      OPTIONAL { ?passage mcf:excerpt ?excerpt }
      OPTIONAL { ?passage dcterms:isPartOf ?document OPTIONAL { ?document dcterms:title ?documentTitle } }
    }
  }"""
_PROV_VARS = "?g ?pg ?passage ?paragraph ?sentence ?excerpt ?document ?documentTitle"


@dataclass(frozen=True)
class Source:
    """Where a fact is stated: its named graph and, for facts a source states, the passage and the
    source document it is part of (with the document's title)."""

    graph: URIRef
    passage: URIRef | None = None
    paragraph: int | None = None
    sentence: int | None = None
    excerpt: str | None = None
    document: URIRef | None = None
    document_title: str | None = None


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
    # Properties of the IRI's own facts on which source documents give different values, each with
    # those facts (every value of the property, each with its sources); empty with fewer than two sources.
    disagreements: list[tuple[URIRef, list[Fact]]] = field(default_factory=list)

    @property
    def exists(self) -> bool:
        return bool(self.outgoing or self.incoming or self.contents)

    @property
    def documents(self) -> list[URIRef]:
        """The source documents the IRI's facts (both ways) are stated in, in first-cited order."""
        cited = (s.document for f in (*self.outgoing, *self.incoming) for s in f.sources if s.document is not None)
        return list(dict.fromkeys(cited))


def outgoing_query(iri: URIRef, vocab: Vocab, limit: int) -> str:
    """The query that lists the IRI's own facts with their provenance (shown to users as "the query behind this page")."""
    return (
        sparql_prologue(vocab, ("mcf", "prov", "dcterms"))
        + f"SELECT ?p ?o {_PROV_VARS} WHERE {{\n  GRAPH ?g {{ <{iri}> ?p ?o }}{_PROVENANCE}\n}}\nLIMIT {limit}\n"
    )


def _incoming_query(iri: URIRef, vocab: Vocab, limit: int) -> str:
    return (
        sparql_prologue(vocab, ("mcf", "prov", "dcterms"))
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


def single_valued_query(properties: Iterable[URIRef], vocab: Vocab) -> str:
    """Which of ``properties`` the ontology says take one value: owl:FunctionalProperty, and mcf:quantity
    with its sub-properties (the rule of ``queries/52-sources-disagree.rq``; dates and the numbers of
    amounts are recognised without the ontology, see :func:`disagreements`)."""
    values = " ".join(f"<{p}>" for p in properties)
    return sparql_prologue(vocab, ("mcf", "owl", "rdfs")) + (
        f"SELECT DISTINCT ?p WHERE {{ VALUES ?p {{ {values} }}\n"
        f"  GRAPH <{vocab.ontology_graph}> {{ {{ ?p a owl:FunctionalProperty }} UNION {{ ?p a mcf:PerSourceFunctionalProperty }} UNION {{ ?p rdfs:subPropertyOf* mcf:quantity }} }}\n}}"
    )


def _number(node: Node) -> object:
    """A value to compare: numbers by value (5E8 and 500000000 are one number), dates by value within their
    datatype (dates of different precision differ, as in queries/52), any other term as itself."""
    if not isinstance(node, Literal):
        return node
    python = node.toPython()
    if isinstance(python, (int, float, Decimal)) and not isinstance(python, bool):
        try:
            return Decimal(str(python))
        except (InvalidOperation, ValueError):
            return node
    if node.datatype in DATE_TYPES:
        return (str(node.datatype), str(python))
    return node


def _stated_value(fact: Fact) -> tuple[object, str, str]:
    """What a fact states as the one value of its property: (number or term, currency or unit, which kind
    of number: exact, lower or upper bound, approximate). An amount or count node is its number, so two
    nodes holding the same number of the same kind agree."""
    pairs = {str(p): o for p, o in fact.nested}
    unit = pairs.get(SCHEMA + "currency", pairs.get(SCHEMA + "unitText"))
    kinds = (("exact", SCHEMA + "value"), ("lower bound", SCHEMA + "minValue"), ("upper bound", SCHEMA + "maxValue"),
             ("approximate", str(Vocab().MCF) + "approximateValue"))
    stated = [(kind, pairs[key]) for kind, key in kinds if key in pairs]
    kind, number = stated[0] if stated else ("exact", fact.other)
    if len(stated) == 2:  # a range: both bounds make the value
        return (_number(stated[0][1]), _number(stated[1][1])), str(unit) if unit is not None else "", "range"
    return _number(number), str(unit) if unit is not None else "", kind


def disagreements(facts: Sequence[Fact], single_valued: frozenset[URIRef]) -> list[tuple[URIRef, list[Fact]]]:
    """The properties among ``facts`` (stated, outgoing) on which two source documents state different
    values, each with all its stated values, for properties that take one value: those in
    ``single_valued``, the numbers of amounts (exact, bounds, approximate) and any property whose
    value is a date. Values differ by number, currency or unit, or kind of number (exact, bound, range,
    approximate)."""
    by_property: dict[URIRef, list[Fact]] = {}
    for fact in facts:
        if fact.inferred:
            continue
        dated = isinstance(fact.other, Literal) and fact.other.datatype in DATE_TYPES
        if fact.predicate in single_valued or fact.predicate in NUMBER_PROPERTIES or dated:
            by_property.setdefault(fact.predicate, []).append(fact)
    found = []
    for prop, stated in by_property.items():
        claims = [(_stated_value(f), s.document) for f in stated for s in f.sources if s.document is not None]
        if any(va != vb and da != db for i, (va, da) in enumerate(claims) for vb, db in claims[i + 1 :]):
            found.append((prop, [f for f in stated if any(s.document is not None for s in f.sources)]))
    return found


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
    document, title = row.get("document"), row.get("documentTitle")
    return Source(
        graph=row["g"],  # type: ignore[arg-type]
        passage=passage if isinstance(passage, URIRef) else None,
        paragraph=_as_int(row.get("paragraph")),
        sentence=_as_int(row.get("sentence")),
        excerpt=str(excerpt) if excerpt is not None else None,
        document=document if isinstance(document, URIRef) else None,
        document_title=str(title) if title is not None else None,
    )


def _provenance_quads(row: Mapping[str, Node], vocab: Vocab) -> list[Quad]:
    passage, pg = row.get("passage"), row.get("pg")
    if passage is None or pg is None:
        return []
    quads: list[Quad] = [(row["g"], PROV.wasDerivedFrom, passage, pg)]  # type: ignore[list-item]
    for var in ("paragraph", "sentence", "excerpt"):
        if row.get(var) is not None:
            quads.append((passage, vocab.MCF[var], row[var], pg))  # type: ignore[arg-type]
    if (document := row.get("document")) is not None:
        quads.append((passage, DCTERMS.isPartOf, document, pg))  # type: ignore[arg-type]
        if row.get("documentTitle") is not None:
            quads.append((document, DCTERMS.title, row["documentTitle"], pg))  # type: ignore[arg-type]
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
    found = Description(subject, outgoing, incoming, contents, labels, quads, query, truncated)
    own_documents = {s.document for f in outgoing for s in f.sources if s.document is not None}
    if len(own_documents) > 1:  # one source cannot disagree with itself: no query for single-source pages
        properties = sorted({f.predicate for f in outgoing if not f.inferred})
        rows = store.select(single_valued_query(properties, vocab)).rows
        found.disagreements = disagreements(outgoing, frozenset(p for r in rows if isinstance(p := r["p"], URIRef)))
    return found
