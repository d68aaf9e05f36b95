"""Uploads that would blow up or hold the parser: refused by a named limit, never by the OOM killer.

Before the fix an 882-byte RDF/XML body with nine levels of nested DTD entities grew the store
process to 1.2 GB (the review's 1.4 KB, eight-level body to 23 GB), and an RDF/XML body nested
40 000 deep held the single writer for 23 s while every other write waited. Now entity
declarations are refused in any encoding, and each upload is parsed in a process of its own that
is killed at the time limit and may allocate only ``process_memory_mb``. Every other XML input
(``--data`` files, the files a build reads) refuses entity declarations too.

The entity bodies nest only a few levels, so that even a broken defence could not eat the machine.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from faultkit import TOKEN, start_live_server
from mcfkg.config import Settings
from mcfkg.graph import LoadError, load_dataset
from mcfkg.store import OxigraphStore, StoreUnavailable

AUTH = {"Authorization": f"Bearer {TOKEN}"}
RDF_XML = {"Content-Type": "application/rdf+xml"}
TURTLE = {"Content-Type": "text/turtle"}
GRAPH = "http://example.org/graph/uploads"
TIME_LIMIT_S = 3
REFUSAL = "DTD entity declarations (<!ENTITY ...>) are refused"
HEAD = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        '<rdf:Description rdf:about="http://example.org/s">')


def laughs(levels: int = 5, encoding: str = "utf-8") -> str:
    """A "billion laughs" document: each entity is ten of the one before (10^(levels-1) "lol"s)."""
    declarations = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)]
    return (f'<?xml version="1.0" encoding="{encoding}"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(declarations) + "\n]>\n"
            f"{HEAD}<ex:p>&lol{levels - 1};</ex:p></rdf:Description></rdf:RDF>")


def nested(depth: int) -> bytes:
    """RDF/XML nested ``depth`` node elements deep: the parser's time grows with the square of it."""
    return (HEAD + "<ex:p><rdf:Description>" * depth + "<ex:p>x</ex:p>" + "</rdf:Description></ex:p>" * depth
            + "</rdf:Description></rdf:RDF>").encode()


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    live = start_live_server(update_token=TOKEN, process_memory_mb=128, query_timeout_s=TIME_LIMIT_S,
                             max_upload_bytes=4_000_000)
    yield live
    live.stop()


@pytest.fixture
def client(server: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as c:
        c.delete("/rdf-graph-store", params={"graph": GRAPH}, headers=AUTH)
        yield c


def _graph_is_missing(client: httpx.Client) -> bool:
    return client.get("/rdf-graph-store", params={"graph": GRAPH}).status_code == 404


@pytest.mark.parametrize("encoded", [
    laughs().encode(),
    b"\xef\xbb\xbf" + laughs().encode(),  # UTF-8 with a byte-order mark
    laughs(encoding="UTF-16").encode("utf-16"),  # with a byte-order mark
    laughs(encoding="UTF-16").encode("utf-16-be"),  # without one
    laughs(encoding="UTF-32").encode("utf-32-le"),
], ids=["utf-8", "utf-8 bom", "utf-16", "utf-16-be", "utf-32-le"])
@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_entity_declarations_are_refused_in_any_encoding(client: httpx.Client, method: str, encoded: bytes) -> None:
    response = client.request(method, "/rdf-graph-store", params={"graph": GRAPH}, content=encoded,
                              headers=AUTH | RDF_XML)
    assert response.status_code == 400, response.text
    assert REFUSAL in response.text and "expand the entities" in response.text and "nothing was stored" in response.text
    assert _graph_is_missing(client)


def test_entity_declarations_are_refused_in_a_multipart_part(client: httpx.Client) -> None:
    files = {"a": ("a.ttl", "<http://example.org/a> <http://example.org/b> 1 .", "text/turtle"),
             "b": ("laughs.rdf", laughs(), "application/rdf+xml")}
    response = client.post("/rdf-graph-store", params={"graph": GRAPH}, files=files, headers=AUTH)
    assert response.status_code == 400, response.text
    assert "laughs.rdf" in response.text and REFUSAL in response.text
    assert _graph_is_missing(client)


def test_a_deeply_nested_upload_is_cut_off_at_the_time_limit_while_other_writes_go_on(client: httpx.Client) -> None:
    answer: dict[str, Any] = {}

    def upload() -> None:
        started = time.monotonic()
        answer["response"] = client.put("/rdf-graph-store", params={"graph": GRAPH}, content=nested(40_000),
                                        headers=AUTH | RDF_XML)
        answer["seconds"] = time.monotonic() - started

    slow = threading.Thread(target=upload)
    slow.start()
    time.sleep(0.5)  # the nested body is being parsed now
    for write in (
        lambda: client.put("/rdf-graph-store", params={"graph": GRAPH + "-other"}, headers=AUTH | TURTLE,
                           content="<http://example.org/a> <http://example.org/b> 1 ."),
        lambda: client.post("/sparql", headers=AUTH, data={"update": "INSERT DATA { <http://example.org/c> "
                                                                     "<http://example.org/d> 2 }"}),
        lambda: client.delete("/rdf-graph-store", params={"graph": GRAPH + "-other"}, headers=AUTH),
    ):
        started = time.monotonic()
        assert write().status_code in (201, 204)
        assert time.monotonic() - started < 1.5, "a write waited for the slow upload"
    slow.join()
    assert answer["response"].status_code == 503, answer["response"].text
    assert f"{TIME_LIMIT_S} s, this endpoint's time limit" in answer["response"].text
    assert answer["seconds"] < TIME_LIMIT_S + 3
    assert _graph_is_missing(client)


def test_an_upload_past_the_memory_limit_is_refused_by_name(client: httpx.Client) -> None:
    long = "http://example.org/" + "x" * 2000 + "/"  # each 20-byte triple below parses into 6 KB
    body = f"@prefix a: <{long}> .\n" + "".join(f"a:s{i} a:p a:o{i} .\n" for i in range(40_000))  # 240 MB parsed
    response = client.put("/rdf-graph-store", params={"graph": GRAPH}, content=body, headers=AUTH | TURTLE)
    assert response.status_code == 503, response.text[:300]
    assert "128 MB" in response.text and "process_memory_mb" in response.text
    assert _graph_is_missing(client)


def test_triple_terms_nested_too_deep_are_refused(client: httpx.Client) -> None:
    body = ("<http://example.org/s> <http://example.org/p> " + "<<( <http://example.org/a> <http://example.org/b> " * 100
            + "<http://example.org/c>" + " )>>" * 100 + " .")
    response = client.put("/rdf-graph-store", params={"graph": GRAPH}, content=body, headers=AUTH | TURTLE)
    assert response.status_code == 400, response.text
    assert "nests triple terms more than 64 deep" in response.text
    assert _graph_is_missing(client)


def test_correct_uploads_still_work(client: httpx.Client) -> None:
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<!-- a comment -->\n{HEAD}'
           "<ex:p>fish &amp; chips</ex:p><ex:q><rdf:Description><ex:p>inner</ex:p></rdf:Description></ex:q>"
           "</rdf:Description></rdf:RDF>")
    response = client.put("/rdf-graph-store", params={"graph": GRAPH}, content=xml.encode(), headers=AUTH | RDF_XML)
    assert response.status_code == 201, response.text
    files = {"a": ("a.ttl", "_:b <http://example.org/p> 'a' .", "text/turtle"),
             "b": ("b.nt", "_:b <http://example.org/p> \"b\" .", "application/n-triples")}
    assert client.post("/rdf-graph-store", params={"graph": GRAPH}, files=files, headers=AUTH).status_code == 204
    rows = client.get("/sparql", params={"query": f"SELECT ?s ?o {{ GRAPH <{GRAPH}> {{ ?s <http://example.org/p> ?o }} }}"},
                      headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    values = {row["o"]["value"]: row["s"] for row in rows}
    assert set(values) == {"fish & chips", "inner", "a", "b"}
    assert values["a"] != values["b"], "two parts' _:b must stay two blank nodes"
    empty = client.put("/rdf-graph-store", params={"graph": GRAPH}, content=b"", headers=AUTH | TURTLE)
    assert empty.status_code == 204
    assert client.get("/rdf-graph-store", params={"graph": GRAPH}, headers={"Accept": "application/n-triples"}).text == ""


def test_data_files_and_build_inputs_refuse_entity_declarations(tmp_path: Path) -> None:
    rdf = tmp_path / "laughs.rdf"
    rdf.write_text(laughs(), encoding="utf-8")
    with pytest.raises(LoadError, match="DTD entity declarations"):
        load_dataset([rdf])
    with pytest.raises(StoreUnavailable, match="laughs.rdf: DTD entity declarations"):
        OxigraphStore(Settings(query_workers=1), [(rdf, None)]).close()
