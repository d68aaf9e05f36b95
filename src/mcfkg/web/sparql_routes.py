"""``/sparql`` (SPARQL 1.1 Protocol) and ``/health``: one function per protocol operation.

GET with ``query=`` runs a query; GET without one answers the service description (RDF) or
sends browsers to the query UI at ``/``. POST carries a query or an update as a form or
directly (``mcfkg.sparql.protocol`` decides which). Queries run in the store's killable
workers, awaited without blocking the event loop; updates need the Bearer token.

``/sparql`` is a plain Starlette route: it reads the request itself, so FastAPI's dependency
solving, which it does not use, is not paid on the endpoint's hottest path (about a tenth of the
web process's CPU time per ``ASK {}``). Its errors still reach the app's handlers (``mcfkg.web.errors``).
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from mcfkg.config import Settings
from mcfkg.sparql.negotiation import GRAPH, HTML, NotAcceptable, negotiate, result_formats
from mcfkg.sparql.protocol import QueryOperation, UpdateOperation, from_get, from_post, parse_query_string
from mcfkg.store import QueryDataset, Store, StoreUnavailable
from mcfkg.vocab import Vocab
from mcfkg.web import spooled
from mcfkg.web.auth import require_write_access
from mcfkg.web.errors import not_acceptable
from mcfkg.web.rdf_body import SERIALIZERS
from mcfkg.web.results_page import results_page, wants_html
from mcfkg.web.service_description import describe_service, serialize_description

router = APIRouter(tags=["SPARQL 1.1 protocol"])

DESCRIPTION_OFFERS = (*SERIALIZERS, HTML)


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _store(request: Request) -> Store:
    return request.app.state.store


def _endpoint(request: Request) -> str:
    """This endpoint's IRI: the service description's subject and the base IRI of operations."""
    return str(request.url.replace(query="", fragment=""))


async def run_query(request: Request, operation: QueryOperation) -> Response:
    """Run a query and answer in the negotiated format (406 before running if nothing fits)."""
    dataset = QueryDataset(operation.default_graph_uris, operation.named_graph_uris,
                           _settings(request).union_default_graph, base_iri=_endpoint(request))
    if wants_html(operation.formats):
        return await results_page(request, operation.text, dataset)
    formats = result_formats(request.headers.get("accept"), operation.formats)
    if not formats.any:
        raise not_acceptable(formats.refusal)
    outcome = await _store(request).aquery(operation.text, formats, dataset)
    request.state.outcome = f"ok {outcome.kind} {len(outcome.body)} bytes"
    return await spooled.answer(outcome.body, outcome.media_type, {"Vary": "Accept"})


async def run_update(request: Request, operation: UpdateOperation) -> Response:
    """Apply an update (token required); 204 when done."""
    require_write_access(request)
    using = QueryDataset(operation.using_graph_uris, operation.using_named_graph_uris)
    await _store(request).aupdate(operation.text, using, base_iri=_endpoint(request))
    request.state.outcome = "ok update"
    return Response(status_code=204)


async def service_description(request: Request) -> Response:
    """The SPARQL Service Description for RDF clients; browsers go to the query UI."""
    try:
        media_type = negotiate(request.headers.get("accept"), None, GRAPH, DESCRIPTION_OFFERS)
    except NotAcceptable as exc:
        raise not_acceptable(str(exc)) from exc
    if media_type == HTML:
        query_ui = Vocab(_settings(request).base_iri).mount + "/"
        return RedirectResponse(query_ui, status_code=303, headers={"Vary": "Accept"})
    graph = await run_in_threadpool(describe_service, _endpoint(request), _settings(request), _store(request))
    return Response(serialize_description(graph, media_type), media_type=media_type, headers={"Vary": "Accept"})


async def sparql(request: Request) -> Response:
    """The SPARQL 1.1 Protocol: query by GET or POST, update by POST; GET without a query: the service description."""
    if request.method == "GET":
        operation = from_get(parse_query_string(request.scope["query_string"]))
        if operation is None:
            return await service_description(request)
        return await run_query(request, operation)
    body = await request.body()  # bounded by the BodyLimit middleware as it is read
    posted = from_post(request.headers.get("content-type"), body, parse_query_string(request.scope["query_string"]))
    if isinstance(posted, UpdateOperation):
        return await run_update(request, posted)
    return await run_query(request, posted)


router.add_route("/sparql", sparql, methods=["GET", "POST"])


@router.get("/health", summary="Liveness: the store answers a trivial query")
async def health(request: Request) -> Response:
    try:
        await _store(request).aquery("ASK {}", "application/sparql-results+json")
    except StoreUnavailable as exc:
        request.state.outcome = "store unavailable"
        return JSONResponse({"status": "unavailable", "detail": str(exc)}, status_code=503)
    served = request.app.state.build
    if served is not None and served.stale:  # serving, but data/ holds changes no build has taken yet
        return JSONResponse({"status": "ok", "data": f"not built: {served.stale}"})
    return JSONResponse({"status": "ok"})
