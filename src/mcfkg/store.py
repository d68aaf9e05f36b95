"""The Store interface every part of the server talks to, and its Oxigraph implementation.

The interface is small on purpose so a remote SPARQL store can be added later: the
SPARQL protocol routes, the graph store routes, the linked-data pages and the linker use
nothing else.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset a request asks for (SPARQL protocol default-graph-uri / named-graph-uri)."""

    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    union_default_graph: bool = True


@dataclass(frozen=True)
class QueryOutcome:
    """A query's answer, already serialised in the media type that was asked for."""

    body: bytes
    media_type: str
    kind: str  # "solutions" | "boolean" | "graph"


@dataclass
class Bindings:
    """SELECT results as plain Python values for in-process callers (pages, linker)."""

    variables: list[str]
    rows: list[dict[str, object]] = field(default_factory=list)


class Store(ABC):
    """What the server needs from a triple store. Every call is bounded by the settings' limits."""

    @abstractmethod
    def query(self, sparql: str, media_type: str, dataset: QueryDataset | None = None) -> QueryOutcome:
        """Run a query and serialise its answer as ``media_type`` (already negotiated)."""

    @abstractmethod
    def select(self, sparql: str) -> Bindings:
        """Run a SELECT for in-process callers; values are rdflib terms (URIRef, Literal, BNode)."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL Update. Callers check authorisation first."""

    @abstractmethod
    def graph_names(self) -> list[str]:
        """IRIs of the named graphs in the store."""

    @abstractmethod
    def dump(self, graph: str | None, media_type: str) -> bytes:
        """Serialise one graph (None: the default graph) as ``media_type``. KeyError if it does not exist."""

    @abstractmethod
    def load(self, data: bytes, media_type: str, graph: str | None, replace: bool) -> bool:
        """Parse ``data`` whole and add it to ``graph`` (replacing it when ``replace``); nothing changes on a parse error.

        Returns True when the graph did not exist before.
        """

    @abstractmethod
    def drop(self, graph: str | None) -> bool:
        """Remove a graph's triples (None: the default graph). False if it did not exist."""

    @abstractmethod
    def close(self) -> None:
        """Release workers and files."""
