"""Values and errors shared by the store, its worker processes and the web layer.

Kept free of imports from the rest of mcfkg so worker processes and the store interface can
both use them. Errors cross the process boundary by class name (see ``ERRORS``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mcfkg.sparql.negotiation import NotAcceptable
from mcfkg.sparql.safety import UnsafeOperation
from mcfkg.sparql.update_dataset import UpdateDatasetConflict


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset a request asks for (SPARQL protocol default-graph-uri / named-graph-uri).

    With neither list given, the query's own FROM/FROM NAMED apply, else the default graph is
    the union of all graphs but the store's vocabulary (``Limits.union_excludes``) when
    ``union_default_graph`` (the server's documented default).
    ``base_iri`` resolves relative IRIs in the query (the protocol lets it be the endpoint).
    """

    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    union_default_graph: bool = True
    base_iri: str | None = None

    @property
    def given(self) -> bool:
        return bool(self.default_graph_uris or self.named_graph_uris)


@dataclass(frozen=True)
class QueryOutcome:
    """A query's answer, already serialised in the media type that was asked for."""

    body: bytes
    media_type: str
    kind: str  # "solutions" | "boolean" | "graph"


class QueryError(ValueError):
    """The query or update is malformed or fails to evaluate; the message is the parser's."""


class InvalidRdf(ValueError):
    """Uploaded RDF does not parse; nothing was changed."""


class ResultTooLarge(Exception):
    """The answer has more rows/triples than Settings.max_result_rows; refused, not truncated."""


class QueryTimeout(Exception):
    """The operation ran past Settings.query_timeout_s and its worker was killed."""


class ServiceFailed(Exception):
    """A SERVICE endpoint the query calls failed or could not be reached: not the client's fault."""


class StoreUnavailable(Exception):
    """The worker or the store process died or is not running."""


class ProtectedGraph(Exception):
    """A write would change a graph of the build (a source's, the ontology's, the inferences'),
    which changes only with the build (see ``mcfkg.sparql.build_graphs``); nothing was changed."""


ERRORS: dict[str, type[Exception]] = {
    cls.__name__: cls
    for cls in (QueryError, InvalidRdf, ResultTooLarge, QueryTimeout, ServiceFailed, StoreUnavailable, ProtectedGraph,
                UnsafeOperation, UpdateDatasetConflict, NotAcceptable, KeyError)
}


def out_of_memory(what: str, memory_mb: int) -> str:
    """Why ``what`` failed when a process ran out of the memory it may use, and what to do about it."""
    return (f"{what}: it needed more memory than this endpoint's limit of {memory_mb} MB per query, update "
            "or upload (process_memory_mb), or crashed; narrow it (LIMIT, more specific patterns, a smaller "
            "upload) and try again")


def failure(exc: BaseException, memory_mb: int) -> tuple[bool, tuple[str, str]]:
    """An exception as a reply that crosses the process boundary: ``(False, (class name, message))``."""
    if isinstance(exc, MemoryError):
        return False, (StoreUnavailable.__name__, out_of_memory("the operation failed", memory_mb))
    name = type(exc).__name__ if type(exc).__name__ in ERRORS else QueryError.__name__
    return False, (name, str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc))


def outcome(work: Callable[[], Any], memory_mb: int) -> tuple[bool, Any]:
    """``work()`` as a reply that crosses the process boundary: ``(True, value)`` or :func:`failure`'s."""
    try:
        return True, work()
    except Exception as exc:  # every failure goes back to the client; the process lives on
        return failure(exc, memory_mb)
