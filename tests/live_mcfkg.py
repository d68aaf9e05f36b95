"""`mcfkg serve` as a subprocess on a free port of 127.0.0.1, for tests that need a real SPARQL server.

Used by the linker tests (a Wikidata stand-in loaded with tests/data/wikidata-extract.ttl) and
the federation tests (our server with SERVICE allowed to that stand-in).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

MCFKG = str(Path(sys.executable).parent / "mcfkg")


def free_port() -> int:
    """A TCP port of 127.0.0.1 nothing listens on (bound and released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def mcfkg_serve(*data: Path, allow_service: str | None = None, store: Path | None = None,
                timeout: float = 60.0, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `mcfkg serve --data ...` (without data: the build; on an on-disk ``store`` if given; in
    ``env``, say a copied project's MCFKG_* folders); yield its SPARQL endpoint URL once it answers;
    stop it afterwards."""
    port = free_port()
    command = [MCFKG, "serve", "--port", str(port)]
    for path in data:
        command += ["--data", str(path)]
    if allow_service:
        command += ["--allow-service", allow_service]
    if store:
        command += ["--store", str(store)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"mcfkg serve exited: {proc.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"mcfkg serve on {url} did not answer within {timeout:g} s")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
