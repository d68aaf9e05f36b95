"""Server-side request forgery through SERVICE and LOAD: the allow-list must hold whatever the text says.

The endpoint decides whether a query may call out (``mcfkg.sparql.safety``) by reading it with
rdflib's SPARQL parser, but the query then runs in Oxigraph, whose parser reads some texts
differently. Any text that rdflib reads as harmless and Oxigraph reads as ``SERVICE <x>`` (or
``LOAD <x>``) lets a client make the server connect wherever it likes: into the internal
network, at loopback services, at cloud metadata addresses. The first known case was
``BIND('\\u0027' AS ?a) SERVICE <http://127.0.0.1:P/internal> {...} BIND('\\u0027' AS ?b)``:
rdflib expands ``\\u0027`` before tokenising and sees one long string; Oxigraph sees two
one-character strings around a SERVICE call, and the internal service's rows came back. A second
one: rdflib ends a ``#`` comment at a line feed only, Oxigraph at a carriage return too, so in
``# note\\rSERVICE <...> {...}\\n`` only Oxigraph sees the call.

Every payload of the catalogue below is a parser differential or a nesting/spelling trick around
SERVICE or LOAD, aimed at a :class:`~faultkit.Listener` that plays the internal service. Each
is sent by GET, by POST form and by POST ``application/sparql-query`` (updates: the two POST
forms, with the write token), to two servers:

- ``default``: empty allow-list (the store's processes may also be kept off the network);
- ``allow-other``: an allow-list naming a DIFFERENT local listener (the decoy), which may be
  called legitimately: a query the check lets through as calling only the decoy runs where the
  network is reachable, so a call hidden beside a legitimate one is the sharpest attack.

For every payload: the listener receives no connection at all, the answer is not a 5xx, and
it never contains the listener's secret marker. Positive controls show that the listener is
reachable when it *is* allow-listed (so these tests can fail) and that a failing allow-listed
SERVICE does not echo the remote body into the error.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from faultkit import TOKEN, Listener, start_live_server

# After an answer, wait this long for a connection the listener may still be accepting. The
# store calls SERVICE/LOAD synchronously while evaluating, so a connection precedes the answer.
GRACE_S = 0.05
JSON = "application/sparql-results+json"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def u(text: str) -> str:
    """``text`` written entirely as ``\\uXXXX`` escapes."""
    return "".join(f"\\u{ord(c):04X}" for c in text)


def U(text: str) -> str:
    """``text`` written entirely as ``\\UXXXXXXXX`` escapes."""
    return "".join(f"\\U{ord(c):08X}" for c in text)


@dataclass(frozen=True)
class Payload:
    """One attack text. Placeholders: ``$T$`` the listener's endpoint IRI, ``$uT$``/``$UT$`` the same
    fully escaped, ``$HOST$`` its ``127.0.0.1:port``, ``$uPORT$`` its port escaped, ``$D$`` the decoy's
    endpoint IRI (allow-listed on the ``allow-other`` server), ``$DROOT$`` the decoy's root."""

    id: str
    kind: str  # "query" or "update"
    template: str

    def render(self, target: Listener, decoy: Listener) -> str:
        values = {"$uT$": u(target.endpoint), "$UT$": U(target.endpoint), "$uPORT$": u(str(target.port)),
                  "$HOST$": f"127.0.0.1:{target.port}", "$T$": target.endpoint, "$D$": decoy.endpoint,
                  "$DROOT$": decoy.root}
        text = self.template
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        return text


def Q(id: str, template: str) -> Payload:
    return Payload(id, "query", template)


def W(id: str, template: str) -> Payload:
    return Payload(id, "update", template)


SPO = "{ ?s ?p ?o }"
CATALOGUE: list[Payload] = [
    # -- spelling: the baseline, case, spacing -------------------------------------------------
    Q("plain", f"SELECT * {{ SERVICE <$T$> {SPO} }}"),
    Q("silent", f"SELECT * {{ SERVICE SILENT <$T$> {SPO} }}"),
    Q("mixed-case", f"select * {{ sErViCe <$T$> {SPO} }}"),
    Q("mixed-case-silent", f"SeLeCt * WhErE {{ SeRvIcE sIlEnT <$T$> {SPO} }}"),
    Q("glued", "SELECT*{SERVICE<$T$>{?s ?p ?o}}"),
    Q("cr-as-space", f"SELECT *\r{{\rSERVICE\r<$T$>\r{SPO}\r}}"),
    Q("tab-as-space", f"SELECT *\t{{\tSERVICE\tSILENT\t<$T$>\t{SPO} }}"),
    Q("long-s-keyword", f"SELECT * {{ \u017fERVICE <$T$> {SPO} }}"),  # 'ſ'.upper() == 'S' for rdflib
    Q("fullwidth-keyword", f"SELECT * {{ \uff33\uff25\uff32\uff36\uff29\uff23\uff25 <$T$> {SPO} }}"),
    Q("byte-order-mark", f"\ufeffSELECT * {{ SERVICE <$T$> {SPO} }}"),
    # -- \u escapes in strings: rdflib expands them before tokenising, Oxigraph inside strings only --
    Q("u-squote-around", f"SELECT * {{ BIND('\\u0027' AS ?a) SERVICE <$T$> {SPO} BIND('\\u0027' AS ?b) }}"),
    Q("u-dquote-around", f'SELECT * {{ BIND("\\u0022" AS ?a) SERVICE <$T$> {SPO} BIND("\\u0022" AS ?b) }}'),
    Q("U-squote-around", f"SELECT * {{ BIND('\\U00000027' AS ?a) SERVICE <$T$> {SPO} BIND('\\U00000027' AS ?b) }}"),
    Q("u-squote-silent", f"SELECT * {{ BIND('\\u0027' AS ?a) SERVICE SILENT <$T$> {SPO} BIND('\\u0027' AS ?b) }}"),
    Q("u-squote-filters", f"SELECT * {{ FILTER('\\u0027' != '') SERVICE <$T$> {SPO} FILTER('\\u0027' != '') }}"),
    Q("u-squote-select-expr", f"SELECT ('\\u0027' AS ?a) * {{ SERVICE <$T$> {SPO} }} ORDER BY ('\\u0027')"),
    Q("u-quotes-open-long-string",  # rdflib: ''' ... ''' one long string; Oxigraph: '' SERVICE '
      f"SELECT * {{ BIND('\\u0027\\u0027' AS ?a) SERVICE <$T$> {SPO} BIND('\\u0027' AS ?b) }}"),
    Q("u-dquotes-open-long-string",
      f'SELECT * {{ BIND("\\u0022\\u0022" AS ?a) SERVICE <$T$> {SPO} BIND("\\u0022" AS ?b) }}'),
    Q("u-squote-hash", f"SELECT * {{ BIND('\\u0027#' AS ?a)\nSERVICE <$T$> {SPO}\nBIND('\\u0027' AS ?b) }}"),
    Q("u-squote-in-lang-literal", f"SELECT * {{ BIND('\\u0027'@en AS ?a) SERVICE <$T$> {SPO} BIND('\\u0027'@en AS ?b) }}"),
    Q("u-backslash-before-quote", f"SELECT * {{ BIND('\\u005C' AS ?a) SERVICE <$T$> {SPO} BIND('x' AS ?b) }}"),
    # -- \u escapes of the keyword and of the target IRI ----------------------------------------------
    Q("u-keyword-S", f"SELECT * {{ \\u0053ERVICE <$T$> {SPO} }}"),
    Q("u-keyword-all", f"SELECT * {{ {u('SERVICE')} <$T$> {SPO} }}"),
    Q("u-keyword-lower", f"SELECT * {{ \\u0073ervice <$T$> {SPO} }}"),
    Q("U-keyword", f"SELECT * {{ \\U00000053ERVICE <$T$> {SPO} }}"),
    Q("u-silent", f"SELECT * {{ SERVICE {u('SILENT')} <$T$> {SPO} }}"),
    Q("u-iri", f"SELECT * {{ SERVICE <$uT$> {SPO} }}"),
    Q("U-iri", f"SELECT * {{ SERVICE <$UT$> {SPO} }}"),
    Q("u-iri-port", f"SELECT * {{ SERVICE <http://127.0.0.1:$uPORT$/internal> {SPO} }}"),
    Q("u-iri-brackets", f"SELECT * {{ SERVICE \\u003C$T$\\u003E {SPO} }}"),
    Q("u-keyword-and-iri", f"SELECT * {{ {u('SERVICE')} <$uT$> {SPO} }}"),
    Q("u-squote-and-u-iri", f"SELECT * {{ BIND('\\u0027' AS ?a) SERVICE <$uT$> {SPO} BIND('\\u0027' AS ?b) }}"),
    # -- comments: what one parser takes for a comment and the other for code ----------------------
    Q("cr-ends-comment", f"SELECT * {{ ?s ?p ?o # note\rSERVICE <$T$> {SPO}\n}}"),
    Q("cr-ends-comment-silent", f"SELECT * {{ # note\rSERVICE SILENT <$T$> {SPO}\n}}"),
    Q("cr-ends-comment-exists", f"ASK {{ # note\rFILTER EXISTS {{ SERVICE <$T$> {SPO} }}\n}}"),
    Q("cr-ends-comment-subquery", f"SELECT * {{ {{ SELECT * {{ # \rSERVICE <$T$> {SPO}\n}} }} }}"),
    Q("u-newline-in-comment", f"SELECT * {{ # \\u000A SERVICE <$T$> {SPO}\n}}"),
    Q("u-newline-comment-hides-brace", f"SELECT * {{ ?s ?p ?o # \\u000A }}\nSERVICE <$T$> {SPO} }}"),
    Q("u-cr-in-comment", f"SELECT * {{ # \\u000D SERVICE <$T$> {SPO}\n}}"),
    Q("nul-in-comment", f"SELECT * {{ # \x00\nSERVICE <$T$> {SPO} }}"),
    Q("hash-in-iri", f"SELECT * {{ ?s ?p <http://example.org/#> SERVICE <$T$> {SPO} }}"),
    Q("hash-in-target-iri", f"SELECT * {{ SERVICE <$T$#fragment> {SPO} }}"),
    Q("hash-in-string", f"SELECT * {{ BIND('#' AS ?a) SERVICE <$T$> {SPO} }}"),
    Q("hash-in-long-string", f'SELECT * {{ BIND("""#""" AS ?a) SERVICE <$T$> {SPO} }}'),
    Q("trailing-comment-names-decoy", f"SELECT * {{ SERVICE <$T$> {SPO} }} # SERVICE <$D$>"),
    # -- long strings with embedded quotes and escapes ---------------------------------------------
    Q("long-dquote-embedded", f'SELECT * {{ BIND("""a"b""c""" AS ?a) SERVICE <$T$> {SPO} }}'),
    Q("long-squote-embedded", f"SELECT * {{ BIND('''a'b''c''' AS ?a) SERVICE <$T$> {SPO} }}"),
    Q("long-squote-four-quotes", f"SELECT * {{ BIND('''a'''' AS ?a) SERVICE <$T$> {SPO} BIND(' AS ?b) }}"),
    Q("long-dquote-four-quotes", f'SELECT * {{ BIND("""a"""" AS ?a) SERVICE <$T$> {SPO} BIND(" AS ?b) }}'),
    Q("long-squote-escaped-quote", f"SELECT * {{ BIND('''\\'''' AS ?a) SERVICE <$T$> {SPO} }}"),
    Q("long-dquote-escaped-squote", f'SELECT * {{ BIND("""\\\'""" AS ?a) SERVICE <$T$> {SPO} }}'),
    Q("long-squote-u-quote", f"SELECT * {{ BIND('''\\u0027''' AS ?a) SERVICE <$T$> {SPO} BIND('''\\u0027''' AS ?b) }}"),
    Q("long-string-newline-escape", f'SELECT * {{ BIND("""\\\n""" AS ?a) SERVICE <$T$> {SPO} }}'),
    # -- nesting: every place a graph pattern may hide ------------------------------------------------
    Q("filter-exists", f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <$T$> {SPO} }} }}"),
    Q("filter-not-exists", f"SELECT * {{ ?s ?p ?o FILTER NOT EXISTS {{ SERVICE <$T$> {SPO} }} }}"),
    Q("minus", f"SELECT * {{ ?s ?p ?o MINUS {{ SERVICE <$T$> {SPO} }} }}"),
    Q("optional", f"SELECT * {{ ?s ?p ?o OPTIONAL {{ SERVICE <$T$> {SPO} }} }}"),
    Q("union", f"SELECT * {{ {{ ?s ?p ?o }} UNION {{ SERVICE <$T$> {SPO} }} }}"),
    Q("subquery", f"SELECT * {{ {{ SELECT ?s {{ SERVICE <$T$> {SPO} }} }} }}"),
    Q("graph", f"SELECT * {{ GRAPH ?g {{ SERVICE <$T$> {SPO} }} }}"),
    Q("bind-exists", f"SELECT * {{ BIND(EXISTS {{ SERVICE <$T$> {SPO} }} AS ?x) }}"),
    Q("select-expr-exists", f"SELECT (EXISTS {{ SERVICE <$T$> {SPO} }} AS ?x) {{}}"),
    Q("having-exists", f"SELECT ?s {{ ?s ?p ?o }} GROUP BY ?s HAVING(EXISTS {{ SERVICE <$T$> {SPO} }})"),
    Q("order-by-exists", f"SELECT ?s {{ ?s ?p ?o }} ORDER BY (EXISTS {{ SERVICE <$T$> {SPO} }})"),
    Q("deep-mix", f"ASK {{ FILTER NOT EXISTS {{ {{ SELECT * {{ OPTIONAL {{ {{}} UNION {{ MINUS {{ "
                  f"SERVICE SILENT <$T$> {SPO} }} }} }} }} LIMIT 1 }} }} }}"),
    Q("ask", f"ASK {{ SERVICE <$T$> {SPO} }}"),
    Q("construct", f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <$T$> {SPO} }}"),
    Q("describe", f"DESCRIBE ?s WHERE {{ SERVICE <$T$> {SPO} }}"),
    Q("nested-in-decoy", f"SELECT * {{ SERVICE <$D$> {{ SERVICE <$T$> {SPO} }} }}"),
    Q("decoy-then-target", f"SELECT * {{ SERVICE <$D$> {SPO} SERVICE <$T$> {SPO} }}"),
    # -- a differential behind a legitimate call: the check sees only the allowed endpoint, so the
    # query may run where the network is reachable, and the hidden call goes along ------------------
    Q("decoy-then-cr-comment", f"SELECT * {{ SERVICE <$D$> {SPO} # note\rSERVICE <$T$> {SPO}\n}}"),
    Q("decoy-then-cr-comment-silent", f"SELECT * {{ SERVICE SILENT <$D$> {SPO} # \rSERVICE SILENT <$T$> {SPO}\n}}"),
    Q("decoy-then-cr-comment-exists", f"SELECT * {{ SERVICE <$D$> {SPO} # \rFILTER EXISTS {{ SERVICE <$T$> {SPO} }}\n}}"),
    Q("decoy-nested-cr-comment", f"SELECT * {{ SERVICE <$D$> {{ ?s ?p ?o # \rSERVICE <$T$> {SPO}\n}} }}"),
    Q("decoy-then-u-squotes", f"SELECT * {{ SERVICE <$D$> {SPO} BIND('\\u0027' AS ?a) SERVICE <$T$> {SPO} "
                              f"BIND('\\u0027' AS ?b) }}"),
    Q("decoy-then-u-quotes-long-string", f"SELECT * {{ SERVICE <$D$> {SPO} BIND('\\u0027\\u0027' AS ?a) "
                                         f"SERVICE <$T$> {SPO} BIND('\\u0027' AS ?b) }}"),
    # -- SERVICE with a variable ------------------------------------------------------------------------
    Q("var-bind", f"SELECT * {{ BIND(<$T$> AS ?x) SERVICE ?x {SPO} }}"),
    Q("var-values", f"SELECT * {{ VALUES ?x {{ <$T$> }} SERVICE ?x {SPO} }}"),
    Q("var-values-trailing", f"SELECT * {{ SERVICE ?x {SPO} }} VALUES ?x {{ <$T$> }}"),
    Q("var-dollar", f"SELECT * {{ BIND(<$T$> AS $x) SERVICE $x {SPO} }}"),
    Q("var-silent-decoy-first", f"SELECT * {{ VALUES ?x {{ <$D$> <$T$> }} SERVICE SILENT ?x {SPO} }}"),
    Q("var-u-squote", f"SELECT * {{ BIND('\\u0027' AS ?a) BIND(<$T$> AS ?x) SERVICE ?x {SPO} BIND('\\u0027' AS ?b) }}"),
    # -- BASE and PREFIX: relative and prefixed targets -----------------------------------------------
    Q("base-relative", f"BASE <http://$HOST$/> SELECT * {{ SERVICE <internal> {SPO} }}"),
    Q("network-path", f"SELECT * {{ SERVICE <//$HOST$/internal> {SPO} }}"),  # resolved against the endpoint
    Q("base-decoy-network-path", f"BASE <$D$> SELECT * {{ SERVICE <//$HOST$/internal> {SPO} }}"),
    Q("base-redefined", f"BASE <$D$> BASE <http://$HOST$/> SELECT * {{ SERVICE <internal> {SPO} }}"),
    Q("base-scheme-only-relative", f"BASE <$DROOT$/> SELECT * {{ SERVICE <http:internal> {SPO} }}"),
    Q("prefix", f"PREFIX t: <http://$HOST$/> SELECT * {{ SERVICE t:internal {SPO} }}"),
    Q("prefix-empty-local", f"PREFIX t: <$T$> SELECT * {{ SERVICE t: {SPO} }}"),
    Q("prefix-redefined", f"PREFIX t: <$D$> PREFIX t: <$T$> SELECT * {{ SERVICE t: {SPO} }}"),
    Q("prefix-redefined-reverse", f"PREFIX t: <$T$> PREFIX t: <$D$> SELECT * {{ SERVICE t: {SPO} }}"),
    Q("prefix-relative-to-base", f"BASE <http://$HOST$/> PREFIX t: <> SELECT * {{ SERVICE t:internal {SPO} }}"),
    Q("prefix-then-base", f"PREFIX t: <internal> BASE <http://$HOST$/> SELECT * {{ SERVICE t: {SPO} }}"),
    Q("prefix-u-namespace", f"PREFIX t: <$uT$> SELECT * {{ SERVICE t: {SPO} }}"),
    Q("pname-local-escape", f"PREFIX t: <http://$HOST$/> SELECT * {{ SERVICE t:in\\-ternal {SPO} }}"),
    Q("pname-percent", f"PREFIX t: <http://$HOST$/> SELECT * {{ SERVICE t:%69nternal {SPO} }}"),
    Q("pname-u-squote", f"PREFIX t: <http://$HOST$/> SELECT * {{ BIND('\\u0027' AS ?a) SERVICE t:internal {SPO} "
                        f"BIND('\\u0027' AS ?b) }}"),
    # -- dataset clauses name graphs of the store, never documents to fetch ---------------------------
    Q("from-and-from-named", f"SELECT * FROM <$T$> FROM NAMED <$T$> {{ ?s ?p ?o }}"),
    # -- updates (sent with the write token) -------------------------------------------------------------
    W("insert-where", f"INSERT {{ <http://example.org/x> <http://example.org/y> ?o }} WHERE {{ SERVICE <$T$> {SPO} }}"),
    W("delete-insert-where", f"DELETE {{ ?s ?p ?o }} INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <$T$> {SPO} }}"),
    W("with-insert-where-silent", f"WITH <http://example.org/g> INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE SILENT <$T$> {SPO} }}"),
    W("insert-where-exists", f"INSERT {{ <http://example.org/x> <http://example.org/y> 1 }} WHERE "
                             f"{{ FILTER EXISTS {{ SERVICE <$T$> {SPO} }} }}"),
    W("insert-where-var", f"INSERT {{ ?s ?p ?o }} WHERE {{ BIND(<$T$> AS ?x) SERVICE ?x {SPO} }}"),
    W("insert-where-u-squote", f"INSERT {{ ?s ?p ?o }} WHERE {{ BIND('\\u0027' AS ?a) SERVICE <$T$> {SPO} "
                               f"BIND('\\u0027' AS ?b) }}"),
    W("insert-where-u-keyword", f"INSERT {{ ?s ?p ?o }} WHERE {{ \\u0053ERVICE <$T$> {SPO} }}"),
    W("insert-where-cr-comment", f"INSERT {{ ?s ?p ?o }} WHERE {{ # note\rSERVICE <$T$> {SPO}\n}}"),
    W("insert-where-decoy-then-cr-comment", f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <$D$> {SPO} # \r"
                                            f"SERVICE <$T$> {SPO}\n}}"),
    W("decoy-insert-then-cr-comment-load", f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <$D$> {SPO} }} ; # \r"
                                           f"LOAD <$T$>\n"),
    W("load", "LOAD <$T$>"),
    W("load-silent", "LOAD SILENT <$T$>"),
    W("load-into", "LOAD <$T$> INTO GRAPH <http://example.org/g>"),
    W("load-mixed-case", "lOaD sIlEnT <$T$> iNtO gRaPh <http://example.org/g>"),
    W("load-u-keyword", "\\u004COAD <$T$>"),
    W("load-u-iri", "LOAD <$uT$>"),
    W("load-U-iri", "LOAD <$UT$>"),
    W("load-after-insert-data", "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 } ; LOAD <$T$>"),
    W("load-between-u-squotes", "INSERT DATA { <http://example.org/a> <http://example.org/b> '\\u0027' } ; "
                                "LOAD <$T$> ; INSERT DATA { <http://example.org/a> <http://example.org/b> '\\u0027' }"),
    W("load-u-quotes-open-long-string", "INSERT DATA { <http://example.org/a> <http://example.org/b> '\\u0027\\u0027' } ; "
                                        "LOAD <$T$> ; INSERT DATA { <http://example.org/a> <http://example.org/b> '\\u0027' }"),
    W("load-cr-comment", "# disabled\rLOAD <$T$>\n"),
    W("load-cr-comment-after-insert", "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 } ; "
                                      "# \rLOAD SILENT <$T$> INTO GRAPH <http://example.org/g>\n"),
    W("load-base-relative", "BASE <http://$HOST$/> LOAD <internal>"),
    W("load-prefixed", "PREFIX t: <http://$HOST$/> LOAD t:internal"),
    W("load-network-path", "LOAD <//$HOST$/internal>"),
    W("using-names-target", "INSERT { <http://example.org/a> <http://example.org/b> ?o } USING <$T$> WHERE { ?s ?p ?o }"),
    W("graph-management-names-target", "CREATE SILENT GRAPH <$T$> ; ADD SILENT <$T$> TO DEFAULT ; "
                                       "CLEAR SILENT GRAPH <$T$> ; DROP SILENT GRAPH <$T$>"),
]
assert len({p.id for p in CATALOGUE}) == len(CATALOGUE), "payload ids must be unique"

QUERY_METHODS = ("GET", "POST-form", "POST-direct")
UPDATE_METHODS = ("POST-form", "POST-direct")
SERVERS = ("default", "allow-other")


def _cases() -> list[Any]:
    cases = []
    for server in SERVERS:
        for payload in CATALOGUE:
            for method in QUERY_METHODS if payload.kind == "query" else UPDATE_METHODS:
                cases.append(pytest.param(server, method, payload, id=f"{server}-{method}-{payload.id}"))
    return cases


def send(client: httpx.Client, method: str, kind: str, text: str, **params: str) -> httpx.Response:
    """One SPARQL protocol request carrying ``text`` as a query or an update (updates with the token)."""
    field = "query" if kind == "query" else "update"
    headers = {"Accept": JSON} if kind == "query" else dict(AUTH)
    if method == "GET":
        return client.get("/sparql", params={field: text, **params}, headers=headers)
    if method == "POST-form":
        return client.post("/sparql", data={field: text, **params}, headers=headers)
    media_type = "application/sparql-query" if kind == "query" else "application/sparql-update"
    return client.post("/sparql", params=params, content=text.encode("utf-8"),
                       headers={**headers, "Content-Type": media_type})


def problems(listener: Listener, mark: int, response: httpx.Response) -> list[str]:
    """What went wrong with one attack: the listener was reached, a 5xx, or the secret in the answer."""
    time.sleep(GRACE_S)
    found = []
    reached = listener.since(mark)
    if reached:
        found.append(f"the listener was reached ({len(reached)} connection(s): {'; '.join(map(str, reached))})")
    if response.status_code >= 500:
        found.append(f"the answer is a {response.status_code}")
    if listener.marker in response.text:
        found.append("the answer contains the listener's secret marker")
    if found:
        found.append(f"answer: {response.status_code} {response.text[:300]!r}")
    return found


# -- fixtures -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def target() -> Iterator[Listener]:
    """The internal service no payload may reach."""
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def decoy() -> Iterator[Listener]:
    """Another local endpoint, allow-listed on the ``allow-other`` server (calls to it are legitimate)."""
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def clients(decoy: Listener) -> Iterator[dict[str, httpx.Client]]:
    servers = {"default": start_live_server(update_token=TOKEN),
               "allow-other": start_live_server(update_token=TOKEN, service_allowlist=(decoy.endpoint,))}
    clients = {name: httpx.Client(base_url=server.url, timeout=30) for name, server in servers.items()}
    yield clients
    for name, server in servers.items():
        clients[name].close()
        server.stop()


# -- the catalogue ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("server", "method", "payload"), _cases())
def test_payload_never_reaches_the_internal_service(clients, target: Listener, decoy: Listener,
                                                    server: str, method: str, payload: Payload) -> None:
    text = payload.render(target, decoy)
    mark = target.count()
    response = send(clients[server], method, payload.kind, text)
    found = problems(target, mark, response)
    assert not found, f"{payload.kind} {text!r}:\n  " + "\n  ".join(found)


# The same protocol-level variants the endpoint also accepts: the HTML results page (format=html)
# and the protocol's dataset parameters, which rewrite an update's text after the check.
SIDE_DOORS = [
    ("html-results-page", "query", "u-squote-around", {"format": "html"}),
    ("html-results-page", "query", "cr-ends-comment", {"format": "html"}),
    ("html-results-page", "query", "plain", {"format": "html"}),
    ("default-graph-uri", "query", "u-squote-around", {"default-graph-uri": "http://example.org/books"}),
    ("using-graph-uri", "update", "insert-where-u-squote", {"using-graph-uri": "http://example.org/books"}),
    ("using-graph-uri", "update", "insert-where-cr-comment", {"using-graph-uri": "http://example.org/books"}),
    ("using-graph-uri-names-target", "update", "insert-where", {"using-graph-uri": "$T$"}),
]


@pytest.mark.parametrize("method", ["GET", "POST-form", "POST-direct"])
@pytest.mark.parametrize(("door", "kind", "payload_id", "params"), SIDE_DOORS,
                         ids=[f"{door}-{pid}" for door, _, pid, _ in SIDE_DOORS])
def test_side_doors_never_reach_the_internal_service(clients, target: Listener, decoy: Listener, door: str,
                                                     kind: str, payload_id: str, params: dict[str, str],
                                                     method: str) -> None:
    if kind == "update" and method == "GET":
        pytest.skip("updates are POST only")
    payload = next(p for p in CATALOGUE if p.id == payload_id)
    text = payload.render(target, decoy)
    params = {k: v.replace("$T$", target.endpoint) for k, v in params.items()}
    mark = target.count()
    response = send(clients["allow-other"], method, kind, text, **params)
    found = problems(target, mark, response)
    assert not found, f"{door}: {text!r}:\n  " + "\n  ".join(found)


UPLOADS = [
    ("jsonld-remote-context", "application/ld+json",
     '{"@context": "$T$", "@id": "http://example.org/a", "name": "x"}'),
    ("jsonld-remote-context-list", "application/ld+json",
     '{"@context": ["$T$", {"@vocab": "http://example.org/"}], "@id": "http://example.org/a", "name": "x"}'),
    ("jsonld-import", "application/ld+json",
     '{"@context": {"@version": 1.1, "@import": "$T$"}, "@id": "http://example.org/a", "name": "x"}'),
    ("rdfxml-external-entity", "application/rdf+xml",
     '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY leak SYSTEM "$T$"> ]>\n'
     '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
     '<rdf:Description rdf:about="http://example.org/a"><ex:says>&leak;</ex:says></rdf:Description></rdf:RDF>'),
    ("rdfxml-external-dtd", "application/rdf+xml",
     '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF SYSTEM "$T$">\n'
     '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'),
    ("turtle-base-and-prefix", "text/turtle",
     "@base <$T$> . @prefix t: <$T$#> . <> t:says <$T$> ."),
]


@pytest.mark.parametrize(("name", "media_type", "body"), UPLOADS, ids=[u[0] for u in UPLOADS])
def test_graph_store_uploads_never_fetch(clients, target: Listener, name: str, media_type: str, body: str) -> None:
    """Parsing an upload must not dereference anything it names (JSON-LD contexts, XML entities)."""
    mark = target.count()
    response = clients["allow-other"].put("/rdf-graph-store", params={"graph": "http://example.org/upload"},
                                          content=body.replace("$T$", target.endpoint).encode(),
                                          headers={**AUTH, "Content-Type": media_type})
    found = problems(target, mark, response)
    assert not found, f"{name}:\n  " + "\n  ".join(found)


# -- positive controls: the listener is reachable, so the tests above can fail ------------------------

@pytest.fixture(scope="module")
def allowed() -> Iterator[dict[str, Listener]]:
    """Listeners for the control server: one answering rows, one failing with a 500, one redirecting to ``hidden``."""
    listeners = {"ok": Listener(), "failing": Listener(mode="error"), "hidden": Listener()}
    listeners["redirecting"] = Listener(mode="redirect", location=listeners["hidden"].endpoint)
    yield listeners
    for listener in listeners.values():
        listener.close()


@pytest.fixture(scope="module")
def control(allowed: dict[str, Listener]) -> Iterator[httpx.Client]:
    server = start_live_server(service_allowlist=tuple(allowed[k].endpoint for k in ("ok", "failing", "redirecting")))
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client
    server.stop()


@pytest.mark.parametrize("method", QUERY_METHODS)
def test_control_an_allow_listed_listener_is_reached_and_answers(control, allowed, method: str) -> None:
    ok = allowed["ok"]
    mark = ok.count()
    response = send(control, method, "query", f"SELECT ?leak WHERE {{ SERVICE <{ok.endpoint}> {SPO} }}")
    time.sleep(GRACE_S)
    assert response.status_code == 200, response.text
    assert ok.since(mark), "the allow-listed listener was not called: the bypass tests would prove nothing"
    assert ok.marker in response.text  # its rows come back: what a bypass would leak


@pytest.mark.parametrize("method", QUERY_METHODS)
def test_control_a_failing_allow_listed_service_does_not_echo_its_body(control, allowed, method: str) -> None:
    failing = allowed["failing"]
    mark = failing.count()
    response = send(control, method, "query", f"SELECT * WHERE {{ SERVICE <{failing.endpoint}> {SPO} }}")
    time.sleep(GRACE_S)
    assert failing.since(mark), "the failing listener was not called"
    assert response.status_code == 502, response.text
    assert failing.endpoint in response.text  # the error names the endpoint that failed...
    assert failing.marker not in response.text  # ...but never repeats what it answered


def test_control_an_allow_listed_service_cannot_redirect_the_call_elsewhere(control, allowed) -> None:
    """The allow-list names endpoints, not wherever they send the server: a redirect is not followed."""
    redirecting, hidden = allowed["redirecting"], allowed["hidden"]
    mark = hidden.count()
    response = send(control, "POST-form", "query", f"SELECT * WHERE {{ SERVICE <{redirecting.endpoint}> {SPO} }}")
    time.sleep(GRACE_S)
    assert not hidden.since(mark), f"the redirect was followed to {hidden.endpoint}"
    assert hidden.marker not in response.text
    assert response.status_code in (200, 400, 502), response.text  # refusing the redirect is the remote's failure
