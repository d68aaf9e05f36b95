"""The operations a pyoxigraph store performs for the server, as plain functions.

They run inside the store's processes (see ``workers.py``): reads in a killable worker,
writes in the process that owns the store. Each answer is serialised where it is computed,
so only bytes cross the process boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

import pyoxigraph as ox

from mcfkg.sparql.model import InvalidRdf, QueryDataset, QueryError, QueryOutcome, ResultTooLarge
from mcfkg.sparql.negotiation import BOOLEAN, GRAPH, SOLUTIONS, ResultFormats
from mcfkg.sparql.safety import check_query, check_update
from mcfkg.sparql.update_dataset import apply_using


@dataclass(frozen=True)
class Limits:
    """Per-operation limits and policy, fixed when the store starts."""

    max_result_rows: int
    service_allowlist: frozenset[str] = frozenset()


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


def _dataset_options(info_has_from: bool, dataset: QueryDataset) -> dict[str, object]:
    if dataset.given:  # the protocol dataset overrides the query's FROM clauses (SPARQL protocol 2.1.4)
        return {"default_graph": [ox.NamedNode(u) for u in dataset.default_graph_uris],
                "named_graphs": [ox.NamedNode(u) for u in dataset.named_graph_uris]}
    if dataset.union_default_graph and not info_has_from:
        return {"use_default_graph_as_union": True}
    return {}


def _capped(items: Iterable[ox.Triple], limit: int) -> Iterator[ox.Triple]:
    for count, item in enumerate(items, start=1):
        if count > limit:
            raise ResultTooLarge(_too_large(limit, "triples"))
        yield item


def _too_large(limit: int, what: str) -> str:
    return (f"the result has more than {limit} {what}, this endpoint's limit; "
            "add LIMIT/OFFSET to page through it, or narrow the query")


def run_query(store: ox.Store, text: str, formats: ResultFormats, dataset: QueryDataset,
              limits: Limits) -> QueryOutcome:
    """Check, run and serialise one query. Raises QueryError, UnsafeOperation, NotAcceptable, ResultTooLarge."""
    info = check_query(text, limits.service_allowlist)
    try:
        options = _dataset_options(info.has_dataset_clause, dataset)
        result = store.query(text, base_iri=dataset.base_iri, **options)
    except (SyntaxError, ValueError) as exc:
        raise QueryError(str(exc)) from exc
    try:
        if isinstance(result, ox.QueryBoolean):
            media_type = formats.for_kind(BOOLEAN)
            return QueryOutcome(result.serialize(format=_results_format(media_type)), media_type, BOOLEAN)
        if isinstance(result, ox.QuerySolutions):
            media_type = formats.for_kind(SOLUTIONS)
            results_format = _results_format(media_type)
            body = result.serialize(format=results_format)
            # Every row takes at least one byte, so only a body this long can exceed the cap.
            if len(body) > limits.max_result_rows:
                rows = sum(1 for _ in ox.parse_query_results(body, format=results_format))
                if rows > limits.max_result_rows:
                    raise ResultTooLarge(_too_large(limits.max_result_rows, "rows"))
            return QueryOutcome(body, media_type, SOLUTIONS)
        media_type = formats.for_kind(GRAPH)
        body = ox.serialize(_capped(result, limits.max_result_rows), format=rdf_format(media_type))
        return QueryOutcome(body, media_type, GRAPH)
    except OSError as exc:  # evaluation errors (e.g. a failing SERVICE call) surface as OSError
        raise QueryError(str(exc)) from exc


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


def dump(store: ox.Store, graph: str | None, media_type: str) -> bytes:
    """One graph serialised; KeyError if a named graph does not exist. None in TriG/N-Quads: every graph."""
    if graph is None and rdf_format(media_type).supports_datasets:
        return store.dump(format=rdf_format(media_type))
    node = graph_node(graph)
    if isinstance(node, ox.NamedNode) and not store.contains_named_graph(node):
        raise KeyError(graph)
    return store.dump(format=rdf_format(media_type), from_graph=node)


def load(store: ox.Store, data: bytes, media_type: str, graph: str | None, replace: bool,
         base_iri: str | None = None) -> bool:
    """Parse ``data`` whole into ``graph``; on a parse error nothing changes. True if the graph is new."""
    node = graph_node(graph)
    fmt = rdf_format(media_type)
    staging = ox.Store()  # parse first so a bad upload cannot leave a half-replaced graph
    try:
        staging.load(data, format=fmt, base_iri=base_iri, to_graph=node)
    except (SyntaxError, ValueError) as exc:
        raise InvalidRdf(str(exc)) from exc
    created = isinstance(node, ox.NamedNode) and not store.contains_named_graph(node)
    quads = [ox.Quad(q.subject, q.predicate, q.object, node) for q in staging]
    if replace:
        store.clear_graph(node)
    if isinstance(node, ox.NamedNode):
        store.add_graph(node)
    store.extend(quads)
    return created


def drop(store: ox.Store, graph: str | None) -> bool:
    """Remove a graph. False if a named graph does not exist (the default graph always exists)."""
    node = graph_node(graph)
    if isinstance(node, ox.DefaultGraph):
        store.clear_graph(node)
        return True
    if not store.contains_named_graph(node):
        return False
    store.remove_graph(node)
    return True
