"""The HTTP ``format=`` parameter takes the names of mcfkg.formats, as ``mcfkg query --format`` does."""

from __future__ import annotations

import httpx
import pytest

CONSTRUCT = "CONSTRUCT WHERE { ?s a ?c }"
SELECT = "SELECT ?s WHERE { ?s a ?c }"


@pytest.mark.parametrize(("query", "name", "media_type"), [
    (CONSTRUCT, "ttl", "text/turtle"), (CONSTRUCT, "turtle", "text/turtle"), (CONSTRUCT, "nt", "application/n-triples"),
    (CONSTRUCT, "ntriples", "application/n-triples"), (CONSTRUCT, "n-triples", "application/n-triples"),
    (CONSTRUCT, "nq", "application/n-quads"), (CONSTRUCT, "jsonld", "application/ld+json"),
    (CONSTRUCT, "json", "application/ld+json"), (CONSTRUCT, "rdfxml", "application/rdf+xml"),
    (CONSTRUCT, "xml", "application/rdf+xml"), (SELECT, "json", "application/sparql-results+json"),
    (SELECT, "srj", "application/sparql-results+json"), (SELECT, "xml", "application/sparql-results+xml"),
    (SELECT, "tsv", "text/tab-separated-values"),
])
def test_format_names_pick_the_format(live_server, query: str, name: str, media_type: str) -> None:
    response = httpx.get(live_server.sparql, params={"query": query, "format": name}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type


def test_a_name_that_cannot_express_the_result_lists_the_names_that_can(live_server) -> None:
    response = httpx.get(live_server.sparql, params={"query": SELECT, "format": "ttl"}, timeout=30)
    assert response.status_code == 406
    assert "format=json|xml|csv|tsv" in response.text and "turtle|ntriples|jsonld|rdfxml|trig|nquads|n3" in response.text
