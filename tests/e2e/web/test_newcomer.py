"""A newcomer's whole path through the console in a real browser, on `ledgerlink up`'s
processes: sign in, connect through the sandbox's consent page, import, save settings,
see an approved purchase order Sent; break one in Xero, read the fix, repair, Send again.

Every page is checked with axe-core (no serious or critical violations), at 1280 px and at
375 px (nothing wider than the screen); with LEDGERLINK_SCREENSHOTS=1 each page's
screenshot at 1280 px is written to docs/screenshots/.
"""

import re
import time
from typing import Any
from uuid import uuid4

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_up import Up
from tests.e2e.web.conftest import (
    NARROW,
    WAIT_MS,
    blocking_findings,
    look_at,
)
from xero_sandbox import DEMO_TENANT_ID

pytestmark = pytest.mark.slow

SENT_SECONDS = 45


def nav(page: Page, label: str) -> None:
    page.get_by_role("navigation", name="Console").get_by_role("link", name=label).click()


def until(page: Page, check: Any, seconds: float = SENT_SECONDS) -> None:
    """Reload the page until ``check(page)`` holds (the worker sends in the background)."""
    deadline = time.monotonic() + seconds
    while not check(page):
        assert time.monotonic() < deadline, page.content()
        time.sleep(0.5)
        page.reload()


def sandbox_account(up: Up, code: str, status: str) -> None:
    """Archive or restore an account in the sandbox, as someone would in Xero."""
    with httpx.Client(base_url=up.sandbox, timeout=10) as xero:
        token = xero.post(
            "/connect/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox-client", "sandbox-secret"),
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "xero-tenant-id": DEMO_TENANT_ID}
        found = xero.get(
            "/api.xro/2.0/Accounts", params={"where": f'Code=="{code}"'}, headers=headers
        )
        account_id = found.json()["Accounts"][0]["AccountID"]
        changed = xero.post(
            f"/api.xro/2.0/Accounts/{account_id}",
            json={"Accounts": [{"Status": status}]},
            headers=headers,
        )
        assert changed.status_code == 200, changed.text


def approve_order(up: Up, number: str) -> str:
    """A purchase order for an imported supplier, approved through the REST API."""
    with httpx.Client(base_url=f"{up.base}/api/v1", headers=up.headers, timeout=10) as api:
        company = api.get("/companies").json()["data"][0]["id"]
        root = f"/companies/{company}"
        suppliers = api.get(f"{root}/suppliers", params={"status": "active", "limit": 500})
        supplier = next(s for s in suppliers.json()["data"] if s["name"] == "PowerDirect")
        order = api.post(
            f"{root}/purchase-orders",
            json={
                "supplier_id": supplier["id"],
                "number": number,
                "date": "2026-11-23",
                "currency": "NZD",
                "lines": [
                    {
                        "description": "Paper",
                        "quantity": "2",
                        "unit_price": "9.99",
                        "account_code": "400",
                        "tax_type": "INPUT2",
                    }
                ],
            },
        )
        assert order.status_code == 201, order.text
        order_id: str = order.json()["id"]
        api.post(f"{root}/purchase-orders/{order_id}/submit").raise_for_status()
        api.post(f"{root}/purchase-orders/{order_id}/approve").raise_for_status()
    return order_id


def sign_in_with_the_keyboard(page: Page, password: str) -> None:
    page.keyboard.press("Tab")  # the skip link first, then the email field
    page.get_by_label("Email").focus()
    page.keyboard.type("admin@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def import_and_wait(page: Page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".job").first).to_have_attribute("data-job-state", "done", timeout=WAIT_MS)


def test_a_newcomer_connects_imports_sets_up_and_repairs_a_failed_order(
    up: Up, browser: Browser
) -> None:
    found = re.search(r"password (\S+)\)", up.banner)
    assert found is not None, up.banner
    httpx.post(
        f"{up.sandbox}/_sandbox/seed", json={"tenant": DEMO_TENANT_ID, "contacts": 150}
    ).raise_for_status()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    pages: dict[str, str] = {}

    page.goto(up.base)
    expect(page).to_have_url(re.compile(r"/sign-in"))
    look_at(page, "sign-in")
    pages["sign-in"] = page.url
    sign_in_with_the_keyboard(page, found.group(1))
    expect(page.get_by_role("heading", name="Demo Company", level=1)).to_be_visible()
    pages["home"] = page.url
    company = page.url.rsplit("/", 1)[1]

    # 1. Connect: the button, the sandbox's consent page, and back.
    nav(page, "Connect")
    look_at(page, "connect")
    page.get_by_role("button", name="Connect to Xero").click()
    page.get_by_role("button", name="Allow access").click()
    expect(page.get_by_text("Connected to Xero.")).to_be_visible()
    expect(page.locator("[data-organisation]")).to_have_text("Demo Company (Sandbox)")
    pages["connect"] = page.url.split("?")[0]

    # 2. Import: the reference data, then suppliers by Load more, search and tick, then all.
    nav(page, "Import")
    for button in ("Import accounts", "Import tax rates", "Import tracking categories"):
        import_and_wait(page, button)
    rows = page.locator("#picker tbody tr")
    expect(rows).to_have_count(101)  # 100 suppliers and the Load more row
    page.get_by_role("link", name="Load more").click()
    expect(page.locator("#picker input[type=checkbox]")).to_have_count(
        page.locator("#picker input[type=checkbox]").count()
    )
    expect(rows.nth(150)).to_be_visible()
    page.get_by_label("Search by name").fill("PowerDirect")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Import PowerDirect").check()
    import_and_wait(page, "Import selected")
    expect(page.locator(".job .summary").first).to_contain_text("1 new")
    nav(page, "Import")
    import_and_wait(page, "Import all")
    expect(page.locator(".job .summary").first).to_contain_text("new")
    look_at(page, "import")
    pages["import"] = page.url.split("#")[0]

    # 3. Settings: drop-downs of what was imported, saved with a confirmation.
    nav(page, "Settings")
    page.get_by_label("Account of the shipping line of orders").select_option("400")
    page.get_by_label("Unit price rounding").select_option("4")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    expect(page.locator("[data-caveat]")).to_contain_text("2 decimal places")
    page.get_by_label("Unit price rounding").select_option("2")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    look_at(page, "settings")
    pages["settings"] = page.url.split("?")[0]

    # An order approved through the API is seen Sent, with Xero's status.
    sent_id = approve_order(up, "PO-1001")
    nav(page, "Documents")
    page.get_by_role("link", name="PO-1001").click()
    until(page, lambda p: p.locator('[data-sync-state="sent"]').count() == 1)
    expect(page.locator("[data-xero-status]")).to_have_text("AUTHORISED")
    look_at(page, "document")
    pages["document"] = page.url

    # Broken in Xero: the order fails, and Sync problems says what to do first.
    sandbox_account(up, "400", "ARCHIVED")
    failed_id = approve_order(up, "PO-1002")
    nav(page, "Sync problems")
    until(page, lambda p: p.locator("[data-problem]").count() == 1)
    fix = page.locator("[data-problem] .fix").inner_text()
    assert "account" in fix.lower(), fix
    look_at(page, "sync-problems")
    pages["sync-problems"] = page.url

    # Repaired in Xero, sent again from its page: Sent.
    sandbox_account(up, "400", "ACTIVE")
    page.get_by_role("link", name=re.compile("PO-1002")).click()
    page.get_by_role("button", name="Send again").click()
    expect(page.get_by_text("Sent again")).to_be_visible()
    until(page, lambda p: p.locator('[data-sync-state="sent"]').count() == 1)
    assert failed_id != sent_id

    nav(page, "Documents")
    expect(page.get_by_role("link", name="PO-1002")).to_be_visible()
    look_at(page, "documents")
    pages["documents"] = page.url
    nav(page, "Users")
    look_at(page, "users")
    pages["users"] = page.url
    nav(page, "Home")
    expect(page.locator('[data-count="sent"]')).to_have_text("2")
    look_at(page, "home")

    # Another company's pages are not found.
    other = page.goto(f"{up.base}/companies/{uuid4()}/documents")
    assert other is not None and other.status == 404
    assert company not in page.url

    # At 375 px every page fits the screen and still passes.
    narrow = browser.new_context(
        viewport={"width": NARROW, "height": 800}, storage_state=context.storage_state()
    )
    phone = narrow.new_page()
    for name, url in pages.items():
        if name == "sign-in":
            continue
        phone.goto(url)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= NARROW, f"{name} is {width} px wide at {NARROW} px"
        assert blocking_findings(phone) == [], name
    narrow.close()
    context.close()
