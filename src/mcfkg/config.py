"""Every setting of mcfkg in one typed object.

Values come from keyword arguments (the CLI's flags) or from ``MCFKG_*`` environment
variables, so a deployment can be configured without code. Limits are named settings,
never literals scattered through the request path.
"""

from __future__ import annotations

import os
import types
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Union, get_args, get_origin, get_type_hints

from mcfkg.vocab import BASE_IRI_EXAMPLE, CANONICAL_BASE, base_iri_problem

PROJECT_ROOT = Path(__file__).resolve().parents[2]
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


class SettingsError(ValueError):
    """An ``MCFKG_*`` variable whose value cannot be read; the message names it and what it takes."""


def _from_text(variable: str, kind: object, raw: str) -> object:
    """``raw`` (an environment variable's value) as the field type ``kind``; SettingsError if it is not one."""
    if get_origin(kind) in (Union, types.UnionType):  # ``X | None``: the variable, when set, gives an X
        kind = next(arg for arg in get_args(kind) if arg is not type(None))
    text = raw.strip()
    if kind is bool:
        if text.lower() not in _TRUE | _FALSE:
            raise SettingsError(f"{variable}={raw!r}: use true or false (or 1/0, yes/no, on/off)")
        return text.lower() in _TRUE
    if kind is int or kind is float:
        try:
            return int(text) if kind is int else float(text)
        except ValueError:
            wanted = "a whole number such as 30" if kind is int else "a number such as 2.5"
            raise SettingsError(f"{variable}={raw!r}: expected {wanted}") from None
    if get_origin(kind) is tuple:  # a comma-separated list
        return tuple(item.strip() for item in text.split(",") if item.strip())
    if kind is Path:
        return Path(text).expanduser()
    return text


@dataclass(frozen=True)
class Settings:
    """Settings for build, store and server. Secure defaults: read-only, no outbound fetch."""

    base_iri: str = CANONICAL_BASE
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    data_dir: Path = PROJECT_ROOT / "data"
    queries_dir: Path = PROJECT_ROOT / "queries"
    dist_dir: Path = PROJECT_ROOT / "dist"
    # None: an in-memory store loaded from dist/ at start; a path: a persistent on-disk store.
    store_path: Path | None = None
    # A remote SPARQL 1.1 store instead (--store sparql+http://QUERY[,UPDATE], see mcfkg.remote): its
    # account (HTTP basic, or digest as Virtuoso's /sparql-auth asks), the connections kept open to it,
    # the bytes one answer may have (read as it streams, cut off past it), the query parameter that
    # passes query_timeout_s on to it in milliseconds (Virtuoso: timeout; empty: none; this side always
    # stops waiting after query_timeout_s), how long taking a build may take and the largest update it
    # sends at once (past it, several: not one transaction; Virtuoso takes 10 MB), whether clients may send
    # it SPARQL updates (mcfkg cannot check those leave the build's graphs alone), whether mcfkg lists the
    # store's graphs (a scan) and names them all in a query with GRAPH (the protocol's way, which the
    # Oxigraph server needs; Virtuoso scans for minutes at 100k quads, keeps its graphs named anyway and
    # slows down badly on long lists: false there, and then mcfkg knows the graphs it wrote, and GRAPH ?g
    # also sees the union graph), and graphs of the store's own that mcfkg neither lists nor serves
    # (Virtuoso's system graphs).
    store_url: str | None = None
    store_user: str | None = None
    store_password: str | None = field(default=None, repr=False)
    store_auth: str = "basic"
    store_pool_size: int = 16
    store_max_response_bytes: int = 256_000_000
    store_timeout_parameter: str = ""
    store_sync_timeout_s: float = 600.0
    store_max_update_bytes: int = 8_000_000
    store_client_updates: bool = False
    store_lists_graphs: bool = True
    store_hidden_graphs: tuple[str, ...] = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#",
                                            "http://localuriqaserver/sparql", "http://www.w3.org/2002/07/owl#")
    # Requests
    query_timeout_s: float = 30.0
    max_result_rows: int = 100_000
    max_request_bytes: int = 1_000_000
    max_upload_bytes: int = 50_000_000
    # Connections: a request's headers must arrive within request_header_timeout_s of the server
    # waiting for them (connection opened, or previous answer sent) and its body within
    # request_body_timeout_s after them (a 50 MB upload needs about 1 MB/s), else the connection is
    # closed (a 408 where one can still be sent); an idle kept-alive connection closes after keep_alive_timeout_s.
    request_header_timeout_s: float = 10.0
    request_body_timeout_s: float = 60.0
    keep_alive_timeout_s: int = 5
    query_workers: int = 2
    # More query processes are forked on demand, up to this many, while queries wait for one
    # (so runaway queries cannot block short ones); extras are retired when idle.
    max_query_workers: int = 8
    # Of those, at most this many may hold queries running longer than long_query_s; a long query
    # past that share is stopped (503), so the rest of the pool always answers short queries.
    max_long_queries: int = 6
    long_query_s: float = 0.5
    # Memory each query, update trial or upload parse may allocate beyond the store it shares;
    # past it the operation fails with a 503 that names this limit. The total across processes
    # is bounded by this times (max_query_workers + 3): one update trial and two upload parses.
    process_memory_mb: int = 1024
    # A query process forked from an in-memory store shares its pages until it writes to them, and
    # reading the store writes (locks, reference counts): after a query over much of the graph it
    # holds a private copy of that much. One whose own pages pass this after a long query (or every
    # thousand queries) is replaced by a fresh fork, so idle processes cost megabytes, not a store each. 0: never.
    worker_recycle_mb: int = 64
    # An ingest into a build of at least this many quads goes through the build's state (mcfkg.incremental):
    # it reasons and validates only what the source changes, and keeps the N-Quads dump and VoID
    # current but removes the other dumps until the next `mcfkg build`. A smaller build is rebuilt whole.
    incremental_from_quads: int = 200_000
    # How often a server looks for a new build in dist/ (made by mcfkg ingest, retract or build) to serve.
    build_poll_s: float = 2.0
    # POST /sources and DELETE /sources/{id} run an ingest or retract (a whole rebuild) in a child
    # process; past this time or memory it is stopped and nothing changes.
    source_change_timeout_s: float = 900.0
    source_change_memory_mb: int = 4096
    # The review files of articles posted to POST /review (`mcfkg extract` writes one per article,
    # the review pages change their candidates' statuses in place); never read by a build.
    review_dir: Path = PROJECT_ROOT / "var" / "reviews"
    # Writes are refused unless a token is configured.
    update_token: str | None = None
    # SERVICE endpoints a query may call; empty: none.
    service_allowlist: tuple[str, ...] = field(default_factory=tuple)
    # `mcfkg link`: the Wikidata-shaped SPARQL endpoint it asks (only when a person runs it), and its bound.
    link_endpoint: str = "https://query.wikidata.org/sparql"
    link_timeout_s: float = 20.0
    # `mcfkg link propose` and `mcfkg extract --link` also ask this GeoNames search service for places,
    # only when a GeoNames username is set (the service refuses calls without one; register at
    # https://www.geonames.org/login): unset, nothing is sent to GeoNames.
    geonames_service: str = "https://secure.geonames.org"
    geonames_username: str | None = None
    # Linked-data pages: rows fetched per query for one IRI's description (more are cut, and the page says so).
    page_max_facts: int = 2_000
    # The HTML results page (format=html): rows it shows, fetched no further; a longer answer is cut
    # there, and the page links to all of it as CSV or JSON (up to max_result_rows).
    html_max_rows: int = 1_000
    # Treat the union of all graphs but the vocabulary (Vocab.vocabulary_graphs) as the default graph
    # (Fuseki's unionDefaultGraph; GRAPH and FROM still reach the vocabulary).
    union_default_graph: bool = True

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ``MCFKG_<NAME>`` environment variables, then explicit overrides (None: not given).

        Each value is read as its field's type: numbers, ``true``/``false``, paths, and
        comma-separated lists (``MCFKG_SERVICE_ALLOWLIST=https://a/sparql,https://b/sparql``).
        An empty variable counts as unset. A value of the wrong type raises SettingsError.
        """
        hints = get_type_hints(cls)
        values: dict[str, object] = {}
        for f in fields(cls):
            variable = f"MCFKG_{f.name.upper()}"
            raw = os.environ.get(variable, "")
            if raw.strip():
                values[f.name] = _from_text(variable, hints[f.name], raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        """Refuse a base IRI that would mint IRIs nothing can read back (SettingsError, with an example)."""
        problem = base_iri_problem(self.base_iri)
        if problem:
            raise SettingsError(f"base IRI {self.base_iri!r} (--base-iri or MCFKG_BASE_IRI) cannot be used: {problem}; "
                                f"give an absolute http(s) IRI ending in / or #, e.g. {BASE_IRI_EXAMPLE}")
