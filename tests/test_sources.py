"""`mcfkg sources|ingest|retract` through the real console script, on a private copy of the shipped data.

The incoming source is tests/data/sources/test-fixture-qingshan-optics.trig: an invented test
fixture (a fictional organisation), with one entity labelled like the shipped ``mcfid:mianyang``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset
from rdflib.compare import to_canonical_graph

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "data" / "sources" / "test-fixture-qingshan-optics.trig"
SOURCE_ID = "test-fixture-qingshan-optics"
NEW, EXISTING = "mcfid:test-fixture-mianyang", "mcfid:mianyang"
SCRIPT = Path(sys.executable).parent / "mcfkg"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped ontology and data, copied and built once for the module."""
    root = tmp_path_factory.mktemp("shipped")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "data", root / "data")
    done = _run(root, "build")
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture
def project(shipped: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the built project (mtimes kept, so dist/ stays current)."""
    root = tmp_path / "project"
    shutil.copytree(shipped, root)
    yield root


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": str(SCRIPT.parent), "MCFKG_ONTOLOGY_DIR": str(root / "ontology"),
           "MCFKG_DATA_DIR": str(root / "data"), "MCFKG_DIST_DIR": str(root / "dist")}
    return subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=300)


def _canonical_quads(path: Path) -> set[tuple[str, tuple[object, object, object]]]:
    """The quads of an N-Quads dump, blank nodes relabelled canonically per graph."""
    ds = Dataset()
    ds.parse(path, format="nquads")
    return {(str(g.identifier), t) for g in ds.graphs() for t in to_canonical_graph(g)}


def test_ingest_asks_decides_is_idempotent_and_retract_restores_every_quad(project: Path) -> None:
    dump = project / "dist" / "mcfkg.nq"
    before_bytes, before = dump.read_bytes(), _canonical_quads(dump)
    written = project / "data" / "sources" / f"{SOURCE_ID}.trig"

    asked = _run(project, "ingest", str(FIXTURE))
    assert asked.returncode == 1, asked.stderr
    assert "https://w3id.org/mcfkg/id/test-fixture-mianyang\thttps://w3id.org/mcfkg/id/mianyang\tmianyang" in asked.stderr
    assert "--same-as NEW=EXISTING" in asked.stderr and "--distinct NEW" in asked.stderr
    assert not written.exists() and dump.read_bytes() == before_bytes

    ingested = _run(project, "ingest", str(FIXTURE), "--same-as", f"{NEW}={EXISTING}")
    assert ingested.returncode == 0, ingested.stderr
    text = written.read_text()
    assert "test-fixture-mianyang" not in text and "Qingshan Test Optics Works" in text
    assert "test-fixture-qingshan-optics-works" in dump.read_text()

    listed = _run(project, "sources")
    assert listed.returncode == 0, listed.stderr
    rows = {line.split("\t")[0]: line.split("\t") for line in listed.stdout.splitlines()}
    assert rows["source"][6] == "date established"
    fixture_row = rows[f"https://w3id.org/mcfkg/id/{SOURCE_ID}"]
    assert fixture_row[1:] == [
        "Qingshan Test Optics Works Opens in Mianyang (invented test fixture)", "Qingshan Test Optics Works", "en",
        "https://example.org/test-fixture/2026/01/15/qingshan-optics.html", "2026-01-15", "stated", "2026-01-20",
        "1", "6", "2",
    ]
    seed = rows["https://w3id.org/mcfkg/id/mianyang-mcf-article"]
    assert seed[5:8] == ["", "unknown (not stated)", ""] and int(seed[8]) > 20

    stamp, dump_after = written.stat().st_mtime_ns, dump.read_bytes()
    again = _run(project, "ingest", str(FIXTURE))  # the decision is read back from the stored file
    assert again.returncode == 0, again.stderr
    assert "nothing changed" in again.stdout
    assert written.stat().st_mtime_ns == stamp and dump.read_bytes() == dump_after

    retracted = _run(project, "retract", f"https://w3id.org/mcfkg/id/{SOURCE_ID}")
    assert retracted.returncode == 0, retracted.stderr
    assert not written.exists()
    assert _canonical_quads(dump) == before


def test_a_violation_rejects_the_whole_source_and_names_focus_path_message(project: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.trig"
    broken.write_text(FIXTURE.read_text().replace('mcf:excerpt "a fictional optics maker"',
                                                  'mcf:excerpt "a fictional optics maker, copied in full from the text"'))
    dump = project / "dist" / "mcfkg.nq"
    before = dump.read_bytes()
    rejected = _run(project, "ingest", str(broken), "--same-as", f"{NEW}={EXISTING}")
    assert rejected.returncode == 1, rejected.stderr
    # focus node (by its label), path, value, message: one tab-separated row in a pipe
    assert ("Qingshan test fixture, paragraph 1, sentence 1\tmcf:excerpt\ta fictional optics maker, copied in full "
            "from the text\tAn excerpt is at most one short phrase") in rejected.stderr
    assert "1 violation(s)" in rejected.stderr and "Nothing was written" in rejected.stderr
    assert not (project / "data" / "sources" / f"{SOURCE_ID}.trig").exists()
    assert dump.read_bytes() == before
    assert not [p for p in (project / "data" / "sources").iterdir() if p.name.endswith(".tmp")]


def test_distinct_keeps_both_iris_and_nquads_input_is_read_by_its_extension(project: Path, tmp_path: Path) -> None:
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    as_nquads = tmp_path / "fixture.nq"
    as_nquads.write_bytes(ds.serialize(format="nquads", encoding="utf-8"))
    done = _run(project, "ingest", str(as_nquads), "--distinct", NEW)
    assert done.returncode == 0, done.stderr
    assert "test-fixture-mianyang" in (project / "data" / "sources" / f"{SOURCE_ID}.trig").read_text()


def test_retract_refuses_the_shipped_source_and_unknown_ones(project: Path) -> None:
    seed = project / "data" / "mianyang-mcf-article.trig"
    refused = _run(project, "retract", "mcfid:mianyang-mcf-article")
    assert refused.returncode == 1 and "--force" in refused.stderr and seed.exists()
    unknown = _run(project, "retract", "no-such-source")
    assert unknown.returncode == 1 and "mcfkg sources" in unknown.stderr


def test_a_source_writing_into_another_graph_or_a_bad_decision_is_refused(project: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.trig"
    foreign.write_text(FIXTURE.read_text() + "\nmcfg:curation { mcfid:mianyang rdfs:comment \"x\"@en . }\n")
    outside = _run(project, "ingest", str(foreign))
    assert outside.returncode == 2 and "mcfkg retract" in outside.stderr and "graph/curation" in outside.stderr
    typo = _run(project, "ingest", str(FIXTURE), "--same-as", f"{NEW}=mcfid:sichuan")
    assert typo.returncode == 2 and "is not a match" in typo.stderr
    assert not (project / "data" / "sources" / f"{SOURCE_ID}.trig").exists()
