"""Linked-data routes: every IRI we mint under the base answers with HTML or RDF.

Design choice: our IRIs (``/id/…``, ``/def/…``, ``/graph/…``) name things, not documents,
yet we answer them with ``200`` and content negotiation at the IRI itself instead of Pubby's
``303 See Other`` to ``/page/…`` and ``/data/…``. One round trip, no second URL space to
mint, and every client (curl, rdflib, browsers) gets data without following redirects.
The response names the document it sent in ``Content-Location`` (the suffixed URL, e.g.
``/id/mianyang.ttl``) and says ``Vary: Accept`` so caches keep the representations apart;
``Link: rel=alternate`` lists the other formats. Suffixes (``.ttl``, ``.jsonld``, ``.nt``,
``.rdf``, ``.trig``, ``.nq``, ``.n3``, ``.html``) pick a format without negotiation: our IRIs never
end in them.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from mcfkg.sparql.negotiation import GRAPH, HTML, NotAcceptable, negotiate
from mcfkg.web import dataset, ontology_docs, query_ui, search
from mcfkg.web.describe import describe
from mcfkg.web.entity_view import entity_page
from mcfkg.web.errors import not_acceptable, routing_error
from mcfkg.web.rdf_body import SERIALIZERS, jsonld_context, serialise
from mcfkg.web.templating import WEB_DIR, render, settings_of, store_of, vocab_of

# Every format a page is offered in has a suffix (mcfkg.formats), so Content-Location can name its document.
SUFFIXES: dict[str, str] = {".html": HTML, **{f.suffix: f.media_type for f in SERIALIZERS.values()}}
OFFERS: tuple[str, ...] = (HTML, *SERIALIZERS)
_SUFFIX_OF = {media: suffix for suffix, media in SUFFIXES.items()}

router = APIRouter()
router.include_router(query_ui.router)
router.include_router(search.router)
router.include_router(dataset.router)
router.include_router(ontology_docs.router)
# Our CSS/JS and the libraries scripts/vendor.sh copies from node_modules: served locally, never from a CDN.
router.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")


def split_suffix(path: str) -> tuple[str, str | None]:
    """``id/mianyang.ttl`` → (``id/mianyang``, ``text/turtle``); no known suffix → (path, None)."""
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext and f".{ext}" in SUFFIXES:
        return stem, SUFFIXES[f".{ext}"]
    return path, None


# Characters an IRI may not contain (RFC 3987); refusing them also keeps the path out of SPARQL syntax.
_NOT_IN_IRIS = frozenset(' <>"{}|\\^`') | {chr(c) for c in range(0x20)} | {chr(0x7F)}


def is_iri_path(path: str) -> bool:
    """True when ``base + path`` can be an IRI at all (anything else cannot have been minted).

    The server decodes bytes that are not UTF-8 (``%ff``) as U+FFFD, which RFC 3987 keeps out
    of IRIs (with the other specials U+FFF0-FFFF and lone surrogates).
    """
    return not _NOT_IN_IRIS.intersection(path) and not any(
        "\ud800" <= c <= "\udfff" or "\ufff0" <= c <= "\uffff" for c in path
    )


def not_found(request: Request, iri: str) -> Response:
    """404 negotiated like every other (HTML, JSON or text; ``Vary: Accept``), saying where to look instead."""
    root = vocab_of(request).mount
    message = f"Nothing is known about <{iri}>. Search for it at {root}/search, or browse {root}/dataset."
    return routing_error(request, StarletteHTTPException(404, message), iri=iri)


def resource(request: Request, path: str) -> Response:
    """Answer for the IRI ``base + path`` in the negotiated (or suffix-chosen) representation."""
    stem, suffixed = split_suffix(path)
    if suffixed:
        media_type = suffixed
    else:
        try:
            media_type = negotiate(request.headers.get("accept"), request.query_params.get("format"), GRAPH, OFFERS)
        except NotAcceptable as exc:
            raise not_acceptable(f"{exc}. Or add a suffix: {', '.join(SUFFIXES)}.") from exc
    vocab = vocab_of(request)
    iri = vocab.base + stem
    # The request's own path too: a route's ``.*`` stops short of a trailing newline (``%0A``).
    if not is_iri_path(stem) or not is_iri_path(request.scope["path"]):
        return not_found(request, iri)
    desc = describe(store_of(request), vocab, iri, settings_of(request).page_max_facts)
    if not desc.exists:
        return not_found(request, iri)
    url = vocab.mount + "/" + quote(stem, safe="/")  # header values are Latin-1; IRIs may hold any Unicode
    headers = {"Link": ", ".join(f'<{url}{s}>; rel="alternate"; type="{m}"' for s, m in SUFFIXES.items())}
    if not suffixed:
        headers["Vary"] = "Accept"
        headers["Content-Location"] = f"{url}{_SUFFIX_OF[media_type]}"
    if media_type == HTML:
        page = entity_page(desc, vocab)
        response = render(request, "entity.html", page=page, path=stem, formats=SUFFIXES)
        response.headers.update(headers)
        return response
    body = serialise(desc.quads, media_type, vocab, jsonld_context(settings_of(request)))
    return Response(body, media_type=media_type, headers=headers)


@router.get("/id/{path:path}", summary="An entity, a document or a passage")
def entity(request: Request, path: str) -> Response:
    return resource(request, f"id/{path}")


@router.get("/def/{path:path}", summary="An ontology term (class or property), or the ontology")
def term(request: Request, path: str) -> Response:
    return resource(request, f"def/{path}")


@router.get("/graph/{path:path}", summary="A named graph: its statements and where they come from")
def named_graph(request: Request, path: str) -> Response:
    return resource(request, f"graph/{path}")
