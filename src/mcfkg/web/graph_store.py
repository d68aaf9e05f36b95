"""SPARQL 1.1 Graph Store HTTP Protocol at ``/rdf-graph-store``: read and write whole graphs.

Graphs are named two ways (GSP §4):
- indirectly, ``/rdf-graph-store?graph=<iri>`` for any graph IRI and ``/rdf-graph-store?default``
  for the default graph;
- directly, ``/rdf-graph-store/<name>`` for the graph ``<base>graph/<name>``: the store mounts the
  ``mcfg:`` namespace, so ``/rdf-graph-store/curation`` is ``mcfg:curation``. The graph IRIs
  themselves (``/graph/<name>``) stay linked-data pages, read-only, so that no write can be sent
  to a URL a browser follows.

Dumps carry the project's prefixes and are capped at ``Settings.max_result_rows`` triples (413),
like query answers. GET and HEAD are open; PUT, POST and DELETE need ``Authorization: Bearer <Settings.update_token>``
(403 and nothing changes otherwise, and always when no token is configured). An upload is read up
to ``Settings.max_upload_bytes`` (413 past it) and parsed whole before anything is stored, by a
process of its own that may take ``query_timeout_s`` and ``process_memory_mb`` (503 past either;
see ``mcfkg.sparql.upload``): a malformed body is a 400 with the parser's message and leaves the
graph as it was, and so is RDF/XML that declares entities. Each write is one transaction: after a
crash a graph is as it was before or after it. Parsing never fetches anything (JSON-LD remote
``@context`` is refused by the parser).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from mcfkg.config import Settings
from mcfkg.sparql.model import InvalidRdf
from mcfkg.sparql.negotiation import GRAPH, negotiate
from mcfkg.store import Store
from mcfkg.vocab import Vocab
from mcfkg.web import spooled
from mcfkg.web.auth import require_write_access
from mcfkg.web.errors import HttpError, bad_request, unsupported_media_type
from mcfkg.web.prefixes import prefixes

PATH = "/rdf-graph-store"
# What one graph can be read as, in the server's order of preference.
GRAPH_OFFERS = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "text/n3")
# The whole dataset (GET on the store itself) needs a format that keeps graph names.
DATASET_OFFERS = ("application/trig", "application/n-quads")
# What a graph can be written from; text/plain is N-Triples' old name.
UPLOAD_TYPES = {t: t for t in GRAPH_OFFERS} | {"text/plain": "application/n-triples",
                                                "application/x-turtle": "text/turtle"}
MULTIPART = "multipart/form-data"

router = APIRouter(tags=["graph store protocol"])


@dataclass(frozen=True)
class Target:
    """What a request addresses: one graph (``graph`` None: the default graph) or the store itself."""

    graph: str | None
    store: bool = False


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _store(request: Request) -> Store:
    return request.app.state.store


def _indirect(request: Request) -> Target:
    params = request.query_params
    if "graph" in params and "default" in params:
        raise bad_request("give either ?graph=<iri> or ?default, not both")
    if "default" in params:
        return Target(None)
    if "graph" not in params:
        return Target(None, store=True)
    iri = params["graph"]
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise bad_request(f"?graph= must be an absolute IRI: {exc}") from exc
    return Target(iri)


def _direct(request: Request, name: str) -> Target:
    if not name:
        raise bad_request(f"{PATH}/ names no graph: use {PATH}/<name> or {PATH}?graph=<iri>")
    if "graph" in request.query_params or "default" in request.query_params:
        raise bad_request(f"{PATH}/{name} names its graph already; drop ?graph= / ?default")
    return Target(str(Vocab(_settings(request).base_iri).GRAPH[name]))


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _upload_type(content_type: str | None) -> str:
    media_type = _media_type(content_type)
    if media_type not in UPLOAD_TYPES:
        raise unsupported_media_type(f"cannot store a body of type {media_type or '(none)'}; send one of "
                                     f"{', '.join(GRAPH_OFFERS)} (or {MULTIPART} for POST)")
    return UPLOAD_TYPES[media_type]


async def _upload(request: Request) -> tuple[bytes, str]:
    """Authorised body and its media type: an RDF one, or for a POST of RDF files multipart/form-data
    with its boundary (the store parses and merges the parts).

    The app's BodyLimit middleware has already cut the body at ``Settings.max_upload_bytes`` (413).
    """
    require_write_access(request)
    content_type = request.headers.get("content-type")
    if _media_type(content_type) == MULTIPART and request.method == "POST":
        return await request.body(), content_type or MULTIPART
    media_type = _upload_type(content_type)
    return await request.body(), media_type


async def _load(request: Request, target: Target, replace: bool) -> bool:
    """Store the body in the target graph; relative IRIs in it resolve against the graph's IRI
    (the default graph has none: against the request's URL, as the protocol says)."""
    data, media_type = await _upload(request)
    base_iri = target.graph or str(request.url.replace(query="", fragment=""))
    try:
        return await run_in_threadpool(_store(request).load, data, media_type, target.graph, replace, base_iri)
    except InvalidRdf as exc:
        raise bad_request(f"nothing was stored: {exc}") from exc


def _missing(target: Target) -> HttpError:
    return HttpError(404, f"there is no graph <{target.graph}> in this store")


def _charset(media_type: str) -> str:
    return media_type if media_type == "application/rdf+xml" else f"{media_type}; charset=utf-8"


async def _read(request: Request, target: Target) -> Response:
    offers = DATASET_OFFERS if target.store else GRAPH_OFFERS
    media_type = negotiate(request.headers.get("accept"), request.query_params.get("format"), GRAPH, offers)
    try:
        body = await run_in_threadpool(_store(request).dump, target.graph, media_type,
                                       prefixes(Vocab(_settings(request).base_iri)))
    except KeyError:
        raise _missing(target) from None
    return await spooled.answer(body, _charset(media_type), {"Vary": "Accept"})


async def _handle(request: Request, target: Target) -> Response:
    method = request.method
    if method == "GET":
        return await _read(request, target)
    if target.store:
        if method != "POST":
            raise bad_request(f"{method} {PATH} needs a graph: add ?graph=<iri> or ?default")
        iri = str(Vocab(_settings(request).base_iri).GRAPH[uuid.uuid4().hex])
        await _load(request, Target(iri), replace=False)
        return Response(status_code=201, headers={"Location": iri})
    if method == "DELETE":
        require_write_access(request)
        if not await run_in_threadpool(_store(request).drop, target.graph):
            raise _missing(target)
        return Response(status_code=204)
    created = await _load(request, target, replace=method == "PUT")
    return Response(status_code=201 if created else 204)


METHODS = ["GET", "PUT", "POST", "DELETE"]  # HEAD arrives as GET (mcfkg.web.middleware.HeadAsGet)


@router.api_route(PATH, methods=METHODS, summary="Graph Store Protocol, indirect identification (?graph= / ?default)")
async def indirect(request: Request) -> Response:
    return await _handle(request, _indirect(request))


@router.api_route(PATH + "/{name:path}", methods=METHODS, summary="Graph Store Protocol on the graph <base>graph/{name}")
async def direct(request: Request, name: str) -> Response:
    return await _handle(request, _direct(request, name))
