"""The facts a gold graph and an extraction are compared on, read the same way from both: names,
types, quantities with their bounds, dates and relations, sentence by sentence."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from mcfkg.extract.model import Extraction
from mcfkg.extract.scoring.model import (
    APPROXIMATE_VALUE,
    BOUND_WORDS,
    CONCEPTS,
    DATE_TYPES,
    DCTERMS,
    DESCRIBED,
    FOAF,
    LOWER_BOUNDS,
    NAME_PREDICATES,
    NAMED,
    ORG,
    PROV,
    QUANTITY_TYPES,
    SCHEMA,
    UPPER_OR_APPROXIMATE,
    VALUE_PREDICATES,
    SentenceKey,
)
from mcfkg.vocab import CANONICAL, Vocab


@dataclass(frozen=True)
class _Quantity:
    node: Node  # the quantity node, or the subject of mcf:statedCount / mcf:prizeCount
    kind: str  # "amount" | "count"
    value: Decimal
    bound: str
    currency: str | None
    unit: str | None
    has_node: bool  # False for a count that is a literal on its set (no node to map)

    @property
    def key(self) -> tuple[str, Decimal, str, str | None]:
        return (self.kind, self.value, self.bound, self.currency)

    @property
    def bound_row(self) -> str | None:
        """The row that scores this number's bound besides its amount or count row: lower bounds apart from
        upper bounds and approximations (a range is scored as its two bounds), none for an exact number."""
        if self.bound == "exact":
            return None
        return LOWER_BOUNDS if self.bound.startswith("lower") else UPPER_OR_APPROXIMATE

    def describe(self) -> str:
        unit = self.currency if self.kind == "amount" else (self.unit or "count")
        return f"{_number(self.value)} {unit} {self.bound}"


@dataclass(frozen=True)
class _Date:
    subject: Node
    predicate: Node
    literal: Literal
    parts: tuple[int | None, int | None, int | None]  # year, month, day



def normalise_label(text: str) -> str:
    """A name as compared: NFKC, case-folded, dashes and quotes unified, punctuation dropped, a leading
    "the" dropped, whitespace collapsed ("Sichuan Jiuzhou Electric Group" = "sichuan jiuzhou electric group")."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\u2010-\u2015\u2212-]", " ", text)
    text = re.sub(r"[\u2018\u2019\u201c\u201d'\"`]", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral_value() else str(value)


def _decimal(node: Node) -> Decimal | None:
    if not isinstance(node, Literal):
        return None
    try:
        return Decimal(str(node))
    except InvalidOperation:
        return None


def _date_parts(lit: Literal) -> tuple[int | None, int | None, int | None] | None:
    text = str(lit).strip()
    dt = lit.datatype
    patterns = {
        XSD.date: r"(-?\d{4,})-(\d{2})-(\d{2})",
        XSD.dateTime: r"(-?\d{4,})-(\d{2})-(\d{2})T.*",
        XSD.gYearMonth: r"(-?\d{4,})-(\d{2})()",
        XSD.gYear: r"(-?\d{4,})()()",
        XSD.gMonthDay: r"--()(\d{2})-(\d{2})",
    }
    m = re.fullmatch(patterns[dt] + r"(?:Z|[+-]\d{2}:\d{2})?", text) if dt in patterns else None
    if not m:
        return None
    year, month, day = (int(g) if g else None for g in m.groups()[:3])
    return (year, month, day)


def date_matches(gold: tuple[int | None, ...], found: tuple[int | None, ...]) -> bool:
    """True when ``found`` states every component ``gold`` states, with the same value."""
    return all(g is None or g == f for g, f in zip(gold, found))


class OntologyTerms:
    """What scoring needs of the ontology: inverse properties and the class hierarchy."""

    NAMED_ROOTS = ("org:Organization", "schema:Place", "mcf:PolicyDocument", "mcf:GuidingIdeology", "mcf:Fund",
                   "mcf:Product", "mcf:Award", "mcf:PartyCongress", "mcf:IndustryCluster", "prov:Person",
                   "foaf:Person")

    def __init__(self, graph: Graph | None, vocab: Vocab) -> None:
        self.graph = graph if graph is not None else Graph()
        self.vocab = vocab
        # An inverse property -> the property it is written as: the one the ontology states
        # owl:inverseOf on (mcf:funds for mcf:fundedBy); of a pair stated both ways, the smaller name.
        stated: dict[frozenset[Node], set[Node]] = defaultdict(set)
        for p, q in self.graph.subject_objects(OWL.inverseOf):
            if isinstance(p, URIRef) and isinstance(q, URIRef) and p != q:
                stated[frozenset((p, q))].add(p)
        self.canonical: dict[Node, Node] = {}
        for pair, subjects in stated.items():
            keep = min(subjects, key=str)
            self.canonical[next(x for x in pair if x != keep)] = keep
        prefixes = {"org:": str(ORG), "schema:": str(SCHEMA), "mcf:": str(vocab.MCF), "prov:": str(PROV),
                    "foaf:": str(FOAF)}

        def expand(name: str) -> URIRef:
            prefix, local = name.split(":", 1)
            return URIRef(prefixes[prefix + ":"] + local)

        self.named_roots = {expand(n) for n in self.NAMED_ROOTS}
        self._supers: dict[Node, set[Node]] = {}

    def supers(self, cls: Node) -> set[Node]:
        """``cls`` and every class above it."""
        if cls not in self._supers:
            seen: set[Node] = set()
            todo = [cls]
            while todo:
                c = todo.pop()
                if c not in seen:
                    seen.add(c)
                    todo.extend(self.graph.objects(c, RDFS.subClassOf))
            self._supers[cls] = seen
        return self._supers[cls]

    def group(self, cls: Node | None) -> str:
        if cls is None:
            return NAMED
        above = self.supers(cls)
        if SKOS.Concept in above:
            return CONCEPTS
        if above & self.named_roots:
            return NAMED
        return DESCRIBED if len(self.graph) else NAMED

    def primary(self, types: Iterable[Node]) -> Node | None:
        """The most specific of ``types``, preferring the ontology's own classes."""
        types = sorted((t for t in types if t not in QUANTITY_TYPES), key=str)
        if not types:
            return None
        ours = [t for t in types if str(t).startswith(str(self.vocab.MCF))] or types
        specific = [t for t in ours if not any(t != u and t in self.supers(u) for u in ours)]
        return (specific or ours)[0]

    def relation(self, s: Node, p: Node, o: Node) -> tuple[Node, Node, Node]:
        return (o, self.canonical[p], s) if p in self.canonical else (s, p, o)


class Side:
    """One side (gold or extraction): its sentence graphs and, over all of them, each node's types and names."""

    def __init__(self, graphs: dict[SentenceKey, Graph], vocab: Vocab) -> None:
        self.graphs = graphs
        self.types: dict[Node, set[Node]] = defaultdict(set)
        self.names: dict[Node, set[str]] = defaultdict(set)
        self.label: dict[Node, str] = {}
        self.first: dict[Node, SentenceKey] = {}
        for key in sorted(graphs):
            for s, p, o in graphs[key]:
                if p == RDF.type:
                    self.types[s].add(o)
                    self.first.setdefault(s, key)
                elif p in NAME_PREDICATES and isinstance(o, Literal):
                    self.names[s].add(normalise_label(str(o)))
                    if p == RDFS.label and (o.language in (None, "en") or s not in self.label):
                        self.label[s] = str(o)
        self.quantities = {key: _quantities(g, self.types, vocab.MCF) for key, g in graphs.items()}
        self.quantity_nodes = {q.node for qs in self.quantities.values() for q in qs if q.has_node}

    def describe(self, node: Node) -> str:
        if node in self.label:
            return f"{self.label[node]!r}"
        text = str(node)
        return text.rsplit("/", 1)[-1] if isinstance(node, URIRef) else text


def _quantities(graph: Graph, types: dict[Node, set[Node]], mcf: Namespace) -> list[_Quantity]:
    found: list[_Quantity] = []
    numbers = (*VALUE_PREDICATES, mcf[APPROXIMATE_VALUE])
    nodes = {s for p in numbers for s in graph.subjects(p, None)}
    for node in sorted(nodes, key=str):
        kinds = {local: str(graph.value(node, mcf[local])).strip().lower() for local in BOUND_WORDS
                 if graph.value(node, mcf[local]) is not None}
        currency = next((str(c) for c in graph.objects(node, SCHEMA.currency)), None)
        amount = currency is not None or SCHEMA.MonetaryAmount in types.get(node, set())
        unit = next((str(u) for u in graph.objects(node, SCHEMA.unitText)), None)
        for predicate in numbers:
            for lit in graph.objects(node, predicate):
                value = _decimal(lit)
                if value is None:
                    continue
                found.append(_Quantity(node, "amount" if amount else "count", value,
                                       _bound(predicate, kinds), currency, unit, True))
    for predicate, unit in ((mcf.statedCount, None), (mcf.prizeCount, "prize")):
        for subject, lit in graph.subject_objects(predicate):
            value = _decimal(lit)
            if value is not None:
                found.append(_Quantity(subject, "count", value, "exact", None, unit, False))
    return found


def _bound(predicate: Node, kinds: dict[str, str]) -> str:
    """The bound in :data:`mcfkg.extract.model.Bound` terms, from the property that holds the number and
    the kind of its bound (``mcf:bound`` for ``schema:minValue``, ``mcf:maxBound`` for ``schema:maxValue``;
    "exclusive" when a file leaves it out, as "more than" is the commoner)."""
    if predicate == SCHEMA.minValue:
        return f"lower-{'inclusive' if kinds.get('bound') == 'inclusive' else 'exclusive'}"
    if predicate == SCHEMA.maxValue:
        return f"upper-{'inclusive' if kinds.get('maxBound') == 'inclusive' else 'exclusive'}"
    return "exact" if predicate == SCHEMA.value else "approximate"


def datatype_of(lit: Literal) -> str:
    return str(lit.datatype).rsplit("#", 1)[-1]


def dates_in(graph: Graph) -> list[_Date]:
    found = []
    for s, p, o in sorted(graph):
        if isinstance(o, Literal) and o.datatype in DATE_TYPES:
            parts = _date_parts(o)
            if parts is not None:
                found.append(_Date(s, p, o, parts))
    return found


_NOT_RELATIONS = {RDF.type, SKOS.inScheme, *NAME_PREDICATES, PROV.wasDerivedFrom}


def relations_in(graph: Graph) -> Iterator[tuple[Node, Node, Node]]:
    for s, p, o in graph:
        if isinstance(o, (URIRef, BNode)) and p not in _NOT_RELATIONS:
            yield s, p, o


def sentence_graphs(dataset: Dataset, source_id: str, vocab: Vocab = CANONICAL) -> dict[SentenceKey, Graph]:
    """The graphs ``mcfg:<source_id>/pP/sS`` of ``dataset``, by (P, S)."""
    pattern = re.compile(re.escape(f"{vocab.GRAPH}{source_id}/") + r"p(\d+)/s(\d+)")
    graphs: dict[SentenceKey, Graph] = {}
    for graph in dataset.graphs():
        m = pattern.fullmatch(str(graph.identifier))
        if m:
            g = Graph()
            for triple in graph:
                g.add(triple)
            graphs[(int(m[1]), int(m[2]))] = g
    return graphs


def passages(dataset: Dataset, source_id: str, vocab: Vocab = CANONICAL) -> dict[SentenceKey, str]:
    """The excerpt of every passage of the source, by (paragraph, sentence)."""
    source = vocab.ID[source_id]
    found: dict[SentenceKey, str] = {}
    for passage, _, _, graph in dataset.quads((None, DCTERMS.isPartOf, source, None)):
        g = dataset.graph(graph) if graph is not None else dataset
        p = g.value(passage, vocab.MCF.paragraph)
        s = g.value(passage, vocab.MCF.sentence)
        excerpt = g.value(passage, vocab.MCF.excerpt)
        if p is not None and s is not None and excerpt is not None:
            found[(int(str(p)), int(str(s)))] = str(excerpt)
    return found


def align_sentences(extraction: Extraction, excerpts: dict[SentenceKey, str], notes: list[str]) -> tuple[
        dict[SentenceKey, SentenceKey], dict[SentenceKey, str]]:
    """Each extracted sentence's gold (paragraph, sentence), and each gold sentence's extracted text."""
    sentences = {(s.paragraph, s.number): s.text for s in extraction.article.sentences}
    for c in extraction.candidates:
        sentences.setdefault((c.sentence.paragraph, c.sentence.number), c.sentence.text)
    mapping: dict[SentenceKey, SentenceKey] = {}
    for gold_key, excerpt in sorted(excerpts.items()):
        holders = [k for k, text in sentences.items() if excerpt in text and k not in mapping]
        if not holders:
            notes.append(f"p{gold_key[0]}/s{gold_key[1]}: no extracted sentence contains the gold excerpt {excerpt!r}")
            continue
        holders.sort(key=lambda k: (k != gold_key, k[0] != gold_key[0], k))
        mapping[holders[0]] = gold_key
        if holders[0] != gold_key:
            notes.append(f"p{gold_key[0]}/s{gold_key[1]} is the extractor's p{holders[0][0]}/s{holders[0][1]} "
                         f"(sentence numbering differs)")
    taken = set(mapping.values())
    for key in sentences:
        if key not in mapping:
            mapping[key] = key if key not in taken else (key[0], 1000 + key[1])  # never a gold sentence
    texts = {mapping[k]: t for k, t in sentences.items()}
    return mapping, texts


def extraction_graphs(extraction: Extraction, mapping: dict[SentenceKey, SentenceKey] | None = None) -> dict[
        SentenceKey, Graph]:
    """The union of each sentence's candidate triples (rejected candidates left out)."""
    graphs: dict[SentenceKey, Graph] = defaultdict(Graph)
    for candidate in extraction.candidates:
        if candidate.status == "rejected":
            continue
        key = (candidate.sentence.paragraph, candidate.sentence.number)
        key = mapping.get(key, key) if mapping else key
        for triple in candidate.triples:
            graphs[key].add(triple)
    return dict(graphs)
