"""Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright, headless.

Select these tests with ``-m browser`` (or leave them out with ``-m "not browser"``). They
are skipped only when /usr/bin/chromium is absent; ``make browser`` installs it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives a real Chromium against the live server (needs /usr/bin/chromium)"
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = "/usr/bin/chromium is not installed (run `make browser`, which apt-installs Debian's chromium)"
        if os.environ.get("MCFKG_REQUIRE_BROWSER"):  # `make test` installs it, so a skip there would hide a failure
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh page (own storage, so YASGUI starts clean) that fails the test on any script error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def serious_violations() -> Callable[[object], list[tuple[str, str, int]]]:
    """axe-core (from node_modules) run on a page as it is now: its serious and critical violations."""
    assert AXE.exists(), "axe-core is missing: run `make ui` (npm ci installs it)"

    def run(page) -> list[tuple[str, str, int]]:
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return [
            (v["id"], v["help"], len(v["nodes"])) for v in results["violations"] if v["impact"] in ("serious", "critical")
        ]

    return run
