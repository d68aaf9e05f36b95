"""The W3C SPARQL 1.1 Protocol tests, replayed over HTTP against the live server.

``tests/w3c/protocol/manifest.ttl`` (copied from w3c/rdf-tests with its LICENSE.md) describes
each test as HTTP requests (method, path under ``/sparql/``, headers, body and its encoding)
and the expected response (status class, result format, ASK answer). Before a test, the
store is reset to the test's ``ut:graphData`` (each file in the graph its label names).

Every request carries the update token: the manifest tests the protocol, not authorisation
(which tests/http/test_safety.py covers), and with the token the ``bad_update_*`` tests
show that malformed updates are refused for what they are, not for lacking credentials.
No test is skipped.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS
from rdflib.query import Result

MANIFEST = Path(__file__).resolve().parents[1] / "w3c" / "protocol" / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")

RESULT_PARSERS = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
RDF_PARSERS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
               "application/ld+json": "json-ld", "application/trig": "trig", "application/n-quads": "nquads"}


@dataclass
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]  # acceptable status classes: 2, 3, 4
    expected_format: str | None
    expected_boolean: bool | None


@dataclass
class Case:
    name: str
    steps: list[Step]
    graph_data: list[tuple[Path, str]] = field(default_factory=list)


def _step(g: Graph, request: URIRef) -> Step:
    headers = {}
    header_list = g.value(request, HT.headers)
    if header_list is not None:
        for header in Collection(g, header_list):
            headers[str(g.value(header, HT.fieldName))] = str(g.value(header, HT.fieldValue))
    body = None
    body_node = g.value(request, HT.body)
    if body_node is not None:
        encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(g.value(body_node, CNT.chars)).encode(encoding)
    response = g.value(request, HT.resp)
    statuses = {int(str(code)[-3]) for code in g.objects(response, MF.expectedStatus)}
    boolean = g.value(response, MF.expectedBoolean)
    fmt = g.value(response, MF.expectedFormat)
    return Step(str(g.value(request, HT.methodName)), str(g.value(request, HT.absolutePath)), headers, body,
                statuses, None if fmt is None else str(fmt), None if boolean is None else boolean.toPython())


def load_cases() -> list[Case]:
    g = Graph().parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    manifest = next(g.subjects(MF.entries, None))
    cases = []
    for test in Collection(g, g.value(manifest, MF.entries)):
        name = str(test).rsplit("#", 1)[-1]
        requests = Collection(g, g.value(g.value(test, MF.action), HT.requests))
        graph_data = [(Path(str(g.value(d, UT.graph)).removeprefix("file://")), str(g.value(d, RDFS.label)))
                      for d in g.objects(test, UT.graphData)]
        cases.append(Case(name, [_step(g, r) for r in requests], graph_data))
    return cases


CASES = load_cases()


TOKEN = "w3c-protocol-token"


@pytest.fixture(scope="module")
def server(live_server_factory):
    return live_server_factory(data=(), update_token=TOKEN)


def _reset(server, graph_data: list[tuple[Path, str]]) -> None:
    for name in server.store.graph_names():
        server.store.drop(name)
    server.store.drop(None)
    for file, graph in graph_data:
        server.store.load(file.read_bytes(), "application/n-triples", graph, replace=True)


def _check(step: Step, response: httpx.Response) -> None:
    assert response.status_code // 100 in step.statuses, (response.status_code, response.text)
    if step.expected_format is None:
        return
    media_type = response.headers["content-type"].split(";")[0].strip()
    if step.expected_format == "RDF":
        assert media_type in RDF_PARSERS, media_type
        Graph().parse(data=response.content, format=RDF_PARSERS[media_type])
        return
    allowed = ("application/sparql-results+json", "application/sparql-results+xml")
    if step.expected_format == "tabular":
        allowed = tuple(RESULT_PARSERS)
    assert media_type in allowed, media_type
    result = Result.parse(io.BytesIO(response.content), format=RESULT_PARSERS[media_type])
    if step.expected_boolean is not None:
        assert result.askAnswer is step.expected_boolean


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_w3c_protocol(case: Case, server) -> None:
    _reset(server, case.graph_data)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for step in case.steps:
            assert step.path.startswith("/sparql/")
            path = "/sparql" + step.path.removeprefix("/sparql/")  # "/sparql/?query=" -> "/sparql?query="
            headers = {**step.headers, "Authorization": f"Bearer {TOKEN}"}
            response = client.request(step.method, path, headers=headers, content=step.body)
            _check(step, response)


def test_every_manifest_entry_is_run() -> None:
    assert len(CASES) == 34
    assert all(case.steps for case in CASES)
