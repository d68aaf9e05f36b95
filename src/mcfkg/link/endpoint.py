"""A small SPARQL 1.1 protocol client for the linker.

The linker talks to Wikidata (or a local mirror in Wikidata's shape) over plain HTTP.
Every request is bounded in time and size, and every failure becomes an
:class:`EndpointError` whose message says what to do next, so the CLI can print it
and exit with a code instead of showing a traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from rdflib import Literal, URIRef
from rdflib.term import Node

USER_AGENT = "mcfkg-linker/0.1 (https://w3id.org/mcfkg/; link verification)"
RESULTS_JSON = "application/sparql-results+json"


class EndpointError(RuntimeError):
    """The endpoint could not be reached or did not answer a SPARQL query properly."""


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a SPARQL endpoint (not an absolute http(s) URL), or None if it can.

    Checked before any request, so a typo is reported as a usage error rather than as "offline".
    """
    expected = f"must be an absolute http:// or https:// URL, got {url!r}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:
        return expected
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname or url != url.strip():
        return expected
    return None


@dataclass(frozen=True)
class SparqlClient:
    """SELECT/ASK over the SPARQL protocol (POST, form-encoded), JSON results only."""

    url: str
    timeout_s: float = 20.0
    max_response_bytes: int = 20_000_000

    def select(self, query: str) -> list[dict[str, Node]]:
        """Run a SELECT; each row maps a variable name to an rdflib term (URIRef or Literal)."""
        doc = self._request(query)
        rows = doc.get("results", {}).get("bindings")
        if not isinstance(rows, list):
            raise EndpointError(f"{self.url} answered without SELECT results; is it a SPARQL endpoint?")
        return [{name: _term(value) for name, value in row.items()} for row in rows]

    def _request(self, query: str) -> dict:
        headers = {"Accept": RESULTS_JSON, "User-Agent": USER_AGENT}
        try:
            with (
                httpx.Client(timeout=self.timeout_s, follow_redirects=False) as client,
                client.stream("POST", self.url, data={"query": query}, headers=headers) as response,
            ):
                body = read_bounded(response, self.max_response_bytes, self.url)
        except httpx.TimeoutException as exc:
            raise EndpointError(
                f"SPARQL endpoint {self.url} did not answer within {self.timeout_s:g} s ({type(exc).__name__}). "
                "Try again later, or pass --endpoint URL to use a local mirror."
            ) from exc
        except httpx.HTTPError as exc:
            raise EndpointError(
                f"Cannot reach SPARQL endpoint {self.url}: {str(exc).rstrip('.') or type(exc).__name__}. "
                "Are you offline? Pass --endpoint URL to use a reachable mirror "
                "(e.g. `mcfkg serve --data tests/data/wikidata-extract.ttl`)."
            ) from exc
        if response.status_code != 200:
            snippet = body[:300].decode("utf-8", "replace").strip()
            raise EndpointError(f"SPARQL endpoint {self.url} answered HTTP {response.status_code}: {snippet}")
        try:
            return json.loads(body)
        except ValueError as exc:
            raise EndpointError(
                f"SPARQL endpoint {self.url} did not return {RESULTS_JSON} "
                f"(content-type {response.headers.get('content-type', 'unknown')})."
            ) from exc


def read_bounded(response: httpx.Response, limit: int, url: str) -> bytes:
    """The body of ``response``, refused past ``limit`` bytes so a runaway answer cannot fill memory."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise EndpointError(f"{url} answered more than {limit} bytes; narrow the query.")
        chunks.append(chunk)
    return b"".join(chunks)


def _term(value: dict) -> Node:
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind in {"literal", "typed-literal"}:
        return Literal(value["value"], lang=value.get("xml:lang"), datatype=value.get("datatype"))
    # Blank nodes carry no identity across requests; keep their label as a plain literal.
    return Literal(value.get("value", ""))
