"""A real browser (Debian's Chromium, driven by Playwright) on `ledgerlink up`'s console.

Outside CI the browser tests skip, saying why, when /usr/bin/chromium is absent; in CI
(`CI=true`) they must run, so a missing browser fails them.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_up import up  # noqa: F401 - the `ledgerlink up` processes, as a fixture

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parents[3] / "docs" / "screenshots"


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
