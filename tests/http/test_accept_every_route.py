"""Every route answers every Accept header a client may send with its normal status or a 406, never a 5xx.

The routes are taken from the running app itself (so a new route cannot be forgotten), each with
example requests on the project's real graph; every example is sent with every media type
negotiation knows (results, RDF, their aliases, HTML), headers real clients send (Comunica 3, a
browser, SPARQLWrapper) and junk.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import httpx
import pytest
from starlette.routing import Mount

from mcfkg.sparql.negotiation import ALIASES, GRAPH_TYPES, HTML, SOLUTION_TYPES

SELECT = "SELECT ?s WHERE { ?s a ?c } LIMIT 3"
# One example request per route of the app (path template -> paths with their query strings).
EXAMPLES: dict[str, list[tuple[str, dict[str, str]]]] = {
    "/sparql": [("/sparql", {}), ("/sparql", {"query": SELECT}), ("/sparql", {"query": "ASK { ?s ?p ?o }"}),
                ("/sparql", {"query": "CONSTRUCT WHERE { ?s a ?c } LIMIT 3"}),
                ("/sparql", {"query": "SELECT ?s WHERE { ?s ?p }"})],  # malformed: 400 whatever the Accept
    "/health": [("/health", {})],
    "/rdf-graph-store": [("/rdf-graph-store", {}), ("/rdf-graph-store", {"default": ""}),
                         ("/rdf-graph-store", {"graph": "https://w3id.org/mcfkg/graph/curation"})],
    "/rdf-graph-store/{name:path}": [("/rdf-graph-store/curation", {}), ("/rdf-graph-store/no-such-graph", {})],
    "/": [("/", {})],
    "/search": [("/search", {"q": "mianyang"})],
    "/dataset": [("/dataset", {})],
    "/download/{name}": [("/download/mcfkg.nq", {}), ("/download/void.ttl", {})],
    "/dist/{name}": [("/dist/mcfkg.jsonld", {})],
    "/ontology": [("/ontology", {})],
    "/shapes": [("/shapes", {})],
    "/static": [("/static/css/site.css", {})],
    "/id/{path:path}": [("/id/mianyang", {}), ("/id/no-such-thing", {})],
    "/def/{path:path}": [("/def/Enterprise", {}), ("/def/", {})],
    "/graph/{path:path}": [("/graph/curation", {})],
    "/sources": [("/sources", {}), ("/sources", {"format": "csv"})],
    "/sources/{source_id}": [("/sources/mianyang-mcf-article", {})],  # DELETE only: a GET is a 405
    "/review": [("/review", {})],
    "/review/{review_id}": [("/review/no-such-review", {})],
    "/review/{review_id}/candidates": [("/review/no-such-review/candidates", {})],  # POST only
    "/review/{review_id}/check": [("/review/no-such-review/check", {})],
    "/review/{review_id}/ingest": [("/review/no-such-review/ingest", {})],  # POST only
}

COMUNICA = ("application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,application/n-triples;q=0.8,"
            "text/turtle;q=0.6,application/rdf+xml;q=0.5,text/n3;q=0.35,application/xml;q=0.3,image/svg+xml;q=0.3,"
            "text/xml;q=0.3,text/html;q=0.2,application/xhtml+xml;q=0.18,application/json;q=0.135,"
            "text/shaclc;q=0.1,text/shaclc-ext;q=0.05")
CLIENTS = (
    COMUNICA,
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",  # Chromium
    "application/sparql-results+json,application/json,text/javascript,application/javascript",  # SPARQLWrapper
    "*/*", "text/*", "application/*", "*/*;q=0",
)
JUNK = ("image/png", "nonsense", "text/", "/", ";;;,,", "text/csv;q=abc", "a/b/c", "application/x-bogus;q=2",
        "text/turtle;charset=latin-1;q=0.5, application/n-quads;q=1e9", "\u00e9/\u00e9")
MEDIA_TYPES = sorted({*SOLUTION_TYPES, *GRAPH_TYPES, *ALIASES, HTML, "application/xhtml+xml"}) + [*CLIENTS, *JUNK]


def route_paths(routes: Iterable[object], prefix: str = "") -> Iterator[str]:
    """Path templates of every route and mount, descending into included routers."""
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI's wrapper of an included router
        if included is not None:
            yield from route_paths(included.routes, prefix + route.include_context.prefix)  # type: ignore[attr-defined]
        elif isinstance(route, Mount) or hasattr(route, "path"):
            yield prefix + route.path  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def client(site) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.url, timeout=60) as c:
        yield c


def test_every_route_of_the_app_has_examples(site) -> None:
    assert sorted(set(route_paths(site.server.config.app.routes))) == sorted(EXAMPLES)  # a path may have a route per method


@pytest.mark.parametrize("template", sorted(EXAMPLES))
def test_no_accept_header_gets_a_5xx(client: httpx.Client, template: str) -> None:
    failures = []
    for path, params in EXAMPLES[template]:
        for accept in MEDIA_TYPES:
            try:
                response = client.get(path, params=params, headers={"Accept": accept.encode()})  # type: ignore[dict-item]
            except httpx.TransportError as exc:  # the server dropped the connection: as bad as a 5xx
                failures.append(f"GET {path}?{params} Accept: {accept!r} -> {exc!r}")
                continue
            if response.status_code >= 500:
                failures.append(f"GET {path}?{params} Accept: {accept!r} -> {response.status_code} "
                                f"{response.text[:120]!r}")
    assert not failures, "\n".join(failures)
