"""The Store contract, over each real remote SPARQL server the suite starts (``remote_server``): what the
server's routes, pages and build sync rely on holds for ``RemoteStore`` as it does for the embedded store."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from mcfkg.config import Settings
from mcfkg.remote import build_sync
from mcfkg.remote.store import RemoteStore
from mcfkg.sparql.negotiation import GRAPH_TYPES, SOLUTION_TYPES
from mcfkg.store import InvalidRdf, ProtectedGraph, QueryError, QueryTimeout, StoreUnavailable
from mcfkg.vocab import Vocab
from remote_servers import RunningServer

EX = "http://example.org/"
CLIENT_GRAPH = f"{EX}graph/client"
VOCAB = Vocab()
SOURCE_A, SOURCE_B = f"{VOCAB.base}graph/test-a", f"{VOCAB.base}graph/test-b"


@pytest.fixture
def store(remote_server: RunningServer) -> Iterator[RemoteStore]:
    """A RemoteStore over an emptied server."""
    remote_server.emptied()
    opened = RemoteStore(remote_server.settings())
    yield opened
    opened.close()


def build_file(folder: Path, extra: str = "") -> Path:
    """A small N-Quads build: two source graphs stating one fact twice, a blank node shared across them."""
    path = folder / "mcfkg.nq"
    path.write_text(f"<{EX}a> <{EX}p> <{EX}b> <{SOURCE_A}> .\n"
                    f"<{EX}a> <{EX}p> <{EX}b> <{SOURCE_B}> .\n"
                    f"<{EX}a> <{EX}q> _:shared <{SOURCE_A}> .\n"
                    f"_:shared <{EX}name> \"shared\"@en <{SOURCE_B}> .\n{extra}")
    return path


def test_select_in_every_results_format(store: RemoteStore) -> None:
    store.load(f"<{EX}s> <{EX}p> \"one\", \"two\" .".encode(), "text/turtle", CLIENT_GRAPH, replace=False)
    query = f"SELECT ?o WHERE {{ GRAPH <{CLIENT_GRAPH}> {{ <{EX}s> <{EX}p> ?o }} }} ORDER BY ?o"
    for media_type in SOLUTION_TYPES:
        outcome = store.query(query, media_type)
        assert (outcome.media_type, outcome.kind) == (media_type, "solutions")
        if media_type == "text/csv":
            assert outcome.body.decode().split("\r\n")[:3] == ["o", "one", "two"]
            continue
        found = ox.parse_query_results(outcome.body, format=ox.QueryResultsFormat.from_media_type(media_type))
        assert [row["o"].value for row in found] == ["one", "two"]
    assert [str(row["o"]) for row in store.select(query).rows] == ["one", "two"]


def test_ask_and_construct_in_every_format(store: RemoteStore) -> None:
    store.load(f"<{EX}s> <{EX}p> <{EX}o> .".encode(), "text/turtle", CLIENT_GRAPH, replace=False)
    asked = store.query(f"ASK {{ GRAPH <{CLIENT_GRAPH}> {{ <{EX}s> ?p ?o }} }}", "application/sparql-results+json")
    assert asked.kind == "boolean" and json.loads(asked.body)["boolean"] is True
    assert store.query("ASK { FILTER(false) }", "text/csv").body == b"_askResult\r\nfalse\r\n"
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{CLIENT_GRAPH}> {{ ?s ?p ?o }} }}"
    for media_type in GRAPH_TYPES:
        outcome = store.query(construct, media_type)
        assert (outcome.media_type, outcome.kind) == (media_type, "graph")
        parsed = list(ox.parse(outcome.body, format=ox.RdfFormat.from_media_type(media_type)))
        assert [str(t) for t in parsed] == [f"<{EX}s> <{EX}p> <{EX}o>"]


def test_table_keeps_the_first_rows_and_says_it_cut(store: RemoteStore) -> None:
    turtle = " ".join(f"<{EX}s> <{EX}p> {n} ." for n in range(5))
    store.load(turtle.encode(), "text/turtle", CLIENT_GRAPH, replace=False)
    table = store.table(f"SELECT ?n WHERE {{ GRAPH <{CLIENT_GRAPH}> {{ ?s ?p ?n }} }} ORDER BY ?n", None, 3)
    assert table.kind == "solutions" and table.cut and [row[0][1] for row in table.rows] == ["0", "1", "2"]


def test_update_and_its_switch(store: RemoteStore, remote_server: RunningServer) -> None:
    store.update(f"INSERT DATA {{ GRAPH <{CLIENT_GRAPH}> {{ <{EX}s> <{EX}p> \"x\" }} }}")
    written = f"ASK {{ GRAPH <{CLIENT_GRAPH}> {{ <{EX}s> <{EX}p> \"x\" }} }}"
    assert json.loads(store.query(written, "application/sparql-results+json").body)["boolean"] is True
    read_only = RemoteStore(remote_server.settings(store_client_updates=False))
    try:
        with pytest.raises(ProtectedGraph, match="MCFKG_STORE_CLIENT_UPDATES"):
            read_only.update(f"DROP GRAPH <{CLIENT_GRAPH}>")
    finally:
        read_only.close()
    assert json.loads(store.query(written, "application/sparql-results+json").body)["boolean"] is True


def test_load_dump_drop(store: RemoteStore) -> None:
    assert store.load(f"<{EX}s> <{EX}p> \"a\" .".encode(), "text/turtle", CLIENT_GRAPH, replace=False) is True
    assert store.graph_names() == [CLIENT_GRAPH]  # listed by a scan, or known from the upload
    assert store.load(f"<{EX}s> <{EX}p> \"b\" .".encode(), "application/n-triples", CLIENT_GRAPH, replace=False) is False
    dumped = ox.parse(store.dump(CLIENT_GRAPH, "text/turtle", {"ex": EX}), format=ox.RdfFormat.TURTLE)
    assert sorted(t.object.value for t in dumped) == ["a", "b"]
    store.load(f"<{EX}s> <{EX}p> \"c\" .".encode(), "text/turtle", CLIENT_GRAPH, replace=True)
    quads = list(ox.parse(store.dump(None, "application/n-quads"), format=ox.RdfFormat.N_QUADS))
    assert [(q.object.value, q.graph_name.value) for q in quads] == [("c", CLIENT_GRAPH)]
    with pytest.raises(InvalidRdf):
        store.load(b"@prefix broken", "text/turtle", CLIENT_GRAPH, replace=True)
    assert store.drop(CLIENT_GRAPH) is True and store.drop(CLIENT_GRAPH) is False
    with pytest.raises(KeyError):
        store.dump(CLIENT_GRAPH, "text/turtle")


def stated_in(store: RemoteStore) -> list[str]:
    """The graphs a GRAPH pattern finds the fact both sources state in: the build's two, where the store is
    given the list of graphs (where it is not, Virtuoso's, the union graph is named too)."""
    rows = store.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{EX}a> <{EX}p> <{EX}b> }} }} ORDER BY ?g").rows
    names = [str(row["g"]) for row in rows]
    return names if store.settings.store_lists_graphs else [name for name in names if name != str(VOCAB.union_graph)]


def test_take_build_replaces_only_what_changed_and_is_protected(store: RemoteStore, tmp_path: Path) -> None:
    first = store.take_build(build_file(tmp_path))
    assert first == "3 graph(s) replaced, 0 dropped"  # two sources and their union
    assert store.take_build(build_file(tmp_path)) == "0 graph(s) replaced, 0 dropped"
    names = store.graph_names()
    assert {SOURCE_A, SOURCE_B, str(VOCAB.union_graph)} <= set(names) and build_sync.RECORD_GRAPH not in names
    shared = store.select(f"SELECT ?name WHERE {{ <{EX}a> <{EX}q> ?x . ?x <{EX}name> ?name }}")
    assert [str(row["name"]) for row in shared.rows] == ["shared"]  # one blank node within the union graph
    facts = store.select(f"SELECT ?o WHERE {{ <{EX}a> <{EX}p> ?o }}")
    assert len(facts.rows) == 1  # the union default graph: a fact two sources state comes once
    assert stated_in(store) == [SOURCE_A, SOURCE_B]  # named graphs: the build's
    store.load(f"<{EX}c> <{EX}p> <{EX}d> .".encode(), "text/turtle", CLIENT_GRAPH, replace=False)
    assert len(store.select(f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }}").rows) == 2  # clients' graphs join the union
    for write in (lambda: store.drop(SOURCE_A), lambda: store.load(b"", "text/turtle", SOURCE_A, True)):
        with pytest.raises(ProtectedGraph):
            write()
    changed = build_file(tmp_path, "").read_text().replace(f"<{SOURCE_B}>", f"<{SOURCE_A}>")
    (tmp_path / "mcfkg.nq").write_text(changed)
    assert store.take_build(tmp_path / "mcfkg.nq") == "1 graph(s) replaced, 1 dropped"  # the union is the same
    assert SOURCE_B not in store.graph_names()


def test_a_build_too_large_for_one_update_goes_in_several(remote_server: RunningServer, tmp_path: Path) -> None:
    remote_server.emptied()
    store = RemoteStore(remote_server.settings(store_max_update_bytes=300))
    try:
        assert store.take_build(build_file(tmp_path)) == "3 graph(s) replaced, 0 dropped"
        assert store.take_build(build_file(tmp_path)) == "0 graph(s) replaced, 0 dropped"  # the record came last
        assert stated_in(store) == [SOURCE_A, SOURCE_B]
    finally:
        store.close()


def test_a_bad_query_says_why(store: RemoteStore) -> None:
    with pytest.raises(QueryError, match="remote store refused"):
        store.client.query("SELECT * WHERE { ?s ?p ", "application/sparql-results+json")
    with pytest.raises(QueryError):
        store.query("SELECT * WHERE { ?s ?p ", "application/sparql-results+json")  # mcfkg's own check first


def test_a_slow_query_times_out(store: RemoteStore, remote_server: RunningServer) -> None:
    turtle = " ".join(f"<{EX}s{n}> <{EX}p> {n} ." for n in range(400))
    store.load(turtle.encode(), "text/turtle", CLIENT_GRAPH, replace=False)
    slow = RemoteStore(remote_server.settings(query_timeout_s=1.0))
    try:
        with pytest.raises(QueryTimeout):
            slow.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{CLIENT_GRAPH}> {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
                       "?j ?k ?l } }", "application/sparql-results+json")
    finally:
        slow.close()


def test_a_store_that_never_answers_times_out(remote_server: RunningServer) -> None:
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"sparql+http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        stalled = RemoteStore(Settings(store_url=url, query_timeout_s=0.5))
        try:
            with pytest.raises(QueryTimeout):
                stalled.query("ASK {}", "application/sparql-results+json")
        finally:
            stalled.close()


def test_a_store_that_is_down_is_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # released at once: nothing listens there
    down = RemoteStore(Settings(store_url=f"sparql+http://127.0.0.1:{port}/sparql"))
    try:
        with pytest.raises(StoreUnavailable, match="cannot be reached"):
            down.graph_names()
    finally:
        down.close()
