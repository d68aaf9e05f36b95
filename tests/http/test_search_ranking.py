"""Search ranking and its answers on a live server over the project's real graph: phrase matches,
Chinese abbreviations, passages after named things, the total behind the limit, and bad limits."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from mcfkg.web.search import TIERS

HTML_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(site) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.url, timeout=30) as c:
        yield c


def search(client: httpx.Client, q: str, **params: object) -> dict:
    response = client.get("/search", params={"q": q, **params}, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    return response.json()


def passages(client: httpx.Client) -> set[str]:
    query = "PREFIX mcf: <https://w3id.org/mcfkg/def/> SELECT DISTINCT ?s WHERE { ?s a mcf:Passage }"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    return {b["s"]["value"] for b in response.json()["results"]["bindings"]}


def test_a_phrase_of_a_hidden_variant_outranks_labels_sharing_one_word(client: httpx.Client) -> None:
    hits = search(client, "military-military")["results"]
    first = hits[0]
    assert first["href"] == "/id/role-vanguard-mcf-innovation"
    assert (first["matched"], first["matched_kind"], first["match"]) == (
        "vanguard for military-military integration innovation",
        "variant",
        "word",
    )
    # A label with "military" once does not contain the query's words; none may come before the phrase.
    assert all(TIERS.index(h["match"]) >= TIERS.index("word") for h in hits)
    words_in_any_order = search(client, "integration military-military innovation")["results"]
    assert words_in_any_order[0]["href"] == "/id/role-vanguard-mcf-innovation"
    assert words_in_any_order[0]["match"] == "all-words"


def test_chinese_abbreviations_find_both_development_and_reform_commissions(client: httpx.Client) -> None:
    hits = search(client, "发改委")["results"]
    found = {h["href"]: h for h in hits}
    assert {"/id/ndrc", "/id/mianyang-drc"} <= set(found)
    assert found["/id/ndrc"]["matched"] == "国家发改委" and found["/id/ndrc"]["matched_kind"] == "alternative"
    assert found["/id/mianyang-drc"]["matched"] == "绵阳市发改委"
    assert all(h["match"] == "substring" for h in hits)
    assert search(client, "国家发改委")["results"][0]["href"] == "/id/ndrc"


def test_chinese_substrings_rank_below_exact_and_prefix_matches(client: httpx.Client) -> None:
    hits = search(client, "绵阳", limit=100)["results"]
    assert (hits[0]["href"], hits[0]["match"]) == ("/id/mianyang", "exact")
    drc = next(i for i, h in enumerate(hits) if h["href"] == "/id/mianyang-drc")
    assert hits[drc]["match"] == "prefix"
    science_city = next(i for i, h in enumerate(hits) if h["href"] == "/id/china-sci-tech-city")
    # 中国（绵阳）科技城: 绵阳 stands between brackets, a word of its own, after the names it starts.
    assert hits[science_city]["match"] == "word" and science_city > drc


def test_passages_come_after_named_things_that_match_as_well(client: httpx.Client) -> None:
    hits = search(client, "Mianyang", limit=100)["results"]
    passage_iris = passages(client)
    assert any(h["iri"] in passage_iris for h in hits), "the source's passages quote Mianyang"
    for tier in {h["match"] for h in hits}:
        kinds = [h["iri"] in passage_iris for h in hits if h["match"] == tier]
        assert kinds == sorted(kinds), f"a passage outranks a named thing among {tier} matches"
    order = [h["href"] for h in hits]
    assert order.index("/id/mianyang-drc") < min(i for i, h in enumerate(hits) if h["iri"] in passage_iris)


def test_results_report_the_total_behind_the_limit(client: httpx.Client) -> None:
    everything = search(client, "Mianyang", limit=100)
    capped = search(client, "Mianyang", limit=2)
    assert len(capped["results"]) == 2 and capped["total"] == everything["total"] > 2
    assert capped["results"] == everything["results"][:2]
    page = client.get("/search", params={"q": "Mianyang", "limit": 2}, headers={"Accept": HTML_ACCEPT}).text
    assert re.search(rf"\b2 of {everything['total']} results\b", page)
    assert search(client, "no such name at all")["total"] == 0


@pytest.mark.parametrize("limit", ["1000", "0", "ten"])
def test_a_bad_limit_is_a_400_in_the_negotiated_format(client: httpx.Client, limit: str) -> None:
    response = client.get("/search", params={"q": "x", "limit": limit}, headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.headers["content-type"].startswith("application/json")
    assert "from 1 to 100" in response.json()["detail"]
    page = client.get("/search", params={"q": "x", "limit": limit}, headers={"Accept": HTML_ACCEPT})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "from 1 to 100" in page.text and 'role="alert"' in page.text


def test_a_query_too_long_is_a_400_that_says_the_maximum(client: httpx.Client) -> None:
    response = client.get("/search", params={"q": "x" * 201}, headers={"Accept": "application/json"})
    assert response.status_code == 400 and "at most 200 characters" in response.json()["detail"]


def test_the_policys_own_names_find_it(client: httpx.Client) -> None:
    """Analysts call it "military-civil fusion" (军民融合); the article says "military-civilian integration"."""
    for q in ("military-civil fusion", "军民融合"):
        first = search(client, q)["results"][0]
        assert first["href"] == "/id/military-civilian-integration-mechanism", (q, first)


def test_an_empty_limit_field_means_the_default(client: httpx.Client) -> None:
    assert search(client, "Mianyang", limit="")["limit"] == 20


@pytest.mark.parametrize("q", ["jiu zhou", "Jiu-zhou", "jiuzhou electric"])
def test_names_are_found_however_they_are_spaced(client: httpx.Client, q: str) -> None:
    assert search(client, q)["results"][0]["href"] == "/id/sichuan-jiuzhou-electric-group"
