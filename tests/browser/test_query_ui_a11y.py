"""The query UI at ``/`` by keyboard and by screen reader: the page starts at the top (skip link
first), Tab leaves the SPARQL editor instead of typing a tab, axe-core finds nothing serious with
or without results, and an unknown ``?example=`` says so."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
FOCUS_IN_EDITOR = "document.activeElement === window.mcfkgYasgui.getTab().getYasqe().getInputField()"


def answerable_example(site) -> str:
    """A real example question the server answers on its own (no SERVICE to the outside)."""
    for path in sorted(site.settings.queries_dir.glob("*.rq")):
        if "SERVICE" not in path.read_text(encoding="utf-8").upper():
            return path.stem
    pytest.fail(f"every example query in {site.settings.queries_dir} calls SERVICE")


def open_query_ui(page, url: str) -> None:
    """Load the query UI and wait until YASGUI has drawn the editor and shown its key hint."""
    page.goto(url)
    page.locator(".yasqe .CodeMirror").wait_for()
    page.locator("#editor-keys").wait_for(state="visible")


def editor_value(page) -> str:
    return page.evaluate("window.mcfkgYasgui.getTab().getYasqe().getValue()")


def test_the_page_starts_at_the_top_with_the_skip_link_first(site, page, artifacts: Path) -> None:
    open_query_ui(page, site.url + "/")
    assert not page.evaluate(FOCUS_IN_EDITOR), "the editor took focus on load"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.screenshot(path=str(artifacts / "query-ui-keyboard.png"), full_page=True)


def test_tab_and_shift_tab_leave_the_editor_without_typing_a_tab(site, page) -> None:
    open_query_ui(page, site.url + "/")
    page.click(".yasqe .CodeMirror-code")
    assert page.evaluate(FOCUS_IN_EDITOR)
    page.keyboard.press("Control+End")
    page.keyboard.type("# typed by keyboard")
    page.keyboard.press("Tab")
    assert not page.evaluate(FOCUS_IN_EDITOR), "Tab stayed in the editor"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUS_IN_EDITOR), "Shift+Tab from the next control did not come back to the editor"
    page.keyboard.press("Shift+Tab")
    assert not page.evaluate(FOCUS_IN_EDITOR), "Shift+Tab stayed in the editor"
    query = editor_value(page)
    assert query.endswith("# typed by keyboard") and "\t" not in query
    # The hint names the keys, and the editor points screen readers to it.
    hint = page.locator("#editor-keys").inner_text()
    assert "Ctrl+Enter" in hint and "Tab" in hint
    described = page.get_attribute(".yasqe .CodeMirror-code[contenteditable=true]", "aria-describedby")
    assert described == "editor-keys"


def test_ctrl_enter_in_the_editor_runs_the_query(site, page) -> None:
    open_query_ui(page, site.url + "/")
    page.click(".yasqe .CodeMirror-code")
    page.keyboard.press("Control+Enter")
    page.locator(".yasr table.dataTable tbody tr").first.wait_for(timeout=15_000)


@pytest.mark.parametrize("with_results", [False, True], ids=["empty", "example-results"])
def test_the_query_ui_has_no_serious_accessibility_violations(site, page, serious_violations, with_results) -> None:
    if with_results:
        open_query_ui(page, site.url + "/?example=" + answerable_example(site))
        page.locator(".yasr table.dataTable tbody tr").first.wait_for(timeout=15_000)
    else:
        open_query_ui(page, site.url + "/")
    assert not serious_violations(page)


def test_results_redrawn_by_a_second_example_keep_their_names(site, page, serious_violations) -> None:
    first = answerable_example(site)
    open_query_ui(page, site.url + "/?example=" + first)
    page.locator(".yasr table.dataTable tbody tr").first.wait_for(timeout=15_000)
    page.eval_on_selector(".yasr select.tableSizer", "select => select.dataset.drawnBefore = 'yes'")
    page.locator(f"a.example:not([data-example='{first}'])").first.click()
    redrawn = page.locator(".yasr select.tableSizer:not([data-drawn-before])")
    redrawn.wait_for(timeout=15_000)
    assert redrawn.get_attribute("aria-label") == "Page size"
    assert not serious_violations(page)


def test_an_unknown_example_is_announced(site, page) -> None:
    open_query_ui(page, site.url + "/?example=does-not-exist")
    status = page.get_by_role("status").filter(has_text="does-not-exist")
    assert status.is_visible()
    assert status.inner_text() == "There is no example question called “does-not-exist”."
    assert page.locator("a.example.active").count() == 0
    open_query_ui(page, site.url + "/?example=" + answerable_example(site))
    assert page.locator("#unknown-example").count() == 0
