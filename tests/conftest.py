"""Fixtures shared by the test modules. Keep each one small and say what it is for.

Pipeline fixtures use ``tests/data/pipeline/``: a tiny ontology (``ontology/mcf.ttl``), shapes
(``ontology/shapes.ttl``), a JSON-LD context and one TriG file (``data/article.trig``) laid out
like the repository, so tests do not depend on the real model's contents.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mcfkg.config import Settings

PIPELINE_DATA = Path(__file__).parent / "data" / "pipeline"


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
