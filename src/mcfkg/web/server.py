"""Start the HTTP server: pick the data, open the store, run uvicorn.

``mcfkg serve`` serves the build (``dist/mcfkg.nq``, building it first when missing or made for
another base IRI: its VoID's ``void:uriSpace`` records the base), or with
``--data`` any RDF files instead: the way tests and the linker get a local stand-in endpoint.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Sequence

import uvicorn

from mcfkg.config import Settings
from mcfkg.export import built_for
from mcfkg.store import OxigraphStore
from mcfkg.vocab import Vocab

DATA_GRAPH_SEPARATOR = "::"


def parse_data_argument(value: str) -> tuple[Path, str | None]:
    """``FILE`` or ``FILE::GRAPH_IRI``: the file, and the graph its triples go into (None: default graph)."""
    file, _, graph = value.partition(DATA_GRAPH_SEPARATOR)
    path = Path(file)
    if not path.is_file():
        raise FileNotFoundError(f"--data {file}: no such file")
    return path, graph or None


def open_served_store(settings: Settings, data: Sequence[str] = ()) -> OxigraphStore:
    """The store to serve: the given files, or the build (built now if dist/ has none)."""
    if data:
        return OxigraphStore(settings, [parse_data_argument(value) for value in data])
    if settings.store_path is None and not built_for(settings.dist_dir, Vocab(settings.base_iri)):
        from mcfkg.build import build  # the pipeline is heavy; import it only when a build is needed

        logging.getLogger("mcfkg.web").info("no build for %s in %s: building it first", settings.base_iri, settings.dist_dir)
        build(settings)
    return OxigraphStore.from_dist(settings)


def serve(settings: Settings, host: str, port: int, data: Sequence[str] = ()) -> None:
    """Open the store (before uvicorn starts any thread), then serve until interrupted."""
    from mcfkg.web.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    store = open_served_store(settings, data)
    try:
        uvicorn.run(create_app(settings, store), host=host, port=port, access_log=False, log_level="info")
    finally:
        store.close()
