"""The Store interface every part of the server talks to, and its Oxigraph implementation.

The interface is small on purpose: the SPARQL protocol routes, the graph store routes, the
linked-data pages and the linker use nothing else, so a remote SPARQL store
(``mcfkg.remote.store.RemoteStore``) serves them all.
"""

from __future__ import annotations

import asyncio
import io
from abc import ABC, abstractmethod
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from rdflib.query import Result
from rdflib.term import Node

from mcfkg.config import Settings
from mcfkg.sparql.engine import Engine
from mcfkg.sparql.execute import Limits
from mcfkg.sparql.model import (  # re-exported: callers import them from here
    InvalidRdf,
    ProtectedGraph,
    QueryDataset,
    QueryError,
    QueryOutcome,
    QueryTimeout,
    ResultTooLarge,
    ServiceFailed,
    StoreUnavailable,
)
from mcfkg.sparql.negotiation import NotAcceptable, ResultFormats
from mcfkg.sparql.safety import UnsafeOperation, check_query
from mcfkg.sparql.table import Table
from mcfkg.sparql.update_dataset import UpdateDatasetConflict
from mcfkg.sparql.jobs import StoreSource
from mcfkg.sparql.workers import PoolConfig
from mcfkg.vocab import Vocab

__all__ = [
    "Bindings", "InvalidRdf", "NotAcceptable", "OxigraphStore", "ProtectedGraph", "QueryDataset", "QueryError", "QueryOutcome",
    "QueryTimeout", "ResultFormats", "ResultTooLarge", "ServiceFailed", "Store", "StoreUnavailable", "UnsafeOperation",
    "UpdateDatasetConflict",
]


@dataclass
class Bindings:
    """SELECT results as rdflib terms for in-process callers (pages, linker); unbound variables are absent."""

    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)


class Store(ABC):
    """What the server needs from a triple store. Every call is bounded by the settings' limits.

    Errors: QueryError (malformed or failing operation, 400), UnsafeOperation (policy, 400),
    UpdateDatasetConflict (400), NotAcceptable (406), ResultTooLarge (413), QueryTimeout (503),
    InvalidRdf (bad upload, 400), StoreUnavailable (503), KeyError (no such graph, 404).
    """

    # None while the store takes writes; else why it takes none (a read-only remote store, see
    # mcfkg.remote.replica), for the routes that would change what it serves to refuse with.
    read_only: str | None = None

    @abstractmethod
    def query(self, sparql: str, formats: ResultFormats | str, dataset: QueryDataset | None = None) -> QueryOutcome:
        """Run a query and serialise its answer in the negotiated format for its kind.

        ``formats`` is what content negotiation decided per result kind (or one media type).
        ``dataset`` None: the server's default dataset (when configured, the union of the store's
        graphs but the vocabulary, ``Vocab.vocabulary_graphs``, which GRAPH and FROM still reach).
        """

    @abstractmethod
    def table(self, sparql: str, dataset: QueryDataset | None, max_rows: int) -> Table:
        """Run a query for a reader (the HTML results page): its first rows (triples of a CONSTRUCT), at
        most ``max_rows`` and the result-size cap, and whether it had more. No more rows reach the caller."""

    def select(self, sparql: str) -> Bindings:
        """Run a SELECT for in-process callers; values are rdflib terms (URIRef, Literal, BNode)."""
        outcome = self.query(sparql, "application/sparql-results+json")
        result = Result.parse(io.BytesIO(outcome.body), format="json")
        if result.type != "SELECT":
            raise QueryError("select() runs SELECT queries; use query() for ASK, CONSTRUCT and DESCRIBE")
        variables = [str(v) for v in result.vars or []]
        rows: list[dict[str, Node]] = [{str(k): v for k, v in row.items()} for row in result.bindings]
        return Bindings(variables, rows)

    @abstractmethod
    def update(self, sparql: str, using: QueryDataset | None = None, base_iri: str | None = None) -> None:
        """Run a SPARQL Update. Callers check authorisation first.

        ``using``: the protocol's using-graph-uri (default_graph_uris) and using-named-graph-uri.
        """

    @abstractmethod
    def graph_names(self) -> list[str]:
        """IRIs of the named graphs in the store."""

    @abstractmethod
    def dump(self, graph: str | None, media_type: str, prefixes: dict[str, str] | None = None) -> bytes:
        """Serialise one graph (None: the default graph; in TriG/N-Quads, the whole dataset) as ``media_type``.

        KeyError if it does not exist; ResultTooLarge past the result-size cap. ``prefixes``
        (prefix -> namespace) make Turtle and TriG readable.
        """

    @abstractmethod
    def load(self, data: bytes, media_type: str, graph: str | None, replace: bool,
             base_iri: str | None = None) -> bool:
        """Parse ``data`` whole and add it to ``graph`` (replacing it when ``replace``) in one
        transaction; nothing changes on a parse error (InvalidRdf).

        ``media_type`` is an RDF media type, or ``multipart/form-data; boundary=...`` for a body
        of RDF files, merged. Relative IRIs in ``data`` resolve against ``base_iri`` (the Graph
        Store Protocol's request or graph IRI). Parsing may take ``query_timeout_s`` (QueryTimeout)
        and ``process_memory_mb`` (StoreUnavailable). Returns True when the graph did not exist before.
        """

    @abstractmethod
    def drop(self, graph: str | None) -> bool:
        """Remove a graph's triples (None: the default graph). False if it did not exist."""

    @abstractmethod
    def take_build(self, build: Path) -> str:
        """Bring the build's graphs in step with the N-Quads ``build`` (one transaction); what changed."""

    @abstractmethod
    def close(self) -> None:
        """Release workers and files."""

    async def aquery(self, sparql: str, formats: ResultFormats | str,
                     dataset: QueryDataset | None = None) -> QueryOutcome:
        """``query`` for async callers: never blocks the event loop."""
        return await asyncio.to_thread(self.query, sparql, formats, dataset)

    async def atable(self, sparql: str, dataset: QueryDataset | None, max_rows: int) -> Table:
        """``table`` for async callers: never blocks the event loop."""
        return await asyncio.to_thread(self.table, sparql, dataset, max_rows)

    async def aupdate(self, sparql: str, using: QueryDataset | None = None, base_iri: str | None = None) -> None:
        """``update`` for async callers."""
        await asyncio.to_thread(self.update, sparql, using, base_iri)


def query_limits(settings: Settings) -> Limits:
    """The limits and policy every query runs under: in the server's query processes and in ``mcfkg query``."""
    vocab = Vocab(settings.base_iri)
    return Limits(settings.max_result_rows, frozenset(settings.service_allowlist), settings.process_memory_mb,
                  union_excludes=frozenset(map(str, vocab.vocabulary_graphs)), union_graph=str(vocab.union_graph))


class OxigraphStore(Store):
    """pyoxigraph behind killable worker processes (see mcfkg.sparql.workers and mcfkg.sparql.engine).

    In memory, loaded from ``files`` at start (the default: dist/mcfkg.nq), or on disk at
    ``settings.store_path``. Queries are cut off ``settings.query_timeout_s`` after they arrive
(waiting for a worker included); ``query_workers`` to ``max_query_workers`` processes run them.
    """

    def __init__(self, settings: Settings, files: Sequence[tuple[Path | str, str | None]] = (),
                 build: Path | None = None) -> None:
        self.settings = settings
        source = StoreSource(
            path=str(settings.store_path) if settings.store_path else None,
            files=tuple((str(f), g) for f, g in files),
            build=str(build) if build else None,
        )
        config = PoolConfig(
            workers=max(settings.query_workers, 1),
            timeout_s=settings.query_timeout_s,
            limits=query_limits(settings),
            max_workers=settings.max_query_workers,
            max_long_queries=settings.max_long_queries,
            long_query_s=settings.long_query_s,
            recycle_mb=settings.worker_recycle_mb,
        )
        self._engine = Engine(source, config)

    @classmethod
    def from_dist(cls, settings: Settings) -> "OxigraphStore":
        """The store serving a build, ``dist/mcfkg.nq``: in memory, or an on-disk store brought in step
        with it (and its other graphs kept); the build's graphs change only by ``take_build``."""
        dump = Path(settings.dist_dir) / "mcfkg.nq"
        if not dump.is_file():
            raise FileNotFoundError(f"{dump} does not exist; run `mcfkg build` first")
        return cls(settings, build=dump)

    def _dataset(self, dataset: QueryDataset | None) -> QueryDataset:
        return dataset or QueryDataset(union_default_graph=self.settings.union_default_graph)

    @staticmethod
    def _formats(formats: ResultFormats | str) -> ResultFormats:
        return ResultFormats.only(formats) if isinstance(formats, str) else formats

    def _submit_query(self, sparql: str, formats: ResultFormats | str, dataset: QueryDataset | None) -> Future:
        """Send a query to a query process, or, if it calls allow-listed SERVICE endpoints, to the one
        kind of process that has a network (see ``mcfkg.sparql.federation``). UnsafeOperation at once
        for a SERVICE the allow-list does not permit."""
        kind = "read"
        if self.settings.service_allowlist:
            info = check_query(sparql, frozenset(self.settings.service_allowlist))
            kind = "federated" if info.services else "read"
        return self._engine.submit(kind, ("query", sparql, self._formats(formats), self._dataset(dataset)))

    def query(self, sparql: str, formats: ResultFormats | str, dataset: QueryDataset | None = None) -> QueryOutcome:
        return self._submit_query(sparql, formats, dataset).result()

    async def aquery(self, sparql: str, formats: ResultFormats | str,
                     dataset: QueryDataset | None = None) -> QueryOutcome:
        if self.settings.service_allowlist:  # the SERVICE check may parse with rdflib: not on the event loop
            return await asyncio.wrap_future(await asyncio.to_thread(self._submit_query, sparql, formats, dataset))
        return await asyncio.wrap_future(self._submit_query(sparql, formats, dataset))

    def _submit_table(self, sparql: str, dataset: QueryDataset | None, max_rows: int) -> Future:
        """Send a table job to a query process. A federated query (which only the store process may run,
        see ``_submit_query``) is refused with NotAcceptable: its answer comes as SPARQL results only."""
        if self.settings.service_allowlist and check_query(sparql, frozenset(self.settings.service_allowlist)).services:
            raise NotAcceptable("the HTML results page shows this server's own data; a federated query (SERVICE) "
                                "is answered as SPARQL results only: ask for format=json, xml, csv or tsv")
        rows = min(max_rows, self.settings.max_result_rows)
        return self._engine.submit("read", ("table", sparql, self._dataset(dataset), rows))

    def table(self, sparql: str, dataset: QueryDataset | None, max_rows: int) -> Table:
        return self._submit_table(sparql, dataset, max_rows).result()

    async def atable(self, sparql: str, dataset: QueryDataset | None, max_rows: int) -> Table:
        return await asyncio.wrap_future(self._submit_table(sparql, dataset, max_rows))

    def _update_job(self, sparql: str, using: QueryDataset | None, base_iri: str | None) -> tuple:
        using = using or QueryDataset()
        return ("update", sparql, using.default_graph_uris, using.named_graph_uris, base_iri)

    def update(self, sparql: str, using: QueryDataset | None = None, base_iri: str | None = None) -> None:
        self._engine.call("write", self._update_job(sparql, using, base_iri))

    async def aupdate(self, sparql: str, using: QueryDataset | None = None, base_iri: str | None = None) -> None:
        await asyncio.wrap_future(self._engine.submit("write", self._update_job(sparql, using, base_iri)))

    def graph_names(self) -> list[str]:
        return self._engine.call("read", ("graphs",))

    def dump(self, graph: str | None, media_type: str, prefixes: dict[str, str] | None = None) -> bytes:
        return self._engine.call("read", ("dump", graph, media_type, prefixes))

    def load(self, data: bytes, media_type: str, graph: str | None, replace: bool,
             base_iri: str | None = None) -> bool:
        return self._engine.call("write", ("upload", data, media_type, graph, replace, base_iri))

    def drop(self, graph: str | None) -> bool:
        return self._engine.call("write", ("drop", graph))

    def take_build(self, build: Path) -> str:
        return self._engine.take_build(str(build))

    def close(self) -> None:
        self._engine.close()
