"""Tables printed into a pipe or a log keep every value whole: tab-separated lines, nothing cut at 80 columns.

Each command runs as the real console script with its stdout a pipe (``mcfkg link verify`` is
covered in test_link.py, beside its stand-in endpoint).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MCFKG = str(Path(sys.executable).parent / "mcfkg")


def _piped(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``mcfkg ARGS`` with stdout and stderr pipes and no COLUMNS: as in a log or ``| grep``."""
    clean = {k: v for k, v in os.environ.items() if k != "COLUMNS" and not k.startswith("MCFKG_")}
    return subprocess.run([MCFKG, *args], env={**clean, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=180, check=False)


def test_build_summary_names_every_file_whole(pipeline_env: dict[str, str], tmp_path: Path) -> None:
    dist = tmp_path / "a-folder-name-long-enough-that-its-files-pass-eighty-columns" / "dist"
    done = _piped("build", "--dist", str(dist), env=pipeline_env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert f"wrote\t{dist / 'mcfkg.nq'}" in lines and f"wrote\t{dist / 'void.ttl'}" in lines
    assert any(line.startswith("inferred triples\t") for line in lines)
    assert "…" not in done.stdout and "│" not in done.stdout and max(map(len, lines)) > 80


def test_validate_prints_each_result_on_one_line(pipeline_env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix mcf: <https://w3id.org/mcfkg/def/> . @prefix mcfid: <https://w3id.org/mcfkg/id/> .\n"
        "mcfid:a-ghost-enterprise-whose-name-alone-is-longer-than-a-narrow-column a mcf:Enterprise .\n"
        'mcfid:fund a mcf:Fund ; mcf:amount "lots" ; mcf:currency "CNY" .\n'
    )
    done = _piped("validate", str(bad), env=pipeline_env)
    assert done.returncode == 1, done.stderr
    rows = [line.split("\t") for line in done.stdout.splitlines() if "\t" in line]
    assert rows[0] == ["severity", "focus node", "path", "value", "message"]
    assert ["Violation", "mcfid:a-ghost-enterprise-whose-name-alone-is-longer-than-a-narrow-column", "rdfs:label", "",
            "An organisation needs a label."] in rows
    assert ["Violation", "mcfid:fund", "mcf:amount", "lots", "A fund's amount is one xsd:decimal."] in rows
    assert "…" not in done.stdout and done.stdout.splitlines()[-1] == "Does not conform."
