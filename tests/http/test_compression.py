"""gzip: large answers travel compressed when the client asks, small ones and other clients get plain bytes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import httpx
import pytest

JSON = "application/sparql-results+json"
ALL = "SELECT ?s ?v WHERE { ?s <http://example.org/value> ?v }"


@pytest.fixture(scope="module")
def server(live_server_factory, tmp_path_factory):
    path: Path = tmp_path_factory.mktemp("data") / "numbers.ttl"
    path.write_text("".join(f"<http://example.org/n{i}> <http://example.org/value> {i} .\n" for i in range(300)))
    return live_server_factory(data=[(path, None)])


def _raw(server, query: str, encoding: str) -> tuple[httpx.Response, bytes]:
    """The response and its body as sent, not decoded by the client."""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        request = client.build_request("GET", "/sparql", params={"query": query},
                                       headers={"Accept": JSON, "Accept-Encoding": encoding})
        response = client.send(request, stream=True)
        return response, b"".join(response.iter_raw())


def test_a_large_answer_is_gzipped_for_clients_that_accept_it(server) -> None:
    response, body = _raw(server, ALL, "gzip")
    assert response.status_code == 200 and response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) == len(body)
    answer = json.loads(gzip.decompress(body))
    assert len(answer["results"]["bindings"]) == 300
    assert len(body) * 3 < len(gzip.decompress(body))
    assert {"Accept", "Accept-Encoding"} <= {v.strip() for v in response.headers["vary"].split(",")}


def test_plain_bytes_without_accept_encoding_and_for_small_answers(server) -> None:
    plain, body = _raw(server, ALL, "identity")
    assert "content-encoding" not in plain.headers and int(plain.headers["content-length"]) == len(body)
    assert len(json.loads(body)["results"]["bindings"]) == 300
    small, body = _raw(server, "ASK {}", "gzip")
    assert "content-encoding" not in small.headers and json.loads(body)["boolean"] is True


def test_head_sends_the_headers_get_sends(server) -> None:
    """A cache or client probing with HEAD must see the length and encoding GET would send."""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for encoding in ("gzip", "identity"):
            headers = {"Accept": "text/turtle", "Accept-Encoding": encoding}
            get = client.get("/rdf-graph-store", params={"default": ""}, headers=headers)
            head = client.head("/rdf-graph-store", params={"default": ""}, headers=headers)
            assert head.status_code == 200 and head.content == b""
            for name in ("content-length", "content-encoding", "content-type", "vary"):
                assert head.headers.get(name) == get.headers.get(name), name
