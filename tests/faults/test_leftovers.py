"""What a server killed with SIGKILL leaves behind is removed when the next one starts; a live server's is not.

Before the fix each SIGKILL left an update trial's RocksDB checkpoint (``mcfkg-trial-*``, a copy of
the store's files) in the temporary directory and the pinned build (``.mcfkg-serving-*``) beside
dist/, for ever. Now each such folder is named after the process that owns it, and ``mcfkg serve``
removes those whose owner is gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from faultkit import LIBRARY, TOKEN, numbers_file, start_live_server
from live_mcfkg import mcfkg_serve

RUNAWAY_UPDATE = ("INSERT { <http://example.org/x> <http://example.org/n> ?n } WHERE { "
                  "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } }")
PIN_AND_WAIT = """
import sys, time
from pathlib import Path
from mcfkg.web.served_build import pin
print(pin(Path(sys.argv[1])), flush=True)
time.sleep(600)
"""


def _wait_for(found: Callable[[], list[Path]], seconds: float) -> list[Path]:
    deadline = time.monotonic() + seconds
    while not (paths := found()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return paths


def _killed_update_trial(temporary: Path, store: Path) -> Path:
    """Kill a store process (SIGKILL) while an update's trial runs on its checkpoint; the checkpoint it leaves."""
    live = start_live_server([(numbers_file(store.parent, 100), None)], store_path=store, update_token=TOKEN,
                             query_timeout_s=30.0)
    try:
        def update() -> None:
            with httpx.Client(base_url=live.url, timeout=60) as c:
                c.post("/sparql", content=RUNAWAY_UPDATE, headers={
                    "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})

        threading.Thread(target=update, daemon=True).start()
        store_pid = live.store._engine._process.pid
        checkpoints = _wait_for(lambda: sorted(temporary.glob(f"mcfkg-trial-{store_pid}-*")), 20)
        assert checkpoints, "no trial checkpoint named after the store process appeared"
        os.kill(store_pid, signal.SIGKILL)
        time.sleep(0.5)
        assert checkpoints[0].is_dir()  # nobody was left to remove it
        return checkpoints[0]
    finally:
        live.stop()


def _killed_pinned_build(dist: Path) -> Path:
    """Kill (SIGKILL) a process that pinned a copy of ``dist``; the copy it leaves."""
    holder = subprocess.Popen([sys.executable, "-c", PIN_AND_WAIT, str(dist)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    pinned = Path(holder.stdout.readline().strip())
    assert pinned.name.startswith(f"mcfkg-serving-{holder.pid}-") and pinned.parent == Path(os.environ["TMPDIR"])
    assert not list(dist.parent.glob("*serving*")), "runtime state in the source tree"
    holder.send_signal(signal.SIGKILL)
    holder.wait(10)
    assert pinned.is_dir()
    return pinned


def test_the_next_server_removes_what_a_killed_one_left_and_keeps_the_rest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    temporary, dist = tmp_path / "tmp", tmp_path / "clone" / "dist"
    temporary.mkdir()
    dist.mkdir(parents=True)
    (dist / "mcfkg.nq").write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    monkeypatch.setenv("TMPDIR", str(temporary))  # the store's and the next server's temporary directory
    monkeypatch.setenv("MCFKG_DIST_DIR", str(dist))
    left = [_killed_update_trial(temporary, tmp_path / "store"), _killed_pinned_build(dist)]
    left.append(dist.parent / ".mcfkg-serving-999999999-old")  # where earlier versions pinned their build
    left[-1].mkdir()
    kept = [temporary / f"mcfkg-serving-{os.getpid()}-live", temporary / f"mcfkg-trial-{os.getpid()}-live",
            temporary / "mcfkg-serving-unknown-owner", temporary / "mcfkg-trial-old"]
    for folder in kept:
        folder.mkdir()
    with mcfkg_serve(LIBRARY):
        assert not [folder for folder in left if folder.exists()]
        assert all(folder.is_dir() for folder in kept)
