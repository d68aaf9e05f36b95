"""Fixtures shared by the test modules. Keep each one small and say what it is for.

Pipeline fixtures use ``tests/data/pipeline/``: a tiny ontology (``ontology/mcf.ttl``), shapes
(``ontology/shapes.ttl``), a JSON-LD context and one TriG file (``data/article.trig``) laid out
like the repository, so tests do not depend on the real model's contents.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mcfkg.config import Settings

PIPELINE_DATA = Path(__file__).parent / "data" / "pipeline"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The project's real graph, built once per session and served read-only by the real app on a
    free port of 127.0.0.1 (pages, search and browser tests share it; none of them writes)."""
    from pages_site import build_project, serve_project

    server = serve_project(build_project(tmp_path_factory.mktemp("dist")))
    yield server
    server.stop()


@pytest.fixture
def pipeline_settings(tmp_path: Path) -> Settings:
    """Settings for a private copy of the pipeline fixture (safe to corrupt); dist/ goes to tmp_path."""
    root = tmp_path / "repo"
    shutil.copytree(PIPELINE_DATA, root)
    return Settings(ontology_dir=root / "ontology", data_dir=root / "data", dist_dir=tmp_path / "dist")


@pytest.fixture
def pipeline_env(pipeline_settings: Settings) -> dict[str, str]:
    """``MCFKG_*`` variables pointing the CLI at :func:`pipeline_settings` (for CliRunner or subprocess)."""
    return {
        "MCFKG_ONTOLOGY_DIR": str(pipeline_settings.ontology_dir),
        "MCFKG_DATA_DIR": str(pipeline_settings.data_dir),
        "MCFKG_DIST_DIR": str(pipeline_settings.dist_dir),
    }


@dataclass
class ContextServer:
    """A JSON-LD context served over real HTTP; ``requests`` lists every path fetched."""

    url: str
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def context_server() -> Iterator[ContextServer]:
    """A real HTTP server on a free local port that serves a JSON-LD context and records requests.

    Tests that parse JSON-LD assert that ``requests`` stays empty: nothing may be fetched.
    """
    body = json.dumps({"@context": {"name": "http://xmlns.com/foaf/0.1/name", "b": "http://e/b"}}).encode()
    served = ContextServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    served.url = f"http://127.0.0.1:{server.server_port}"
    yield served
    server.shutdown()
    server.server_close()
