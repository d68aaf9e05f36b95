"""The site in a real Chromium: an example question answered in the query UI, search to an entity
page, its graph view, and the way back from a page to the query behind it. Screenshots go to
test-artifacts/."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

pytestmark = pytest.mark.browser
JIUZHOU = "/id/sichuan-jiuzhou-electric-group"


def local_example(site) -> str:
    """An example question the server can answer on its own (no SERVICE to the outside)."""
    for path in sorted(site.settings.queries_dir.glob("*.rq")):
        if "SERVICE" not in path.read_text(encoding="utf-8").upper() and "C919" in path.read_text(encoding="utf-8"):
            return path.stem
    pytest.fail(f"no example query about the C919 without SERVICE in {site.settings.queries_dir}")


def test_an_example_question_runs_and_shows_rows(site, page, artifacts: Path) -> None:
    page.goto(site.url + "/")
    page.click(f"a.example[data-example='{local_example(site)}']")
    rows = page.locator(".yasr table.dataTable tbody tr")
    rows.first.wait_for(timeout=15_000)
    assert rows.count() > 0
    assert "Sichuan Jiuzhou Electric Group" in page.locator(".yasr table.dataTable").inner_text()
    page.screenshot(path=str(artifacts / "query-ui-example.png"), full_page=True)


def test_numeric_results_draw_a_chart(site, page, artifacts: Path) -> None:
    query = "SELECT ?class (COUNT(?s) AS ?instances) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?instances) LIMIT 8"
    page.goto(site.url + "/?" + urlencode({"query": query}))
    page.locator(".yasqe .CodeMirror").wait_for()
    page.evaluate("window.mcfkgYasgui.getTab().query()")
    page.locator(".yasr table.dataTable tbody tr").first.wait_for(timeout=15_000)
    page.click(".yasr .select_chart")
    canvas = page.locator(".yasr .chart-plugin canvas")
    canvas.wait_for(timeout=10_000)
    assert canvas.bounding_box()["height"] > 100
    page.screenshot(path=str(artifacts / "query-ui-chart.png"), full_page=True)


def test_columns_of_different_magnitudes_are_charted_one_at_a_time(site, page) -> None:
    query = ('PREFIX schema: <https://schema.org/> SELECT ?label ?amount (STRLEN(?label) AS ?letters) '
             'WHERE { ?a schema:value ?amount ; schema:currency "CNY" . '
             '?thing ?p ?a . ?thing <http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(LANG(?label) = "en") }')
    page.goto(site.url + "/?" + urlencode({"query": query}))
    page.locator(".yasqe .CodeMirror").wait_for()
    page.evaluate("window.mcfkgYasgui.getTab().query()")
    page.locator(".yasr table.dataTable tbody tr").first.wait_for(timeout=15_000)
    page.click(".yasr .select_chart")
    page.locator(".yasr .chart-plugin canvas").wait_for(timeout=10_000)
    picker = page.locator(".yasr .chart-series select")
    assert picker.locator("option").all_inner_texts() == ["?amount", "?letters", "all numeric columns (one axis)"]
    canvas = page.locator(".yasr .chart-plugin canvas")
    assert canvas.get_attribute("aria-label") == "Bar chart of amount by label"
    picker.select_option("letters")
    assert canvas.get_attribute("aria-label") == "Bar chart of letters by label"
    picker.select_option("all")
    assert canvas.get_attribute("aria-label") == "Bar chart of amount, letters by label"


def test_search_leads_to_the_entity_page_and_its_graph(site, page, artifacts: Path) -> None:
    page.goto(site.url + "/")
    page.fill("#site-search", "Jiuzhou")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search?q=Jiuzhou")
    page.screenshot(path=str(artifacts / "search-jiuzhou.png"), full_page=True)
    page.locator("a.result").first.click()
    page.wait_for_url("**" + JIUZHOU)
    assert page.locator("h1").inner_text() == "Sichuan Jiuzhou Electric Group"
    c919 = page.locator("table.facts a[href='/id/c919']").first
    assert c919.is_visible() and c919.inner_text() == "C919"
    page.wait_for_function("window.mcfkgGraph && window.mcfkgGraph.nodes().length > 0")
    assert page.locator("#graph canvas").count() > 0
    nodes = page.evaluate("window.mcfkgGraph.nodes().map(n => n.data('href'))")
    assert "/id/c919" in nodes
    page.screenshot(path=str(artifacts / "entity-jiuzhou.png"), full_page=True)


def test_from_a_page_to_the_query_behind_it(site, page) -> None:
    page.goto(site.url + JIUZHOU)
    page.click("#open-query")
    page.wait_for_url("**/?query=*")
    page.locator(".yasqe .CodeMirror").wait_for()
    query = page.evaluate("window.mcfkgYasgui.getTab().getYasqe().getValue()")
    assert "sichuan-jiuzhou-electric-group>" in query
    page.evaluate("window.mcfkgYasgui.getTab().query()")
    page.locator(".yasr table.dataTable tbody tr").first.wait_for(timeout=15_000)
    # IRIs in results open their page on this server, not at the canonical host.
    hrefs = page.eval_on_selector_all(".yasr table.dataTable a", "links => links.map(a => a.getAttribute('href'))")
    assert "/id/c919" in hrefs


def test_pages_are_readable_without_javascript(site, browser, artifacts: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + JIUZHOU)
    assert page.locator("table.facts a[href='/id/c919']").count() > 0
    page.goto(site.url + "/")
    page.click(f"a.example[data-example='{local_example(site)}']")
    # Without JavaScript an example fills the plain form, which posts to /sparql for a table page.
    assert "SELECT" in page.locator("textarea#plain-query").input_value()
    assert page.locator("#plain-format").input_value() == "html"
    page.click("form[action='/sparql'] button[type=submit]")
    page.wait_for_url("**/sparql")
    assert page.locator("h1").inner_text() == "Query results"
    assert "Sichuan Jiuzhou Electric Group" in page.locator("table.results-table").inner_text()
    page.screenshot(path=str(artifacts / "results-without-javascript.png"), full_page=True)
    context.close()


@pytest.mark.parametrize(
    "path", [JIUZHOU, "/search?q=Jiuzhou", "/dataset", "/ontology", "/shapes", "/id/no-such-thing",
             "/sparql?query=SELECT%20*%20WHERE%20%7B%20GRAPH%20%3Fg%20%7B%20%3Fs%20a%20%3Ft%20%7D%20%7D%20LIMIT%205&format=html"]
)
def test_our_pages_have_no_serious_accessibility_violations(site, page, serious_violations, path: str) -> None:
    page.goto(site.url + path)
    assert not serious_violations(page)


def test_a_malformed_query_shows_the_servers_message(site, page) -> None:
    query = "SELECT * WHERE { ?s ?p"
    refusal = httpx.post(site.url + "/sparql", data={"query": query}, timeout=30)
    assert refusal.status_code == 400 and refusal.text.strip()
    # The page fixture also fails the test on any script error (YASGUI's error view once threw on "/sparql").
    page.goto(site.url + "/?" + urlencode({"query": query}))
    page.click(".yasqe .yasqe_queryButton")
    error = page.locator(".yasr .errorResult")
    error.wait_for(timeout=15_000)
    assert refusal.text.strip().splitlines()[0] in error.inner_text()



def test_a_numbers_only_answer_is_charted_by_its_first_column(site, page) -> None:
    """?paragraph ?passages: the bars are the passages, one per paragraph, not the paragraph numbers."""
    page.goto(site.url + "/?example=33-passages-per-paragraph")
    page.locator(".yasr table.dataTable tbody tr").first.wait_for(timeout=15_000)
    page.click(".yasr .select_chart")
    canvas = page.locator(".yasr .chart-plugin canvas")
    canvas.wait_for(timeout=10_000)
    assert canvas.get_attribute("aria-label") == "Bar chart of passages by paragraph"
