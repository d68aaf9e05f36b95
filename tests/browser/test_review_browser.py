"""The review page in a real Chromium: the token typed once in its field, a click on Accept, and the
candidate's status changes in place (the page is not left, the token stays in its field and in no URL).

The server is the real app over the project's graph built into a temporary folder, with an update
token and its own review folder; the review file is written there from an invented article (see
tests/extract/test_review.py), so nothing of the project changes.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mcfkg.extract.review_file import read_review, write_review

pytestmark = pytest.mark.browser
TOKEN = "review-browser-token"
HERE = Path(__file__).resolve().parent


def _hand_built():
    """The invented extraction of tests/extract/test_review.py (loaded by path: test modules are not a package)."""
    spec = importlib.util.spec_from_file_location("mcfkg_tests_review", HERE.parent / "extract" / "test_review.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def review_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, Path, str]]:
    from pages_site import build_project, serve_project

    folder = tmp_path_factory.mktemp("review-browser")
    settings = build_project(folder / "dist", update_token=TOKEN, review_dir=folder / "reviews")
    hand_built = _hand_built()
    extraction = hand_built.extraction()
    path = folder / "reviews" / f"{extraction.source_id}.trig"
    path.parent.mkdir()
    write_review(extraction, path)
    server = serve_project(settings)
    yield server, path, extraction.source_id
    server.stop()


def test_accept_in_the_browser_changes_the_status_in_place(review_site, page, artifacts: Path,
                                                           serious_violations) -> None:
    server, path, source_id = review_site
    page.goto(f"{server.url}/review/{source_id}")
    assert serious_violations(page) == []
    candidate = page.locator("#c-p1-s1-c2")
    assert candidate.locator(".badge.status").inner_text() == "pending"
    assert page.locator("mark", has_text="Mianyang").count() >= 1  # the words that produced it, marked
    page.fill("#review-token", TOKEN)
    page.click("button[value='accept p1/s1/c2']")
    page.locator("#c-p1-s1-c2.accepted").wait_for(timeout=10_000)
    assert page.locator("#c-p1-s1-c2 .badge.status").inner_text() == "accepted"
    assert "1 accepted" in page.locator("#review-counts").inner_text()
    assert page.url == f"{server.url}/review/{source_id}"  # not left, and no token in the address
    assert page.input_value("#review-token") == TOKEN and page.input_value("#ingest-token") == TOKEN
    assert read_review(path).candidates[2].status == "accepted"  # the review file says so too

    page.click("button[value='reject p1/s1/c3']")  # the token typed once serves the next click
    page.locator("#c-p1-s1-c3.rejected").wait_for(timeout=10_000)
    page.screenshot(path=str(artifacts / "review-page.png"), full_page=True)

    page.fill("#review-token", "not the token")
    page.click("button[value='accept p0/s1/c1']")
    page.wait_for_function("document.getElementById('review-status').textContent.includes('update token')")
    assert page.locator("#c-p0-s1-c1 .badge.status").inner_text() == "pending"
    assert read_review(path).candidates[0].status == "pending"
