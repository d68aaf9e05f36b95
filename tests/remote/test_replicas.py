"""Several `mcfkg serve` on one remote store, over the Oxigraph server the suite starts: a read-only server
on a store loaded offline (a QLever-style replica: `--store` names no update URL), and two writable
servers sharing one store and one data/ and dist/ (the second replaces nothing; an ingest through the
first reaches the second). Servers on hosts that share no files front the store read-only, by its
query URL: they see each build the writer syncs as soon as it is in the store."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mcfkg.config import Settings
from mcfkg.dist import staleness
from mcfkg.remote import build_sync
from mcfkg.remote.replica import write_load_file
from mcfkg.store import query_limits
from mcfkg.vocab import Vocab
from project_copy import ProjectServer, built_copy, run_mcfkg
from remote_servers import RunningServer
from test_serve_remote import DECIDED, FIXTURE, HTML, SOURCE_GRAPHS, SOURCE_ID

pytestmark = pytest.mark.parametrize("remote_server", ["oxigraph"], indirect=True)

UNION = str(Vocab().union_graph)
MINE = "http://example.org/mine"
RECORD = f"SELECT * WHERE {{ GRAPH <{build_sync.RECORD_GRAPH}> {{ ?g ?p ?digest }} }} ORDER BY ?g"
SENTINEL = f"GRAPH <{UNION}> {{ <urn:mcfkg-test:sentinel> <urn:mcfkg-test:says> \"left alone\" }}"
# Every triple of the default graph but those with blank nodes (whose labels are each store's own).
EVERYTHING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER (!isBlank(?s) && !isBlank(?o)) } ORDER BY ?s ?p ?o"
WAIT_S = 120.0


_BUILT: dict[str, Path] = {}  # one build for every project here: two builds of the same data differ in blank nodes


@pytest.fixture(scope="module", autouse=True)
def one_build(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The shipped data built once (a fresh clone has no dist/), copied into every project of this module."""
    _BUILT["dist"] = built_copy(tmp_path_factory.mktemp("built")) / "dist"


def project_on(server: RunningServer, folder: Path, store: str) -> ProjectServer:
    """A copied project served on ``server`` (named by ``store``: with or without its update URL), not started."""
    credentials = {"MCFKG_STORE_USER": server.user or "", "MCFKG_STORE_PASSWORD": server.password or "",
                   "MCFKG_STORE_AUTH": server.auth, "MCFKG_STORE_LISTS_GRAPHS": str(server.lists_graphs).lower()}
    project = ProjectServer(folder, env_extra=credentials)
    shutil.copytree(_BUILT["dist"], project.dist, dirs_exist_ok=True)
    project.store = store  # type: ignore[assignment]  # a URL where a directory usually goes
    return project


def direct(server: RunningServer, query: str) -> httpx.Response:
    """A query to the store itself, not through mcfkg."""
    answer = httpx.post(server.query_url, data={"query": query}, timeout=60,
                        headers={"Accept": "application/sparql-results+json"})
    answer.raise_for_status()
    return answer


def holds(server: RunningServer, pattern: str) -> bool:
    return direct(server, f"ASK {{ {pattern} }}").json()["boolean"]


def snapshot(server: RunningServer) -> list[str]:
    """Every quad the Oxigraph server holds (its own dump, blank node labels stable), sorted."""
    root = server.query_url.rsplit("/", 1)[0]
    dump = httpx.get(f"{root}/store", headers={"Accept": "application/n-quads"}, timeout=60)
    dump.raise_for_status()
    return sorted(dump.text.splitlines())


def everything(project: ProjectServer) -> list[dict]:
    answer = httpx.post(f"{project.root}/sparql", data={"query": EVERYTHING}, timeout=60,
                        headers={"Accept": "application/sparql-results+json"})
    answer.raise_for_status()
    return answer.json()["results"]["bindings"]


def wait_for_log(project: ProjectServer, text: str) -> None:
    """Wait until the server's log says ``text`` (its follow loop looks every build_poll_s)."""
    deadline = time.monotonic() + WAIT_S
    while text not in project.log.read_text(errors="replace"):
        if time.monotonic() > deadline:
            pytest.fail(f"the server never logged {text!r}; its log:\n{project.log.read_text()[-3000:]}")
        time.sleep(0.2)


def loaded_offline(server: RunningServer, folder: Path) -> ProjectServer:
    """A read-only server over a store loaded, as QLever is, from the file `python -m mcfkg.remote.replica`
    writes (never from an mcfkg update): `--store` names the query URL alone."""
    server.emptied()
    project = project_on(server, folder, f"sparql+{server.query_url}")
    settings = Settings(data_dir=project.data, dist_dir=project.dist, ontology_dir=folder / "ontology")
    if staleness(settings):
        assert run_mcfkg(folder, "build").returncode == 0
    load = folder / "replica.nq"
    write_load_file(project.dist / "mcfkg.nq", load, query_limits(settings))
    root = server.query_url.rsplit("/", 1)[0]
    loaded = httpx.post(f"{root}/store", content=load.read_bytes(), timeout=120,
                        headers={"Content-Type": "application/n-quads"})
    assert loaded.status_code in (200, 204), loaded.text
    return project


@pytest.fixture
def replica(remote_server: RunningServer, tmp_path: Path) -> Iterator[ProjectServer]:
    project = loaded_offline(remote_server, tmp_path)
    project.start()
    yield project
    project.stop()


def test_a_read_only_store_is_served_as_it_is(replica: ProjectServer, remote_server: RunningServer) -> None:
    log = replica.log.read_text()
    assert "is read-only" in log and "it holds this build" in log
    before = snapshot(remote_server)
    assert replica.count("?s ?p ?o") > 1000  # the union graph, read as the default graph
    page = httpx.get(f"{replica.root}/id/mianyang", headers=HTML, timeout=60)
    assert page.status_code == 200 and "Mianyang" in page.text
    found = httpx.get(f"{replica.root}/search", params={"q": "Mianyang"}, headers=HTML, timeout=60)
    assert found.status_code == 200 and "/id/mianyang" in found.text
    download = httpx.get(f"{replica.root}/download/mcfkg.nq", timeout=60)
    assert download.status_code == 200 and "/graph/mianyang" in download.text  # from dist/, as ever
    writes = [
        replica.write("POST", "/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
        replica.write("PUT", "/rdf-graph-store", params={"graph": MINE},
                      content=b"<urn:a> <urn:b> <urn:c> .", headers={"Content-Type": "text/turtle"}),
        replica.write("POST", "/rdf-graph-store", content=b"<urn:a> <urn:b> <urn:c> .",
                      headers={"Content-Type": "text/turtle"}),
        replica.write("DELETE", "/rdf-graph-store", params={"graph": MINE}),
    ]
    for answer in writes:
        assert answer.status_code == 403 and "read-only store" in answer.text, answer.text
    assert snapshot(remote_server) == before


def test_a_read_only_store_takes_no_source(replica: ProjectServer, remote_server: RunningServer) -> None:
    before = snapshot(remote_server), sorted((replica.data / "sources").iterdir())
    posted = replica.write("POST", DECIDED, content=FIXTURE.read_bytes(), headers={"Content-Type": "application/trig"})
    retracted = replica.write("DELETE", "/sources/mianyang-mcf-special-fund-2018-04-28", params={"force": "true"})
    for answer in (posted, retracted):
        assert answer.status_code == 403 and "read-only store" in answer.text, answer.text
    assert (snapshot(remote_server), sorted((replica.data / "sources").iterdir())) == before


def test_a_store_without_the_union_graph_is_refused(remote_server: RunningServer, tmp_path: Path) -> None:
    remote_server.emptied()
    project = project_on(remote_server, tmp_path, f"sparql+{remote_server.query_url}")
    root = remote_server.query_url.rsplit("/", 1)[0]
    loaded = httpx.post(f"{root}/store", content=(project.dist / "mcfkg.nq").read_bytes(), timeout=120,
                        headers={"Content-Type": "application/n-quads"})  # the build alone: no union graph
    assert loaded.status_code in (200, 204), loaded.text
    with pytest.raises(RuntimeError, match="python -m mcfkg.remote.replica"):
        project.start()


def test_two_servers_share_one_store(remote_server: RunningServer, tmp_path: Path) -> None:
    remote_server.emptied()
    first = project_on(remote_server, tmp_path / "first", remote_server.store_url)
    second = project_on(remote_server, tmp_path / "second", remote_server.store_url)
    second.data, second.dist = first.data, first.dist  # one data/ and dist/ (one host, or a shared volume)
    try:
        first.start()
        record = direct(remote_server, RECORD).json()
        # Written into the union graph behind mcfkg's back: a server that replaced that graph would drop it.
        httpx.post(remote_server.update_url, data={"update": f"INSERT DATA {{ {SENTINEL} }}"}, timeout=60).raise_for_status()
        second.start()
        assert "took the build of dist/: 0 graph(s) replaced, 0 dropped" in second.log.read_text()
        assert holds(remote_server, SENTINEL)
        httpx.post(remote_server.update_url, data={"update": f"DELETE DATA {{ {SENTINEL} }}"}, timeout=60).raise_for_status()
        assert direct(remote_server, RECORD).json() == record  # the same build: the same record
        answered = everything(first)
        assert len(answered) > 1000 and everything(second) == answered

        posted = first.write("POST", DECIDED, content=FIXTURE.read_bytes(), headers={"Content-Type": "application/trig"})
        assert posted.status_code == 201, posted.text
        for server in (first, second):  # whichever looks first syncs; the other then finds the store in step
            wait_for_log(server, "serving the new build")
        assert first.count(SOURCE_GRAPHS) == second.count(SOURCE_GRAPHS) == posted.json()["quads"]
        assert everything(second) == everything(first)
        download = httpx.get(f"{second.root}/download/mcfkg.nq", timeout=60)
        assert f"/graph/{SOURCE_ID}" in download.text  # the second serves the new build's files too
    finally:
        second.stop()
        first.stop()


def test_a_read_only_server_sees_each_build_the_writer_takes(remote_server: RunningServer, tmp_path: Path) -> None:
    remote_server.emptied()
    writer = project_on(remote_server, tmp_path / "writer", remote_server.store_url)
    reader = project_on(remote_server, tmp_path / "reader", f"sparql+{remote_server.query_url}")  # its own dist/
    try:
        writer.start()
        reader.start()
        assert "it holds this build" in reader.log.read_text()
        posted = writer.write("POST", DECIDED, content=FIXTURE.read_bytes(), headers={"Content-Type": "application/trig"})
        assert posted.status_code == 201, posted.text
        deadline = time.monotonic() + WAIT_S  # the reader lists the store's graphs anew every build_poll_s
        while reader.count(SOURCE_GRAPHS) != posted.json()["quads"]:
            assert time.monotonic() < deadline, "the reader never saw the new source's graphs"
            time.sleep(0.2)
        assert everything(reader) == everything(writer)  # the new graphs are the build's: not joined again
    finally:
        reader.stop()
        writer.stop()
