"""The FastAPI application factory: routers, CORS, request-body cap, request log, error handlers."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from mcfkg.config import Settings
from mcfkg.store import OxigraphStore, Store
from mcfkg.web import graph_store, pages, sparql_routes
from mcfkg.web.errors import install_error_handlers
from mcfkg.web.middleware import BodyLimit, RequestLog


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """The whole web application over ``store`` (default: the built dataset from dist/).

    The app owns a store it opened itself and closes it on shutdown; a store passed in stays
    the caller's to close.
    """
    own_store = store is None
    store = store or OxigraphStore.from_dist(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if own_store:
            store.close()

    app = FastAPI(title="mcfkg", summary="The military-civil fusion knowledge graph: SPARQL 1.1 endpoint and pages",
                  docs_url="/api", redoc_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.store = store
    install_error_handlers(app)
    # Public data: any origin may read without credentials; writes need a Bearer token, never cookies.
    app.add_middleware(BodyLimit, settings=settings)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False,
                       allow_methods=["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"],
                       allow_headers=["Accept", "Content-Type", "Authorization"], max_age=600)
    app.add_middleware(RequestLog)
    app.include_router(sparql_routes.router)
    app.include_router(graph_store.router)
    app.include_router(pages.router)
    return app
