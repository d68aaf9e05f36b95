"""`mcfkg ingest` through the build's state gives what a full build of the same data gives.

Each test builds a private copy of the shipped project, ingests invented test fixtures through the
state (``MCFKG_INCREMENTAL_FROM_QUADS=0`` makes even this small build take that path), then builds
the same data/ in full into another folder and compares the N-Quads dumps (blank nodes relabelled
canonically per graph) and the VoID descriptions (isomorphic, once the dumps only a full build
writes are left out).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic, to_canonical_graph
from rdflib.namespace import VOID

from project_copy import built_copy, run_mcfkg

FIXTURES = Path(__file__).parent / "data" / "sources"
GRANT_NOTE = FIXTURES / "test-fixture-grant-note.trig"  # restates a shipped fact, disagrees on an amount
EXT_IDS = [str(FIXTURES / "test-fixture-ext-ids.trig"), "--same-as", "mcfid:test-fixture-province-q19770=mcfid:sichuan"]
OPTICS = FIXTURES / "test-fixture-qingshan-optics.trig"  # an organisation in the shipped Mianyang


def _mcfkg(root: Path, *args: str, dist: str = "dist") -> subprocess.CompletedProcess[str]:
    return run_mcfkg(root, *args, dist_dir=dist, incremental_from_quads="0")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return built_copy(tmp_path, incremental_from_quads="0")


def _ingest(root: Path, *args: str) -> dict[str, object]:
    done = _mcfkg(root, "ingest", "--json", *args)
    assert done.returncode == 0, done.stderr + done.stdout
    return json.loads(done.stdout)


def _quads(dump: Path) -> set[tuple[str, object]]:
    ds = Dataset()
    ds.parse(dump, format="nquads")
    return {(str(g.identifier), t) for g in ds.graphs() for t in to_canonical_graph(g)}


def _void(dist: Path) -> Graph:
    void = Graph().parse(dist / "void.ttl", format="turtle")
    for dataset, _, dumped in list(void.triples((None, VOID.dataDump, None))):
        void.remove((dataset, VOID.dataDump, dumped))
        void.remove((dumped, None, None))
    return void


def _assert_same_as_full_build(root: Path) -> None:
    full = _mcfkg(root, "build", dist="full")
    assert full.returncode == 0, full.stderr
    assert _quads(root / "dist" / "mcfkg.nq") == _quads(root / "full" / "mcfkg.nq")
    assert isomorphic(_void(root / "dist"), _void(root / "full"))


def test_sources_ingested_through_the_state_give_the_full_build(project: Path) -> None:
    for args in ([str(GRANT_NOTE)], EXT_IDS,
                 [str(OPTICS), "--same-as", "mcfid:test-fixture-mianyang=mcfid:mianyang"]):
        change = _ingest(project, *args)
        assert change["status"] == "ingested" and change["build"]["incremental"] is True, change
    assert not (project / "dist" / "mcfkg.ttl").exists()  # stale formats are removed, not served
    _assert_same_as_full_build(project)
    # the state now belongs to the new dump: a further change goes through it too
    rebuilt = _mcfkg(project, "build")
    assert rebuilt.returncode == 0 and (project / "dist" / "mcfkg.ttl").exists()


def test_a_refused_source_changes_nothing(project: Path, tmp_path: Path) -> None:
    dump = project / "dist" / "mcfkg.nq"
    before = dump.read_bytes()
    broken = tmp_path / "test-fixture-grant-note.trig"  # two amounts for one grant in one source
    text = GRANT_NOTE.read_text()
    broken.write_text(text.replace('schema:value "600000000"^^xsd:decimal', 'schema:value "600000000"^^xsd:decimal , "700000000"^^xsd:decimal', 1))
    assert broken.read_text() != text, "the fixture changed: update the broken copy"
    done = _mcfkg(project, "ingest", "--json", str(broken))
    assert done.returncode == 1, done.stdout
    assert json.loads(done.stdout)["status"] == "refused"
    assert dump.read_bytes() == before and (project / "dist" / "mcfkg.ttl").exists()
    assert not (project / "data" / "sources" / broken.name).exists()


def test_without_a_current_state_the_ingest_builds_in_full(project: Path) -> None:
    (project / "dist" / "state" / "mcfkg-state.json").unlink()  # as a crash half-way through an ingest leaves it
    change = _ingest(project, str(GRANT_NOTE))
    assert "incremental" not in change["build"]
    assert (project / "dist" / "mcfkg.ttl").exists()
    after = _ingest(project, *EXT_IDS)  # the full build wrote a new state
    assert after["build"]["incremental"] is True
    _assert_same_as_full_build(project)


def test_the_state_finds_the_entities_to_decide_on(project: Path, tmp_path: Path) -> None:
    asked = _mcfkg(project, "ingest", "--json", str(OPTICS))
    assert asked.returncode == 1, asked.stdout
    pending = json.loads(asked.stdout)["pending"]
    assert {(p["new"], p["existing"]) for p in pending} == {
        ("https://w3id.org/mcfkg/id/test-fixture-mianyang", "https://w3id.org/mcfkg/id/mianyang")}
    decided = _ingest(project, str(OPTICS), "--same-as", "mcfid:test-fixture-mianyang=mcfid:mianyang")
    assert decided["build"]["incremental"] is True
    # the ingested source's names are in the state now: a source naming its works under a new IRI is asked about it
    namesake = tmp_path / GRANT_NOTE.name
    namesake.write_text(GRANT_NOTE.read_text().replace('"Invented Test Newsdesk"@en', '"Qingshan Test  OPTICS Works"@en'))
    asked = _mcfkg(project, "ingest", "--json", str(namesake))
    assert asked.returncode == 1, asked.stdout
    assert [(p["new"], p["existing"]) for p in json.loads(asked.stdout)["pending"]] == [
        ("https://w3id.org/mcfkg/id/test-fixture-newsdesk", "https://w3id.org/mcfkg/id/test-fixture-qingshan-optics-works")]
