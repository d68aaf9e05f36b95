"""Long chains in a query or update are a 400 that names the limit, not a dead query process.

Oxigraph parses and evaluates recursively, so a long enough chain overflows its stack and kills
the process that runs it (SIGSEGV). Before the fix each shape below (by GET, POST or in an
update's WHERE) was a 503 "the query process died" ("trial process died" for updates); now the
lexical check (``safety.check_nesting``) refuses them before they reach the engine, the query
process is the same one afterwards, and long queries of the legitimate kinds still run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from faultkit import TOKEN, start_live_server

from mcfkg.sparql.lexical import measure
from mcfkg.sparql.safety import MAX_ELEMENTS, MAX_NESTING

JSON = {"Accept": "application/sparql-results+json"}
LIMIT_WORDS = f"allows {MAX_ELEMENTS} (its length limit)"
PREFIX = "PREFIX : <http://example.org/> "

# Each shape's WHERE pattern at a given size; SIZES killed a query process on the 8 MiB stack it had.
PATTERNS: dict[str, Callable[[int], str]] = {
    "&& operands": lambda n: "{ FILTER(" + " && ".join(["true"] * n) + ") }",
    "sum terms": lambda n: "{ BIND(" + "+".join(["1"] * n) + " AS ?x) }",
    "UNIONs": lambda n: "{ " + " UNION ".join(["{}"] * n) + " }",
    "path alternatives": lambda n: "{ ?s " + "|".join([":p"] * n) + " ?o }",
}
SIZES = {"&& operands": 20_000, "sum terms": 7_000, "UNIONs": 15_000, "path alternatives": 20_000}
# A URL may hold 64 KiB (the HTTP parser's limit, a 400 past it), so a GET carries a quarter of each
# size: still several times the length limit.
GET_SHARE = 4

QUERY_METHODS: dict[str, Callable[[httpx.Client, str], httpx.Response]] = {
    "GET": lambda c, q: c.get("/sparql", params={"query": q}, headers=JSON),
    "POST form": lambda c, q: c.post("/sparql", data={"query": q}, headers=JSON),
    "POST query": lambda c, q: c.post("/sparql", content=q, headers={**JSON, "Content-Type": "application/sparql-query"}),
}
UPDATE_METHODS: dict[str, Callable[[httpx.Client, str], httpx.Response]] = {
    "POST form": lambda c, u: c.post("/sparql", data={"update": u}, headers={"Authorization": f"Bearer {TOKEN}"}),
    "POST update": lambda c, u: c.post("/sparql", content=u, headers={
        "Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}),
}


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    live = start_live_server(update_token=TOKEN, query_workers=1, max_query_workers=1)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def client(server: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


def _query_processes(server: Any) -> set[int]:
    """The store process's children: the query processes (a dead one is replaced by a new pid)."""
    store_pid = server.store._engine._process.pid
    return {int(pid) for task in Path(f"/proc/{store_pid}/task").iterdir()
            for pid in (task / "children").read_text().split()}


def _ask_is_fast_and_fine(client: httpx.Client) -> None:
    started = time.monotonic()
    response = client.get("/sparql", params={"query": "ASK {}"}, headers=JSON)
    assert response.status_code == 200 and response.json()["boolean"] is True
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize("method", QUERY_METHODS)
@pytest.mark.parametrize("shape", PATTERNS)
def test_a_long_chain_in_a_query_is_a_400_and_the_worker_lives(server, client, shape: str, method: str) -> None:
    before = _query_processes(server)
    size = SIZES[shape] // (GET_SHARE if method == "GET" else 1)
    response = QUERY_METHODS[method](client, f"{PREFIX}SELECT * WHERE {PATTERNS[shape](size)}")
    assert response.status_code == 400, response.text[:300]
    assert "too long" in response.text and LIMIT_WORDS in response.text
    _ask_is_fast_and_fine(client)
    assert _query_processes(server) == before


@pytest.mark.parametrize("method", UPDATE_METHODS)
@pytest.mark.parametrize("shape", PATTERNS)
def test_a_long_chain_in_an_update_where_is_a_400(client, shape: str, method: str) -> None:
    update = f"{PREFIX}INSERT {{ :x :y 1 }} WHERE {PATTERNS[shape](SIZES[shape])}"
    response = UPDATE_METHODS[method](client, update)
    assert response.status_code == 400, response.text[:300]
    assert "too long" in response.text and LIMIT_WORDS in response.text
    _ask_is_fast_and_fine(client)
    assert client.get("/sparql", params={"query": f"{PREFIX}ASK {{ :x :y 1 }}"}, headers=JSON).json()["boolean"] is False


def test_deep_brackets_are_a_400_that_names_the_nesting_limit(client) -> None:
    response = QUERY_METHODS["POST query"](client, "SELECT * WHERE { " + "{" * 3000 + "}" * 3000 + " }")
    assert response.status_code == 400 and f"allows {MAX_NESTING} (its nesting limit)" in response.text


def _bindings(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text[:300]
    return response.json()["results"]["bindings"]


def test_long_queries_of_the_usual_kinds_still_run(client) -> None:
    values = " ".join(f":item{i}" for i in range(5000))
    rows = _bindings(QUERY_METHODS["POST query"](client, f"{PREFIX}SELECT ?x WHERE {{ VALUES ?x {{ {values} }} }}"))
    assert len(rows) == 5000
    in_list = ", ".join(str(i) for i in range(1000))
    rows = _bindings(QUERY_METHODS["GET"](client, f"SELECT ?n WHERE {{ VALUES ?n {{ 7 1000 }} FILTER(?n IN ({in_list})) }}"))
    assert [row["n"]["value"] for row in rows] == ["7"]
    total = "+".join(["1"] * 200)
    rows = _bindings(QUERY_METHODS["POST form"](client, f"SELECT ({total} AS ?sum) WHERE {{}}"))
    assert rows[0]["sum"]["value"] == "200"


def test_a_large_insert_data_still_counts_nothing(client) -> None:
    triples = " . ".join(f":s{i} :p {i}" for i in range(3000))
    response = UPDATE_METHODS["POST update"](client, f"{PREFIX}INSERT DATA {{ GRAPH :bulk {{ {triples} }} }}")
    assert response.status_code == 204, response.text[:300]
    count = _bindings(QUERY_METHODS["GET"](client, f"{PREFIX}SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH :bulk {{ ?s ?p ?o }} }}"))
    assert count[0]["n"]["value"] == "3000"


# -- the lexical count itself ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "elements"), [
    ("ASK { ?s ?p ?o }", 1),  # the group
    ("ASK { ?s ?p ?o . ?s ?q ?o ; ?r ?o , ?t }", 4),  # triple patterns
    ("ASK { FILTER(?a && ?b || !?c) }", 6),  # group, FILTER, brackets and three operators
    ('ASK { ?s ?p "a && b || c ((((" # && && && ((((\n }', 1),  # strings and comments count nothing
    ("ASK { VALUES (?a ?b) { (1 2) (3 4) (5 6) } }", 4),  # its header counts, its rows do not
    ("INSERT DATA { <a> <b> 1 . <c> <d> -2 . <e> <f> (1 2 3) }", 0),  # data is flat
    ("ASK { FILTER(?x IN (1, 2, 3, 4, 5)) }", 5),  # so is an IN list
    ("ASK { ?s <p> (1 2 3 4 5) }", 6),  # an RDF collection nests one triple per item
])
def test_what_counts_as_an_element(text: str, elements: int) -> None:
    assert measure(text).elements == elements


def test_an_operator_chain_cannot_hide_in_something_that_looks_like_an_iri() -> None:
    """Oxigraph reads ``1<1&&...&&1>1`` as comparisons joined by ``&&``: no IRI in it."""
    hidden = "ASK { FILTER(1<1" + "&&1" * 5000 + ">1) }"
    assert measure(hidden).elements > MAX_ELEMENTS
    assert measure("ASK { FILTER(?x = <http://example.org/a&b>) }").elements < 10  # after "=", it is an IRI


def test_deep_triple_terms_in_insert_data_are_a_400_and_the_store_lives(server, client) -> None:
    """INSERT DATA runs in the store process itself (no trial): 16 000 nested triple terms segfaulted it."""
    store = server.store._engine._process.pid
    depth = 16_000
    update = ("INSERT DATA { <urn:x> <urn:y> " + "<< <urn:a> <urn:b> " * depth + "<urn:c>" + " >>" * depth + " }")
    response = UPDATE_METHODS["POST update"](client, update)
    assert response.status_code == 400 and "triple terms 16000 deep" in response.text
    assert f"allows {MAX_NESTING}" in response.text
    assert server.store._engine._process.pid == store and client.get("/health").status_code == 200
