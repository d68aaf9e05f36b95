"""Safe by default: a time limit that frees the CPU, no outbound or file access, body and result caps, 4xx for bad input."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

TOKEN = "safety-token"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
SIMPLE = "ASK { <http://example.org/dune> a <http://example.org/Book> }"
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def numbers(tmp_path_factory) -> Path:
    """300 triples: quick to load, but a 5-way cross join over them never ends (300^5 rows)."""
    path = tmp_path_factory.mktemp("data") / "numbers.ttl"
    path.write_text("".join(f"<http://example.org/n{i}> <http://example.org/value> {i} .\n" for i in range(300)))
    return path


@pytest.fixture(scope="module")
def server(live_server_factory, library_trig, numbers):
    return live_server_factory(data=[(library_trig, None), (numbers, "http://example.org/numbers")],
                               query_timeout_s=2.0, query_workers=2, max_request_bytes=10_000,
                               max_result_rows=100)


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def _get(client: httpx.Client, query: str, **headers: str) -> httpx.Response:
    return client.get("/sparql", params={"query": query}, headers=headers or JSON)


def _cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far; 0 once it is gone (it burns nothing then)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(p) for p in (task / "children").read_text().split())
    return found


def test_runaway_query_is_cut_off_while_others_are_served(server, client) -> None:
    store_pid = server.store._engine._process.pid
    workers_before = _children(store_pid)
    runaway: dict[str, object] = {}

    def run() -> None:
        started = time.monotonic()
        runaway["response"] = _get(client, RUNAWAY)
        runaway["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.5)  # the runaway is now occupying a worker
    with httpx.Client(base_url=server.url, timeout=1.0) as quick:  # must answer within a second
        for _ in range(5):
            assert _get(quick, SIMPLE).json()["boolean"] is True
    thread.join(30)
    response = runaway["response"]
    assert response.status_code == 503
    assert "stopped after 2 s" in response.text
    assert runaway["seconds"] < 10
    # the worker that ran it was killed and replaced, and nothing burns CPU any more
    workers_after = _children(store_pid)
    assert workers_after and workers_before - workers_after
    spent = sum(_cpu_seconds(p) for p in workers_after)
    time.sleep(1.0)
    assert sum(_cpu_seconds(p) for p in workers_after) - spent < 0.3
    assert _get(client, SIMPLE).json()["boolean"] is True


def _runaways(url: str, count: int) -> tuple[list[threading.Thread], list[tuple[int, float]]]:
    """Start ``count`` runaway queries at once; each records (status, seconds until answered)."""
    answers: list[tuple[int, float]] = []

    def run() -> None:
        started = time.monotonic()
        with httpx.Client(base_url=url, timeout=30) as c:
            status = _get(c, RUNAWAY).status_code
        answers.append((status, time.monotonic() - started))

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads, answers


def test_runaways_on_every_worker_do_not_block_a_short_query(live_server_factory, library_trig, numbers,
                                                             monkeypatch) -> None:
    from mcfkg.sparql import engine

    monkeypatch.setattr(engine, "SPARE_WORKER_IDLE_S", 0.5)
    busy = live_server_factory(data=[(library_trig, None), (numbers, "http://example.org/numbers")],
                               query_timeout_s=3.0, query_workers=2)
    threads, answers = _runaways(busy.url, 3)
    time.sleep(0.5)  # all three runaways now hold a worker: more were forked for them
    started = time.monotonic()
    with httpx.Client(base_url=busy.url, timeout=3.0) as quick:
        assert _get(quick, SIMPLE).json()["boolean"] is True
    assert time.monotonic() - started < 3.0
    for thread in threads:
        thread.join(30)
    assert [status for status, _ in answers] == [503] * 3
    assert max(seconds for _, seconds in answers) < 3.0 + 1.0
    workers = busy.store._engine
    deadline = time.monotonic() + 5  # the extra workers idle, then are retired
    while len(_children(workers._process.pid)) > 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers._size == 2 and len(_children(workers._process.pid)) == 2


def test_time_waiting_for_a_worker_counts_against_the_limit(live_server_factory, library_trig, numbers) -> None:
    fixed = live_server_factory(data=[(library_trig, None), (numbers, "http://example.org/numbers")],
                                query_timeout_s=2.0, query_workers=2, max_query_workers=2)
    threads, answers = _runaways(fixed.url, 3)  # the third waits for a worker the whole time
    for thread in threads:
        thread.join(30)
    assert [status for status, _ in answers] == [503] * 3
    assert max(seconds for _, seconds in answers) < 2.0 + 1.0


def test_flood_of_concurrent_queries_all_succeed(server) -> None:
    def ask(i: int) -> int:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            response = c.post("/sparql", data={"query": f"SELECT ?v WHERE {{ <http://example.org/n{i}> ?p ?v }}"},
                              headers=JSON)
            assert response.json()["results"]["bindings"][0]["v"]["value"] == str(i)
            return response.status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        assert list(pool.map(ask, range(50))) == [200] * 50


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <file:///etc/passwd> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } }",
    "PREFIX x: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE x:sparql { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",  # keyword spelled with an escape
    "SELECT * WHERE { BIND(<http://127.0.0.1:9/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
])
def test_service_is_refused_unless_allow_listed(client, query: str) -> None:
    response = _get(client, query)
    assert response.status_code == 400
    assert "SERVICE" in response.text and "refused" in response.text


def test_words_that_merely_contain_service_or_from_still_work(client) -> None:
    query = 'SELECT ?s WHERE { ?s ?p "service" . ?s <http://example.org/derivedFrom> ?o }'
    assert _get(client, query).status_code == 200


def test_from_selects_graphs_of_the_store_and_never_reads_files(client) -> None:
    response = _get(client, "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    assert response.status_code == 200 and response.json()["results"]["bindings"] == []
    books = _get(client, "SELECT ?b FROM <http://example.org/books> WHERE { ?b a <http://example.org/Book> }")
    assert len(books.json()["results"]["bindings"]) == 2
    people_only = _get(client, "SELECT ?b FROM <http://example.org/people> WHERE { ?b a <http://example.org/Book> }")
    assert people_only.json()["results"]["bindings"] == []


def test_updates_are_refused_without_the_token_and_nothing_changes(live_server_factory, library_trig) -> None:
    read_only = live_server_factory()
    writable = live_server_factory(update_token=TOKEN)
    insert = "INSERT DATA { <http://example.org/x> <http://example.org/y> 1 }"
    check = "ASK { <http://example.org/x> ?p ?o }"
    for srv, headers in [(read_only, {}), (read_only, {"Authorization": f"Bearer {TOKEN}"}),
                         (writable, {}), (writable, {"Authorization": "Bearer wrong"}),
                         (writable, {"Authorization": f"Basic {TOKEN}"})]:
        with httpx.Client(base_url=srv.url) as c:
            assert c.post("/sparql", content=insert, headers={"Content-Type": "application/sparql-update",
                                                              **headers}).status_code == 403
            assert c.post("/sparql", data={"update": insert}, headers=headers).status_code == 403
            assert _get(c, check).json()["boolean"] is False


def test_a_runaway_update_is_a_503_and_queries_are_served_meanwhile(live_server_factory, library_trig,
                                                                    numbers) -> None:
    writable = live_server_factory(data=[(library_trig, None), (numbers, None)],  # updates see the default graph
                                   update_token=TOKEN, query_timeout_s=2.0)
    update = ("INSERT { <http://example.org/x> <http://example.org/count> ?n } WHERE { "
              + RUNAWAY.removeprefix("SELECT (COUNT(*) AS ?n) WHERE ") + " }")
    answer: dict[str, httpx.Response] = {}

    def run() -> None:
        with httpx.Client(base_url=writable.url, timeout=30) as c:
            answer["update"] = c.post("/sparql", content=update, headers={
                "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.5)  # the update's trial is running
    with httpx.Client(base_url=writable.url, timeout=1.0) as quick:
        assert _get(quick, SIMPLE).json()["boolean"] is True
    thread.join(30)
    assert answer["update"].status_code == 503
    assert "stopped after 2 s" in answer["update"].text and "nothing was changed" in answer["update"].text
    with httpx.Client(base_url=writable.url, timeout=30) as c:
        assert _get(c, "ASK { <http://example.org/x> ?p ?o }").json()["boolean"] is False


def test_load_is_refused_even_with_the_token(live_server_factory) -> None:
    writable = live_server_factory(update_token=TOKEN)
    with httpx.Client(base_url=writable.url) as c:
        for update in ["LOAD <file:///etc/passwd>", "LOAD SILENT <http://127.0.0.1:9/data.ttl> INTO GRAPH <http://g>",
                       "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"]:
            response = c.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update",
                                                                  "Authorization": f"Bearer {TOKEN}"})
            assert response.status_code == 400, update
            assert "refused" in response.text


@pytest.fixture
def silent_endpoint():
    """A TCP server that accepts connections and never answers: a SERVICE call to it would hang forever."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


def test_allowed_service_runs_and_is_time_bounded(live_server_factory, library_trig, silent_endpoint) -> None:
    remote = live_server_factory()
    federating = live_server_factory(data=(), service_allowlist=(remote.sparql, silent_endpoint),
                                     query_timeout_s=2.0)
    with httpx.Client(base_url=federating.url, timeout=30) as c:
        federated = _get(c, f"SELECT ?l WHERE {{ SERVICE <{remote.sparql}> {{ <http://example.org/emma> "
                            "<http://www.w3.org/2000/01/rdf-schema#label> ?l } }")
        assert federated.status_code == 200
        assert federated.json()["results"]["bindings"][0]["l"]["value"] == "Emma"
        hanging = _get(c, f"SELECT * WHERE {{ SERVICE <{silent_endpoint}> {{ ?s ?p ?o }} }}")
        assert hanging.status_code == 503
        assert _get(c, "ASK {}").status_code == 200


def test_request_body_over_the_limit_is_413(client) -> None:
    big = "ASK {} #" + "x" * 20_000
    declared = client.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"})
    assert declared.status_code == 413 and "Accept" in declared.headers["vary"]  # an error like every other

    def chunks():  # no Content-Length: the limit is enforced while reading
        for _ in range(100):
            yield b"#" + b"x" * 999

    response = client.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413
    assert "10000 bytes" in response.text


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_result_over_the_row_cap_is_refused_not_truncated(client, accept) -> None:
    too_many = _get(client, "SELECT * WHERE { ?s ?p ?o }", Accept=accept)
    assert too_many.status_code == 413
    assert "more than 100 rows" in too_many.text and "LIMIT" in too_many.text
    exactly = _get(client, "SELECT * WHERE { ?s ?p ?o } LIMIT 100", Accept=accept)
    assert exactly.status_code == 200 and len(exactly.content) > 100  # longer than the cap: rows were counted


def test_graph_result_over_the_cap_is_refused(client) -> None:
    graph = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "text/turtle"})
    assert graph.status_code == 413


@pytest.mark.parametrize(("method", "kwargs", "status", "message"), [
    ("GET", {"params": {"query": "SELECT * WHERE {"}}, 400, "error at 1:"),
    ("GET", {"params": {"query": "SELECT ?x WHERE { ?x ?y ?z } GROUP BY ?y"}}, 400, ""),
    ("POST", {"content": "ASK {}".encode("utf-16"), "headers": {"Content-Type": "application/sparql-query"}},
     400, "UTF-8"),
    ("POST", {"content": b"ASK { ?s ?p \"\xff\" }", "headers": {"Content-Type": "application/sparql-query"}},
     400, "UTF-8"),
    ("POST", {"content": b"query=ASK%20%7B%7D%FF", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
     400, "UTF-8"),
    ("GET", {"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}}, 400, "IRI"),
    ("POST", {"content": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 415, "application/sparql-query"),
    ("GET", {"params": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}}, 406, "results come as"),
    ("GET", {"params": {"query": "ASK {}", "format": "turtle"}}, 406, "format=json|xml|csv|tsv"),
    ("PUT", {"params": {"query": "ASK {}"}}, 405, ""),
])
def test_bad_input_is_a_4xx_with_a_useful_message(client, method, kwargs, status, message) -> None:
    response = client.request(method, "/sparql", **kwargs)
    assert response.status_code == status, response.text
    assert message in response.text


def test_cors_lets_any_origin_read_without_credentials(client) -> None:
    response = _get(client, SIMPLE, Origin="https://example.net", Accept="application/sparql-results+json")
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    preflight = client.options("/sparql", headers={"Origin": "https://example.net",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type, authorization"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in preflight.headers


def test_one_log_line_per_request_with_duration_and_outcome(client, caplog) -> None:
    def logged() -> list[str]:
        # The server is shared by the module's tests: a line from an earlier request may land here too.
        return [m for r in caplog.records if r.name == "mcfkg.web" and (m := r.getMessage()).startswith("GET /sparql ")]

    with caplog.at_level(logging.INFO, logger="mcfkg.web"):
        _get(client, SIMPLE)
        _get(client, "SELECT * WHERE {")
        # The server thread logs once the response has been sent, which can be after the client returns.
        deadline = time.monotonic() + 5
        while len(logged()) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    lines = logged()[-2:]
    assert len(lines) == 2
    assert lines[0].startswith("GET /sparql 200 ") and "ms ok boolean" in lines[0]
    assert lines[1].startswith("GET /sparql 400 ") and "QueryError" in lines[1]


def test_health(client) -> None:
    response = client.get("/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


@pytest.mark.parametrize("brackets", ["{}", "()"])
def test_deeply_nested_queries_are_a_400_not_a_dead_worker(client, brackets: str) -> None:
    """Oxigraph's parser overflows its stack at a few thousand nested groups; refuse them first."""
    opening, closing = brackets
    inner = f"{opening * 3000}{closing * 3000}" if brackets == "{}" else f"FILTER({opening * 3000}1{closing * 3000})"
    response = _get(client, f"SELECT * {{ {inner} }}")
    assert response.status_code == 400 and "nests brackets" in response.text
    assert _get(client, SIMPLE).json()["boolean"] is True


def test_deeply_nested_updates_are_a_400(live_server_factory) -> None:
    writable = live_server_factory(update_token=TOKEN)
    update = "INSERT { <http://example.org/a> <http://example.org/b> 1 } WHERE { " + "{" * 3000 + "}" * 3000 + " }"
    with httpx.Client(base_url=writable.url) as c:
        response = c.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update",
                                                              "Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400 and "nests brackets" in response.text
