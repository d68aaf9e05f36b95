"""What every answer says about itself: ASK in every results format, Vary, one clear 406, lenient Accept,
HEAD, 404 pages per client, no stray API docs, and a log line whose outcome matches the status."""

from __future__ import annotations

import logging
import time

import httpx
import pytest

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
ASK_TRUE = "ASK { <http://example.org/dune> a <http://example.org/Book> }"


@pytest.fixture(scope="module")
def server(live_server_factory):
    return live_server_factory(max_request_bytes=10_000)


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def _ask(client: httpx.Client, query: str = ASK_TRUE, **params: str) -> httpx.Response:
    accept = params.pop("accept", None)
    return client.get("/sparql", params={"query": query, **params}, headers={"Accept": accept} if accept else {})


@pytest.mark.parametrize(("accept", "media_type", "body"), [
    ("text/csv", "text/csv", "_askResult\r\ntrue\r\n"),
    ("text/tab-separated-values", "text/tab-separated-values", "?_askResult\ntrue\n"),
    ("text/*", "text/csv", "_askResult\r\ntrue\r\n"),  # text/* gets a text/ type, not XML results
])
def test_ask_answers_as_csv_and_tsv_like_fuseki(client, accept, media_type, body) -> None:
    response = _ask(client, accept=accept)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.text == body
    assert _ask(client, "ASK { <http://example.org/nothing> ?p ?o }", accept=accept).text == body.replace("true",
                                                                                                          "false")


def test_select_for_text_wildcard_is_csv(client) -> None:
    response = _ask(client, "SELECT ?b WHERE { ?b a <http://example.org/Book> } ORDER BY ?b", accept="text/*")
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines()[0] == "b"


@pytest.mark.parametrize("params", [{"accept": "image/png"}, {"format": "bogus"}, {"accept": "text/turtle"}])
def test_406_is_one_clear_message_and_varies_by_accept(client, params) -> None:
    response = _ask(client, **params)
    assert response.status_code == 406
    assert response.text.count("cannot express") == 1
    assert "SELECT and ASK results come as" in response.text and "format=json|xml|csv|tsv" in response.text
    assert "html" not in response.text.replace("format=html", "")
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize("accept", [",,,", "text/csv;q=abc", "application/sparql-results+json;q=", ";;"])
def test_malformed_accept_headers_are_read_leniently(client, accept) -> None:
    assert _ask(client, accept=accept).status_code == 200


def test_negotiated_errors_vary_by_accept_too(client) -> None:
    for response in (_ask(client, "SELECT * WHERE {"), client.get("/sparql", params={"query": "ASK {}"},
                                                                  headers={"Origin": "https://example.net",
                                                                           "Accept": "image/png"})):
        assert response.status_code in (400, 406)
        assert "Accept" in response.headers["vary"]


def test_health_answers_head(client) -> None:
    response = client.head("/health")
    assert response.status_code == 200 and response.content == b""


@pytest.mark.parametrize("path", ["/favicon.ico", "/static/no-such-file.css", "/no/such/page"])
def test_missing_files_are_an_html_404_for_browsers_and_text_otherwise(client, path) -> None:
    page = client.get(path, headers={"Accept": BROWSER})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html") and "<h1>Not found</h1>" in page.text
    assert "Accept" in page.headers["vary"]
    plain = client.get(path)
    assert plain.status_code == 404 and plain.headers["content-type"].startswith("text/plain")
    assert plain.text.strip() == "Not Found"
    json_404 = client.get(path, headers={"Accept": "application/json"})
    assert json_404.status_code == 404 and json_404.json() == {"detail": "Not Found"}


@pytest.mark.parametrize("path", ["/openapi.json", "/api", "/docs", "/redoc"])
def test_no_api_docs_that_would_load_from_a_cdn(client, path) -> None:
    assert client.get(path).status_code == 404


def test_the_log_outcome_follows_the_status(client, caplog) -> None:
    def logged() -> list[str]:
        return [m for r in caplog.records if r.name == "mcfkg.web" and (m := r.getMessage()).startswith("POST /sparql ")]

    with caplog.at_level(logging.INFO, logger="mcfkg.web"):
        response = client.post("/sparql", content="ASK {} #" + "x" * 20_000,
                               headers={"Content-Type": "application/sparql-query"})
        assert response.status_code == 413
        deadline = time.monotonic() + 5  # the server thread logs after the response is sent
        while not logged() and time.monotonic() < deadline:
            time.sleep(0.01)
    line = logged()[-1]
    assert line.startswith("POST /sparql 413 ") and line.endswith("error 413")


def test_several_accept_fields_are_combined(client) -> None:
    """RFC 9110: repeated fields mean one comma-joined list; clients and proxies do send them."""
    headers = [("Accept", "text/csv;q=0.1"), ("Accept", "application/sparql-results+xml")]
    response = client.get("/sparql", params={"query": ASK_TRUE}, headers=httpx.Headers(headers))
    assert response.headers["content-type"].startswith("application/sparql-results+xml")


@pytest.mark.parametrize("path", ["/sparql", "/sparql?query=ASK%7B%7D", "/", "/search?q=dune", "/dataset"])
def test_head_is_answered_wherever_get_is(client, path) -> None:
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200 or (path == "/sparql" and head.status_code == get.status_code)
    assert head.content == b""
    assert head.headers.get("content-type") == get.headers.get("content-type")


def test_a_405_names_every_method_the_path_answers(client) -> None:
    response = client.put("/sparql", content=b"x")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST"


def test_browsers_are_sent_to_the_query_ui_with_vary(client) -> None:
    response = client.get("/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert "Accept" in response.headers["vary"]


def test_cors_exposes_the_linked_data_headers(client) -> None:
    response = client.get("/sparql", params={"query": ASK_TRUE}, headers={"Origin": "https://example.net"})
    assert response.headers["access-control-allow-origin"] == "*"
    exposed = {h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")}
    assert {"content-location", "link", "location", "etag"} <= exposed


@pytest.mark.parametrize(("params", "media_type"), [
    ({"format": "srj"}, "application/sparql-results+json"),
    ({"format": "srx"}, "application/sparql-results+xml"),
    ({"output": "json"}, "application/sparql-results+json"),  # Fuseki's parameter name
    ({"output": "csv"}, "text/csv"),
])
def test_jena_format_names_and_the_output_parameter(client, params, media_type) -> None:
    response = _ask(client, accept="application/sparql-results+xml", **params)
    assert response.status_code == 200 and response.headers["content-type"].startswith(media_type)


def test_construct_results_use_the_querys_prefixes_and_group_subjects(client) -> None:
    query = ("PREFIX ex: <http://example.org/> CONSTRUCT { ?b ex:kind ex:Book . ?b ex:again ?b } "
             "WHERE { ?b a ex:Book }")
    turtle = client.get("/sparql", params={"query": query}, headers={"Accept": "text/turtle"}).text
    assert "@prefix ex: <http://example.org/> ." in turtle and "ex:dune ex:again ex:dune ;" in turtle
    assert "<http://example.org/" not in turtle.split("\n", 1)[1]  # only the prefix line spells the IRI out
