"""Property-based fuzzing of the live server: whatever a client sends, the answer is never a 5xx,
and never later than the server's own time limit.

A 5xx says "the server is broken"; for input it could not read, the contract (``web/errors.py``)
is a 4xx that says why. Hand-written tests cover the inputs someone thought of; these generate
the rest with hypothesis:

- SPARQL-ish query texts (keywords, IRIs, literals with escapes, brackets, operators, comments,
  stray unicode), by GET, POST form and POST ``application/sparql-query``, with assorted
  ``Accept`` headers and ``format=`` values (the HTML results page included);
- RDF-ish upload bodies (Turtle, N-Triples, RDF/XML, JSON-LD, multipart, random bytes) under
  right and wrong content types, to the graph store, with the write token configured;
- random paths and parameters for the linked-data pages, search and downloads;
- and an OpenAPI-driven fuzz of every route with schemathesis, from the app's own schema
  (``app.openapi()``: the app does not serve /openapi.json), with the protocol parameters the
  routes read by hand added, checking ``not_a_server_error`` only.

Each test runs its examples to the end and fails once, listing every distinct 5xx or slow
answer it met (no shrinking: the run stays bounded). The whole file sends about 900 requests;
a summary line with the counts is printed at the end.

Safety of the fuzz itself: the server has an empty SERVICE allow-list (its store runs without
network), and the only absolute IRIs that appear next to SERVICE, LOAD or in bodies a parser might
dereference point at 127.0.0.1:9, so nothing generated here can reach past this machine.
"""

from __future__ import annotations

import contextlib
import copy
import json
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from faultkit import TOKEN, start_live_server
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from hypothesis import strategies as st

QUERY_TIMEOUT_S = 5.0
SLOW_S = QUERY_TIMEOUT_S + 2.0  # an answer later than this hung past the server's time limit
CLIENT_TIMEOUT_S = QUERY_TIMEOUT_S + 10.0
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NOWHERE = "http://127.0.0.1:9/"  # the discard port: nothing listens, and it is this machine


def fuzz_settings(examples: int) -> settings:
    """Bounded runs: a fixed number of examples, no deadline (the server's time limit is the bound),
    no shrinking (failures are collected, not raised), no example database written to the tree."""
    return settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
                    suppress_health_check=list(HealthCheck))


# -- tally ------------------------------------------------------------------------------------------

@dataclass
class Tally:
    """Requests sent and what came back; ``failures`` holds one line per 5xx, hang or slow answer."""

    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def send(self, client: httpx.Client, label: str, method: str, url: str, **kwargs: Any) -> httpx.Response | None:
        self.requests += 1
        started = time.monotonic()
        try:
            response = client.request(method, url, timeout=CLIENT_TIMEOUT_S, **kwargs)
        except httpx.TimeoutException:
            self.failures.append(f"no answer within {CLIENT_TIMEOUT_S:g} s: {label}")
            return None
        except httpx.TransportError as exc:  # the server dropped the connection: as bad as a 5xx
            self.failures.append(f"connection failed ({exc!r}): {label}")
            return None
        seconds = time.monotonic() - started
        self.statuses[response.status_code] += 1
        if response.status_code >= 500 and not _is_time_limit(response):
            self.failures.append(f"{response.status_code} {response.text[:200]!r}: {label}")
        if seconds > SLOW_S:
            self.failures.append(f"answered after {seconds:.1f} s (limit {QUERY_TIMEOUT_S:g} s): {label}")
        return response

    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def assert_clean(self, what: str) -> None:
        distinct = list(dict.fromkeys(self.failures))
        assert not distinct, (f"{what}: {len(self.failures)} failure(s) in {self.requests} requests, e.g.:\n  "
                              + "\n  ".join(line[:600] for line in distinct[:8]))


def _is_time_limit(response: httpx.Response) -> bool:
    """A 503 that says the time limit stopped the work: the server kept its promise."""
    return response.status_code == 503 and "stopped after" in response.text


TALLIES: dict[str, Tally] = {}


def tally(name: str) -> Tally:
    return TALLIES.setdefault(name, Tally())


@pytest.fixture(scope="module", autouse=True)
def summary(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print one line of counts per fuzz test, and a total, when the module is done."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"fuzz {name}: {t.requests} requests, {t.server_errors()} 5xx, {len(t.failures)} failures, "
             f"statuses {dict(sorted(t.statuses.items()))}" for name, t in TALLIES.items()]
    total = sum(t.requests for t in TALLIES.values())
    lines.append(f"fuzz total: {total} requests, {sum(t.server_errors() for t in TALLIES.values())} 5xx, "
                 f"{sum(len(t.failures) for t in TALLIES.values())} failures")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        for line in lines:
            if reporter is not None:
                reporter.write_line(line)
            else:
                print(line)


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    live = start_live_server(update_token=TOKEN, query_timeout_s=QUERY_TIMEOUT_S, max_result_rows=1000,
                             process_memory_mb=512, max_request_bytes=100_000, max_upload_bytes=100_000)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def client(server: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url) as c:
        yield c


# -- SPARQL-ish text ------------------------------------------------------------------------------

KEYWORDS = [
    "SELECT", "SELECT *", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS",
    "GRAPH", "BIND", "AS", "VALUES", "GROUP BY", "ORDER BY", "DESC", "HAVING", "LIMIT", "OFFSET", "EXISTS",
    "NOT EXISTS", "DISTINCT", "REDUCED", "FROM", "FROM NAMED", "a", "UNDEF", "COUNT", "SUM", "MIN", "AVG",
    "SAMPLE", "GROUP_CONCAT", "SEPARATOR", "REGEX", "STR", "LANG", "LANGMATCHES", "DATATYPE", "IRI", "BNODE",
    "RAND", "ABS", "CONCAT", "STRLEN", "SUBSTR", "REPLACE", "UCASE", "ENCODE_FOR_URI", "CONTAINS", "NOW",
    "UUID", "SHA256", "COALESCE", "IF", "IN", "NOT IN", "isIRI", "STRDT", "STRLANG", "sameTerm", "true",
    "false", "LATERAL", "TRIPLE", "INSERT", "DELETE", "DATA", "WITH", "USING", "CLEAR", "DROP", "SILENT",
]
DATA_TERMS = [
    "PREFIX ex: <http://example.org/>", "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>", "PREFIX : <http://example.org/>",
    "<http://example.org/dune>", "<http://example.org/Book>", "<http://example.org/books>", "ex:dune", "ex:year",
    "rdfs:label", ":emma", "<>", "<#x>", "<relative>", "_:b", "[]", "()", "?s", "?p", "?o", "?g", "$x", "?_",
]
EGRESS_TERMS = [  # SERVICE and LOAD only ever next to this machine's discard port (or relative IRIs)
    "SERVICE", "SERVICE SILENT", "LOAD", f"<{NOWHERE}sparql>", "<//127.0.0.1:9/>", f"BASE <{NOWHERE}>",
    f"PREFIX t: <{NOWHERE}>", "t:x", "<relative>", "?s", "?p", "?o", "?e", "INTO GRAPH",
]
LITERALS = [
    '"Dune"', "'x'", '"""long "quoted" text"""', "'''a'b''c'''", '"x"@en', '"沙丘"@zh', '"1965"^^xsd:gYear',
    '"1"^^<http://www.w3.org/2001/XMLSchema#integer>', "1", "-1.5e10", "0.0", "1e999", "'\\u0027'", '"\\u0022"',
    "'\\U0001F600'", '"\\n\\t\\r"', '"\\""', '"bad \\q escape"', '"\\uD800"', "'unterminated", '"x"@', '"x"^^',
]
PUNCTUATION = [
    "{", "}", "(", ")", "[", "]", ".", ";", ",", "*", "/", "+", "-", "=", "!=", "<", ">", "<=", ">=", "&&",
    "||", "!", "^", "|", "?", "^^", "@en", "# comment\n", "#", "\r", "\n", "\\u0053", "\\", "'", '"', "<<",
    ">>", "~", "\x00", "\ufeff", "\u2028",
]
GLUE = st.sampled_from([" ", " ", "\n", "", "\t"])


def token_soup(vocabulary: list[str]) -> st.SearchStrategy[str]:
    """Up to 40 tokens drawn from ``vocabulary`` and stray text, glued with spaces, newlines or nothing."""
    token = st.one_of(st.sampled_from(vocabulary), st.sampled_from(KEYWORDS), st.sampled_from(LITERALS),
                      st.sampled_from(PUNCTUATION), st.text(max_size=6))
    return st.builds(lambda tokens, glue: glue.join(tokens), st.lists(token, max_size=40), GLUE)


def shaped_query() -> st.SearchStrategy[str]:
    """A query with a plausible frame around a soup body, so more examples get past the parser."""
    form = st.sampled_from(["SELECT *", "SELECT ?s", "SELECT (COUNT(*) AS ?n)", "ASK", "CONSTRUCT", "DESCRIBE ?s",
                            "SELECT DISTINCT ?s ?o", "CONSTRUCT { ?s ?p ?o }"])
    prologue = st.lists(st.sampled_from(DATA_TERMS[:4]), max_size=3).map(" ".join)
    body = token_soup(DATA_TERMS)
    modifier = st.sampled_from(["", "LIMIT 5", "ORDER BY ?s", "GROUP BY ?s", "OFFSET 1 LIMIT 1", "VALUES ?s { ex:dune }"])
    return st.builds(lambda p, f, b, m: f"{p} {f} WHERE {{ {b} }} {m}", prologue, form, body, modifier)


VARIABLES = st.sampled_from(["?s", "?p", "?o", "?g", "?x", "$y"])
TERMS = st.one_of(VARIABLES, st.sampled_from(DATA_TERMS[4:13]), st.sampled_from(LITERALS))
FUNCTIONS = ["STR", "LANG", "DATATYPE", "UCASE", "STRLEN", "ENCODE_FOR_URI", "ABS", "BNODE", "IRI", "isIRI",
             "SHA256", "YEAR", "xsd:integer", "xsd:dateTime", "xsd:double"]


def expressions() -> st.SearchStrategy[str]:
    """Well-formed-ish expressions: terms under functions, operators and aggregates-free builtins."""
    return st.recursive(TERMS, lambda inner: st.one_of(
        st.builds(lambda f, a: f"{f}({a})", st.sampled_from(FUNCTIONS), inner),
        st.builds(lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(
            ["=", "!=", "<", ">=", "+", "-", "*", "/", "&&", "||"]), inner),
        st.builds(lambda a, b: f"CONCAT({a}, {b})", inner, inner),
        st.builds(lambda a, b: f"REGEX(STR({a}), {b})", inner, st.sampled_from(['"a"', '"["', '"(?i)x"', '"\\\\"'])),
        st.builds(lambda a, b: f"STRDT(STR({a}), {b})", inner, st.sampled_from(["xsd:integer", "xsd:gYear", "<x>"])),
        st.builds(lambda a, b: f"LANGMATCHES(LANG({a}), {b})", inner, st.sampled_from(['"*"', '"en"', '""'])),
        st.builds(lambda a: f"IF(BOUND({a}), {a}, 1)", VARIABLES),
    ), max_leaves=6)


def patterns() -> st.SearchStrategy[str]:
    """Well-formed-ish group graph patterns, nested: what gets a query past the parser and into the engine."""
    triple = st.builds(lambda s, p, o: f"{s} {p} {o} .", TERMS, st.one_of(VARIABLES, st.sampled_from(
        ["a", "rdfs:label", "ex:year", "ex:author", "ex:author/rdfs:label", "(ex:author|^ex:author)+", "!a"])), TERMS)
    leaf = st.one_of(triple, st.builds(lambda e: f"FILTER({e})", expressions()),
                     st.builds(lambda e, v: f"BIND({e} AS {v})", expressions(), st.sampled_from(["?b", "?c"])),
                     st.just("VALUES ?s { ex:dune ex:emma UNDEF }"))
    return st.recursive(leaf, lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4).map(" ".join),
        st.builds(lambda a: f"OPTIONAL {{ {a} }}", inner),
        st.builds(lambda a, b: f"{{ {a} }} UNION {{ {b} }}", inner, inner),
        st.builds(lambda a: f"MINUS {{ {a} }}", inner),
        st.builds(lambda a: f"GRAPH ?g {{ {a} }}", inner),
        st.builds(lambda a: f"FILTER NOT EXISTS {{ {a} }}", inner),
        st.builds(lambda a: f"{{ SELECT * {{ {a} }} LIMIT 3 }}", inner),
    ), max_leaves=8)


def structured_query() -> st.SearchStrategy[str]:
    """A syntactically plausible query over the test data (most of them run)."""
    prologue = "PREFIX ex: <http://example.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " \
               "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
    form = st.sampled_from(["SELECT *", "SELECT DISTINCT ?s ?o", "SELECT (COUNT(*) AS ?n) (SAMPLE(?o) AS ?x)", "ASK",
                            "CONSTRUCT { ?s ?p ?o }", "DESCRIBE ?s", "SELECT (GROUP_CONCAT(STR(?o)) AS ?all)"])
    modifier = st.sampled_from(["", "LIMIT 5", "ORDER BY ?o", "ORDER BY DESC(STR(?s)) LIMIT 2", "OFFSET 1"])
    return st.builds(lambda f, body, m: f"{prologue}{f} WHERE {{ {body} }} {m}", form, patterns(), modifier)


QUERIES = st.one_of(token_soup(DATA_TERMS), token_soup(EGRESS_TERMS), shaped_query(), structured_query(),
                    structured_query(), st.text(max_size=200))
ACCEPTS = st.sampled_from([
    "application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values",
    "text/turtle", "application/ld+json", "text/html", "*/*", "", "application/x-nonsense", "text/csv;q=0, */*;q=0",
    "application/sparql-results+json;q=abc", "text/*",
])
FORMATS = st.sampled_from([None, None, None, "json", "xml", "csv", "tsv", "html", "turtle", "nonsense"])


def test_random_queries_never_get_a_server_error(client: httpx.Client) -> None:
    log = tally("queries")

    @fuzz_settings(250)
    @given(query=QUERIES, method=st.sampled_from(["GET", "POST-form", "POST-direct"]), accept=ACCEPTS,
           output=FORMATS)
    def run(query: str, method: str, accept: str, output: str | None) -> None:
        params = {"format": output} if output else {}
        headers = {"Accept": accept}
        label = f"{method} format={output} Accept={accept!r} query={query!r}"
        if method == "GET":
            log.send(client, label, "GET", "/sparql", params={"query": query, **params}, headers=headers)
        elif method == "POST-form":
            log.send(client, label, "POST", "/sparql", data={"query": query, **params}, headers=headers)
        else:
            log.send(client, label, "POST", "/sparql", params=params, content=query.encode("utf-8", "surrogatepass"),
                     headers={**headers, "Content-Type": "application/sparql-query"})

    run()
    log.assert_clean("random queries")


# -- RDF-ish bodies ---------------------------------------------------------------------------------

TURTLE_TOKENS = [
    f"@prefix ex: <{NOWHERE}> .", f"@base <{NOWHERE}> .", f"PREFIX ex: <{NOWHERE}>", f"<{NOWHERE}a>", "ex:a", "ex:b",
    "<a>", "<>", "a", "_:b", "[", "]", "(", ")", "{", "}", ";", ",", ".", '"x"', "'y'", '"""z\n"""', '"x"@en',
    f'"1"^^<http://www.w3.org/2001/XMLSchema#integer>', "1", "2.5", "-3e4", "true", "<<", ">>", "<<(", ")>>", "~",
    '"\\u0041"', '"\\U0010FFFF"', '"\\uD800"', "#c\n", "\n", "GRAPH", 'VERSION "1.2"', "@en-", "^^", "\\",
]
N_TERMS = [f"<{NOWHERE}s>", f"<{NOWHERE}p>", "_:b0", '"o"', '"o"@en', f'"1"^^<{NOWHERE}t>', "<rel>", '"\\u00e9"',
           '"unterminated', "<http://[::1]:9/x>", "<>", '"x"^^"y"']


def ntriples() -> st.SearchStrategy[str]:
    term = st.one_of(st.sampled_from(N_TERMS), st.text(max_size=5))
    line = st.builds(lambda s, p, o, end: f"{s} {p} {o}{end}", term, term, term, st.sampled_from([" .\n", ".", "\n", " . # c\r\n"]))
    return st.lists(line, max_size=12).map("".join)


def rdf_xml() -> st.SearchStrategy[str]:
    doctype = st.sampled_from([
        "", '<!DOCTYPE rdf:RDF [<!ENTITY e "x">]>',
        '<!DOCTYPE rdf:RDF [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;"><!ENTITY c "&b;&b;&b;">]>',
        "<!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM \"http://127.0.0.1:9/e\">]>",
    ])
    inner = st.lists(st.sampled_from([
        f'<rdf:Description rdf:about="{NOWHERE}a">', "</rdf:Description>", f'<ex:p rdf:resource="{NOWHERE}b"/>',
        "<ex:p>text &e; &c; &amp; &#0; &#xD800;</ex:p>", '<ex:p rdf:parseType="Literal"><b>x</b></ex:p>',
        '<ex:p rdf:parseType="Collection">', "</ex:p>", '<rdf:li rdf:nodeID="n1"/>', '<rdf:Bag rdf:ID="x">',
        '<ex:p xml:lang="">x</ex:p>', "<![CDATA[ ]]>", "<?pi x?>", "<!-- c -->", "<", "&",
    ]) | st.text(max_size=8), max_size=12).map("".join)
    return st.builds(
        lambda d, body, close: f'<?xml version="1.0"?>{d}<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
                               f' xmlns:ex="{NOWHERE}">{body}{close}',
        doctype, inner, st.sampled_from(["</rdf:RDF>", "", "</rdf:RDF></rdf:RDF>"]))


JSON_KEYS = st.sampled_from(["@id", "@type", "@value", "@language", "@graph", "@list", "@set", "@reverse",
                             "@index", "@context", "@vocab", "@base", "@direction", "@json", "@nest", "name",
                             f"{NOWHERE}p"]) | st.text(max_size=5)
JSON_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10),
                        st.sampled_from([f"{NOWHERE}a", "_:b", "@id", "ex:a", "en", "@json"]))


def json_ld() -> st.SearchStrategy[str]:
    return st.recursive(JSON_LEAVES, lambda children: st.lists(children, max_size=4)
                        | st.dictionaries(JSON_KEYS, children, max_size=5), max_leaves=25).map(json.dumps)


def multipart(parts: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, bytes]]:
    """A multipart/form-data body of up to three RDF parts (content types random), or a broken one."""
    part = st.tuples(UPLOAD_TYPES, parts)

    def build(items: list[tuple[str, str]], boundary: str) -> tuple[str, bytes]:
        chunks = [f'--{boundary}\r\nContent-Disposition: form-data; name="f{i}"; filename="f{i}"\r\n'
                  f"Content-Type: {kind}\r\n\r\n{text}\r\n" for i, (kind, text) in enumerate(items)]
        return f"multipart/form-data; boundary={boundary}", ("".join(chunks) + f"--{boundary}--\r\n").encode()

    return st.builds(build, st.lists(part, max_size=3), st.sampled_from(["b0undary", "x", "", '"q"', "a b"]))


UPLOAD_TYPES = st.sampled_from([
    "text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json", "text/n3", "text/plain",
    "application/x-turtle", "text/turtle; charset=utf-8", "text/turtle; charset=latin-1", "application/json",
    "text/html", "image/png", "", "text/turtle;;;", "application/trig", "multipart/form-data",
])
BODY_TEXT = st.one_of(token_soup(TURTLE_TOKENS), ntriples(), rdf_xml(), json_ld(), st.text(max_size=300))
ENCODED = st.one_of(
    st.builds(lambda text, encoding: text.encode(encoding, "replace"), BODY_TEXT,
              st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16", "latin-1"])),
    st.binary(max_size=300),
)
TARGETS = st.sampled_from([
    ("PUT", "/rdf-graph-store", {"graph": f"{NOWHERE}g1"}), ("POST", "/rdf-graph-store", {"graph": f"{NOWHERE}g2"}),
    ("PUT", "/rdf-graph-store", {"default": ""}), ("POST", "/rdf-graph-store", {}),
    ("PUT", "/rdf-graph-store/fuzz", {}), ("POST", "/rdf-graph-store/fuzz", {}),
    ("PUT", "/rdf-graph-store", {"graph": "not an iri"}), ("POST", "/rdf-graph-store", {"graph": "", "default": ""}),
    ("DELETE", "/rdf-graph-store", {"graph": f"{NOWHERE}g1"}), ("PUT", "/rdf-graph-store/%C3%A9/..%2F", {}),
])


def test_random_uploads_never_get_a_server_error(client: httpx.Client) -> None:
    log = tally("uploads")

    @fuzz_settings(250)
    @given(target=TARGETS, content_type=UPLOAD_TYPES, body=ENCODED, form=st.none() | multipart(BODY_TEXT),
           auth=st.sampled_from([AUTH, AUTH, AUTH, {}, {"Authorization": "Bearer wrong"}]))
    def run(target: tuple[str, str, dict[str, str]], content_type: str, body: bytes,
            form: tuple[str, bytes] | None, auth: dict[str, str]) -> None:
        method, path, params = target
        if form is not None and method == "POST":
            content_type, body = form
        headers = {**auth, "Content-Type": content_type} if content_type else dict(auth)
        label = f"{method} {path} {params} Content-Type={content_type!r} body={body[:300]!r}"
        log.send(client, label, method, path, params=params, content=body, headers=headers)

    run()
    log.assert_clean("random uploads")


# -- pages, search, downloads -------------------------------------------------------------------------

PATH_TEXT = st.text(st.characters(codec="utf-8"), max_size=20) | st.sampled_from(
    ["dune", "../../etc/passwd", "%2e%2e%2f", "x.ttl", "x.html", "a/b/c.jsonld", "%00", "%ff", "\n", "."])
PAGES = st.sampled_from(["/id/", "/def/", "/graph/", "/download/", "/dist/", "/rdf-graph-store/", "/search?q=",
                         "/search?limit=", "/search?format=", "/?example=", "/?query=", "/dataset?", "/sparql?query="])


def test_random_page_requests_never_get_a_server_error(client: httpx.Client) -> None:
    log = tally("pages")

    @fuzz_settings(200)
    @given(page=PAGES, text=PATH_TEXT, accept=ACCEPTS, output=FORMATS)
    def run(page: str, text: str, accept: str, output: str | None) -> None:
        from urllib.parse import quote

        url = page + quote(text, safe="/%?=&.")
        params = {"format": output} if output else None
        log.send(client, f"GET {url} format={output} Accept={accept!r}", "GET", url, params=params,
                 headers={"Accept": accept})

    run()
    log.assert_clean("random page requests")


# -- every route, from the OpenAPI schema ------------------------------------------------------------

def _string(**extra: Any) -> dict[str, Any]:
    return {"schema": {"type": "string", **extra}}


def protocol_schema(spec: dict[str, Any]) -> dict[str, Any]:
    """The app's OpenAPI schema with what its routes read by hand: the SPARQL protocol's parameters and
    bodies, and the graph store's ``graph``/``default`` and RDF bodies (FastAPI cannot see them)."""
    spec = copy.deepcopy(spec)
    paths = spec["paths"]
    # /sparql is a plain Starlette route (no dependency solving on the hottest path), so FastAPI leaves it out.
    paths.setdefault("/sparql", {"get": {"responses": {"200": {"description": "OK"}}},
                                 "post": {"responses": {"200": {"description": "OK"}}}})
    query_params = [{"name": name, "in": "query", "required": name == "query", **_string()}
                    for name in ("query", "default-graph-uri", "named-graph-uri", "format")]
    paths["/sparql"]["get"]["parameters"] = query_params
    text = {"schema": {"type": "string"}}
    paths["/sparql"]["post"]["requestBody"] = {"required": True, "content": {
        "application/sparql-query": text, "application/sparql-update": text,
        "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
            "query": {"type": "string"}, "update": {"type": "string"}, "default-graph-uri": {"type": "string"},
            "using-graph-uri": {"type": "string"}}}},
    }}
    rdf_body = {"required": True, "content": {media: text for media in (
        "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")}}
    for path, operations in paths.items():
        if not path.startswith("/rdf-graph-store"):
            continue
        for method, operation in operations.items():
            if path == "/rdf-graph-store":
                operation["parameters"] = [{"name": "graph", "in": "query", **_string()},
                                           {"name": "default", "in": "query", **_string()}]
            if method in ("put", "post"):
                operation["requestBody"] = rdf_body
    for operations in paths.values():  # FastAPI repeats an operationId for each method of an api_route
        for method, operation in operations.items():
            operation["operationId"] = f"{operation.get('operationId', 'op')}_{method}"
    return spec


def _register_serializers() -> None:
    import schemathesis

    for media_type in ("application/sparql-query", "application/sparql-update", "application/n-triples"):
        schemathesis.serializer.alias(media_type, "text/plain")


def test_every_route_from_the_openapi_schema_never_gets_a_server_error(server: Any) -> None:
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error

    _register_serializers()
    with warnings.catch_warnings():  # FastAPI warns about the duplicate operation ids fixed above
        warnings.simplefilter("ignore")
        spec = protocol_schema(server.server.config.app.openapi())
    schema = schemathesis.openapi.from_dict(spec)
    log = tally("openapi")
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 20, [op.label for op in operations]  # every route the app declares

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)

            @fuzz_settings(8)
            @given(case=strategy)
            def run(case: Any) -> None:
                log.requests += 1
                label = f"{mode.value} {case.operation.label} path={case.path_parameters} query={case.query} " \
                        f"body={str(case.body)[:200]!r}"
                try:
                    response = case.call(base_url=server.url, headers={**AUTH}, timeout=CLIENT_TIMEOUT_S)
                except Exception as exc:  # noqa: BLE001 - a dropped connection or timeout is a finding too
                    log.failures.append(f"{exc!r}: {label}")
                    return
                log.statuses[response.status_code] += 1
                if response.elapsed > SLOW_S:  # seconds
                    log.failures.append(f"answered after {response.elapsed:.1f} s: {label}")
                try:
                    case.validate_response(response, checks=[not_a_server_error])
                except Exception as exc:  # noqa: BLE001 - schemathesis raises its own failure types
                    log.failures.append(f"{response.status_code} {response.text[:200]!r} ({type(exc).__name__}): {label}")

            try:
                run()
            except Unsatisfiable:  # no negative data for an operation that takes no parameters
                assert mode is GenerationMode.NEGATIVE, operation.label
    log.assert_clean("OpenAPI fuzz")
