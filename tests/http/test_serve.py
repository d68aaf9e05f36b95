"""`mcfkg serve` as a user runs it: a real process on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

MCFKG = str(Path(sys.executable).parent / "mcfkg")
JSON = {"Accept": "application/sparql-results+json"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(*args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `mcfkg serve ARGS` until its /health answers; yield its root URL; stop it."""
    port = _free_port()
    proc = subprocess.Popen([MCFKG, "serve", "--port", str(port), *args], env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read()
            try:
                if httpx.get(url + "/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(15)


def test_serve_data_files_into_named_graphs(library_trig: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra.nt"
    extra.write_text("<http://example.org/x> <http://example.org/p> <http://example.org/y> .\n")
    with serving("--data", str(library_trig), "--data", f"{extra}::http://example.org/extra") as url:
        response = httpx.get(url + "/sparql", headers=JSON, params={
            "query": "SELECT ?g WHERE { GRAPH ?g { <http://example.org/x> ?p ?o } }"})
        assert response.json()["results"]["bindings"] == [{"g": {"type": "uri", "value": "http://example.org/extra"}}]
        books = httpx.get(url + "/sparql", headers=JSON, params={
            "query": "SELECT (COUNT(?b) AS ?n) WHERE { ?b a <http://example.org/Book> }"})
        assert books.json()["results"]["bindings"][0]["n"]["value"] == "2"  # union default graph


def test_serve_builds_dist_when_missing(pipeline_env: dict[str, str]) -> None:
    dist = Path(pipeline_env["MCFKG_DIST_DIR"])
    assert not dist.exists()
    with serving(env=pipeline_env) as url:
        assert (dist / "mcfkg.nq").is_file()
        response = httpx.get(url + "/sparql", headers=JSON,
                             params={"query": "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"})
        assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 1  # the build's named graphs


def test_on_disk_store_keeps_updates_across_restarts(library_trig: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    insert = "INSERT DATA { GRAPH <http://example.org/notes> { <http://example.org/n1> a <http://example.org/Note> } }"
    ask = {"query": "ASK { <http://example.org/n1> a <http://example.org/Note> }"}
    with serving("--store", str(store), "--data", str(library_trig), "--update-token", "t0k") as url:
        assert httpx.post(url + "/sparql", content=insert, headers={
            "Content-Type": "application/sparql-update", "Authorization": "Bearer t0k"}).status_code == 204
        assert httpx.get(url + "/sparql", params=ask, headers=JSON).json()["boolean"] is True
    with serving("--store", str(store), "--data", str(library_trig)) as url:
        assert httpx.get(url + "/sparql", params=ask, headers=JSON).json()["boolean"] is True


def test_serve_reports_a_missing_data_file(tmp_path: Path) -> None:
    result = subprocess.run([MCFKG, "serve", "--port", str(_free_port()), "--data", str(tmp_path / "nope.ttl")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "no such file" in " ".join(result.stderr.split())  # rich wraps long lines


def test_sigterm_leaves_no_runtime_state_behind(pipeline_env: dict[str, str], tmp_path: Path) -> None:
    """systemd, docker and `kill` stop a server with SIGTERM: its pinned build goes with it, and it was
    never in the source tree (dist/'s folder) to begin with."""
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    dist = Path(pipeline_env["MCFKG_DIST_DIR"])
    with serving(env={**pipeline_env, "TMPDIR": str(runtime)}):  # stopped with proc.terminate(): SIGTERM
        assert len(list(runtime.glob("mcfkg-serving-*"))) == 1
        assert not [p for p in dist.parent.iterdir() if "serving" in p.name]
    assert not list(runtime.glob("mcfkg-serving-*"))
