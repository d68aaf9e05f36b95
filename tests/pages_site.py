"""The project's real graph, built into a temp dir and served by the real app (page and browser tests).

The build here is load → reason → export without the SHACL gate: whether the data conforms is
test_validate's and `mcfkg build`'s concern; the pages must serve whatever the store holds.
The server is the HTTP tests' own live server (tests/http/conftest.py), loaded by file path
because two conftest modules cannot be imported under one name.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from mcfkg.build import load_and_reason, load_context
from mcfkg.config import Settings
from mcfkg.export import write_dist
from mcfkg.vocab import Vocab

_spec = importlib.util.spec_from_file_location("mcfkg_tests_http_live", Path(__file__).parent / "http" / "conftest.py")
assert _spec and _spec.loader
live = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = live
_spec.loader.exec_module(live)


def build_project(dist_dir: Path, **overrides: object) -> Settings:
    """Settings whose dist/ holds the project's ontology and data, built under ``overrides`` (e.g. base_iri)."""
    settings = Settings(dist_dir=dist_dir, **overrides)  # type: ignore[arg-type]
    write_dist(load_and_reason(settings), dist_dir, load_context(settings), Vocab(settings.base_iri))
    return settings


def serve_project(settings: Settings) -> live.LiveServer:
    """The real app over the built dump, on a free port of 127.0.0.1; call ``.stop()`` when done."""
    return live.start_server(settings, [(settings.dist_dir / "mcfkg.nq", None)])
