"""The operations a pyoxigraph store performs for the server, as plain functions.

They run inside the store's processes (see ``workers.py``): reads in a killable worker,
writes in the process that owns the store. Each answer is serialised where it is computed,
so only bytes cross the process boundary.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TypedDict, cast

import pyoxigraph as ox

from mcfkg.sparql.model import (
    QueryDataset,
    QueryError,
    QueryOutcome,
    ResultTooLarge,
    ServiceFailed,
)
from mcfkg.sparql.lexical import declared_prefixes
from mcfkg.sparql.negotiation import BOOLEAN, GRAPH, SOLUTIONS, ResultFormats
from mcfkg.sparql.safety import check_query, check_update
from mcfkg.sparql.update_dataset import apply_using


@dataclass(frozen=True)
class Limits:
    """Per-operation limits and policy, fixed when the store starts."""

    max_result_rows: int
    service_allowlist: frozenset[str] = frozenset()
    process_memory_mb: int = 0  # what a query, trial or parse process may allocate beyond its store; 0: no limit
    union_excludes: frozenset[str] = frozenset()  # graphs the union default graph leaves out (the vocabulary)
    # Serving a build: the graph that holds the set union of its graphs but ``union_excludes``
    # (``build_graphs.sync`` keeps it), and the build's graphs, which it stands for in the default graph.
    union_graph: str | None = None
    build_graphs: frozenset[str] = frozenset()


def graph_node(iri: str | None) -> ox.NamedNode | ox.DefaultGraph:
    """A graph name for pyoxigraph; None is the default graph. ValueError for a bad IRI."""
    return ox.DefaultGraph() if iri is None else ox.NamedNode(iri)


def rdf_format(media_type: str) -> ox.RdfFormat:
    """The pyoxigraph RDF format for a media type; ValueError if it is not one."""
    found = ox.RdfFormat.from_media_type(media_type.split(";")[0].strip())
    if found is None:
        raise ValueError(f"unsupported RDF media type {media_type}")
    return found


def _results_format(media_type: str) -> ox.QueryResultsFormat:
    found = ox.QueryResultsFormat.from_media_type(media_type)
    assert found is not None, media_type  # negotiation only offers formats pyoxigraph writes
    return found


def _in_memory(body: bytes | None) -> bytes:
    """The bytes a pyoxigraph serializer returns when given no output (its stubs also allow None)."""
    assert body is not None, "pyoxigraph returned no bytes for an in-memory serialisation"
    return body


class _DatasetOptions(TypedDict, total=False):
    """The keyword arguments of ``Store.query`` that choose the query's dataset."""

    default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]
    named_graphs: list[ox.NamedNode | ox.BlankNode]
    use_default_graph_as_union: bool


def dataset_options(store: ox.Store, info_has_from: bool, dataset: QueryDataset, limits: Limits) -> _DatasetOptions:
    """The dataset a query runs on: the protocol's graphs, else its own FROM clauses, else the union
    default graph (when configured), which leaves out the graphs named in ``limits.union_excludes``."""
    if dataset.given:  # the protocol dataset overrides the query's FROM clauses (SPARQL protocol 2.1.4)
        return {"default_graph": [ox.NamedNode(u) for u in dataset.default_graph_uris],
                "named_graphs": [ox.NamedNode(u) for u in dataset.named_graph_uris]}
    if dataset.union_default_graph and not info_has_from:
        return _union_options(store, limits)
    return {}


def _union_options(store: ox.Store, limits: Limits) -> _DatasetOptions:
    """Every graph of the store but ``limits.union_excludes`` as the default graph, as a set of triples;
    every named graph stays named.

    Oxigraph's union (its own, or a list of graphs) yields a triple once per graph that holds it, so
    a fact two sources state would come back twice. A build's graphs are therefore read through
    ``limits.union_graph``, their set union, kept by ``build_graphs.sync``; the graphs clients write
    join it as they are. Without a build (``mcfkg serve --data``), Oxigraph's union serves when none
    of the excluded graphs is in the store (a list costs one index lookup per graph and pattern).
    """
    if limits.union_graph and store.contains_named_graph(union := ox.NamedNode(limits.union_graph)):
        named = [g for g in store.named_graphs() if g != union]
        clients = [g for g in named if isinstance(g, ox.NamedNode) and g.value not in limits.build_graphs]
        return {"default_graph": [union, ox.DefaultGraph(), *clients], "named_graphs": named}
    excludes = limits.union_excludes
    if not any(store.contains_named_graph(ox.NamedNode(iri)) for iri in excludes):
        return {"use_default_graph_as_union": True}
    kept = [g for g in store.named_graphs() if not (isinstance(g, ox.NamedNode) and g.value in excludes)]
    return {"default_graph": [ox.DefaultGraph(), *kept]}


def _capped(items: Iterable[ox.Triple], limit: int) -> Iterator[ox.Triple]:
    for count, item in enumerate(items, start=1):
        if count > limit:
            raise ResultTooLarge(_too_large(limit, "triples"))
        yield item


def _too_large(limit: int, what: str) -> str:
    return (f"the result has more than {limit} {what}, this endpoint's limit; "
            "add LIMIT/OFFSET to page through it, or narrow the query")


# Per results format: a byte string every row boundary writes, and what to add to its count.
# Literals may contain the marker too, except in XML and TSV, which escape it: there the count
# is exact, elsewhere an upper bound on the rows.
_ROW_MARKERS: dict[ox.QueryResultsFormat, tuple[bytes, int]] = {
    ox.QueryResultsFormat.JSON: (b"},{", 1),  # between two binding objects
    ox.QueryResultsFormat.XML: (b"<result>", 0),
    ox.QueryResultsFormat.CSV: (b"\r\n", -1),  # the header line ends with one too
    ox.QueryResultsFormat.TSV: (b"\n", -1),
}
_EXACT_MARKERS = {ox.QueryResultsFormat.XML, ox.QueryResultsFormat.TSV}


class _OverCap(Exception):
    """Raised into pyoxigraph's serialiser to stop it: the answer has more rows than the cap."""


class _CappedBody:
    """A file-like sink for a SELECT answer that counts rows as pyoxigraph writes them and stops it
    past ``cap``: the answer is never materialised beyond the cap, however many rows the query has."""

    def __init__(self, results_format: ox.QueryResultsFormat, cap: int | None) -> None:
        self._marker, self._rows = _ROW_MARKERS[results_format]
        self._cap = cap
        self._parts: list[bytes] = []
        self._tail = b""  # the end of the last chunk: a marker may straddle two writes

    def write(self, chunk: bytes) -> int:
        self._parts.append(chunk)
        seen = self._tail + chunk
        self._rows += seen.count(self._marker)  # the tail is shorter than a marker: no double counts
        self._tail = seen[-(len(self._marker) - 1):]
        if self._cap is not None and self._rows > self._cap:
            raise _OverCap
        return len(chunk)

    def flush(self) -> None:
        pass

    def body(self) -> bytes:
        return b"".join(self._parts)


def _solutions_body(solutions: ox.QuerySolutions, run_again: Callable[[], ox.QuerySolutions],
                    results_format: ox.QueryResultsFormat, cap: int) -> bytes:
    """A SELECT answer serialised while it streams, refused (ResultTooLarge) past ``cap`` rows.

    Where the row count is only an upper bound (JSON, CSV) and passes the cap, the query runs again
    as TSV to count exactly, and a third time, uncapped, if it is within the cap after all: rare
    (literals holding the marker), and each run is itself bounded by the cap and the time limit.
    """
    def serialise(answer: ox.QuerySolutions, fmt: ox.QueryResultsFormat, limit: int | None) -> bytes:
        sink = _CappedBody(fmt, limit)
        answer.serialize(cast(IO[bytes], sink), format=fmt)
        return sink.body()

    try:
        return serialise(solutions, results_format, cap)
    except _OverCap:
        if results_format in _EXACT_MARKERS:
            raise ResultTooLarge(_too_large(cap, "rows")) from None
    try:
        serialise(run_again(), ox.QueryResultsFormat.TSV, cap)
    except _OverCap:
        raise ResultTooLarge(_too_large(cap, "rows")) from None
    return serialise(run_again(), results_format, None)


# CSV and TSV results define no boolean form. We write Jena's (Fuseki's): a one-column table
# whose header is ``_askResult`` (``?_askResult`` in TSV, where headers are variables), so CSV
# readers see a header and a row. pyoxigraph would write a bare ``true``.
_BOOLEAN_TABLES = {"text/csv": ("_askResult", "\r\n"), "text/tab-separated-values": ("?_askResult", "\n")}


def boolean_table(answer: bool, media_type: str) -> bytes | None:
    """An ASK answer as a CSV or TSV table, or None for other media types (the CLI uses it too)."""
    if media_type not in _BOOLEAN_TABLES:
        return None
    header, newline = _BOOLEAN_TABLES[media_type]
    return f"{header}{newline}{str(answer).lower()}{newline}".encode()


def _boolean(result: ox.QueryBoolean, media_type: str) -> bytes:
    """An ASK answer serialised as ``media_type``."""
    table = boolean_table(bool(result), media_type)
    return table if table is not None else _in_memory(result.serialize(format=_results_format(media_type)))


def run_query(store: ox.Store, text: str, formats: ResultFormats, dataset: QueryDataset,
              limits: Limits) -> QueryOutcome:
    """Check, run and serialise one query. Raises QueryError, UnsafeOperation, NotAcceptable, ResultTooLarge."""
    info = check_query(text, limits.service_allowlist)
    options = dataset_options(store, info.has_dataset_clause, dataset, limits)

    def run() -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        return store.query(text, base_iri=dataset.base_iri, **options)

    try:
        result = run()
    except (SyntaxError, ValueError) as exc:
        raise QueryError(str(exc)) from exc
    except OSError as exc:
        raise _evaluation_failed(exc, info.services) from exc
    try:
        if isinstance(result, ox.QueryBoolean):
            media_type = formats.for_kind(BOOLEAN)
            return QueryOutcome(_boolean(result, media_type), media_type, BOOLEAN)
        if isinstance(result, ox.QuerySolutions):
            media_type = formats.for_kind(SOLUTIONS)
            body = _solutions_body(result, cast(Callable[[], ox.QuerySolutions], run),
                                   _results_format(media_type), limits.max_result_rows)
            return QueryOutcome(body, media_type, SOLUTIONS)
        media_type = formats.for_kind(GRAPH)
        return QueryOutcome(graph_body(result, text, media_type, limits), media_type, GRAPH)
    except OSError as exc:  # results are lazy: evaluation errors surface while serialising
        raise _evaluation_failed(exc, info.services) from exc


def graph_body(triples: ox.QueryTriples, text: str, media_type: str, limits: Limits) -> bytes:
    """A CONSTRUCT or DESCRIBE result as a reader expects it, like Jena writes one: each subject's
    triples together, IRIs abbreviated with the query's own PREFIX declarations."""
    ordered = sorted(_capped(triples, limits.max_result_rows), key=lambda t: (str(t.subject), str(t.predicate)))
    declared = declared_prefixes(text)
    try:
        return _in_memory(ox.serialize(ordered, format=rdf_format(media_type), prefixes=declared or None))
    except ValueError:  # a declaration the serialiser refuses (a relative IRI): write full IRIs
        return _in_memory(ox.serialize(ordered, format=rdf_format(media_type)))


def _evaluation_failed(exc: OSError, services: tuple[str, ...]) -> Exception:
    """pyoxigraph's evaluation error as ours: a failing SERVICE call is the remote endpoint's fault.

    The remote endpoint's words stay out of the answer (they could be an internal service's
    body); the operator's log has them.
    """
    if services:
        endpoints = ", ".join(f"<{service}>" for service in services)
        logging.getLogger("mcfkg.store").warning("SERVICE call to %s failed: %s", endpoints, exc)
        return ServiceFailed(f"the SERVICE call to {endpoints} failed: the endpoint could not be reached or "
                             "did not answer with SPARQL results (its answer is not shown); try again later, "
                             "or ask the operator of this endpoint")
    return QueryError(str(exc))


def run_update(store: ox.Store, text: str, using: tuple[str, ...], using_named: tuple[str, ...],
               base_iri: str | None, limits: Limits) -> None:
    """Check and apply one SPARQL update (atomically: all or nothing)."""
    check_update(text, limits.service_allowlist)
    rewritten = apply_using(text, using, using_named)
    try:
        store.update(rewritten, base_iri=base_iri)
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(str(exc)) from exc


def graph_names(store: ox.Store) -> list[str]:
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def _size(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph | None) -> int:
    """Quads in the whole dataset (None) or triples in one graph, counted inside Oxigraph."""
    if graph is None:
        return len(store)
    solutions = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=graph)
    assert isinstance(solutions, ox.QuerySolutions), "a SELECT query answers with solutions"
    count = next(iter(solutions))
    return int(count[0].value)


def dump(store: ox.Store, graph: str | None, media_type: str, limits: Limits,
         prefixes: dict[str, str] | None = None) -> bytes:
    """One graph serialised; KeyError if a named graph does not exist. None in TriG/N-Quads: every graph.

    Refused (ResultTooLarge) past ``limits.max_result_rows`` triples, like a CONSTRUCT answer:
    counted before serialising, so a refusal costs a count, not a serialisation.
    ``prefixes`` abbreviate IRIs in the formats that have prefixes (Turtle, TriG, N3, RDF/XML).
    """
    fmt = rdf_format(media_type)
    node = None if graph is None and fmt.supports_datasets else graph_node(graph)
    if isinstance(node, ox.NamedNode) and not store.contains_named_graph(node):
        raise KeyError(graph)
    if _size(store, node) > limits.max_result_rows:
        what = "quads" if node is None else "triples"
        advice = "read one graph at a time (?graph=<iri>), or page through it" if node is None else "page through it"
        raise ResultTooLarge(f"the {'dataset' if node is None else 'graph'} has more than "
                             f"{limits.max_result_rows} {what}, this endpoint's limit for one answer; "
                             f"{advice} with a SPARQL CONSTRUCT and LIMIT/OFFSET")
    return _in_memory(store.dump(format=fmt, from_graph=node, prefixes=prefixes or None))


def load(store: ox.Store, triples: bytes, graph: str | None, replace: bool) -> bool:
    """Write an upload's parsed triples (N-Triples, from ``mcfkg.sparql.upload``) into ``graph``,
    replacing it when ``replace``. True if the graph is new.

    One transaction, so that after a crash the graph is the old one or the new one, never empty
    or partial: pyoxigraph commits ``clear_graph``, ``add_graph`` and ``extend`` one by one, but
    all the operations of one SPARQL update together. N-Triples is SPARQL's own triple syntax, so
    the triples go into INSERT DATA as they are, and its blank nodes are fresh ones, as an
    upload's must be. A named graph is created even by an empty upload (an empty PUT leaves an
    empty graph).
    """
    node = graph_node(graph)
    created = isinstance(node, ox.NamedNode) and not store.contains_named_graph(node)
    data = triples.decode()
    if isinstance(node, ox.DefaultGraph):
        operations = ["CLEAR SILENT DEFAULT"] if replace else []
        operations.append(f"INSERT DATA {{ {data} }}")
    else:
        operations = [f"CLEAR SILENT GRAPH {node}"] if replace else []
        operations += [f"CREATE SILENT GRAPH {node}", f"INSERT DATA {{ GRAPH {node} {{ {data} }} }}"]
    store.update(" ;\n".join(operations))
    return created


def drop(store: ox.Store, graph: str | None) -> bool:
    """Remove a graph, in one transaction (one SPARQL update, as :func:`load`). False if a named
    graph does not exist; the default graph always exists, and is emptied."""
    node = graph_node(graph)
    if isinstance(node, ox.NamedNode) and not store.contains_named_graph(node):
        return False
    store.update("CLEAR DEFAULT" if isinstance(node, ox.DefaultGraph) else f"DROP GRAPH {node}")
    return True
