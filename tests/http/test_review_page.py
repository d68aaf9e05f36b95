"""The review pages on a real server (a copy of the project, on an on-disk store, as `make run` serves it):
an invented article posted, its candidates reviewed, checked with SHACL, ingested as one source, and its new
facts queried over /sparql with the sentence each comes from.

The article is invented for this test (a fictional "Lanting Test Radar Works" in the shipped Mianyang);
it reports no real event. The test does not depend on exactly what the extractor finds: it accepts every
candidate, rejects those SHACL objects to, and checks that what is ingested is what was accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import httpx
import pytest

from project_copy import TOKEN, ProjectServer

SOURCE = "lanting-test-radar-2024-03-05"
ARTICLE = (
    "Lanting Test Radar Works Opens in Mianyang\n\n"
    "The Lanting Test Radar Works, located in Mianyang, was established on March 3. "
    "The central government granted RMB 20 million to the Lanting Test Radar Works for its R&D <team>.\n\n"
    "Source: Mianyang Development and Reform Commission\n"
)
META = {"published": "2024-03-05", "publisher": "mcfid:mianyang-drc", "url": "http://example.org/news/20240305/1.html",
        "id": SOURCE}
JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProjectServer]:
    folder = tmp_path_factory.mktemp("review-http")
    project = ProjectServer(folder, env_extra={"MCFKG_REVIEW_DIR": str(folder / "reviews")})
    project.start()
    yield project
    project.stop()


def _listing(server: ProjectServer) -> dict:
    answer = httpx.get(f"{server.root}/review/{SOURCE}", headers=JSON, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _check(server: ProjectServer) -> dict:
    answer = httpx.get(f"{server.root}/review/{SOURCE}/check", headers=JSON, timeout=900)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _candidate_html(page: str, cid: str) -> str:
    """The list item of one candidate on the review page."""
    found = re.search(rf'<li id="c-{re.escape(cid.replace("/", "-"))}".*?</li>\s*(?=<li id="c-|</ol>)', page, re.DOTALL)
    assert found, f"no candidate {cid} on the page"
    return found.group(0)


def test_an_article_is_reviewed_checked_ingested_and_queried_with_its_sentences(server: ProjectServer) -> None:
    plain = {"Content-Type": "text/plain"}
    refused = httpx.post(f"{server.root}/review", params=META, content=ARTICLE.encode(), headers=plain, timeout=60)
    assert refused.status_code == 403  # no token

    posted = server.write("POST", "/review", params=META, content=ARTICLE.encode(), headers=plain)
    assert posted.status_code == 303, posted.text
    assert posted.headers["location"] == f"/review/{SOURCE}"
    assert (server.folder / "reviews" / f"{SOURCE}.trig").is_file()
    again = server.write("POST", "/review", params=META, content=ARTICLE.encode(), headers=plain)
    assert again.status_code == 409 and f"/review/{SOURCE}" in again.text  # one review per source

    page = httpx.get(f"{server.root}/review/{SOURCE}", timeout=60)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "no-store" in page.headers["cache-control"]
    assert "<mark>Lanting Test Radar Works</mark>" in page.text
    assert "R&amp;D &lt;team&gt;" in page.text and "<team>" not in page.text  # the article's text is escaped
    assert 'name="token" type="password"' in page.text and TOKEN not in page.text
    listing = _listing(server)
    ids = [c["id"] for c in listing["candidates"]]
    assert ids and all(c["status"] == "pending" for c in listing["candidates"])
    first = ids[0]
    assert httpx.get(f"{server.root}/review", timeout=60).text.count(f'href="/review/{SOURCE}"') == 1
    trig = httpx.get(f"{server.root}/review/{SOURCE}", headers={"Accept": "application/trig"}, timeout=60)
    assert trig.status_code == 200 and b"mcfr:Candidate" in trig.content

    # The browser's way: a form with the token as a field (never in the URL), answered by a redirect.
    form = {"do": f"accept {first}"}
    assert httpx.post(f"{server.root}/review/{SOURCE}/candidates", data=form, timeout=60).status_code == 403
    assert httpx.post(f"{server.root}/review/{SOURCE}/candidates", data={**form, "token": "wrong"},
                      timeout=60).status_code == 403
    accepted = httpx.post(f"{server.root}/review/{SOURCE}/candidates", data={**form, "token": TOKEN}, timeout=60)
    assert accepted.status_code == 303 and accepted.headers["location"].startswith(f"/review/{SOURCE}#c-")
    assert {c["id"]: c["status"] for c in _listing(server)["candidates"]}[first] == "accepted"
    bad = httpx.post(f"{server.root}/review/{SOURCE}/candidates",
                     data={"do": f"edit {first}", f"type:{first}": "not a class", "token": TOKEN}, timeout=60)
    assert bad.status_code == 400 and "is not an IRI" in unescape(bad.text) and "Nothing was changed" in bad.text

    # A client's way: JSON with the Authorization header. Accept everything, then reject what SHACL objects to.
    everything = server.write("POST", f"/review/{SOURCE}/candidates", json={"action": "accept", "ids": ["all"]})
    assert everything.status_code == 200, everything.text
    assert everything.json()["counts"]["accepted"] == len(ids)
    rejected: set[str] = set()
    for _ in range(4):
        checked = _check(server)
        violations = [r for r in checked["results"] if r["severity"] == "Violation"]
        if checked["conforms"]:
            break
        assert all(r["candidates"] for r in violations), violations  # each beside the candidates it concerns
        page = httpx.get(f"{server.root}/review/{SOURCE}/check", timeout=900).text
        for result in violations:
            for cid in result["candidates"]:
                assert unescape(result["message"]) in unescape(_candidate_html(page, cid))
        concerned = sorted({cid for r in violations for cid in r["candidates"]})
        answer = server.write("POST", f"/review/{SOURCE}/candidates", json={"action": "reject", "ids": concerned})
        assert answer.status_code == 200, answer.text
        rejected.update(concerned)
    assert checked["conforms"], checked

    listing = _listing(server)
    kept = [c for c in listing["candidates"] if c["status"] == "accepted"]
    assert kept and {c["id"] for c in listing["candidates"] if c["status"] == "rejected"} == rejected

    ingested = httpx.post(f"{server.root}/review/{SOURCE}/ingest", data={"token": TOKEN}, timeout=900)
    assert ingested.status_code == 201, ingested.text
    assert ingested.headers["location"] == f"/id/{SOURCE}"
    assert f'<a id="new-source" href="/id/{SOURCE}">' in ingested.text
    assert (server.data / "sources" / f"{SOURCE}.trig").is_file()
    assert httpx.get(f"{server.root}/id/{SOURCE}", timeout=60).status_code == 200
    assert "This source is in the graph" in httpx.get(f"{server.root}/review/{SOURCE}", timeout=60).text

    query = f"""PREFIX mcf: <https://w3id.org/mcfkg/def/> PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?s ?p ?o ?paragraph ?sentence ?excerpt WHERE {{
      ?g a mcf:FactGraph ; prov:wasDerivedFrom ?passage .
      ?passage dcterms:isPartOf <https://w3id.org/mcfkg/id/{SOURCE}> ; mcf:paragraph ?paragraph ;
               mcf:sentence ?sentence ; mcf:excerpt ?excerpt .
      GRAPH ?g {{ ?s ?p ?o }}
    }}"""
    answer = httpx.post(f"{server.root}/sparql", data={"query": query},
                        headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert answer.status_code == 200, answer.text
    rows = [{k: v["value"] for k, v in b.items()} for b in answer.json()["results"]["bindings"]]
    stated = {(int(r["paragraph"]), int(r["sentence"])) for r in rows}
    assert stated == {(c["paragraph"], c["sentence"]) for c in kept}  # every accepted sentence, nothing else
    expected = {(c["paragraph"], c["sentence"], tuple(t)) for c in kept for t in c["triples"]}
    assert len(rows) == len({(p, s, t) for p, s, t in expected})  # the accepted triples, each in its sentence
    for row in rows:  # each fact comes with its sentence's excerpt, words of that sentence
        sentence = next(c["text"] for c in kept if (c["paragraph"], c["sentence"]) ==
                        (int(row["paragraph"]), int(row["sentence"])))
        assert row["excerpt"] in sentence
    assert any(r["o"] == "Lanting Test Radar Works" for r in rows)


def test_review_pages_need_a_token_for_every_change(server: ProjectServer) -> None:
    for path in ("/review", f"/review/{SOURCE}/candidates", f"/review/{SOURCE}/ingest", "/review/none/ingest"):
        answer = httpx.post(f"{server.root}{path}", json={"action": "accept", "ids": ["all"]},
                            headers={"Authorization": "Bearer wrong"}, timeout=60)
        assert answer.status_code == 403, (path, answer.status_code)
        assert "update token" in answer.text
    assert httpx.get(f"{server.root}/review/..%2Fetc", timeout=60).status_code == 404
    assert httpx.get(f"{server.root}/review/no-such-review", timeout=60).status_code == 404


def test_the_pages_form_posts_a_saved_html_page(server: ProjectServer) -> None:
    page = ("<!DOCTYPE html><html><head><title>Lanting Test Optics Park Breaks Ground</title></head><body>"
            "<nav>Home | News</nav><h1>Lanting Test Optics Park Breaks Ground</h1>"
            "<p>The Lanting Test Optics Park, located in Mianyang, broke ground on March 8.</p></body></html>")
    form = {"article": page, "format": "html", "published": "2024-03-09", "publisher": "mcfid:mianyang-drc", "url": ""}
    assert httpx.post(f"{server.root}/review", data=form, timeout=120).status_code == 403
    posted = httpx.post(f"{server.root}/review", data={**form, "token": TOKEN}, timeout=120)
    assert posted.status_code == 303, posted.text
    assert posted.headers["location"] == "/review/lanting-test-optics-park-breaks-ground-2024-03-09"
    shown = httpx.get(f"{server.root}{posted.headers['location']}", timeout=60)
    assert shown.status_code == 200 and "Lanting Test Optics Park" in shown.text and "Home | News" not in shown.text
    listed = httpx.get(f"{server.root}/review", headers=JSON, timeout=60).json()["reviews"]
    assert "lanting-test-optics-park-breaks-ground-2024-03-09" in {r["id"] for r in listed}
