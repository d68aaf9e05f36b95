"""Validate a new source against a built graph by validating only the focus nodes it can change.

The full validation (:func:`mcfkg.build.validate_dataset`) runs every shape on every focus node of
the asserted graphs plus their validation closure. After a build that conformed, adding a source
adds triples to that graph (``added``, and the closure triples that follow, ``added_closure``) and
removes none, so a focus node's results change only if its evaluation reads one of the new
triples. :mod:`mcfkg.incremental.reach` says what an evaluation reads, as access paths from the
focus node; walking each path backwards from every new triple finds the focus nodes that read it
(the *affected* ones), and walking forwards from those finds every triple their evaluation reads.
Those triples, the class hierarchy (``sh:class`` reads it whole) and the ontology graph make a
small graph on which :mod:`mcfkg.shacl` validates the affected focus nodes alone: their results
are the ones the full validation gives them, and every other focus node still conforms. The caps
per source (:mod:`mcfkg.per_source`) count within one source, so they are checked on the new one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDFS, SKOS, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from mcfkg import shacl
from mcfkg.incremental.reach import AccessPath, Reach, Step, shape_reach
from mcfkg.incremental.errors import NotIncremental
from mcfkg.incremental.state import STATE_GRAPHS, VALIDATION_CLOSURE
from mcfkg.incremental.terms import OxTerm, Triple, to_ox, triples_to_rdflib
from mcfkg.per_source import per_source_results
from mcfkg.validate import ValidationReport, validate
from mcfkg.vocab import Vocab

_LABELS = (RDFS.label, SKOS.prefLabel)  # what a report names a focus node by (mcfkg.validate.label)
CROWD = 2000  # triples around one node beyond which its steps are looked up one by one


def validate_change(store: ox.Store, added: Iterable[Triple], added_closure: Iterable[Triple], source: Dataset,
                    shapes: Graph, vocab: Vocab, cache: Path | None = None) -> ValidationReport:
    """What :func:`mcfkg.build.validate_dataset` reports on the graph of ``store`` plus a new source.

    ``store`` is the state of a build that conformed (:mod:`mcfkg.incremental.state`), ``added`` the
    asserted triples of the new source, ``added_closure`` the validation-closure triples they add,
    ``source`` the new source's quads (for the caps per source), ``cache`` a file that keeps the
    shapes' SPARQL reads between runs (:func:`mcfkg.incremental.reach.shape_reach`). Raises
    NotIncremental when the shapes read without a bound (see :mod:`mcfkg.incremental.reach`) or
    need pySHACL.
    """
    try:
        reach = shape_reach(shapes, cache)
    except shacl.Unsupported as reason:
        raise NotIncremental(f"mcfkg.shacl cannot evaluate these shapes ({reason}): validate in full") from reason
    world = ValidatedGraph(store, vocab, (*added, *added_closure))
    focus = affected(world, reach)
    data = Graph(store="SimpleMemory")  # no contexts to keep: half the cost of filling and reading it
    _bind(data, shapes, source, vocab)
    data.addN((*triple, data) for triple in neighbourhood(world, reach, focus).union(world.ontology(vocab), world.new))
    report = validate(data, shapes, focus)
    extra = per_source_results(source, shapes, data, vocab)
    if not extra:
        return report
    return ValidationReport(conforms=False, results=[*extra, *report.results], graph=report.graph)


class ValidatedGraph:
    """The graph the full validation reads (asserted graphs and validation closure of the state, plus the
    new triples), looked up one node and one step at a time.

    The state's triples around a node are fetched at once and grouped by predicate (a shape asks
    for a hundred predicates of each focus node, most of them absent), unless the node has more
    than :data:`CROWD` of them (a country everything lies in): then each step is looked up alone.
    """

    def __init__(self, store: ox.Store, vocab: Vocab, change: Iterable[Triple]) -> None:
        self.store = store
        # not validated: the inferred and published closures (typing by domain and range), the VoID
        self.skipped = {ox.NamedNode(str(vocab.inferred_graph)), *STATE_GRAPHS} - {VALIDATION_CLOSURE}
        self.new = {t for t in change if not self.holds(t)}  # what the state lacks: only it can change a result
        self._new: dict[tuple[Node, bool], list[Triple]] = defaultdict(list)
        for triple in self.new:
            self._new[(triple[0], True)].append(triple)
            self._new[(triple[2], False)].append(triple)
        self._around: dict[tuple[Node, bool], dict[Node | None, list[tuple[Triple, Node]]] | None] = {}
        self._steps: dict[tuple[Node, Step], list[tuple[Triple, Node]]] = {}  # steps from crowded nodes

    def holds(self, triple: Triple) -> bool:
        """Whether the state's validated graph has ``triple``."""
        s, p, o = (to_ox(t) for t in triple)
        return next(self._state(s, p, o), None) is not None

    def step(self, node: Node, step: Step) -> list[tuple[Triple, Node]]:
        """The triples one step from ``node`` (predicate None: any), each with the node at their other end."""
        predicate, forward = step
        key = (node, forward)
        if key not in self._around:
            self._around[key] = self._fetch(node, None, forward, CROWD)
        around = self._around[key]
        if around is not None:
            return around.get(predicate, [])
        if (node, step) not in self._steps:  # a crowded node: this step alone
            alone = self._fetch(node, predicate, forward)
            self._steps[(node, step)] = alone.get(predicate, []) if alone is not None else []
        return self._steps[(node, step)]

    def ontology(self, vocab: Vocab) -> Iterable[Triple]:
        """The ontology graph and every rdfs:subClassOf triple: the class hierarchy sh:class and targets read."""
        ontology = ox.NamedNode(str(vocab.ontology_graph))
        yield from triples_to_rdflib(self.store.quads_for_pattern(None, None, None, ontology))
        yield from triples_to_rdflib(self._state(None, to_ox(RDFS.subClassOf), None))

    def _fetch(self, node: Node, predicate: Node | None, forward: bool, most: int | None = None,
               ) -> dict[Node | None, list[tuple[Triple, Node]]] | None:
        """The triples from (or to) ``node`` with ``predicate`` (None: any) by predicate, None among them
        holding all; None if the state has more than ``most``."""
        found = {t for t in self._new.get((node, forward), ()) if predicate is None or t[1] == predicate}
        if not (forward and isinstance(node, Literal)):
            term, wanted = to_ox(node), None if predicate is None else to_ox(predicate)
            quads = self._state(term, wanted, None) if forward else self._state(None, wanted, term)
            for count, triple in enumerate(triples_to_rdflib(quads)):
                if count == most:
                    return None
                found.add(triple)
        grouped: dict[Node | None, list[tuple[Triple, Node]]] = defaultdict(list)
        for triple in found:
            grouped[triple[1]].append((triple, triple[2] if forward else triple[0]))
        grouped[None] = [pair for pairs in grouped.values() for pair in pairs]
        return grouped

    def _state(self, s: OxTerm | None, p: OxTerm | None, o: OxTerm | None) -> Iterator[ox.Quad]:
        quads = self.store.quads_for_pattern(s, p, o)  # type: ignore[arg-type]
        return (q for q in quads if q.graph_name not in self.skipped)


def affected(world: ValidatedGraph, reach: Reach) -> set[Node]:
    """The focus nodes whose evaluation reads a new triple: each access path walked back from it."""
    endings: dict[object, list[tuple[bool, AccessPath]]] = defaultdict(list)
    for (predicate, forward), leads in reach.endings().items():
        endings[predicate].extend((forward, lead) for lead in leads)
    starts: dict[AccessPath, set[Node]] = defaultdict(set)  # walked back together: a step is per node
    for s, p, o in world.new:
        for forward, lead in (*endings[p], *endings[None]):
            starts[lead].add(s if forward else o)
    found: set[Node] = set()
    for lead, nodes in starts.items():
        for predicate, forward in reversed(lead):
            nodes = {other for n in nodes for _, other in world.step(n, (predicate, not forward))}
        found |= nodes
    return found


def neighbourhood(world: ValidatedGraph, reach: Reach, focus: Iterable[Node]) -> set[Triple]:
    """Every triple the evaluation of the ``focus`` nodes can read, and their labels (for the report)."""
    found: set[Triple] = set()
    trie = reach.trie()
    todo: list[tuple[Node, dict]] = [(node, trie) for node in focus]
    for node, _ in todo:
        for predicate in _LABELS:
            found.update(triple for triple, _ in world.step(node, (predicate, True)))
    seen: set[tuple[Node, int]] = set()
    while todo:
        node, below = todo.pop()
        if (node, id(below)) in seen:
            continue
        seen.add((node, id(below)))
        for step, further in below.items():
            for triple, other in world.step(node, step):
                found.add(triple)
                if further:
                    todo.append((other, further))
    return found


def _bind(data: Graph, shapes: Graph, source: Dataset, vocab: Vocab) -> None:
    """The prefixes :func:`mcfkg.reason.validation_graph` gives the full graph (those of the project's
    files: the shapes', the source's, and mcfkg's own), so the report names paths and values alike."""
    own = [(prefix, URIRef(namespace)) for prefix, namespace in (("mcf", vocab.MCF), ("mcfid", vocab.ID),
                                                                 ("mcfg", vocab.GRAPH))]
    for prefix, namespace in (*shapes.namespaces(), *source.namespaces(), *own):
        data.bind(prefix, namespace, override=False)
