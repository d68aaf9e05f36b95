"""Sources over HTTP, on an on-disk store as `make run` serves it: POST /sources and DELETE /sources/{id}
validate and commit as the CLI does, survive a restart, and the build's graphs change by nothing else.

One server (a copy of the project in a temporary folder) serves the whole module; each test leaves
the fixture source retracted.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from live_mcfkg import MCFKG
from mcfkg.sources.document import read_quads
from project_copy import ROOT, ProjectServer

FIXTURE = ROOT / "tests" / "data" / "sources" / "test-fixture-qingshan-optics.trig"
SOURCE_ID = "test-fixture-qingshan-optics"
SOURCE_GRAPHS = f'GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "https://w3id.org/mcfkg/graph/{SOURCE_ID}"))'
SOURCE_QUADS = len(read_quads(FIXTURE))
DECIDED = "/sources?distinct=mcfid:test-fixture-mianyang"
TRIG = {"Content-Type": "application/trig"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProjectServer]:
    project = ProjectServer(tmp_path_factory.mktemp("sources-http"))
    project.start()
    yield project
    project.stop()


def _retracted(server: ProjectServer) -> None:
    if (server.data / "sources" / f"{SOURCE_ID}.trig").exists():
        assert server.write("DELETE", f"/sources/{SOURCE_ID}").status_code == 200


def test_post_ingests_and_the_answer_comes_once_the_store_serves_it(server: ProjectServer) -> None:
    before = server.count("GRAPH ?g { ?s ?p ?o }")
    posted = server.write("POST", DECIDED, content=FIXTURE.read_bytes(), headers=TRIG)
    assert posted.status_code == 201, posted.text
    assert posted.headers["location"] == f"/id/{SOURCE_ID}"
    assert posted.json()["status"] == "ingested" and posted.json()["quads"] == SOURCE_QUADS
    assert server.count(SOURCE_GRAPHS) == SOURCE_QUADS  # no waiting: acknowledged means served
    assert (server.data / "sources" / f"{SOURCE_ID}.trig").is_file()
    again = server.write("POST", DECIDED, content=FIXTURE.read_bytes(), headers=TRIG)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    deleted = server.write("DELETE", f"/sources/{SOURCE_ID}")
    assert deleted.status_code == 200 and deleted.json()["status"] == "retracted"
    assert server.count(SOURCE_GRAPHS) == 0
    assert server.count("GRAPH ?g { ?s ?p ?o }") == before  # the inferences that rested on it went too


def test_refusals_say_what_to_do_and_change_nothing(server: ProjectServer) -> None:
    undecided = server.write("POST", "/sources", content=FIXTURE.read_bytes(), headers=TRIG)
    assert undecided.status_code == 409
    assert undecided.json()["pending"] == [{"new": "https://w3id.org/mcfkg/id/test-fixture-mianyang",
                                            "existing": "https://w3id.org/mcfkg/id/mianyang", "shared": "mianyang"}]
    invalid = FIXTURE.read_text().replace('mcf:locatedIn mcfid:sichuan', 'mcf:locatedIn "Sichuan"')
    violated = server.write("POST", DECIDED, content=invalid.encode(), headers=TRIG)
    assert violated.status_code == 422, violated.text
    assert {"focus", "path", "message"} <= set(violated.json()["violations"][0])
    assert server.write("POST", DECIDED, content=b"@prefix broken", headers=TRIG).status_code == 400
    assert server.write("POST", DECIDED, content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415
    assert httpx.post(f"{server.root}{DECIDED}", content=FIXTURE.read_bytes(), headers=TRIG).status_code == 403
    assert server.write("DELETE", "/sources/no-such-source").status_code == 404
    assert server.write("DELETE", "/sources/mianyang-mcf-article").status_code == 409  # shipped: needs force
    assert server.count(SOURCE_GRAPHS) == 0
    assert not (server.data / "sources" / f"{SOURCE_ID}.trig").exists()


def test_build_graphs_change_only_with_their_sources(server: ProjectServer) -> None:
    curation = "https://w3id.org/mcfkg/graph/curation"
    before = server.count(f"GRAPH <{curation}> {{ ?s ?p ?o }}")
    for method, path, kwargs in [
        ("PUT", f"/rdf-graph-store?graph={curation}", {"content": b"<http://a> <http://b> <http://c> .",
                                                        "headers": {"Content-Type": "text/turtle"}}),
        ("DELETE", f"/rdf-graph-store?graph={curation}", {}),
        ("POST", "/sparql", {"data": {"update": f"INSERT DATA {{ GRAPH <{curation}> {{ <http://a> <http://b> 1 }} }}"}}),
        ("POST", "/sparql", {"data": {"update": "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }"}}),
        ("POST", "/sparql", {"data": {"update": "DROP ALL"}}),
        ("POST", "/sparql", {"data": {"update": "PREFIX mcfg: <https://w3id.org/mcfkg/graph/> "
                                                "CLEAR GRAPH mcfg:inferred"}}),
    ]:
        refused = server.write(method, path, **kwargs)
        assert refused.status_code == 403, (method, path, refused.text)
        assert "belongs to the build" in refused.text
    assert server.count(f"GRAPH <{curation}> {{ ?s ?p ?o }}") == before
    mine = server.write("POST", "/sparql", data={"update": "INSERT DATA { GRAPH <http://example.org/mine> "
                                                            "{ <http://a> <http://b> 1 } }"})
    assert mine.status_code == 204, mine.text
    assert server.write("POST", "/sparql", data={"update": "DROP GRAPH <http://example.org/mine>"}).status_code == 204


def test_a_cli_ingest_while_the_server_runs_is_served_and_survives_a_restart(server: ProjectServer) -> None:
    done = subprocess.run([MCFKG, "ingest", str(FIXTURE), "--distinct", "mcfid:test-fixture-mianyang"],
                          env=server.env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 30
    while server.count(SOURCE_GRAPHS) != SOURCE_QUADS:
        assert time.monotonic() < deadline, "the server did not take the CLI's build"
        time.sleep(0.5)
    server.stop()
    server.start()
    assert server.count(SOURCE_GRAPHS) == SOURCE_QUADS
    _retracted(server)
    assert server.count(SOURCE_GRAPHS) == 0


def test_a_data_edit_without_a_build_is_reported_not_served(server: ProjectServer) -> None:
    curation = server.data / "curation.trig"
    original = curation.read_bytes()
    try:
        curation.write_bytes(original + b"\n# edited\n")
        deadline = time.monotonic() + 30
        while "changed since" not in (server.log.read_text()):
            assert time.monotonic() < deadline, "the edit was not reported"
            time.sleep(0.5)
        assert "curation.trig changed since" in httpx.get(f"{server.root}/health").json()["data"]
    finally:
        curation.write_bytes(original)
        subprocess.run([MCFKG, "build"], env=server.env, capture_output=True, timeout=600, check=True)


def test_dump_and_restore_bring_back_everything(server: ProjectServer, tmp_path: Path) -> None:
    assert server.write("POST", DECIDED, content=FIXTURE.read_bytes(), headers=TRIG).status_code == 201
    mine = "INSERT DATA { GRAPH <http://example.org/kept> { <http://a> <http://b> 1 } }"
    assert server.write("POST", "/sparql", data={"update": mine}).status_code == 204
    total = server.count("GRAPH ?g { ?s ?p ?o }")
    server.stop()
    backup = tmp_path / "backup.nq.gz"
    subprocess.run([MCFKG, "dump", str(backup), "--store", str(server.store)], env=server.env, check=True, timeout=120)
    (server.data / "sources" / f"{SOURCE_ID}.trig").unlink()  # lost, say, with the machine
    restored = subprocess.run([MCFKG, "restore", str(backup), "--store", str(server.store), "--replace"],
                              env=server.env, capture_output=True, text=True, timeout=120)
    assert restored.returncode == 0, restored.stderr
    assert f"wrote back {server.data / 'sources' / f'{SOURCE_ID}.trig'}" in restored.stdout
    server.start()
    assert server.count("GRAPH ?g { ?s ?p ?o }") == total
    assert server.count(SOURCE_GRAPHS) == SOURCE_QUADS
    assert server.count("GRAPH <http://example.org/kept> { ?s ?p ?o }") == 1
    _retracted(server)
