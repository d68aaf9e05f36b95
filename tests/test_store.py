"""The Store API as the pages, graph store and linker use it, on the Oxigraph implementation."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rdflib import Literal

from mcfkg.config import Settings
from mcfkg.vocab import Vocab
from mcfkg.store import (
    InvalidRdf,
    NotAcceptable,
    OxigraphStore,
    QueryDataset,
    QueryError,
    QueryTimeout,
    ResultFormats,
    StoreUnavailable,
    UnsafeOperation,
)

LIBRARY = Path(__file__).parent / "data" / "http" / "library.trig"
EX = "http://example.org/"
TURTLE = "text/turtle"


@pytest.fixture(scope="module")
def store():
    s = OxigraphStore(Settings(query_timeout_s=2.0, query_workers=1), [(LIBRARY, None)])
    yield s
    s.close()


def test_select_gives_rdflib_terms(store) -> None:
    result = store.select(f"SELECT ?label WHERE {{ <{EX}dune> <http://www.w3.org/2000/01/rdf-schema#label> ?label }} "
                          "ORDER BY ?label")
    assert result.variables == ["label"]
    assert [row["label"] for row in result.rows] == [Literal("Dune", lang="en"), Literal("沙丘", lang="zh")]


def test_query_serialises_in_the_format_for_its_kind(store) -> None:
    formats = ResultFormats(solutions="text/csv", boolean="application/sparql-results+xml", graph=TURTLE)
    assert store.query(f"SELECT ?b WHERE {{ ?b a <{EX}Book> }} ORDER BY ?b", formats).body == \
        b"b\r\nhttp://example.org/dune\r\nhttp://example.org/emma\r\n"
    assert b"<boolean>true</boolean>" in store.query("ASK {}", formats).body
    assert store.query(f"CONSTRUCT WHERE {{ <{EX}emma> a ?t }}", formats).media_type == TURTLE
    assert store.query("ASK {}", "text/csv").body == b"_askResult\r\ntrue\r\n"  # Jena's form
    assert store.query("ASK { <x:no> ?p ?o }", "text/tab-separated-values").body == b"?_askResult\nfalse\n"
    with pytest.raises(NotAcceptable):
        store.query("ASK {}", "text/turtle")


def test_dataset_union_or_protocol_graphs(store) -> None:
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?b a <{EX}Book> }}"
    union = store.select(count).rows[0]["n"]
    assert union == Literal(2)
    only_default = store.query(count, "application/sparql-results+json", QueryDataset(union_default_graph=False))
    assert b'"value":"0"' in only_default.body
    people = store.query(count, "application/sparql-results+json", QueryDataset((EX + "people",)))
    assert b'"value":"0"' in people.body


def test_the_union_default_graph_leaves_the_vocabulary_out() -> None:
    """A vocabulary graph in the store is out of the default graph, and GRAPH, FROM and the protocol reach it."""
    vocab = Vocab()
    ontology = Path(__file__).parent / "data" / "pipeline" / "ontology" / "mcf.ttl"
    s = OxigraphStore(Settings(query_workers=1), [(LIBRARY, None), (ontology, str(vocab.ontology_graph))])
    try:
        pattern = "?c a <http://www.w3.org/2002/07/owl#Class>"
        classes = f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"
        assert s.select(classes).rows[0]["n"] == Literal(0)
        assert s.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?b a <{EX}Book> }}").rows[0]["n"] == Literal(2)
        in_graph = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{vocab.ontology_graph}> {{ {pattern} }} }}"
        from_clause = f"SELECT (COUNT(*) AS ?n) FROM <{vocab.ontology_graph}> WHERE {{ {pattern} }}"
        assert s.select(in_graph).rows[0]["n"] == s.select(from_clause).rows[0]["n"] == Literal(4)
        by_protocol = s.query(classes, "application/sparql-results+json", QueryDataset((str(vocab.ontology_graph),)))
        assert b'"value":"4"' in by_protocol.body
    finally:
        s.close()


def test_errors_are_typed(store) -> None:
    with pytest.raises(QueryError, match="error at 1:"):
        store.select("SELECT * WHERE {")
    with pytest.raises(UnsafeOperation):
        store.select("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(QueryTimeout):
        store.select("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . "
                     "?p ?q ?r . ?s ?t ?u . ?v ?w ?x }")
    assert store.query("ASK {}", "application/sparql-results+json").kind == "boolean"  # a new worker took over


def test_writes_are_seen_by_the_next_read(store) -> None:
    assert store.load(f"<{EX}a> <{EX}b> <{EX}c> .".encode(), "application/n-triples", EX + "scratch", replace=False)
    assert EX + "scratch" in store.graph_names()
    assert b"<http://example.org/c>" in store.dump(EX + "scratch", "application/n-triples")
    assert not store.load(f"<{EX}a> <{EX}b> <{EX}d> .".encode(), "application/n-triples", EX + "scratch", replace=True)
    assert store.dump(EX + "scratch", "application/n-triples").count(b"\n") == 1
    with pytest.raises(InvalidRdf):
        store.load(b"<a> <b> .", TURTLE, EX + "scratch", replace=True)
    assert store.dump(EX + "scratch", "application/n-triples").count(b"\n") == 1  # unchanged
    store.update(f"INSERT DATA {{ GRAPH <{EX}scratch> {{ <{EX}a> <{EX}b> <{EX}e> }} }}")
    assert store.dump(EX + "scratch", "application/n-triples").count(b"\n") == 2
    assert store.drop(EX + "scratch") and not store.drop(EX + "scratch")
    with pytest.raises(KeyError):
        store.dump(EX + "scratch", TURTLE)


def test_update_with_protocol_using_graphs(store) -> None:
    update = f"INSERT {{ GRAPH <{EX}copy> {{ ?b a <{EX}Copied> }} }} WHERE {{ ?b a <{EX}Book> }}"
    store.update(update, QueryDataset((EX + "people",)))
    assert EX + "copy" not in store.graph_names()
    store.update(update, QueryDataset((EX + "books",)))
    assert len(store.select(f"SELECT ?b WHERE {{ GRAPH <{EX}copy> {{ ?b a <{EX}Copied> }} }}").rows) == 2
    store.drop(EX + "copy")


def test_concurrent_readers_see_every_acknowledged_write(store) -> None:
    """Reads go straight to the query processes; after a write none of them may be stale."""
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{EX}counter> {{ ?s ?p ?o }} }}"
    with ThreadPoolExecutor(4) as pool:
        for i in range(1, 6):
            store.update(f"INSERT DATA {{ GRAPH <{EX}counter> {{ <{EX}c{i}> <{EX}n> {i} }} }}")
            seen = list(pool.map(lambda _: store.select(count).rows[0]["n"], range(8)))
            assert seen == [Literal(i)] * 8
    store.drop(EX + "counter")


def test_a_query_process_that_dies_is_replaced(store) -> None:
    supervisor = store._engine._process.pid
    workers = {int(p) for task in Path(f"/proc/{supervisor}/task").iterdir()
               for p in (task / "children").read_text().split()}
    killed = 0
    for pid in workers:
        try:  # a worker may be retiring on its own while we look
            os.kill(pid, signal.SIGKILL)
            killed += 1
        except ProcessLookupError:
            continue
    assert killed
    time.sleep(0.2)  # let the store notice; a query sent meanwhile may meet the dying worker
    for _ in range(3):
        try:
            assert store.query("ASK {}", "application/sparql-results+json").kind == "boolean"
            break
        except StoreUnavailable:
            continue
    else:
        pytest.fail("the store did not replace its query processes")


RUNAWAY_UPDATE = (f"INSERT {{ GRAPH <{EX}runaway> {{ <{EX}x> <{EX}count> ?n }} }} WHERE {{ "
                  "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o } }")


@pytest.mark.parametrize("on_disk", [False, True], ids=["in-memory", "on-disk"])
def test_a_runaway_update_is_stopped_and_changes_nothing(tmp_path, on_disk: bool) -> None:
    numbers = tmp_path / "numbers.ttl"  # a 5-way cross join over 300 triples never ends
    numbers.write_text("".join(f"<{EX}n{i}> <{EX}value> {i} .\n" for i in range(300)))
    settings = Settings(query_timeout_s=1.0, query_workers=1, store_path=tmp_path / "store" if on_disk else None)
    timed = OxigraphStore(settings, [(LIBRARY, None), (numbers, None)])
    try:
        before = timed.dump(None, "application/n-quads")
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match="stopped after 1 s.*nothing was changed"):
            timed.update(RUNAWAY_UPDATE)
        assert time.monotonic() - started < 1.0 + 2.0  # the limit, plus a checkpoint and a process start
        assert EX + "runaway" not in timed.graph_names()
        assert timed.dump(None, "application/n-quads") == before
        supervisor = timed._engine._process.pid
        children = {int(p) for task in Path(f"/proc/{supervisor}/task").iterdir()
                    for p in (task / "children").read_text().split()}
        assert len(children) == 1  # the trial was killed: only the query process is left
        timed.update(f"INSERT DATA {{ GRAPH <{EX}after> {{ <{EX}a> <{EX}b> 1 }} }}")  # writes go on
        assert len(timed.select(f"SELECT * WHERE {{ GRAPH <{EX}after> {{ ?s ?p 1 }} }}").rows) == 1
        if on_disk:
            assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("mcfkg-trial-*"))
    finally:
        timed.close()


def test_an_update_that_fails_in_its_trial_reports_the_parser_message(store) -> None:
    with pytest.raises(QueryError, match="error at 1:"):
        store.update(f"INSERT {{ <{EX}a> <{EX}b> ?o }} WHERE {{ <{EX}a> ?p }}")  # tried first: it has a WHERE
    with pytest.raises(QueryError, match="error at 1:"):
        store.update(f"INSERT DATA {{ <{EX}a> }}")  # applied at once: no pattern to evaluate
    store.update(f"INSERT DATA {{ GRAPH <{EX}ok> {{ <{EX}a> <{EX}b> <{EX}c> }} }}")
    assert store.drop(EX + "ok")


def test_on_disk_readers_open_a_checkpoint_of_their_generation_never_the_live_store(tmp_path) -> None:
    """RocksDB forbids reading a store another process writes (compactions delete its files):
    each generation's readers open a checkpoint, removed once they are gone."""
    import tempfile

    on_disk = OxigraphStore(Settings(store_path=tmp_path / "store", query_workers=1), [(LIBRARY, None)])
    try:
        def descendants(pid: int) -> list[int]:
            children = [int(c) for t in Path(f"/proc/{pid}/task").glob("*/children") for c in t.read_text().split()]
            return children + [d for c in children for d in descendants(c)]

        def snapshots_read() -> set[str]:
            found = set()
            for pid in descendants(on_disk._engine._process.pid):
                try:
                    fds = list(Path(f"/proc/{pid}/fd").iterdir())
                except OSError:  # the process ended meanwhile
                    continue
                for fd in fds:
                    try:
                        target = os.readlink(fd)
                    except OSError:  # closed meanwhile
                        continue
                    assert not (pid != on_disk._engine._process.pid and target.startswith(str(tmp_path / "store"))), \
                        "a reader opened the live store"
                    if "mcfkg-snapshot-" in target:
                        found.add(target.split("mcfkg-snapshot-")[1].split("/")[0])
            return found

        on_disk.query("ASK {}", "application/sparql-results+json")
        first = snapshots_read()
        on_disk.update(f"INSERT DATA {{ <{EX}a> <{EX}b> 1 }}")
        assert on_disk.query(f"ASK {{ <{EX}a> <{EX}b> 1 }}", "application/sparql-results+json").body.endswith(b"true}")
        deadline = time.monotonic() + 10
        while snapshots_read() & first and time.monotonic() < deadline:
            time.sleep(0.1)
        second = snapshots_read()
        assert first and second and not first & second
        left = {p.name.split("mcfkg-snapshot-")[1] for p in Path(tempfile.gettempdir()).glob("mcfkg-snapshot-*")}
        assert not first & left, "the older generation's checkpoint outlived its readers"
    finally:
        on_disk.close()
