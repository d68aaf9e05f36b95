"""The FastAPI application factory: routers, gzip, CORS, request-body cap, request log, error handlers."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware

from mcfkg.config import Settings
from mcfkg.remote.factory import store_for_build
from mcfkg.store import Store
from mcfkg.vocab import Vocab
from mcfkg.web import graph_store, pages, review_page, source_changes, sources, sparql_routes
from mcfkg.web.errors import install_error_handlers
from mcfkg.web.middleware import BodyLimit, CombinedAccept, HeadAsGet, MountPath, RequestLog
from mcfkg.web.served_build import ServedBuild

GZIP_MINIMUM_BYTES = 2048


def create_app(settings: Settings, store: Store | None = None, served: ServedBuild | None = None) -> FastAPI:
    """The whole web application over ``store`` (default: the built dataset from dist/).

    The app owns a store it opened itself and closes it on shutdown; a store passed in stays
    the caller's to close. With ``served`` (the build ``store`` follows), the app takes each new
    build of dist/ while it runs.
    """
    own_store = store is None
    store = store or store_for_build(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        following = asyncio.create_task(served.follow(settings.build_poll_s)) if served else None
        yield
        if following:
            following.cancel()
        if own_store:
            store.close()

    # No OpenAPI schema or Swagger UI: the protocols are the W3C's (documented in the README), and
    # Swagger's page would load its scripts from a CDN, which this server never depends on.
    app = FastAPI(title="mcfkg", summary="The military-civil fusion knowledge graph: SPARQL 1.1 endpoint and pages",
                  openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.store = store
    app.state.build = served
    install_error_handlers(app)
    # Answers, dumps and the pages' scripts (0.4-1.3 MB) shrink 5-20× with gzip. Level 1 compresses
    # 300 kB of JSON in 0.7 ms (level 9, Starlette's default, takes 5 ms for 30% less); small
    # answers fit one packet anyway. Innermost, so CORS and the body cap see plain messages.
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES, compresslevel=1)
    # Public data: any origin may read without credentials; writes need a Bearer token, never cookies.
    app.add_middleware(BodyLimit, settings=settings)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False,
                       allow_methods=["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"],
                       allow_headers=["Accept", "Content-Type", "Authorization"],
                       expose_headers=["Content-Location", "Link", "Location", "ETag"], max_age=600)
    app.add_middleware(HeadAsGet)
    app.add_middleware(MountPath, mount=Vocab(settings.base_iri).mount)
    app.add_middleware(CombinedAccept)
    app.add_middleware(RequestLog)
    app.include_router(sparql_routes.router)
    app.include_router(graph_store.router)
    app.include_router(source_changes.router)
    app.include_router(pages.router)
    app.include_router(sources.router)
    app.include_router(review_page.router)
    return app
