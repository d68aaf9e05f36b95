"""SIGKILL `mcfkg ingest` at random moments while it goes through the build's state; nothing is torn.

Each trial starts from a project built with a state (``MCFKG_INCREMENTAL_FROM_QUADS=0``), runs an
ingest of a test fixture through the console script and kills it (SIGKILL, no clean-up) after a
random delay within the time one ingest takes. Then:

- the source's file in ``data/sources/`` is there whole (it parses, with every quad) or not at all;
- the next ingest (of another fixture) succeeds, through the state when the killed one finished or
  never got past its checks, else by the full build that a torn state or a stale ``dist/`` calls for;
- the N-Quads dump then equals a full build of ``data/`` (blank nodes canonicalised), so no
  acknowledged or half-done change is lost or shown in part, and the VoID is current.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from rdflib import Dataset
from rdflib.compare import to_canonical_graph

from live_mcfkg import MCFKG
from mcfkg.sources.document import read_quads
from project_copy import ROOT, built_copy, mcfkg_env, run_mcfkg

TRIALS = int(os.environ.get("MCFKG_INCREMENTAL_KILL_TRIALS", "8"))
FIXTURES = ROOT / "tests" / "data" / "sources"
KILLED = FIXTURES / "test-fixture-grant-note.trig"
NEXT = [str(FIXTURES / "test-fixture-ext-ids.trig"), "--same-as", "mcfid:test-fixture-province-q19770=mcfid:sichuan"]


def _run(root: Path, *args: str, dist: str = "dist") -> subprocess.CompletedProcess[str]:
    return run_mcfkg(root, *args, dist_dir=dist, incremental_from_quads="0")


def _quads(dump: Path) -> set[tuple[str, object]]:
    ds = Dataset()
    ds.parse(dump, format="nquads")
    return {(str(g.identifier), t) for g in ds.graphs() for t in to_canonical_graph(g)}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_copy(tmp_path_factory.mktemp("built"), incremental_from_quads="0")


def test_a_killed_ingest_leaves_the_source_whole_or_absent_and_the_next_one_repairs(
        built: Path, tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("MCFKG_KILL_SEED", "13")))
    probe = tmp_path / "probe"
    shutil.copytree(built, probe)
    start = time.monotonic()
    assert _run(probe, "ingest", "--json", str(KILLED)).returncode == 0
    took = time.monotonic() - start
    outcomes = []
    for trial in range(TRIALS):
        root = tmp_path / f"trial-{trial}"
        shutil.copytree(built, root)
        ingest = subprocess.Popen([MCFKG, "ingest", "--json", str(KILLED)], env=mcfkg_env(root, incremental_from_quads="0"),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.3, 1.1) * took)
        ingest.send_signal(signal.SIGKILL)
        ingest.communicate(timeout=60)
        written = root / "data" / "sources" / KILLED.name
        if written.exists():
            assert read_quads(written) == read_quads(KILLED)  # whole, never a partial file
        after = _run(root, "ingest", "--json", *NEXT)
        assert after.returncode == 0, after.stdout + after.stderr
        outcomes.append((ingest.returncode, written.exists(), json.loads(after.stdout)["build"].get("incremental", False)))
        assert _run(root, "build", dist="full").returncode == 0
        assert _quads(root / "dist" / "mcfkg.nq") == _quads(root / "full" / "mcfkg.nq"), f"trial {trial}: {outcomes[-1]}"
        shutil.rmtree(root)
    # (exit status, source file written, next ingest through the state) per trial; with this seed and spread
    # kills land both before and after the source file is written, but timing decides: only require real kills
    assert any(code == -signal.SIGKILL for code, _, _ in outcomes), outcomes
