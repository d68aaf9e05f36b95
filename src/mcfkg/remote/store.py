"""``RemoteStore``: the Store interface over a SPARQL 1.1 endpoint that mcfkg does not run.

Every operation is one or two protocol requests (``mcfkg.remote.client``); answers are rewritten
in the negotiated format (``mcfkg.remote.results``); the build is synced into the store by
``mcfkg.remote.build_sync``. What differs from the embedded store, by design:

- **SPARQL Update from clients is off** unless ``store_client_updates`` is set. The embedded store
  protects the build's graphs by running each update first on a copy and comparing digests; a
  remote store offers no copy, and a check of the update's text here would read it with another
  parser than the store's. With updates on, the operator accepts that an update *can* change a
  build graph (the next build that changes that graph repairs it). Graph Store writes name their
  graph, so they stay protected either way (ProtectedGraph, 403).
- The default graph of a query is the build's union graph plus the graphs clients wrote, sent as
  the protocol's ``default-graph-uri`` (and, for a query with a GRAPH pattern, every graph as
  ``named-graph-uri``), so results do not depend on each store's idea of a default graph. The
  store's own unnamed default graph is not in it.
- **A store named by its query URL alone is read-only** (``mcfkg.remote.replica``): builds are not
  taken into it and every write is refused.
- Graph names are cached for ``build_poll_s`` and refreshed at once after this server's own writes;
  which of them are the build's is read from the store's build record with them, so a server sharing
  the store with another that took a newer build does not count that build's graphs twice.
  Listing them scans the store, which takes Virtuoso minutes at 100k quads: with
  ``store_lists_graphs`` off, they are the ones mcfkg wrote (the build record and the graphs of
  Graph Store writes, ``build_sync.KNOWN_GRAPHS``); graphs SPARQL updates create are then unknown.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from mcfkg.config import Settings
from mcfkg.remote import build_sync, replica, results
from mcfkg.remote.client import Answer, ClientLimits, Endpoint, SparqlClient
from mcfkg.sparql.build_graphs import protected_message
from mcfkg.sparql.execute import rdf_format
from mcfkg.sparql.safety import check_query, check_update
from mcfkg.sparql.table import Table
from mcfkg.sparql.update_dataset import apply_using
from mcfkg.sparql.upload import parse as parse_upload
from mcfkg.store import (
    ProtectedGraph,
    QueryDataset,
    QueryOutcome,
    ResultFormats,
    ResultTooLarge,
    Store,
    query_limits,
)

log = logging.getLogger("mcfkg.remote")

_UPDATES_OFF = ("SPARQL Update is off on this endpoint: its data lives in a remote store, where mcfkg cannot "
                "check that an update leaves the build's graphs alone. Write your own triples with the Graph Store "
                "Protocol (PUT or POST /rdf-graph-store?graph=IRI), change sources with mcfkg ingest / retract, or "
                "ask the operator to set MCFKG_STORE_CLIENT_UPDATES=true. Nothing was changed.")


# Every graph of the store: a scan, which takes Virtuoso minutes at 100k quads (store_lists_graphs).
_SCAN = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


class RemoteStore(Store):
    """A remote SPARQL 1.1 store (``settings.store_url``) behind the Store interface."""

    def __init__(self, settings: Settings) -> None:
        if not settings.store_url:
            raise ValueError("RemoteStore needs settings.store_url (--store sparql+http://...)")
        self.settings = settings
        endpoint = Endpoint.parse(settings.store_url, settings.store_user, settings.store_password, settings.store_auth)
        self.client = SparqlClient(endpoint, ClientLimits(settings.query_timeout_s, settings.store_max_response_bytes,
                                                          settings.store_pool_size, settings.store_timeout_parameter))
        self.read_only = None if endpoint.update_url else replica.refusal(endpoint.query_url)
        self.limits = query_limits(settings)
        self.hidden = frozenset((*settings.store_hidden_graphs, build_sync.RECORD_GRAPH, build_sync.CLIENT_GRAPHS))
        self._build_graphs: frozenset[str] = frozenset()
        self._names: tuple[float, list[str]] | None = None  # (when listed, names)
        self._names_lock = threading.Lock()
        # Requests wait on the store in threads of their own, as many as connections: a stalled store
        # holds these (each for at most query_timeout_s), never the threads the rest of the app uses.
        self._threads = ThreadPoolExecutor(settings.store_pool_size, thread_name_prefix="remote-store")

    @classmethod
    def from_dist(cls, settings: Settings) -> RemoteStore:
        """The remote store, brought in step with ``dist/mcfkg.nq``."""
        dump = Path(settings.dist_dir) / "mcfkg.nq"
        if not dump.is_file():
            raise FileNotFoundError(f"{dump} does not exist; run `mcfkg build` first")
        store = cls(settings)
        try:
            report = store.take_build(dump)
        except BaseException:
            store.close()
            raise
        where = store.client.endpoint.query_url
        if store.read_only:
            log.info("the store at %s is read-only (--store names no update URL): mcfkg serves whatever was loaded "
                     "into it and never writes there, so it takes no build and refuses every write; %s", where, report)
        else:
            log.info("the store at %s took the build of dist/: %s", where, report)
        return store

    # --- reads

    def _graphs(self, fresh: bool = False) -> list[str]:
        with self._names_lock:
            if fresh or self._names is None or time.monotonic() - self._names[0] > self.settings.build_poll_s:
                query = _SCAN if self.settings.store_lists_graphs else build_sync.KNOWN_GRAPHS
                parsed = results.parse(self.client.query(query, results.RESULTS_ACCEPT))
                assert isinstance(parsed, ox.QuerySolutions), "a SELECT answers with solutions"
                names = sorted({row["g"].value for row in parsed} - self.hidden)
                # The build's graphs as the store records them, another server's sync included: a graph of a
                # build this server has not taken is the build's, not a client's to join to the union again.
                # A read-only store without a record: all of its graphs are taken for the build's.
                record = frozenset(build_sync.read_record(self.client))
                self._build_graphs = record or (frozenset(names) if self.read_only else self._build_graphs)
                self._names = (time.monotonic(), names)
            return self._names[1]

    def _forget_graphs(self) -> None:
        with self._names_lock:
            self._names = None

    def _dataset(self, dataset: QueryDataset | None, sparql: str, has_from: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The protocol's default and named graphs to send for a query (see the module docstring).

        Every graph is listed as a named graph only for a query with a GRAPH pattern (a store may
        hold thousands, one per sentence, and most queries read the default graph alone), and only
        when ``store_lists_graphs``: Virtuoso keeps every graph named without the list.
        """
        dataset = dataset or QueryDataset(union_default_graph=self.settings.union_default_graph)
        if dataset.given:
            return dataset.default_graph_uris, dataset.named_graph_uris
        union = self.limits.union_graph
        if not dataset.union_default_graph or has_from or not union:
            return (), ()
        names = [graph for graph in self._graphs() if graph != union]
        clients = tuple(graph for graph in names if graph not in self._build_graphs)
        listed = self.settings.store_lists_graphs and results.names_graphs(sparql)
        return (union, *clients), tuple(names) if listed else ()

    def _ask(self, sparql: str, dataset: QueryDataset | None) -> Answer:
        info = check_query(sparql, self.limits.service_allowlist)
        default, named = self._dataset(dataset, sparql, info.has_dataset_clause)
        base = dataset.base_iri if dataset else None
        text = f"BASE {ox.NamedNode(base)}\n{sparql}" if base else sparql
        return self.client.query(text, results.accept_for(sparql), default, named)

    def query(self, sparql: str, formats: ResultFormats | str, dataset: QueryDataset | None = None) -> QueryOutcome:
        formats = ResultFormats.only(formats) if isinstance(formats, str) else formats
        return results.outcome(self._ask(sparql, dataset), formats, sparql, self.limits)

    def table(self, sparql: str, dataset: QueryDataset | None, max_rows: int) -> Table:
        answer = self._ask(sparql, dataset)
        return results.table(answer, min(max_rows, self.limits.max_result_rows))

    async def aquery(self, sparql: str, formats: ResultFormats | str,
                     dataset: QueryDataset | None = None) -> QueryOutcome:
        return await asyncio.wrap_future(self._threads.submit(self.query, sparql, formats, dataset))

    async def atable(self, sparql: str, dataset: QueryDataset | None, max_rows: int) -> Table:
        return await asyncio.wrap_future(self._threads.submit(self.table, sparql, dataset, max_rows))

    async def aupdate(self, sparql: str, using: QueryDataset | None = None, base_iri: str | None = None) -> None:
        await asyncio.wrap_future(self._threads.submit(self.update, sparql, using, base_iri))

    def graph_names(self) -> list[str]:
        return list(self._graphs(fresh=True))

    def _exists(self, graph: str) -> bool:
        answer = self.client.query(f"ASK {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}", results.RESULTS_ACCEPT)
        parsed = results.parse(answer)
        return isinstance(parsed, ox.QueryBoolean) and bool(parsed)

    def dump(self, graph: str | None, media_type: str, prefixes: dict[str, str] | None = None) -> bytes:
        fmt = rdf_format(media_type)
        cap = self.limits.max_result_rows
        if graph is None and fmt.supports_datasets:
            answer = self.client.query(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT {cap + 1}",
                                       results.RESULTS_ACCEPT, named_graphs=self._graphs(fresh=True))
            parsed = results.parse(answer)
            assert isinstance(parsed, ox.QuerySolutions), "a SELECT answers with solutions"
            items: list = [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in parsed]
        else:
            if graph is not None and not self._exists(graph):
                raise KeyError(graph)
            where = f"GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
            answer = self.client.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }} LIMIT {cap + 1}",
                                       results.GRAPH_ACCEPT)
            items = list(results.triples(answer))
        if len(items) > cap:
            raise ResultTooLarge(f"the {'graph' if graph else 'dataset'} has more than {cap} triples, this endpoint's "
                                 "limit for one answer; page through it with a SPARQL CONSTRUCT and LIMIT/OFFSET")
        return ox.serialize(items, format=fmt, prefixes=prefixes or None) or b""

    # --- writes

    def _check_writable(self, graph: str | None) -> None:
        if self.read_only:
            raise ProtectedGraph(self.read_only)
        if graph is not None and (graph in self._build_graphs or graph in self.hidden):
            raise ProtectedGraph(protected_message(graph))

    def update(self, sparql: str, using: QueryDataset | None = None, base_iri: str | None = None) -> None:
        self._check_writable(None)
        if not self.settings.store_client_updates:
            raise ProtectedGraph(_UPDATES_OFF)
        check_update(sparql, self.limits.service_allowlist)
        using = using or QueryDataset()
        text = apply_using(sparql, using.default_graph_uris, using.named_graph_uris)
        self.client.update(f"BASE {ox.NamedNode(base_iri)}\n{text}" if base_iri else text)
        self._forget_graphs()

    def load(self, data: bytes, media_type: str, graph: str | None, replace: bool,
             base_iri: str | None = None) -> bool:
        self._check_writable(graph)
        triples = parse_upload(data, media_type, base_iri).decode()
        created = graph is not None and not self._exists(graph)
        operations = [f"CLEAR SILENT {f'GRAPH {ox.NamedNode(graph)}' if graph else 'DEFAULT'}"] if replace else []
        operations += build_sync.fill(graph, triples)
        if graph is not None:
            operations.append(build_sync.note_client_graph(graph, present=True))
        if operations:
            self.client.update(" ;\n".join(operations))
        self._forget_graphs()
        return created

    def drop(self, graph: str | None) -> bool:
        self._check_writable(graph)
        if graph is None:
            self.client.update("CLEAR SILENT DEFAULT")
            return True
        if not self._exists(graph):
            return False
        self.client.update(f"DROP SILENT GRAPH {ox.NamedNode(graph)} ;\n{build_sync.note_client_graph(graph, present=False)}")
        self._forget_graphs()
        return True

    def take_build(self, build: Path) -> str:
        """Bring the build's graphs in step with the N-Quads ``build`` (one update); what changed. A read-only
        store is left as it is: what it holds, against ``build``."""
        existing = frozenset(self._graphs(fresh=True))
        if self.read_only:
            union = self.limits.union_graph
            held = union is not None and self._exists(union)
            return f"read-only store: {replica.compare(self.client, build, self.limits, held)}"
        report, self._build_graphs = build_sync.sync(self.client, build, self.limits, self.settings.store_sync_timeout_s,
                                                     self.settings.store_max_update_bytes, existing)
        self._forget_graphs()
        return str(report)

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
        self.client.close()
