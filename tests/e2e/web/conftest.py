"""A real browser (Debian's Chromium, driven by Playwright) on `ledgerlink up`'s console.

Outside CI the browser tests skip, saying why, when /usr/bin/chromium is absent; in CI
(`CI=true`) they must run, so a missing browser fails them.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.test_up import up  # noqa: F401 - the `ledgerlink up` processes, as a fixture

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parents[3] / "docs" / "screenshots"
#: axe-core findings of these impacts fail a page.
BLOCKING = ("serious", "critical")
#: How long a page may take to show a job done.
WAIT_MS = 45_000
#: A phone's width, in CSS pixels.
NARROW = 375


@pytest.fixture
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs the chromium package")
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package to run these")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            # As root (containers, CI) Chromium runs only without its sandbox.
            args=["--no-sandbox", "--disable-dev-shm-usage"],
        )
        try:
            yield launched
        finally:
            launched.close()


def screenshots_wanted() -> bool:
    """Screenshots are written only when asked, so a test run leaves the tree clean."""
    return os.environ.get("LEDGERLINK_SCREENSHOTS") == "1"


def blocking_findings(page: "Page") -> list[tuple[str, str, str]]:
    """axe-core's serious and critical findings on the page: (rule, impact, help)."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [(v["id"], v["impact"], v["help"]) for v in found if v["impact"] in BLOCKING]


def look_at(page: "Page", name: str) -> None:
    """axe-core finds nothing serious on the page; its screenshot when asked for."""
    blocking = blocking_findings(page)
    assert blocking == [], f"{name}: {blocking}"
    if screenshots_wanted():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
