"""Adding one source to a built graph through its state: reason, validate and publish only what it changes.

The result is the build a full ``mcfkg build`` of ``data/`` with the source would give (the
tests compare the two), reached in time proportional to the source rather than to the graph:

1. the source's triples join the state's closures (:mod:`.reasoning`) and the focus nodes they
   can affect are validated (:mod:`.validation`); a violation refuses the source with nothing written;
2. the source file is written (the commit point, as in a full build);
3. the state is marked as belonging to no dump, then brought up to date: the source's quads, the
   inferences they add, and the inferred triples the source now states (a full build infers only
   what is not asserted) moved out of the inferred graph;
4. the VoID description and the N-Quads dump (last: servers take a build by it) are rewritten,
   and the state is recorded as belonging to the new dump.

A crash before step 4 ends leaves a dump older than ``data/`` (``mcfkg.dist.staleness``) and a state
belonging to no dump, so the next command builds in full. Dumps in the other formats are not
rewritten (that costs a pass over the whole graph): an ingest through the state removes them,
and ``mcfkg build`` writes them again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import VOID
from rdflib.term import Node

from mcfkg.config import Settings
from mcfkg.export import FORMATS, VOID_FILE, dump_file
from mcfkg.graph import rebase
from mcfkg.incremental import dump as lines
from mcfkg.incremental.reach import CACHE_FILE as REACH_CACHE
from mcfkg.incremental.reasoning import delta_consequences
from mcfkg.incremental.state import (
    MATCH_KEY, MATCH_KEYS, PUBLISHED_CLOSURE, STATE_GRAPHS, VALIDATION_CLOSURE, VOID_GRAPH, forget, key_quads,
    open_state, record, state_dir, wanted,
)
from mcfkg.incremental.stored_graph import StoredGraph
from mcfkg.incremental.terms import Triple, quad_to_rdflib, to_ox, to_quad, to_rdflib
from mcfkg.incremental.validation import validate_change
from mcfkg.incremental.void import updated_void
from mcfkg.sources.document import IncomingSource
from mcfkg.sources.reconcile import Existing, match_keys
from mcfkg.validate import ValidationReport
from mcfkg.vocab import CANONICAL_BASE, Vocab


@dataclass
class Applied:
    """What an incremental ingest added: counts as :class:`mcfkg.build.BuildResult` gives them, and time per stage."""

    asserted: int
    inferred: int
    graphs: int
    report: ValidationReport
    seconds: dict[str, float] = field(default_factory=dict)


class Refused(Exception):
    """The graph with the source does not conform; ``report`` says where. Nothing was written."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__("the source does not conform to the shapes")


@contextmanager
def _timed(seconds: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    seconds[stage] = round(time.perf_counter() - start, 3)


def state_of(settings: Settings) -> ox.Store | None:
    """The state of the current build in ``settings.dist_dir`` if it keeps one, else None (build in full)."""
    if not wanted(_dump(settings), settings.incremental_from_quads):
        return None
    return open_state(settings.dist_dir, _dump(settings))


def apply(settings: Settings, store: ox.Store, incoming: IncomingSource, shapes: Graph, commit: Callable[[], None],
          ) -> Applied:
    """Add the source ``incoming`` (whose file ``commit`` writes into ``data/``) through ``store``.

    Raises :class:`Refused` (nothing written) when the graph with the source does not conform, and
    :class:`mcfkg.incremental.errors.NotIncremental` or :class:`mcfkg.reasoner.Unsupported` when the
    source cannot be added this way (the caller builds in full).
    """
    seconds: dict[str, float] = {}
    vocab = Vocab(settings.base_iri)
    back = lambda node: rebase(node, CANONICAL_BASE, from_base=settings.base_iri)  # noqa: E731
    with _timed(seconds, "load"):
        source = incoming.dataset(settings.base_iri)
        quads = [((s, p, o), g) for s, p, o, g in source.quads((None, None, None, None)) if g is not None]
        added = {triple for triple, _ in quads}
    with _timed(seconds, "reason"):
        gained = delta_consequences(store, added, vocab)
    with _timed(seconds, "validate"):
        report = validate_change(store, added, gained.validation, source, shapes, vocab,
                                 state_dir(settings.dist_dir) / REACH_CACHE)
    if not report.conforms:
        raise Refused(report)
    commit()
    with _timed(seconds, "publish"):
        inferred = ox.NamedNode(str(vocab.inferred_graph))
        terms = {to_rdflib(q.subject) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(str(vocab.ontology_graph)))}
        new_quads = [to_quad(triple, graph) for triple, graph in quads]
        new_inferred = [to_quad(t, inferred) for t in gained.published if t[0] not in terms]
        now_stated = [q for q in (to_quad(t, inferred) for t in added) if q in store]
        published_added = [q for q in new_quads if q not in store] + new_inferred
        directory = state_dir(settings.dist_dir)
        forget(directory)  # from here on the state is changed: a crash leaves it belonging to no dump
        void = StoredGraph(store, VOID_GRAPH)
        updated_void(void, store, [quad_to_rdflib(q) for q in published_added],  # type: ignore[arg-type]
                     [quad_to_rdflib(q) for q in now_stated], vocab)
        _update_state(store, published_added, now_stated, gained.validation, gained.published, added)
        store.extend(key_quads(match_keys((back(s), p, back(o)) for s, p, o in added)))
        for spec in FORMATS.values():  # stale now; `mcfkg build` writes them again
            if spec.name != "nquads":
                (settings.dist_dir / dump_file(spec)).unlink(missing_ok=True)
        _write_void(settings, void)
        lines.rewrite(_dump(settings), published_added, now_stated)
        store.flush()
        record(directory, _dump(settings))
    return Applied(asserted=len(added), inferred=len(new_inferred) - len(now_stated), graphs=len({g for _, g in quads}),
                   report=report, seconds=seconds)


def _update_state(store: ox.Store, published: list[ox.Quad], now_stated: list[ox.Quad], validation: list[Triple],
                  closure: list[Triple], added: set[Triple]) -> None:
    """The state after the change: what a full build of the new data would have written.

    Written in bulk (sorted files handed to RocksDB, no transaction: half the time of ``extend`` here):
    the state already belongs to no dump, so a crash half-way only makes the next command build in full.
    """
    store.bulk_extend([*published, *(to_quad(t, VALIDATION_CLOSURE) for t in validation),
                       *(to_quad(t, PUBLISHED_CLOSURE) for t in closure)])
    for quad in now_stated:
        store.remove(quad)
    for graph in (VALIDATION_CLOSURE, PUBLISHED_CLOSURE):  # a closure holds no asserted triple
        for t in added:
            quad = to_quad(t, graph)
            if quad in store:
                store.remove(quad)


def _dump(settings: Settings) -> Path:
    return settings.dist_dir / dump_file(FORMATS["nquads"])


def _write_void(settings: Settings, void: StoredGraph) -> None:
    """``dist/void.ttl`` (one statement per line, see :func:`mcfkg.incremental.state.write_state`) rewritten by the
    lines that changed, the dumps this ingest removed no longer offered."""
    for spec in FORMATS.values():
        if not (settings.dist_dir / dump_file(spec)).is_file():
            for dataset, _, dumped in list(void.triples((None, VOID.dataDump, None))):
                if str(dumped).endswith("/" + dump_file(spec)):
                    void.remove((dataset, VOID.dataDump, dumped))
                    void.remove((dumped, None, None))
    lines.rewrite(settings.dist_dir / VOID_FILE, [ox.Quad(t.subject, t.predicate, t.object) for t in void.added],
                  [ox.Quad(t.subject, t.predicate, t.object) for t in void.removed])


def existing_for(store: ox.Store, source: IncomingSource, base_iri: str) -> Existing:
    """What reconciling the source needs from the graph, by lookups in the state instead of reading ``data/``:
    the entities sharing a match key with the source's, which of the source's subjects the graph already
    describes and which of its graphs are taken (canonical IRIs, as ``data/`` writes them)."""
    private = {str(g) for g in (*STATE_GRAPHS, ox.NamedNode(str(Vocab(base_iri).inferred_graph)))}
    def there(node: Node) -> Any:  # an IRI of the source as the state has it
        return to_ox(rebase(node, base_iri))

    wanted_keys = {key for keys in match_keys((s, p, o) for s, p, o, _ in source.quads).values() for key in keys}
    by_key = {key: {URIRef(str(q.subject.value)) for q in store.quads_for_pattern(None, MATCH_KEY, ox.Literal(key), MATCH_KEYS)}  # type: ignore[union-attr]
              for key in wanted_keys}
    described = {s for s in {s for s, *_ in source.quads}
                 if any(str(q.graph_name) not in private for q in store.quads_for_pattern(there(s), None, None))}
    graphs: set[Node] = {g for *_, g in source.quads if store.contains_named_graph(there(g))}
    return Existing(by_key, described, graphs)
