"""Differences with Xero in a real browser, on `ledgerlink up`'s processes: a bill sent to
Xero is paid there (with the sandbox's webhooks and the payments poll off, so nothing
tells ledgerlink); the
admin presses Compare with Xero now and sees it, with its fix; Pull changes from Xero now
runs with its live progress; compared again, the bill is in line.

The page is checked with axe-core at 1280 px and at 375 px (nothing wider than the
screen); with LEDGERLINK_SCREENSHOTS=1 both screenshots are written to docs/screenshots/.
"""

import re
import time

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.test_up import Up, connect_and_import
from tests.e2e.web.conftest import (
    NARROW,
    WAIT_MS,
    look_at,
)
from xero_sandbox import DEMO_TENANT_ID

pytestmark = pytest.mark.slow


def bill_sent_to_xero(up: Up, api: httpx.Client, root: str) -> tuple[str, str, str]:
    """A bill approved through the REST API and sent by the worker: its id, its Xero id
    and its total in Xero."""
    supplier = api.get(f"{root}/suppliers?status=ACTIVE").json()["data"][0]
    bill = api.post(
        f"{root}/bills",
        json={"supplier_id": supplier["id"], "invoice_number": "SUP-4410", "number": "B-4410",
              "date": "2026-11-23", "due_date": "2026-12-23", "currency": "NZD",
              "lines": [{"description": "Desk lamps", "quantity": "4", "unit_price": "19.99",
                         "account_code": "400", "tax_type": "INPUT2"}]},
    )  # fmt: skip
    assert bill.status_code == 201, bill.text
    bill_id = bill.json()["id"]
    api.post(f"{root}/bills/{bill_id}/submit").raise_for_status()
    api.post(f"{root}/bills/{bill_id}/approve").raise_for_status()
    deadline = time.monotonic() + 45
    state: dict[str, object] = {}
    while time.monotonic() < deadline:
        state = api.get(f"{root}/sync/bill/{bill_id}").json()
        if state.get("state") == "sent":
            break
        time.sleep(0.2)
    assert state.get("state") == "sent", state
    return bill_id, str(state["xero_id"]), str(state["total_xero"])


def pay_in_xero(up: Up, invoice_id: str, amount: str) -> None:
    """Pay the bill in the sandbox, as someone would in Xero (Playwright's loop is running:
    a plain client, no asyncio)."""
    with httpx.Client(base_url=up.sandbox, timeout=10) as xero:
        token = xero.post(
            "/connect/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox-client", "sandbox-secret"),
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "xero-tenant-id": DEMO_TENANT_ID}
        payment = {"Invoice": {"InvoiceID": invoice_id}, "Account": {"Code": "090"},
                   "Date": "2026-11-24", "Amount": amount}  # fmt: skip
        paid = xero.put("/api.xro/2.0/Payments", json={"Payments": [payment]}, headers=headers)
        assert paid.status_code == 200, paid.text


def test_an_admin_compares_with_xero_sees_a_bill_paid_there_pulls_and_it_is_in_line(
    up: Up, browser: Browser
) -> None:
    password = re.search(r"password (\S+)\)", up.banner)
    assert password is not None, up.banner
    with httpx.Client(base_url=up.base, headers=up.headers, timeout=30) as api:
        root = connect_and_import(up, api)
        # Nothing tells ledgerlink of the payment: no webhooks (after an INVOICE event the
        # worker reads payments too), no poll of payments.
        httpx.post(f"{up.sandbox}/_sandbox/webhooks", json={"url": None}).raise_for_status()
        off = api.patch(f"{root}/settings", json={"xero_payments_poll_minutes": 0})
        assert off.status_code == 200, off.text
        bill_id, xero_id, total = bill_sent_to_xero(up, api, root)
    pay_in_xero(up, xero_id, total)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(up.base)
    page.get_by_label("Email").fill("admin@example.com")
    page.get_by_label("Password").fill(password.group(1))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Demo Company", level=1)).to_be_visible()
    page.get_by_role("navigation", name="Console").get_by_role(
        "link", name="Differences with Xero"
    ).click()
    expect(page.get_by_role("heading", name="Differences with Xero", level=1)).to_be_visible()

    page.get_by_role("button", name="Compare with Xero now").click()

    expect(page.get_by_text("Compared with Xero just now")).to_be_visible()
    row = page.locator('tr[data-difference="status"]')
    expect(row).to_have_count(1)
    expect(row).to_contain_text("PAID")
    expect(row.locator("td.fix")).to_contain_text(f"Paid in Xero but {total} due here")
    link = row.get_by_role("link", name="Bill B-4410")
    expect(link).to_have_attribute("href", re.compile(f"/documents/bill/{bill_id}$"))
    look_at(page, "differences")
    narrow = browser.new_context(
        viewport={"width": NARROW, "height": 800}, storage_state=context.storage_state()
    )
    phone = narrow.new_page()
    phone.goto(page.url)
    expect(phone.locator('tr[data-difference="status"]')).to_have_count(1)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW, f"differences is {width} px wide at {NARROW} px"
    look_at(phone, "differences-narrow")
    narrow.close()

    page.get_by_role("button", name="Pull changes from Xero now").click()
    expect(page.locator("#pull .job")).to_have_attribute("data-job-state", "done", timeout=WAIT_MS)
    expect(page.locator("#pull .job .summary")).to_contain_text("now in line here")
    page.get_by_role("button", name="Compare with Xero now").click()
    expect(page.locator('[data-last-run="done"]')).to_be_visible()
    # The bill is paid here now. (The first pull brings in the organisation's other
    # credit notes and invoices too, which have differences of their own.)
    expect(page.locator("tr[data-difference]", has_text="B-4410")).to_have_count(0)
    context.close()
