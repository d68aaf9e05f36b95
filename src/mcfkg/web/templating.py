"""Jinja2 rendering shared by every HTML page, and the app state the page routes read.

Pages get the store and settings from ``request.app.state`` (set by the app factory), so
routes stay free of globals and tests can serve any store under any base IRI.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from mcfkg.config import Settings
from mcfkg.store import Store
from mcfkg.vocab import Vocab

WEB_DIR = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=WEB_DIR / "templates")


def query_ui_href(query: str, root: str) -> str:
    """A link that opens the query UI (at ``root``) with ``query`` in the editor (YASGUI reads ``?query=``)."""
    return f"{root}/?" + urlencode({"query": query})


def local_href(iri: str, base: str) -> str:
    """Our IRIs as paths on this server (so links work under any base); other IRIs unchanged."""
    return Vocab(base).local_path(iri) or iri


def graph_name(iri: str, base: str) -> str:
    """A named graph as people call it: ``curation``, ``mianyang-mcf-article/p2/s9``."""
    prefix = base + "graph/"
    return iri[len(prefix) :] if iri.startswith(prefix) else iri


templates.env.filters.update(
    query_ui_href=query_ui_href, local_href=local_href, graph_name=graph_name, host=lambda iri: urlsplit(iri).netloc
)


def settings_of(request: Request) -> Settings:
    """The settings the app was created with; while it follows builds, ``dist_dir`` is the served one's."""
    served = getattr(request.app.state, "build", None)
    return served.settings if served is not None else request.app.state.settings


def store_of(request: Request) -> Store:
    """The store the app serves."""
    return request.app.state.store


def vocab_of(request: Request) -> Vocab:
    """The namespaces under the app's base IRI."""
    return Vocab(settings_of(request).base_iri)


def render(request: Request, template: str, status_code: int = 200, **context: object) -> HTMLResponse:
    """Render ``template`` with what every page needs (the search box's query, the base IRI, and
    ``root``, the path the server answers under, which every absolute link starts with)."""
    vocab = vocab_of(request)
    context.setdefault("search_query", "")
    context["base_iri"], context["root"] = vocab.base, vocab.mount
    return templates.TemplateResponse(request, template, context, status_code=status_code)
