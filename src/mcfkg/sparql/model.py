"""Values and errors shared by the store, its worker processes and the web layer.

Kept free of imports from the rest of mcfkg so worker processes and the store interface can
both use them. Errors cross the process boundary by class name (see ``ERRORS``).
"""

from __future__ import annotations

from dataclasses import dataclass

from mcfkg.sparql.negotiation import NotAcceptable
from mcfkg.sparql.safety import UnsafeOperation
from mcfkg.sparql.update_dataset import UpdateDatasetConflict


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset a request asks for (SPARQL protocol default-graph-uri / named-graph-uri).

    With neither list given, the query's own FROM/FROM NAMED apply, else the default graph is
    the union of all graphs when ``union_default_graph`` (the server's documented default).
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


ERRORS: dict[str, type[Exception]] = {
    cls.__name__: cls
    for cls in (QueryError, InvalidRdf, ResultTooLarge, QueryTimeout, ServiceFailed, StoreUnavailable,
                UnsafeOperation, UpdateDatasetConflict, NotAcceptable, KeyError)
}
