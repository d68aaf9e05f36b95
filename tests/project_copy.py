"""A copy of the project's data/ and dist/ in a temporary folder, served by a real `mcfkg serve` on an
on-disk store, as `make run` serves the real one: for tests that ingest, retract, kill and restart.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from live_mcfkg import MCFKG, free_port

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "source-tests-token"


def copy_project(folder: Path) -> tuple[Path, Path]:
    """data/, ontology/ and dist/ copied under ``folder``, times kept: a server builds the copy when the
    original is stale or missing (a fresh clone has no dist/ until `make run` or `mcfkg build`)."""
    data, dist = folder / "data", folder / "dist"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(ROOT / "ontology", folder / "ontology")
    if (ROOT / "dist").is_dir():
        shutil.copytree(ROOT / "dist", dist)
    return data, dist


def project_env(data: Path, dist: Path) -> dict[str, str]:
    """The environment that points `mcfkg` at a copied project (its ontology/ beside its data/)."""
    return {**os.environ, "MCFKG_DATA_DIR": str(data), "MCFKG_DIST_DIR": str(dist),
            "MCFKG_ONTOLOGY_DIR": str(data.parent / "ontology")}


@dataclass
class ProjectServer:
    """`mcfkg serve --store` over a copied project; start, kill (SIGKILL) and start again."""

    folder: Path
    env_extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.data, self.dist = copy_project(self.folder)
        self.store = self.folder / "store"
        self.log = self.folder / "server.log"
        self.process: subprocess.Popen | None = None
        self.root = ""

    @property
    def env(self) -> dict[str, str]:
        return {**project_env(self.data, self.dist), **self.env_extra}

    def start(self, timeout: float = 120.0) -> str:
        """Start the server and wait until it answers; its root URL."""
        port = free_port()
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [MCFKG, "serve", "--port", str(port), "--store", str(self.store), "--update-token", TOKEN],
                env=self.env, stdout=log, stderr=log, start_new_session=True)
        self.root = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"mcfkg serve exited: {self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.root}/health", timeout=2).status_code == 200:
                    return self.root
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"mcfkg serve did not answer within {timeout:g} s: {self.log.read_text()[-3000:]}")
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL the server process (its store process and children die with it) and wait for them."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)
        deadline = time.monotonic() + 30
        while _group_alive(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()

    def count(self, where: str) -> int:
        """The COUNT(*) of a pattern, asked over SPARQL."""
        answer = httpx.post(f"{self.root}/sparql", data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"},
                            headers={"Accept": "application/sparql-results+json"}, timeout=60)
        answer.raise_for_status()
        return int(answer.json()["results"]["bindings"][0]["n"]["value"])

    def write(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        headers = {"Authorization": f"Bearer {TOKEN}", **kwargs.pop("headers", {})}  # type: ignore[dict-item]
        return httpx.request(method, f"{self.root}{path}", headers=headers, timeout=600, **kwargs)  # type: ignore[arg-type]


def _group_alive(pgid: int) -> bool:
    """Whether any process of the server's session is still running (the store process, a child ingest)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def mcfkg_env(root: Path, **settings: str) -> dict[str, str]:
    """The environment of `mcfkg` on the project copied under ``root`` (its ontology/, data/ and dist/), with
    ``settings`` as ``MCFKG_<NAME>`` variables (``dist_dir="full"`` builds into ``root/full``)."""
    env = {"PATH": str(Path(MCFKG).parent), "MCFKG_ONTOLOGY_DIR": str(root / "ontology"),
           "MCFKG_DATA_DIR": str(root / "data"), "MCFKG_DIST_DIR": str(root / "dist")}
    for name, value in settings.items():
        env[f"MCFKG_{name.upper()}"] = str(root / value) if name.endswith("_dir") else value
    return env


def run_mcfkg(root: Path, *args: str, timeout: float = 600, **settings: str) -> subprocess.CompletedProcess[str]:
    """`mcfkg ARGS` on the project copied under ``root`` (see :func:`mcfkg_env`), output captured."""
    return subprocess.run([MCFKG, *args], env=mcfkg_env(root, **settings), capture_output=True, text=True,
                          timeout=timeout)


def built_copy(root: Path, **settings: str) -> Path:
    """The shipped ontology and data copied under ``root`` and built there (never the real data/), with
    ``settings`` as for :func:`mcfkg_env`."""
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "data", root / "data")
    done = run_mcfkg(root, "build", **settings)
    assert done.returncode == 0, done.stderr
    return root
