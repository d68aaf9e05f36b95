"""Start the HTTP server: pick the data, open the store, run uvicorn.

``mcfkg serve`` serves the build (``dist/mcfkg.nq``, building it first when it is stale: missing,
made for another base IRI, or older than a source file, see ``mcfkg.dist.ensure_build``) and each
later one (``mcfkg.web.served_build``), in memory, in an on-disk store (``--store DIR``) or in a remote
SPARQL store (``--store sparql+http://...``, see ``mcfkg.remote``), or with
``--data`` any RDF files instead: the way tests and the linker get a local stand-in endpoint.
"""

from __future__ import annotations

import logging
import signal
from pathlib import Path
from typing import Sequence

import uvicorn

from mcfkg.config import Settings
from mcfkg.dist import ensure_build
from mcfkg.leftovers import remove_leftovers
from mcfkg.store import OxigraphStore, Store
from mcfkg.web.connections import server_config
from mcfkg.web.served_build import ServedBuild

DATA_GRAPH_SEPARATOR = "::"


def parse_data_argument(value: str) -> tuple[Path, str | None]:
    """``FILE`` or ``FILE::GRAPH_IRI``: the file, and the graph its triples go into (None: default graph)."""
    file, _, graph = value.partition(DATA_GRAPH_SEPARATOR)
    path = Path(file)
    if not path.is_file():
        raise FileNotFoundError(f"--data {file}: no such file")
    return path, graph or None


def serve(settings: Settings, host: str, port: int, data: Sequence[str] = ()) -> None:
    """Remove what killed servers left behind, open the store (before uvicorn starts any thread), then
    serve until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    for leftover in remove_leftovers(settings.dist_dir):
        logging.getLogger("mcfkg.web").info("removed %s, left behind by a server that was killed", leftover)
    if data:
        _run(settings, OxigraphStore(settings, [parse_data_argument(value) for value in data]), host, port)
        return
    ensure_build(settings, logging.getLogger("mcfkg.web").info)
    served = ServedBuild(settings)
    try:
        _run(served.settings, served.open_store(), host, port, served)
    finally:
        served.close()


def _exit_on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM (kill, systemd, docker) ends the server as Ctrl+C does: through every ``finally``.

    uvicorn shuts down gracefully on SIGTERM and then raises it again with the handler that was
    there before it ran; Python's default would end the process before the pinned build is removed.
    """
    raise SystemExit(128 + signum)


def _run(settings: Settings, store: Store, host: str, port: int, served: ServedBuild | None = None) -> None:
    from mcfkg.web.app import create_app

    try:
        app = create_app(settings, store, served)
        uvicorn.Server(server_config(app, settings, host, port, log_level="info")).run()
    finally:
        store.close()
