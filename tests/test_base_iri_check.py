"""A base IRI that is not an absolute http(s) IRI ending in / or # is a usage error, before anything is written.

``mcfkg build --base-iri not-an-iri`` used to exit 0 and write dumps pyoxigraph (so the server)
cannot read. Run as the real console script, its output through pipes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from mcfkg.config import Settings, SettingsError
from mcfkg.vocab import BASE_IRI_EXAMPLE, base_iri_problem

MCFKG = str(Path(sys.executable).parent / "mcfkg")
BAD = ["not-an-iri", "https://kg.example.org/mcf", "ftp://kg.example.org/mcf/", "/relative/", "https:///no-host/",
       "https://kg.example.org/a b/", "https://kg.example.org/?q=1/", "urn:mcfkg:"]
GOOD = ["https://kg.example.org/mcf/", "http://localhost:9000/kg/", "https://kg.example.org/mcf#"]


def _run(*args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("MCFKG_")}, "COLUMNS": "300", **variables}
    return subprocess.run([MCFKG, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=120, check=False)


@pytest.mark.parametrize("base", BAD)
def test_build_refuses_a_base_that_is_not_an_http_iri_ending_in_a_slash_or_hash(base: str, tmp_path: Path) -> None:
    done = _run("build", "--base-iri", base, "--dist", str(tmp_path / "dist"))
    assert done.returncode == 2, done.stdout + done.stderr
    assert repr(base) in done.stderr and BASE_IRI_EXAMPLE in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "dist").exists()


def test_serve_refuses_it_from_the_flag_and_from_the_environment(tmp_path: Path) -> None:
    for done in (_run("serve", "--base-iri", "not-an-iri", "--port", "9"),
                 _run("serve", "--port", "9", MCFKG_BASE_IRI="kg.example.org/mcf/", MCFKG_DIST_DIR=str(tmp_path))):
        assert done.returncode == 2, done.stdout + done.stderr
        assert "MCFKG_BASE_IRI" in done.stderr and BASE_IRI_EXAMPLE in done.stderr
        assert "Traceback" not in done.stderr


@pytest.mark.parametrize("base", GOOD)
def test_a_good_base_mints_iris_pyoxigraph_reads(base: str) -> None:
    assert base_iri_problem(base) is None
    assert Settings(base_iri=base).base_iri == base
    ox.NamedNode(base + "id/mianyang")


def test_settings_refuse_a_bad_base_however_they_are_made() -> None:
    with pytest.raises(SettingsError, match="e.g. https://kg.example.org/mcf/"):
        Settings(base_iri="not-an-iri")
