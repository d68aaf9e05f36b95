"""A deployment under its own base IRI, end to end as a user runs it: `mcfkg build --base-iri`, then `mcfkg serve`.

The real project's data and shapes are used (the shapes' SPARQL constraints name the base
through prefix declarations), and the server is the real `mcfkg serve` process on a free port.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx
from rdflib import Graph
from test_serve import MCFKG, _free_port, serving

from mcfkg.vocab import CANONICAL_BASE

OTHER_BASE = "https://kg.example.org/mcf/"
TURTLE = {"Accept": "text/turtle"}


def _clean_env(**variables: str) -> dict[str, str]:
    """The environment without any MCFKG_* a developer may have set, plus ``variables``."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("MCFKG_")}, **variables}


def _subjects(turtle: str) -> set[str]:
    return {str(s) for s in Graph().parse(data=turtle, format="turtle").subjects()}


def test_build_and_serve_under_another_base_then_the_default_base(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run([MCFKG, "build", "--base-iri", OTHER_BASE, "--dist", str(dist)], check=False,
                           capture_output=True, text=True, timeout=180, env=_clean_env(COLUMNS="200"))
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    built_at = (dist / "mcfkg.nq").stat().st_mtime_ns

    with serving(env=_clean_env(MCFKG_BASE_IRI=OTHER_BASE, MCFKG_DIST_DIR=str(dist))) as other:
        response = httpx.get(other + "/mcf/id/mianyang", headers=TURTLE, timeout=30)  # where the IRI points
        assert response.status_code == 200, response.text
        assert OTHER_BASE + "id/mianyang" in _subjects(response.text)
        assert CANONICAL_BASE not in response.text
        assert (dist / "mcfkg.nq").stat().st_mtime_ns == built_at  # the build matched the base: served as it was

        # The same dist/ served under the default base is rebuilt for it instead of serving IRIs no page answers
        with serving(env=_clean_env(MCFKG_DIST_DIR=str(dist))) as url:
            response = httpx.get(url + "/id/mianyang", headers=TURTLE, timeout=30)
            assert response.status_code == 200, response.text
            assert CANONICAL_BASE + "id/mianyang" in _subjects(response.text)
            assert OTHER_BASE not in response.text
            # ... while the first server still hands out the build it serves, not the new one.
            void = httpx.get(other + "/mcf/download/void.ttl", timeout=30).text
            assert f'void:uriSpace "{OTHER_BASE}id/"' in void and CANONICAL_BASE not in void


def test_serve_says_so_when_it_cannot_write_the_build_it_needs(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n")
    result = subprocess.run([MCFKG, "serve", "--port", str(_free_port())], check=False, capture_output=True,
                            text=True, timeout=180, env=_clean_env(MCFKG_DIST_DIR=str(blocker / "dist"), COLUMNS="300"))
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Nothing is being served." in result.stderr and "Traceback" not in result.stderr
