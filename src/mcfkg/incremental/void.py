"""The VoID description after an incremental change, brought up to date from the change alone.

:func:`mcfkg.export.void_description` counts everything again, several passes over every triple:
too slow for an ingest into a large graph. Every figure it gives is a count over the union graph
or over one named graph, so each one moves by what the change adds or takes away, and whether a
triple, subject or object is new to the union (or gone from it) is one lookup in the state store:

- totals, class and property partitions, linksets: +1/-1 per triple entering/leaving the union;
- ``void:entities``, ``void:distinctSubjects``/``distinctObjects``: per subject (object) of those
  triples, whether the union held it before and holds it after;
- each named graph's ``void:triples`` and the asserted/inferred subsets: the quads gained or lost;
- the subset of a source document: described again from lookups when the change touches its
  typing, title, passages or fact graphs, or the size of one of them (cost: that document's size);
- title, description and licence: taken again from the ontology header when the change states
  one of them about it. A change to the ontology graph itself is refused (NotIncremental).

Each part is described by the same functions of :mod:`mcfkg.export` the full build uses. The
figures start from the VoID given, which must be the one of the state (as a build writes both).

Every figure is exact but in one case: the store keeps numbers and dates by value, so where the
data spell one value two ways ("1.0" and "1.00" as ``xsd:decimal``, which rdflib keeps apart), a
lookup finds either, and the triple or object counts may be off by those spellings.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence

import pyoxigraph as ox
from rdflib import DCTERMS, OWL, PROV, RDF, VOID, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import IdentifiedNode, Node

from mcfkg.export import (
    CLASS_PARTITION,
    HEADER_PROPERTIES,
    PROPERTY_PARTITION,
    Partition,
    add_partition,
    describe_from_ontology,
    describe_graph,
    describe_sources,
    graph_kind,
    graph_subset,
    integer,
    is_entity,
    void_dataset,
)
from mcfkg.incremental.errors import NotIncremental
from mcfkg.incremental.state import STATE_GRAPHS
from mcfkg.incremental.terms import OxTerm, Triple, to_ox, to_rdflib, triples_to_rdflib
from mcfkg.link.local import LINK_PROPERTIES
from mcfkg.link.void import linksets
from mcfkg.vocab import Vocab

Quad = tuple[Node, Node, Node, Node]  # subject, predicate, object, graph name (rdflib terms)
Pattern = tuple[Node | None, Node | None, Node | None]
_LINKS = frozenset(LINK_PROPERTIES)


def updated_void(void: Graph, store: ox.Store, added: Sequence[Quad], removed: Sequence[Quad], vocab: Vocab) -> Graph:
    """``void`` (the VoID of the dataset in ``store``, changed in place and returned) for the dataset after the
    change: the quads in ``removed`` taken out, then those in ``added`` put in.

    ``store`` is the state before the change (:mod:`mcfkg.incremental.state`); its private graphs are not part
    of the dataset. The result is isomorphic to :func:`mcfkg.export.void_description` of the new dataset.
    ``void`` is changed rather than copied: at a million triples it holds hundreds of thousands, and a
    copy would cost more than the update.
    """
    change = UnionChange.between(store, added, removed, vocab)
    dataset = void_dataset(vocab)
    _update_totals(void, dataset, change, vocab)
    _update_graphs(void, dataset, change, vocab)  # before the sources: they read the graphs' new sizes
    _update_sources(void, dataset, change, vocab)
    _update_linksets(void, dataset, change, vocab)
    _update_header(void, dataset, change, vocab)
    return void


class UnionChange:
    """The change as the union of the published graphs sees it, with lookups into the union before and after.

    The triples entering the union (no graph held them before) are indexed by subject and by object:
    every lookup here binds one of the two, and an rdflib graph of thousands of triples cost more to
    fill than the rest of the update.
    """

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.entering: set[Triple] = set()  # triples no graph held before
        self.leaving: set[Triple] = set()  # triples no graph holds after
        # The same as the store spells them: it keeps a number or date by value ("1.0"^^xsd:decimal comes back "1")
        self.leaving_stored: set[ox.Triple] = set()
        self.graph_sizes: Counter[Node] = Counter()  # per graph name: quads gained minus quads lost
        self._by_subject: dict[Node, list[Triple]] = defaultdict(list)
        self._by_object: dict[Node, list[Triple]] = defaultdict(list)
        self._ox: dict[Node, OxTerm] = {}

    @classmethod
    def between(cls, store: ox.Store, added: Sequence[Quad], removed: Sequence[Quad], vocab: Vocab) -> UnionChange:
        """The change that takes ``removed`` out of the dataset in ``store`` and then puts ``added`` in."""
        gains: dict[Triple, set[Node]] = {}
        losses: dict[Triple, set[Node]] = {}
        ontology = vocab.ontology_graph
        for quads, into in ((added, gains), (removed, losses)):
            for s, p, o, graph in quads:
                if graph == ontology:
                    raise NotIncremental(f"the change writes to the ontology graph ({s} {p} {o}): build in full")
                into.setdefault((s, p, o), set()).add(DATASET_DEFAULT_GRAPH_ID if graph is None else graph)
        change = cls(store)
        for triple in gains.keys() | losses.keys():
            stored = list(change._stored(triple))
            before = {_graph_name(q.graph_name) for q in stored}
            after = (before - losses.get(triple, set())) | gains.get(triple, set())
            change.graph_sizes.update(after - before)
            change.graph_sizes.subtract(before - after)
            if after and not before:
                change.entering.add(triple)
                change._by_subject[triple[0]].append(triple)
                change._by_object[triple[2]].append(triple)
            elif before and not after:
                change.leaving.add(triple)
                change.leaving_stored.add(stored[0].triple)
        return change

    def moved(self) -> Iterator[tuple[Triple, int]]:
        """Each triple entering (+1) or leaving (-1) the union."""
        for triples, sign in ((self.entering, 1), (self.leaving, -1)):
            for triple in triples:
                yield triple, sign

    def links(self, triples: set[Triple]) -> Graph:
        """The links among ``triples`` (the entering or the leaving ones), as :func:`mcfkg.link.void.linksets` reads them."""
        found = Graph()
        for triple in triples:
            if triple[1] in _LINKS:
                found.add(triple)
        return found

    def held_before(self, pattern: Pattern) -> bool:
        """Whether a triple of the union before the change matches ``pattern``."""
        return next(self._stored(pattern), None) is not None

    def held_after(self, pattern: Pattern) -> bool:
        """Whether a triple of the union after the change matches ``pattern``."""
        return next(self.after(pattern), None) is not None

    def after(self, pattern: Pattern) -> Iterator[Triple]:
        """The triples of the union after the change that match ``pattern`` (one may come more than once)."""
        yield from self._entering(pattern)
        yield from triples_to_rdflib(q for q in self._stored(pattern) if q.triple not in self.leaving_stored)

    def ever(self, pattern: Pattern) -> Iterator[Triple]:
        """The triples matching ``pattern`` that the union holds before or after the change."""
        yield from self._entering(pattern)
        yield from triples_to_rdflib(self._stored(pattern))

    def _entering(self, pattern: Pattern) -> Iterator[Triple]:
        s, p, o = pattern
        if s is not None:
            candidates: Iterable[Triple] = self._by_subject.get(s, ())
        elif o is not None:
            candidates = self._by_object.get(o, ())
        else:
            candidates = self.entering
        for triple in candidates:
            if (s is None or triple[0] == s) and (p is None or triple[1] == p) and (o is None or triple[2] == o):
                yield triple

    def _stored(self, pattern: Pattern) -> Iterator[ox.Quad]:
        """The published quads of the store (the union before the change) matching ``pattern``."""
        s, p, o = (None if term is None else self._term(term) for term in pattern)
        for quad in self.store.quads_for_pattern(s, p, o, None):  # type: ignore[arg-type]
            if quad.graph_name not in STATE_GRAPHS:
                yield quad

    def _term(self, term: Node) -> OxTerm:
        """``term`` as the store spells it (remembered: the same few predicates and hubs come back often)."""
        found = self._ox.get(term)
        if found is None:
            found = self._ox[term] = to_ox(term)
        return found


def _graph_name(name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> Node:
    """A graph name of the store as rdflib's Dataset names it."""
    return DATASET_DEFAULT_GRAPH_ID if isinstance(name, ox.DefaultGraph) else to_rdflib(name)


def _update_totals(void: Graph, dataset: URIRef, change: UnionChange, vocab: Vocab) -> None:
    """Triples, entities, distinct subjects and objects of the union, and the class and property partitions."""
    classes: Counter[Node] = Counter()
    properties: Counter[Node] = Counter()
    typing = RDF.type  # once: a namespace's attribute is looked up anew each time
    for (_, p, o), sign in change.moved():
        properties[p] += sign
        if p == typing:
            classes[o] += sign
    totals: Counter[URIRef] = Counter({VOID.triples: len(change.entering) - len(change.leaving)})
    totals[VOID.classes] = _update_partitions(void, dataset, CLASS_PARTITION, classes)
    totals[VOID.properties] = _update_partitions(void, dataset, PROPERTY_PARTITION, properties)
    for subject in {s for (s, _, _), _ in change.moved()}:
        gained = _presence(change, (subject, None, None))
        totals[VOID.distinctSubjects] += gained
        if is_entity(subject, vocab):
            totals[VOID.entities] += gained
    for obj in {o for (_, _, o), _ in change.moved()}:
        totals[VOID.distinctObjects] += _presence(change, (None, None, obj))
    for prop, delta in totals.items():
        if delta:
            _add_to_count(void, dataset, prop, delta)


def _presence(change: UnionChange, pattern: Pattern) -> int:
    """+1 if the union matches ``pattern`` only after the change, -1 if only before, else 0."""
    return int(change.held_after(pattern)) - int(change.held_before(pattern))


def _count(void: Graph, node: Node, prop: URIRef) -> int:
    """The figure ``prop`` of ``node`` in ``void`` (0 when it has none)."""
    value = void.value(node, prop)
    return 0 if value is None else int(str(value))


def _add_to_count(void: Graph, node: Node, prop: URIRef, delta: int) -> int:
    """Add ``delta`` to the figure ``prop`` of ``node``; return the new figure."""
    new = _count(void, node, prop) + delta
    void.set((node, prop, integer(new)))
    return new


def _update_partitions(void: Graph, dataset: URIRef, kind: Partition, deltas: Counter[Node]) -> int:
    """Move the ``kind`` partitions by ``deltas`` (per class or property); return the change in their number."""
    change = 0
    for key, delta in deltas.items():
        if not delta:
            continue
        part = next((p for p in void.subjects(kind.about, key) if (dataset, kind.link, p) in void), None)
        if part is None:
            add_partition(void, dataset, kind, key, delta)
            change += 1
        elif _add_to_count(void, part, kind.size, delta) == 0:
            void.remove((dataset, kind.link, part))
            void.remove((part, None, None))
            change -= 1
    return change


def _update_graphs(void: Graph, dataset: URIRef, change: UnionChange, vocab: Vocab) -> None:
    """Each named graph's ``void:triples``, a graph that was empty now described and one now empty left out,
    and the totals of the asserted and inferred subsets."""
    totals: Counter[URIRef] = Counter()  # each subset's total changed once: a figure rewritten often slows its lookups
    for name, delta in change.graph_sizes.items():
        if not delta:
            continue
        part = graph_subset(dataset, graph_kind(name, vocab))
        old = _count(void, name, VOID.triples)
        if old:
            described = Graph()
            describe_graph(described, part, name, old)
            void -= described
        if old + delta:
            describe_graph(void, part, name, old + delta)
        totals[part] += delta
    for part, delta in totals.items():
        _add_to_count(void, part, VOID.triples, delta)


def _update_sources(void: Graph, dataset: URIRef, change: UnionChange, vocab: Vocab) -> None:
    """Describe again each source document whose subset the change can alter (see :func:`_touched_documents`)."""
    documents = _touched_documents(change, vocab)
    for document in documents:
        _forget_source(void, dataset, document)
    excerpt = _sources_excerpt(change, documents, vocab)
    graphs = excerpt.subjects(RDF.type, vocab.MCF.FactGraph)
    sizes: dict[IdentifiedNode, int] = {g: _count(void, g, VOID.triples) for g in graphs if isinstance(g, URIRef)}
    describe_sources(void, dataset, excerpt, sizes, vocab)


def _touched_documents(change: UnionChange, vocab: Vocab) -> set[Node]:
    """The documents whose typing, title or passages the change touches, or one of whose fact graphs (by the
    graph's typing, derivation or size), before or after it."""
    documents: set[Node] = set()
    graphs = {name for name, delta in change.graph_sizes.items() if delta}
    typing, title, part_of, derived = RDF.type, DCTERMS.title, DCTERMS.isPartOf, PROV.wasDerivedFrom
    document_class, graph_class = vocab.MCF.SourceDocument, vocab.MCF.FactGraph
    for (s, p, o), _ in change.moved():
        if (p == typing and o == document_class) or p == title:
            documents.add(s)
        elif p == part_of:
            documents.add(o)
        elif p == derived or (p == typing and o == graph_class):
            graphs.add(s)
    for graph in graphs:
        for _, _, passage in change.ever((graph, PROV.wasDerivedFrom, None)):
            documents.update(o for _, _, o in change.ever((passage, DCTERMS.isPartOf, None)))
    return documents


def _forget_source(void: Graph, dataset: URIRef, document: Node) -> None:
    """Take ``document`` and its subset out of ``void`` (nothing if it is not there)."""
    if (dataset, DCTERMS.source, document) not in void:
        return
    for part in list(void.subjects(DCTERMS.source, document)):
        if part != dataset and (dataset, VOID.subset, part) in void:
            void.remove((dataset, VOID.subset, part))
            void.remove((part, None, None))
    void.remove((dataset, DCTERMS.source, document))


def _sources_excerpt(change: UnionChange, documents: set[Node], vocab: Vocab) -> Graph:
    """What :func:`mcfkg.export.describe_sources` reads about ``documents`` in the union after the change:
    their typing and titles, their passages, the graphs derived from those and the typing of these graphs."""
    excerpt = Graph()
    for document in documents:
        typing = (document, RDF.type, vocab.MCF.SourceDocument)
        if not change.held_after(typing):
            continue
        excerpt.add(typing)
        for triple in change.after((document, DCTERMS.title, None)):
            excerpt.add(triple)
        for part_of in change.after((None, DCTERMS.isPartOf, document)):
            excerpt.add(part_of)
            for derived in change.after((None, PROV.wasDerivedFrom, part_of[0])):
                excerpt.add(derived)
                excerpt += change.after((derived[0], RDF.type, vocab.MCF.FactGraph))
    return excerpt


def _update_linksets(void: Graph, dataset: URIRef, change: UnionChange, vocab: Vocab) -> None:
    """Move each linkset by the links entering and leaving the union; describe a new one, drop an emptied one."""
    gained = linksets(change.links(change.entering), dataset, vocab)
    lost = linksets(change.links(change.leaving), dataset, vocab)
    for linkset in set(gained.subjects(RDF.type, VOID.Linkset)) | set(lost.subjects(RDF.type, VOID.Linkset)):
        delta = _count(gained, linkset, VOID.triples) - _count(lost, linkset, VOID.triples)
        if not delta:
            continue
        if (dataset, VOID.subset, linkset) not in void:
            void += gained.triples((linkset, None, None))
            void.add((dataset, VOID.subset, linkset))
            void.set((linkset, VOID.triples, integer(delta)))
        elif _add_to_count(void, linkset, VOID.triples, delta) == 0:
            void.remove((linkset, None, None))
            void.remove((dataset, VOID.subset, linkset))


def _update_header(void: Graph, dataset: URIRef, change: UnionChange, vocab: Vocab) -> None:
    """Title, description and licence again when the change states or unstates one about the ontology header."""
    stated = {s for (s, p, _), _ in change.moved() if p in HEADER_PROPERTIES}
    if not stated:
        return
    headers = change.store.quads_for_pattern(None, to_ox(RDF.type), to_ox(OWL.Ontology), to_ox(vocab.ontology_graph))  # type: ignore[arg-type]
    ontology = Graph()
    ontology += itertools.islice(triples_to_rdflib(headers), 1)
    header = next(ontology.subjects(), None)
    if header not in stated:
        return
    for prop in HEADER_PROPERTIES:
        void.remove((dataset, prop, None))
        ontology += change.after((header, prop, None))
    describe_from_ontology(void, dataset, ontology, ontology)
