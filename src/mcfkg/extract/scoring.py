"""How good an extraction is: its candidates scored against a hand-annotated source, sentence by sentence.

The gold standard is a source in the project's conventions (``data/mianyang-mcf-article.trig``, the
invented articles' ``tests/data/extraction/gold/*.trig``): graph ``mcfg:<id>/pP/sS`` holds the facts
sentence S of paragraph P states, and graph ``mcfg:<id>`` the passages with their short excerpts. The
extraction's candidates are grouped by the sentence they came from; the union of a sentence's
candidate triples is compared with that sentence's gold graph, and **a candidate counts only in its
own sentence**: the right fact proposed for the wrong sentence is a false positive there and a miss
here. Rejected candidates are left out; pending and accepted ones are scored alike.

What is compared, in each sentence (both sides are read by the same functions, from the triples
alone, whatever ``kind`` a candidate claims):

- **entities**: the nodes a sentence introduces, i.e. that have an ``rdf:type`` in its graph
  (quantity nodes apart). An extracted node is the gold node with the same IRI (a name the gazetteer
  resolved) or, for a minted IRI, the gold node sharing a normalised label (``rdfs:label``,
  ``skos:altLabel``, ``skos:hiddenLabel``, ``skos:prefLabel``: case, punctuation, dashes and a
  leading "the" ignored). Fact nodes whose gold labels are editorial descriptions (a grant, an
  achievement, an expected outcome, a set, a conferral...) are aligned by structure instead: the
  unmatched extracted node of the same type in the same sentence whose relations agree most with
  the gold node's. Scored twice: by name alone, and by name and type (the same most specific
  class). An extracted node that is an entity the article introduced in another sentence and that
  this sentence mentions (its gold graph refers to it, or one of its labels is in the sentence's
  text) is a re-mention, neither right nor wrong. The extractor proposes no entity candidate for a
  name its gazetteer knows (``known``): such a gold entity counts as found, with the graph's type,
  where a candidate refers to its IRI, and is not expected where none does.
- **amounts**: every ``schema:MonetaryAmount`` as (value in base units, currency, bound), where the
  bound is ``exact`` (``schema:value``), ``lower-exclusive``/``lower-inclusive`` (``schema:minValue``
  with ``mcf:bound``), ``upper-exclusive``/``upper-inclusive`` (``schema:maxValue`` with
  ``mcf:maxBound``) or ``approximate`` (``mcf:approximateValue``); a range is its two bounds, each
  scored. All three must agree.
- **counts**: ``mcf:statedCount``, ``mcf:prizeCount`` and every ``schema:QuantitativeValue`` (a
  percentage or an area too), as (number, bound); the counted noun or unit is shown but not compared.
  **Lower bounds** is the subset of amounts and counts whose bound is a lower bound on the side
  considered (recall over the gold's, precision over the extraction's); **upper bounds and
  approximations** the same for ``upper-…`` and ``approximate``.
- **dates**: literals typed ``xsd:date``, ``xsd:gYearMonth``, ``xsd:gMonthDay``, ``xsd:gYear`` or
  ``xsd:dateTime``. An extracted date matches a gold date when it agrees on every component the
  gold states: the gold keeps "On March 3" as ``--03-03`` (the project never supplies a year the
  text does not give), so an extractor that resolved it to 2025-03-03 from the publication date
  is right, and one that says ``--03-03`` is right too; "recently" has no gold date, so a date
  proposed for it is a false positive.
- **relations**: triples whose object is a node (not ``rdf:type``, ``skos:inScheme`` or a label),
  after mapping the extraction's nodes to gold nodes as above (quantity nodes by their value) and
  writing a property and its ``owl:inverseOf`` one way (``fundedBy`` as ``funds``). Subject,
  property and object must all agree.

The misses and false positives are listed for the rows entities (name + type), amounts, counts, dates
and relations; the other rows count the same items again.

Sentences are identified by the gold passages' excerpts: an extracted sentence whose text contains a
gold passage's excerpt is that passage's sentence, whatever number the extractor gave it (a splitter
that numbers differently is reported in :attr:`Score.notes`, not punished twice); other sentences keep
their own (paragraph, number).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from mcfkg.extract.model import Extraction
from mcfkg.vocab import CANONICAL, Vocab

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")

SentenceKey = tuple[int, int]

NAME_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
DATE_TYPES = (XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth, XSD.gMonthDay)
QUANTITY_TYPES = (SCHEMA.MonetaryAmount, SCHEMA.QuantitativeValue)
VALUE_PREDICATES = (SCHEMA.value, SCHEMA.minValue, SCHEMA.maxValue)
# The ontology's own properties a quantity node's number and bounds are read from, by local name (under any base).
APPROXIMATE_VALUE, BOUND_WORDS = "approximateValue", ("bound", "maxBound")

# Row names, in the order reports show them.
ENTITIES = "entities (name + type)"
ENTITY_NAMES = "entities (name only)"
NAMED = "named: organisations, places, plans, funds, products, awards"
CONCEPTS = "concepts: sectors, fields, areas, indicators"
DESCRIBED = "fact nodes: grants, achievements, outcomes, sets"
AMOUNTS = "amounts (value + currency + bound)"
COUNTS = "counts (number + bound)"
LOWER_BOUNDS = "lower bounds (amounts and counts)"
UPPER_OR_APPROXIMATE = "upper bounds and approximations (amounts and counts)"
DATES = "dates"
RELATIONS = "relations"
SUMMARY_ROWS = (ENTITIES, NAMED, CONCEPTS, DESCRIBED, ENTITY_NAMES, AMOUNTS, COUNTS, LOWER_BOUNDS, UPPER_OR_APPROXIMATE, DATES,
                RELATIONS)
# The rows whose misses and false positives are listed (the others count the same items again).
LISTED_ROWS = (ENTITIES, AMOUNTS, COUNTS, DATES, RELATIONS)
TYPE_ROW = "entity type "  # prefix of the per-type rows: "entity type mcf:City"


@dataclass
class Tally:
    """True positives, false positives and false negatives of one row."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def extracted(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float | None:
        return self.tp / self.extracted if self.extracted else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def __iadd__(self, other: Tally) -> Tally:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self


@dataclass(frozen=True)
class Item:
    """One miss or false positive: where, in which row, what, and why when it is a near miss."""

    sentence: SentenceKey
    row: str
    text: str
    note: str = ""

    def __str__(self) -> str:
        p, s = self.sentence
        return f"p{p}/s{s} {self.row}: {self.text}" + (f" ({self.note})" if self.note else "")


@dataclass
class Score:
    """The rows' tallies, the misses and false positives, and notes on sentence alignment."""

    tallies: dict[str, Tally] = field(default_factory=dict)
    misses: list[Item] = field(default_factory=list)  # in the rows of LISTED_ROWS only
    false_positives: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __getitem__(self, row: str) -> Tally:
        return self.tallies.setdefault(row, Tally())

    def rows(self) -> list[str]:
        """Summary rows first (all of them, even empty), then one row per entity type, by name."""
        types = sorted(r for r in self.tallies if r.startswith(TYPE_ROW))
        return [*SUMMARY_ROWS, *types]

    def __iadd__(self, other: Score) -> Score:
        for row, tally in other.tallies.items():
            mine = self[row]
            mine += tally
        self.misses += other.misses
        self.false_positives += other.false_positives
        self.notes += other.notes
        return self


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


# ------------------------------------------------------------------------------------------ helpers

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


def _date_matches(gold: tuple[int | None, ...], found: tuple[int | None, ...]) -> bool:
    """True when ``found`` states every component ``gold`` states, with the same value."""
    return all(g is None or g == f for g, f in zip(gold, found))


class _Ontology:
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


class _Side:
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


def _datatype(lit: Literal) -> str:
    return str(lit.datatype).rsplit("#", 1)[-1]


def _dates(graph: Graph) -> list[_Date]:
    found = []
    for s, p, o in sorted(graph):
        if isinstance(o, Literal) and o.datatype in DATE_TYPES:
            parts = _date_parts(o)
            if parts is not None:
                found.append(_Date(s, p, o, parts))
    return found


_NOT_RELATIONS = {RDF.type, SKOS.inScheme, *NAME_PREDICATES, PROV.wasDerivedFrom}


def _relations(graph: Graph) -> Iterator[tuple[Node, Node, Node]]:
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


def _align(extraction: Extraction, excerpts: dict[SentenceKey, str], notes: list[str]) -> tuple[
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


# ------------------------------------------------------------------------------------------ scoring

class _Scorer:
    def __init__(self, gold: _Side, found: _Side, ontology: _Ontology, texts: dict[SentenceKey, str],
                 known: set[Node]) -> None:
        self.gold, self.found, self.onto, self.texts, self.known = gold, found, ontology, texts, known
        self.score = Score()
        self.global_map = self._map_by_name()
        self.learned: dict[Node, Node] = {}  # fact nodes aligned by structure, by the first sentence that did

    # -- mapping the extraction's nodes to gold nodes
    def _map_by_name(self) -> dict[Node, Node]:
        gold_nodes = set(self.gold.types) | set(self.gold.names)
        by_name: dict[str, list[Node]] = defaultdict(list)
        for node in sorted(gold_nodes, key=str):
            for name in self.gold.names.get(node, ()):
                by_name[name].append(node)
        mapping: dict[Node, Node] = {}
        for node in sorted(set(self.found.types) | set(self.found.names), key=str):
            names = self.found.names.get(node, set())
            # The same IRI is the same entity (a name the gazetteer resolved), unless the extraction
            # names it otherwise: a minted slug that happens to equal a gold IRI proves nothing.
            if node in gold_nodes and (not names or names & self.gold.names.get(node, set())):
                mapping[node] = node
                continue
            options = sorted({g for name in self.found.names.get(node, ()) for g in by_name.get(name, ())}, key=str)
            if not options:
                continue
            types = self.found.types.get(node, set())
            first = self.found.first.get(node)
            options.sort(key=lambda g: (not (types & self.gold.types.get(g, set())),
                                        self.gold.first.get(g) != first, str(g)))
            mapping[node] = options[0]
        return mapping

    def _map_sentence(self, key: SentenceKey, gold_g: Graph, found_g: Graph) -> dict[Node, Node]:
        smap = dict(self.global_map)
        # Quantity nodes by value: exact key first, then same kind and value (a wrong bound still maps).
        gold_q = [q for q in self.gold.quantities.get(key, []) if q.has_node]
        found_q = [q for q in self.found.quantities.get(key, []) if q.has_node]
        used: set[Node] = set()
        for loose in (False, True):
            for fq in found_q:
                if fq.node in smap and smap[fq.node] in self.gold.quantity_nodes:
                    continue
                for gq in gold_q:
                    same = (fq.kind, fq.value) == (gq.kind, gq.value) if loose else fq.key == gq.key
                    if same and gq.node not in used:
                        smap[fq.node] = gq.node
                        used.add(gq.node)
                        break
        # Fact nodes by structure: same type, most relations in common. An alignment holds for the
        # rest of the article (a grant introduced in one sentence and referred to in the next).
        smap.update(self.learned)
        gold_rel = {self.onto.relation(*t) for t in _relations(gold_g)}
        gold_free = ({n for t in gold_rel for n in (t[0], t[2])} | set(gold_g.subjects(RDF.type, None))) \
            - self.gold.quantity_nodes
        found_rel = {self.onto.relation(*t) for t in _relations(found_g)}
        found_nodes = {n for t in found_rel for n in (t[0], t[2])} | set(found_g.subjects(RDF.type, None))
        for _ in range(2):  # a second pass sees the objects the first one aligned
            taken = {smap[n] for n in found_nodes if n in smap}
            pairs = []
            for n in sorted(found_nodes - self.found.quantity_nodes - set(smap), key=str):
                n_types = self.found.types.get(n, set())
                for g in sorted(gold_free - taken, key=str):
                    g_types = self.gold.types.get(g, set())
                    typed = bool(n_types & g_types)
                    if n_types and g_types and not typed:
                        continue
                    overlap = sum(1 for t in found_rel if (
                        (t[0] == n and (g, t[1], smap.get(t[2], t[2])) in gold_rel)
                        or (t[2] == n and (smap.get(t[0], t[0]), t[1], g) in gold_rel)))
                    if overlap or typed:
                        pairs.append((-overlap, not typed, str(n), str(g), n, g))
            for *_, n, g in sorted(pairs):
                if n not in smap and g not in taken:
                    smap[n] = self.learned[n] = g
                    taken.add(g)
        return smap

    # -- the rows
    def run(self) -> Score:
        keys = sorted(set(self.gold.graphs) | set(self.found.graphs))
        for key in keys:
            gold_g = self.gold.graphs.get(key, Graph())
            found_g = self.found.graphs.get(key, Graph())
            smap = self._map_sentence(key, gold_g, found_g)
            self._entities(key, gold_g, found_g, smap)
            self._quantities(key)
            self._dates(key, gold_g, found_g)
            self._relations(key, gold_g, found_g, smap)
        return self.score

    def _hit(self, row: str) -> None:
        self.score[row].tp += 1

    def _miss(self, key: SentenceKey, row: str, text: str, note: str = "") -> None:
        self.score[row].fn += 1
        if row in LISTED_ROWS:
            self.score.misses.append(Item(key, row, text, note))

    def _false(self, key: SentenceKey, row: str, text: str, note: str = "") -> None:
        self.score[row].fp += 1
        if row in LISTED_ROWS:
            self.score.false_positives.append(Item(key, row, text, note))

    def _type_name(self, cls: Node | None) -> str:
        if cls is None:
            return "(untyped)"
        text = str(cls)
        for prefix, ns in (("mcf:", str(self.onto.vocab.MCF)), ("schema:", str(SCHEMA)), ("org:", str(ORG)),
                           ("prov:", str(PROV)), ("skos:", str(SKOS)), ("foaf:", str(FOAF))):
            if text.startswith(ns):
                return prefix + text[len(ns):]
        return text

    def _entities(self, key: SentenceKey, gold_g: Graph, found_g: Graph, smap: dict[Node, Node]) -> None:
        gold_intro = {s for s in gold_g.subjects(RDF.type, None) if s not in self.gold.quantity_nodes}
        found_intro = {s for s in found_g.subjects(RDF.type, None) if s not in self.found.quantity_nodes}
        # A gold entity the candidates refer to by its own IRI (a resolved name) counts as found here;
        # one the gazetteer knows gets no entity candidate (none is needed), so it is not expected as one.
        referred = set(found_g.all_nodes())
        found_intro |= {n for n in referred if n in gold_intro and n not in self.found.types}
        gold_intro -= {g for g in self.known if g not in referred}
        gold_refs = set(gold_g.all_nodes())
        text = normalise_label(self.texts.get(key, ""))
        matched: set[Node] = set()
        for n in sorted(found_intro, key=str):
            g = smap.get(n)
            n_type = self.onto.primary(self.found.types.get(n, ()))
            if g in gold_intro and g not in matched:
                matched.add(g)
                g_type = self.onto.primary(self.gold.types.get(g, ()))
                group = self.onto.group(g_type)
                self._hit(ENTITY_NAMES)
                if n_type is None and n == g or n_type == g_type:
                    for row in (ENTITIES, group, TYPE_ROW + self._type_name(g_type)):
                        self._hit(row)
                else:
                    note = f"typed {self._type_name(n_type)}, gold {self._type_name(g_type)}"
                    for row in (ENTITIES, self.onto.group(n_type), TYPE_ROW + self._type_name(n_type)):
                        self._false(key, row, self.found.describe(n), note)
                    for row in (ENTITIES, group, TYPE_ROW + self._type_name(g_type)):
                        self._miss(key, row, self.gold.describe(g), note)
                continue
            if g is not None and g not in gold_intro and g in self.gold.first and (
                    g in gold_refs or any(name and re.search(rf"\b{re.escape(name)}\b", text)
                                          for name in self.gold.names.get(g, ()))):
                continue  # a re-mention of an entity introduced elsewhere
            note = "duplicate" if g in matched else ""
            for row in (ENTITIES, ENTITY_NAMES, self.onto.group(n_type), TYPE_ROW + self._type_name(n_type)):
                self._false(key, row, f"{self.found.describe(n)} a {self._type_name(n_type)}", note)
        for g in sorted(gold_intro - matched, key=str):
            g_type = self.onto.primary(self.gold.types.get(g, ()))
            for row in (ENTITIES, ENTITY_NAMES, self.onto.group(g_type), TYPE_ROW + self._type_name(g_type)):
                self._miss(key, row, f"{self.gold.describe(g)} a {self._type_name(g_type)}")

    def _quantities(self, key: SentenceKey) -> None:
        gold_q = list(self.gold.quantities.get(key, []))
        found_q = list(self.found.quantities.get(key, []))
        left = Counter(q.key for q in gold_q)
        hits: Counter[tuple[str, Decimal, str, str | None]] = Counter()
        for fq in found_q:
            if left[fq.key] > 0:
                left[fq.key] -= 1
                hits[fq.key] += 1
                self._hit(AMOUNTS if fq.kind == "amount" else COUNTS)
                if fq.bound_row:
                    self._hit(fq.bound_row)
            else:
                near = [g for g in gold_q if (g.kind, g.value) == (fq.kind, fq.value)]
                note = f"gold {near[0].describe()}" if near else ""
                self._false(key, AMOUNTS if fq.kind == "amount" else COUNTS, fq.describe(), note)
                if fq.bound_row:
                    self._false(key, fq.bound_row, fq.describe(), note)
        for gq in gold_q:
            if hits[gq.key] > 0:
                hits[gq.key] -= 1
                continue
            near = [f for f in found_q if (f.kind, f.value) == (gq.kind, gq.value)]
            note = f"extracted {near[0].describe()}" if near else ""
            self._miss(key, AMOUNTS if gq.kind == "amount" else COUNTS, gq.describe(), note)
            if gq.bound_row:
                self._miss(key, gq.bound_row, gq.describe(), note)

    def _dates(self, key: SentenceKey, gold_g: Graph, found_g: Graph) -> None:
        gold_d = _dates(gold_g)
        used: set[int] = set()
        for fd in _dates(found_g):
            i = next((i for i, gd in enumerate(gold_d) if i not in used and _date_matches(gd.parts, fd.parts)), None)
            if i is None:
                self._false(key, DATES, f"{fd.literal} ({_datatype(fd.literal)})")
            else:
                used.add(i)
                self._hit(DATES)
        for i, gd in enumerate(gold_d):
            if i not in used:
                self._miss(key, DATES, f"{gd.literal} ({_datatype(gd.literal)}) "
                                       f"on {self.gold.describe(gd.subject)}")

    def _relations(self, key: SentenceKey, gold_g: Graph, found_g: Graph, smap: dict[Node, Node]) -> None:
        gold_rel = {self.onto.relation(*t) for t in _relations(gold_g)}
        found_rel = {self.onto.relation(smap.get(s, s), p, smap.get(o, o)) for s, p, o in _relations(found_g)}
        for t in sorted(found_rel, key=str):
            if t in gold_rel:
                self._hit(RELATIONS)
            else:
                self._false(key, RELATIONS, self._triple(t, self.found, smap))
        for t in sorted(gold_rel - found_rel, key=str):
            self._miss(key, RELATIONS, self._triple(t, self.gold))

    def _triple(self, t: tuple[Node, Node, Node], side: _Side, smap: dict[Node, Node] | None = None) -> str:
        def name(n: Node) -> str:
            if n in self.gold.label or n in self.gold.types:
                return self.gold.describe(n)
            return side.describe(n)
        return f"{name(t[0])} {self._type_name(t[1])} {name(t[2])}"


def score(gold: Dataset, source_id: str, extraction: Extraction, ontology: Graph | None = None,
          vocab: Vocab = CANONICAL, known: Iterable[Node] = ()) -> Score:
    """Score ``extraction`` against the source ``source_id`` of ``gold`` (see the module docstring).

    ``ontology`` (``ontology/mcf.ttl``) gives the inverse properties and the class hierarchy that groups
    entity types; without it relations are compared as written and every type is reported alone.
    ``known``: the IRIs the extractor's gazetteer knows. The extractor proposes no entity candidate for
    a known name, so a gold entity among them is expected as an entity only where a candidate refers
    to it (then it is found); relations to it are scored as any others.
    """
    notes: list[str] = []
    mapping, texts = _align(extraction, passages(gold, source_id, vocab), notes)
    gold_side = _Side(sentence_graphs(gold, source_id, vocab), vocab)
    found_side = _Side(extraction_graphs(extraction, mapping), vocab)
    result = _Scorer(gold_side, found_side, _Ontology(ontology, vocab), texts, set(known)).run()
    result.notes = notes
    return result


__all__ = ["LISTED_ROWS", "Item", "Score", "Tally", "extraction_graphs", "normalise_label", "passages", "score", "sentence_graphs"]
