"""The build in ``dist/`` that ``mcfkg serve`` and ``mcfkg query`` read: is it current, and building it when not.

A build is stale when it is missing, was made for another base IRI (its VoID's ``void:uriSpace``)
or is older than a file it was built from: answering from it would give IRIs no page answers,
or facts the files no longer state. Checking costs a few file stats and one small parse; the
pipeline itself is imported only when a build is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mcfkg.config import Settings
from mcfkg.export import CONTEXT_FILE, FORMATS, built_for, dump_file
from mcfkg.graph import source_files
from mcfkg.sources.lock import one_writer
from mcfkg.vocab import Vocab


def dump_path(settings: Settings) -> Path:
    """The build's N-Quads dump: what the store loads (its quads keep their named graphs)."""
    return settings.dist_dir / dump_file(FORMATS["nquads"])


def staleness(settings: Settings) -> str | None:
    """Why ``settings.dist_dir`` holds no current build, or None when it does."""
    if not built_for(settings.dist_dir, Vocab(settings.base_iri)):
        return f"{settings.dist_dir} has no build for {settings.base_iri}"
    built_at = dump_path(settings).stat().st_mtime
    sources = [*source_files(settings), settings.ontology_dir / "shapes.ttl", settings.ontology_dir / CONTEXT_FILE,
               settings.data_dir, settings.data_dir / "sources"]  # a folder changes when a file is added or removed
    changed = next((path for path in sources if path.exists() and path.stat().st_mtime > built_at), None)
    return f"{changed} changed since {settings.dist_dir} was built" if changed else None


def ensure_build(settings: Settings, announce: Callable[[str], None]) -> None:
    """Build ``dist/`` now if it is stale, saying why through ``announce`` first (a build takes seconds).
    Waits for an ingest, retract or build under way (``one_writer``) and looks again after it."""
    if not staleness(settings):
        return
    with one_writer(settings):
        reason = staleness(settings)
        if reason:
            from mcfkg.build import build  # the pipeline (owlrl, pyshacl) is heavy: only when a build is needed

            announce(f"{reason}: building it first")
            build(settings)
