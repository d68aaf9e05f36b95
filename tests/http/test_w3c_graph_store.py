"""The W3C SPARQL 1.1 Graph Store Protocol tests, replayed over HTTP against the live server.

The manifests (tests/w3c/graph-store-protocol/, copied unchanged with their licence) describe
each test as a sequence of HTTP requests and expected responses in RDF (the W3C HTTP vocabulary):
method, path, headers, body; expected status (one of several codes, or a class like 2xx), the
Content-Type, and a body that must be isomorphic to the one returned. Paths start with ``/gsp``,
which the runner replaces with the server's graph store path; a ``Location`` returned by a POST
to the store is substituted for ``$LOCATION$`` in later requests of the same test.

Every test starts from a store without the graphs it names (the runner DELETEs them first), as
the manifests assume an empty store. All 13 tests run; none is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from mcfkg.web.graph_store import PATH

MANIFESTS = Path(__file__).parents[1] / "w3c" / "graph-store-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
# The features our graph store implements (all three the manifests know).
SUPPORTED = {MF.DirectGraphIdentification, MF.IndirectGraphIdentification, MF.POSTGraphCreation}
TOKEN = "w3c-graph-store-token"


@dataclass
class Expected:
    statuses: list[str]  # "201", or a class such as "2xx"
    location_variable: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


@dataclass
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    expected: Expected


@dataclass
class Case:
    name: str
    title: str
    requires: set[URIRef]
    steps: list[Step]


def _status(code: URIRef) -> str:
    """``hts:NoContent`` → "204"; ``hts:StatusCode2xx`` → "2xx"."""
    local = str(code).rsplit("#", 1)[1]
    if match := re.fullmatch(r"StatusCode(\dxx)", local):
        return match.group(1)
    return str(HTTPStatus[re.sub(r"(?<=[a-z])(?=[A-Z])", "_", local).upper()].value)


def _headers(graph: Graph, node) -> dict[str, str]:
    items = graph.value(node, HT.headers)
    if items is None:
        return {}
    return {str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue)) for h in Collection(graph, items)}


def _body(graph: Graph, node) -> str | None:
    body = graph.value(node, HT.body)
    return None if body is None else str(graph.value(body, CNT.chars))


def _step(graph: Graph, request) -> Step:
    response = graph.value(request, HT.resp)
    location = graph.value(response, MF.expectedLocation)
    expected = Expected(
        statuses=sorted(_status(s) for s in graph.objects(response, MF.expectedStatus)),
        location_variable=None if location is None else str(location),
        headers=_headers(graph, response),
        body=_body(graph, response),
    )
    return Step(str(graph.value(request, HT.methodName)), str(graph.value(request, HT.absolutePath)),
                _headers(graph, request), _body(graph, request), expected)


def load_cases() -> list[Case]:
    """Every entry of the manifests manifest.ttl includes, in manifest order."""
    top = Graph().parse(MANIFESTS / "manifest.ttl", format="turtle")
    cases = []
    for included in Collection(top, next(top.objects(None, MF.include))):
        graph = Graph().parse(MANIFESTS / Path(urlsplit(str(included)).path).name, format="turtle")
        for entry in Collection(graph, next(graph.objects(None, MF.entries))):
            action = graph.value(entry, MF.action)
            steps = [_step(graph, r) for r in Collection(graph, graph.value(action, HT.requests))]
            cases.append(Case(str(entry).rsplit("#", 1)[1], str(graph.value(entry, MF.name)),
                              set(graph.objects(entry, MF.requires)), steps))
    return cases


CASES = load_cases()


def _path(template: str, variables: dict[str, str]) -> str:
    for name, value in variables.items():
        template = template.replace(name, value)
    return PATH + template.removeprefix("/gsp") if template.startswith("/gsp") else template


def _graph_of(response: httpx.Response) -> Graph:
    media_type = response.headers["content-type"].split(";")[0].strip()
    return Graph().parse(data=response.content, format=media_type)


def _check(step: Step, response: httpx.Response) -> None:
    where = f"{step.method} {step.path}"
    status = str(response.status_code)
    assert any(status == s or (s.endswith("xx") and status[0] == s[0]) for s in step.expected.statuses), (
        f"{where}: got {status} ({response.text[:300]}), expected one of {step.expected.statuses}")
    for name, value in step.expected.headers.items():
        got = response.headers.get(name, "")
        if name == "content-type":  # compare media type and parameters, ignoring case and spacing
            normalise = lambda v: [p.strip().lower() for p in v.split(";")]  # noqa: E731
            assert normalise(got) == normalise(value), f"{where}: {name} is {got!r}, expected {value!r}"
        else:
            assert got == value, f"{where}: {name} is {got!r}, expected {value!r}"
    if step.expected.body is not None and step.method != "HEAD":
        expected = Graph().parse(data=step.expected.body, format=step.expected.headers.get(
            "content-type", "text/turtle").split(";")[0])
        got = _graph_of(response)
        assert isomorphic(got, expected), (
            f"{where}: the graph returned is not the one expected:\n{response.text}")


def _graphs_named(case: Case) -> set[str]:
    """The graph store URLs a test touches, without their ``$VARIABLE$`` ones (those are new graphs)."""
    urls = set()
    for step in case.steps:
        if "$" in step.path:
            continue
        query = parse_qs(urlsplit(step.path).query, keep_blank_values=True)
        if "graph" in query or "default" in query or urlsplit(step.path).path != "/gsp":
            urls.add(step.path)
    return urls


@pytest.fixture(scope="module")
def gsp_server(live_server_factory):
    """A live server with writes enabled by a token (the default server is read-only)."""
    return live_server_factory(update_token=TOKEN)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_w3c_graph_store(case: Case, gsp_server) -> None:
    unsupported = case.requires - SUPPORTED
    assert not unsupported, f"manifest requires features this runner does not know: {unsupported}"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=gsp_server.url, headers=auth, timeout=30) as client:
        for url in _graphs_named(case):
            assert client.delete(_path(url, {})).status_code in (204, 404)
        variables: dict[str, str] = {}
        for step in case.steps:
            body = step.body  # multipart bodies already have CRLF line ends (Turtle "\r" escapes)
            for name, value in variables.items():
                body = None if body is None else body.replace(name, value)
            response = client.request(step.method, _path(step.path, variables), headers=step.headers,
                                      content=None if body is None else body.encode("utf-8"))
            _check(step, response)
            if step.expected.location_variable:
                variables[step.expected.location_variable] = response.headers["location"]


def test_manifests_are_all_run() -> None:
    """The suite is 4 direct + 9 indirect tests; a manifest change must not silently drop any."""
    assert len(CASES) == 13
    assert {f for c in CASES for f in c.requires} <= SUPPORTED
