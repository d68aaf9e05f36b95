"""Federation: our server joins our graph with a Wikidata stand-in through our links, with SERVICE.

Two real servers on 127.0.0.1: `mcfkg serve --data tests/data/wikidata-extract.ttl` plays
Wikidata; a second `mcfkg serve` holds the shipped data (data/*.trig, our curated links
included) and allows SERVICE only to the first. The example query of queries/ runs unchanged
except for the SERVICE IRI.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from live_mcfkg import mcfkg_serve

ROOT = Path(__file__).resolve().parents[2]
EXTRACT = ROOT / "tests" / "data" / "wikidata-extract.ttl"
QUERY = ROOT / "queries" / "90-federation-wikidata.rq"
OURS = sorted((ROOT / "data").glob("*.trig"))
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"


@pytest.fixture(scope="module")
def wikidata() -> Iterator[str]:
    with mcfkg_serve(EXTRACT) as url:
        yield url


def _federated_query(service_url: str) -> str:
    text = QUERY.read_text(encoding="utf-8")
    assert f"SERVICE <{WIKIDATA_SPARQL}>" in text
    return text.replace(WIKIDATA_SPARQL, service_url)


def _post(url: str, query: str) -> httpx.Response:
    return httpx.post(url, data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)


def test_the_example_query_is_documented() -> None:
    lines = QUERY.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# title: ") and lines[1].startswith("# description: ")


@pytest.mark.parametrize("on_disk", [False, True], ids=["in-memory", "on-disk"])
def test_federated_query_joins_our_links_with_wikidata(wikidata: str, on_disk: bool, tmp_path: Path) -> None:
    """Federated queries run in the one kind of process that re-enters the network, from either store."""
    assert any(path.name == "links.trig" for path in OURS)
    with mcfkg_serve(*OURS, allow_service=wikidata, store=tmp_path / "store" if on_disk else None) as endpoint:
        response = _post(endpoint, _federated_query(wikidata))
    assert response.status_code == 200, response.text
    rows = [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]
    # Only Mianyang has a population in the stand-in; it joins through the shipped link to Q426130.
    assert [(r["entity"], r["label"], r["item"], r["wikidataLabel"]) for r in rows] == [(
        "https://w3id.org/mcfkg/id/mianyang", "Mianyang", "http://www.wikidata.org/entity/Q426130", "Mianyang",
    )]
    assert float(rows[0]["population"]) == 4868243


def test_service_is_refused_without_the_allow_list(wikidata: str) -> None:
    with mcfkg_serve(*OURS) as endpoint:
        response = _post(endpoint, _federated_query(wikidata))
    assert response.status_code == 400
    assert "SERVICE" in response.text


def test_an_allowed_service_that_fails_is_a_502_naming_it() -> None:
    with socket.socket() as probe:  # a local port nothing listens on: the call is refused at once
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/sparql"
    with mcfkg_serve(*OURS, allow_service=dead) as endpoint:
        response = _post(endpoint, _federated_query(dead))
    assert response.status_code == 502, response.text
    assert f"<{dead}>" in response.text
