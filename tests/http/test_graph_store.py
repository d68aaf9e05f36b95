"""The graph store's guarantees beyond the W3C suite: who may write, what is refused, and that a
refused write changes nothing. Everything goes over HTTP to the live server."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from rdflib import Dataset, Graph, URIRef

from mcfkg.vocab import Vocab
from mcfkg.web.graph_store import PATH

TOKEN = "graph-store-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TURTLE = {"Content-Type": "text/turtle"}
GRAPH = "http://example.org/graph/people"
ALICE = '<http://example.org/alice> <http://xmlns.com/foaf/0.1/name> "Alice" .\n'
BOB = '<http://example.org/bob> <http://xmlns.com/foaf/0.1/name> "Bob" .\n'


@pytest.fixture(scope="module")
def server(live_server_factory):
    return live_server_factory(update_token=TOKEN, max_upload_bytes=4096)


@pytest.fixture
def client(server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        c.delete(PATH, params={"graph": GRAPH}, headers=AUTH)
        assert c.put(PATH, params={"graph": GRAPH}, content=ALICE, headers=AUTH | TURTLE).status_code == 201
        yield c


def _graph(client: httpx.Client, **params: str) -> Graph:
    response = client.get(PATH, params=params or {"graph": GRAPH}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.text, format="nt")


def _alice_only(client: httpx.Client) -> None:
    names = {str(o) for o in _graph(client).objects()}
    assert names == {"Alice"}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}],
                         ids=["no token", "wrong token", "not bearer"])
@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_writes_need_the_token_and_change_nothing_without_it(client, method, headers) -> None:
    response = client.request(method, PATH, params={"graph": GRAPH}, content=BOB, headers=headers | TURTLE)
    assert response.status_code == 403
    _alice_only(client)


def test_a_read_only_server_refuses_every_write(live_server_factory) -> None:
    read_only = live_server_factory()
    response = httpx.put(f"{read_only.url}{PATH}?graph={GRAPH}", content=ALICE, headers=AUTH | TURTLE)
    assert response.status_code == 403
    assert "read-only" in response.text
    assert httpx.get(f"{read_only.url}{PATH}", params={"graph": GRAPH}).status_code == 404


def test_malformed_body_is_400_with_the_parser_message_and_the_graph_is_unchanged(client) -> None:
    bad = BOB + "<http://example.org/carol> <http://xmlns.com/foaf/0.1/name> .\n"
    for method in ("PUT", "POST"):
        response = client.request(method, PATH, params={"graph": GRAPH}, content=bad, headers=AUTH | TURTLE)
        assert response.status_code == 400
        assert "line 2" in response.text and "nothing was stored" in response.text
        _alice_only(client)


def test_multipart_post_is_rejected_whole_when_one_part_is_malformed(client) -> None:
    files = {"bob.ttl": ("bob.ttl", BOB, "text/turtle"), "bad.ttl": ("bad.ttl", "<x> <y> .", "text/turtle")}
    response = client.post(PATH, params={"graph": GRAPH}, files=files, headers=AUTH)
    assert response.status_code == 400
    assert "bad.ttl" in response.text
    _alice_only(client)


def test_unsupported_content_type_is_415(client) -> None:
    response = client.put(PATH, params={"graph": GRAPH}, content="{}", headers=AUTH | {"Content-Type": "application/json"})
    assert response.status_code == 415
    assert "text/turtle" in response.text
    _alice_only(client)


def test_body_over_the_upload_limit_is_413(client) -> None:
    huge = BOB * 200  # > max_upload_bytes (4096)
    response = client.put(PATH, params={"graph": GRAPH}, content=huge, headers=AUTH | TURTLE)
    assert response.status_code == 413
    _alice_only(client)


def test_json_ld_remote_context_is_refused_without_fetching_it(client, context_server) -> None:
    for context in (f"{context_server.url}/context.jsonld", "file:///etc/hostname"):
        doc = '{"@context": "%s", "@id": "http://example.org/bob", "name": "Bob"}' % context
        response = client.put(PATH, params={"graph": GRAPH}, content=doc,
                              headers=AUTH | {"Content-Type": "application/ld+json"})
        assert response.status_code == 400, response.text
        assert "remote JSON-LD contexts are refused" in response.text or context.startswith("file:")
    assert context_server.requests == []
    _alice_only(client)


def test_put_replaces_post_merges_delete_removes(client) -> None:
    assert client.post(PATH, params={"graph": GRAPH}, content=BOB, headers=AUTH | TURTLE).status_code == 204
    assert {str(o) for o in _graph(client).objects()} == {"Alice", "Bob"}
    assert client.put(PATH, params={"graph": GRAPH}, content=BOB, headers=AUTH | TURTLE).status_code == 204
    assert {str(o) for o in _graph(client).objects()} == {"Bob"}
    assert client.delete(PATH, params={"graph": GRAPH}, headers=AUTH).status_code == 204
    assert client.get(PATH, params={"graph": GRAPH}).status_code == 404
    assert client.delete(PATH, params={"graph": GRAPH}, headers=AUTH).status_code == 404


def test_direct_identification_addresses_the_base_graph_namespace(client) -> None:
    iri = str(Vocab().GRAPH["gsp-direct-test"])  # the live server runs under the canonical base
    assert client.put(f"{PATH}/gsp-direct-test", content=BOB, headers=AUTH | TURTLE).status_code == 201
    assert {str(o) for o in _graph(client, graph=iri).objects()} == {"Bob"}
    assert client.delete(PATH, params={"graph": iri}, headers=AUTH).status_code == 204
    assert client.get(f"{PATH}/gsp-direct-test").status_code == 404


def test_post_to_the_store_creates_a_graph_under_the_base(client) -> None:
    response = client.post(PATH, content=BOB, headers=AUTH | TURTLE)
    assert response.status_code == 201
    location = response.headers["location"]
    assert location.startswith(str(Vocab().GRAPH))
    assert {str(o) for o in _graph(client, graph=location).objects()} == {"Bob"}
    client.delete(PATH, params={"graph": location}, headers=AUTH)


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                        ("application/rdf+xml", "xml"), ("application/n-triples", "nt")])
def test_a_graph_reads_in_every_graph_format(client, accept, fmt) -> None:
    response = client.get(PATH, params={"graph": GRAPH}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    assert response.headers["vary"].startswith("Accept")
    parsed = Graph().parse(data=response.content, format=fmt)
    assert {str(o) for o in parsed.objects()} == {"Alice"}


def test_the_whole_dataset_reads_as_trig_keeping_graph_names(client) -> None:
    response = client.get(PATH, headers={"Accept": "application/trig"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/trig")
    dataset = Dataset().parse(data=response.content, format="trig")
    assert (URIRef("http://example.org/alice"), None, None, URIRef(GRAPH)) in dataset
    assert client.get(PATH, headers={"Accept": "text/turtle"}).status_code == 406


def test_head_and_missing_graphs(client) -> None:
    head = client.head(PATH, params={"graph": GRAPH}, headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(client.get(PATH, params={"graph": GRAPH}).content)
    assert client.head(PATH, params={"graph": "http://example.org/none"}).status_code == 404
    assert client.get(PATH, params={"graph": "not an iri"}).status_code == 400
    assert client.get(PATH, params={"graph": GRAPH, "default": ""}).status_code == 400


def test_turtle_and_trig_dumps_use_the_project_prefixes(client) -> None:
    foaf = "http://xmlns.com/foaf/0.1/"
    for params, accept in (({"graph": GRAPH}, "text/turtle"), ({}, "application/trig")):
        body = client.get(PATH, params=params, headers={"Accept": accept}).text
        assert f"@prefix foaf: <{foaf}> ." in body and "foaf:name" in body


def test_relative_iris_in_an_upload_resolve_against_the_target_graph(client) -> None:
    body = '<#carol> <http://xmlns.com/foaf/0.1/name> "Carol" .\n'
    assert client.post(PATH, params={"graph": GRAPH}, content=body, headers=AUTH | TURTLE).status_code == 204
    assert URIRef(GRAPH + "#carol") in set(_graph(client).subjects())
    assert client.put(f"{PATH}/gsp-base-test", content=body, headers=AUTH | TURTLE).status_code == 201
    direct = str(Vocab().GRAPH["gsp-base-test"])
    assert URIRef(direct + "#carol") in set(_graph(client, graph=direct).subjects())
    client.delete(PATH, params={"graph": direct}, headers=AUTH)


def test_a_dump_over_the_result_cap_is_413_with_advice(live_server_factory) -> None:
    small = live_server_factory(max_result_rows=3)  # library.trig has more quads than that
    response = httpx.get(f"{small.url}{PATH}", headers={"Accept": "application/n-quads"})
    assert response.status_code == 413
    assert "more than 3 quads" in response.text and "?graph=" in response.text
