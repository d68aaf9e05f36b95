"""`mcfkg serve --store sparql+http://...` end to end, over each real remote server: SPARQL, an entity
page, search, and an ingest and retract whose new builds reach the remote store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from project_copy import ROOT, ProjectServer
from remote_servers import RunningServer

FIXTURE = ROOT / "tests" / "data" / "sources" / "test-fixture-qingshan-optics.trig"
SOURCE_ID = "test-fixture-qingshan-optics"
SOURCE_GRAPHS = f'GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "https://w3id.org/mcfkg/graph/{SOURCE_ID}"))'
DECIDED = "/sources?distinct=mcfid:test-fixture-mianyang"
HTML = {"Accept": "text/html"}


@pytest.fixture
def served(remote_server: RunningServer, tmp_path: Path) -> Iterator[ProjectServer]:
    remote_server.emptied()
    credentials = {"MCFKG_STORE_USER": remote_server.user or "", "MCFKG_STORE_PASSWORD": remote_server.password or "",
                   "MCFKG_STORE_AUTH": remote_server.auth, "MCFKG_STORE_TIMEOUT_PARAMETER": remote_server.timeout_parameter,
                   "MCFKG_STORE_LISTS_GRAPHS": str(remote_server.lists_graphs).lower()}
    project = ProjectServer(tmp_path, env_extra=credentials)
    project.store = remote_server.store_url  # type: ignore[assignment]  # a URL where a directory usually goes
    project.start()
    yield project
    project.stop()


def test_serve_over_a_remote_store(served: ProjectServer) -> None:
    assert served.count("?s ?p ?o") > 1000
    page = httpx.get(f"{served.root}/id/mianyang", headers=HTML, timeout=60)
    assert page.status_code == 200 and "Mianyang" in page.text
    found = httpx.get(f"{served.root}/search", params={"q": "Mianyang"}, headers=HTML, timeout=60)
    assert found.status_code == 200 and "/id/mianyang" in found.text
    posted = served.write("POST", DECIDED, content=FIXTURE.read_bytes(), headers={"Content-Type": "application/trig"})
    assert posted.status_code == 201, posted.text
    assert served.count(SOURCE_GRAPHS) == posted.json()["quads"]  # acknowledged means served from the remote store
    update = served.write("POST", "/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert update.status_code == 403 and "MCFKG_STORE_CLIENT_UPDATES" in update.text
    deleted = served.write("DELETE", f"/sources/{SOURCE_ID}")
    assert deleted.status_code == 200, deleted.text
    assert served.count(SOURCE_GRAPHS) == 0
