"""The package type-checks: mypy, configured in pyproject.toml, finds nothing in src/mcfkg."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_passes(tmp_path_factory: pytest.TempPathFactory) -> None:
    # A fresh cache of its own: the result never depends on what an earlier run left in the checkout.
    cache = tmp_path_factory.mktemp("mypy-cache")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache)],
        cwd=ROOT, capture_output=True, text=True, timeout=240, check=False,
    )
    assert result.returncode == 0, f"mypy found problems:\n{result.stdout}{result.stderr}"
