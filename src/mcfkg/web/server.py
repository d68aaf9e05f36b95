"""Start the HTTP server: pick the data, open the store, run uvicorn.

``mcfkg serve`` serves the build (``dist/mcfkg.nq``, building it first when missing or made for
another base IRI: its VoID's ``void:uriSpace`` records the base; the store and the downloads
come from the server's own pinned copy of it), or with
``--data`` any RDF files instead: the way tests and the linker get a local stand-in endpoint.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Sequence

import uvicorn

from mcfkg.config import Settings
from mcfkg.export import built_for
from mcfkg.store import OxigraphStore
from mcfkg.vocab import Vocab
from mcfkg.web.dataset import DOWNLOADS

DATA_GRAPH_SEPARATOR = "::"


def parse_data_argument(value: str) -> tuple[Path, str | None]:
    """``FILE`` or ``FILE::GRAPH_IRI``: the file, and the graph its triples go into (None: default graph)."""
    file, _, graph = value.partition(DATA_GRAPH_SEPARATOR)
    path = Path(file)
    if not path.is_file():
        raise FileNotFoundError(f"--data {file}: no such file")
    return path, graph or None


def ensure_build(settings: Settings) -> None:
    """Build ``dist/`` now if it has no build for the configured base IRI."""
    if settings.store_path is None and not built_for(settings.dist_dir, Vocab(settings.base_iri)):
        from mcfkg.build import build  # the pipeline is heavy; import it only when a build is needed

        logging.getLogger("mcfkg.web").info("no build for %s in %s: building it first", settings.base_iri, settings.dist_dir)
        build(settings)


@contextmanager
def pinned_build(settings: Settings) -> Iterator[Settings]:
    """Settings whose ``dist_dir`` is this server's own copy of the build, for as long as it serves.

    The files are hard-linked (copied across file systems) into a private folder. A later build,
    say by a second server started for another base IRI, replaces dist/'s files with new ones
    (``os.replace``) and leaves these alone: the store and the downloads stay one build.
    """
    try:
        pinned = tempfile.TemporaryDirectory(prefix=".mcfkg-serving-", dir=settings.dist_dir.parent)
    except OSError:
        pinned = tempfile.TemporaryDirectory(prefix="mcfkg-serving-")
    with pinned as folder:
        for name in DOWNLOADS:
            source, target = settings.dist_dir / name, Path(folder) / name
            if source.is_file():
                try:
                    os.link(source, target)
                except OSError:
                    shutil.copy2(source, target)
        yield dataclasses.replace(settings, dist_dir=Path(folder))


def serve(settings: Settings, host: str, port: int, data: Sequence[str] = ()) -> None:
    """Open the store (before uvicorn starts any thread), then serve until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if data:
        _run(settings, OxigraphStore(settings, [parse_data_argument(value) for value in data]), host, port)
        return
    ensure_build(settings)
    with pinned_build(settings) as served:
        _run(served, OxigraphStore.from_dist(served), host, port)


def _run(settings: Settings, store: OxigraphStore, host: str, port: int) -> None:
    from mcfkg.web.app import create_app

    try:
        uvicorn.run(create_app(settings, store), host=host, port=port, access_log=False, log_level="info")
    finally:
        store.close()
