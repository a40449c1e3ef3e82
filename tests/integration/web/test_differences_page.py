"""Differences with Xero in the console, on a company connected to the real sandbox:
the last comparison's states, Compare with Xero now and its refusals in plain words,
Pull changes from Xero now with its progress, and who may press them."""

import asyncio
import re
from collections.abc import Iterator
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ledgerlink.bootstrap import Container
from ledgerlink.domain.bill import BillStatus
from ledgerlink.store.records import Role
from ledgerlink.store.repositories.reconciliations import (
    Drift,
    Reconciliation,
    ReconciliationRepository,
)
from ledgerlink.store.tables import reconciliations
from ledgerlink.web.routes import differences
from tests.integration.api.conftest import Tenant
from tests.integration.imports.conftest import (
    admin,
    connected,
    container,
    sandbox,
    sandbox_clock,
    sandbox_config,
    settings,
)
from tests.integration.inbound.test_pull import linked_bill
from tests.integration.sync.conftest import sandbox_control
from tests.integration.web.conftest import add_person, csrf_of, post_form, sign_in
from xero_sandbox import RunningSandbox

__all__ = ["admin", "connected", "container", "sandbox", "sandbox_clock", "sandbox_config",
           "settings"]  # fmt: skip

COMPARE = "Compare with Xero now"
PULL = "Pull changes from Xero now"


def runs(container: Container) -> int:
    with container.uow() as uow:
        count = select(func.count()).select_from(reconciliations)
        return int(uow.session.execute(count).scalar_one())


def people(container: Container) -> None:
    """Passwords for the company's admin, and a member of it, to sign in with."""
    add_person(container, "Acme Ltd", "admin@acme.test", Role.ADMIN)
    add_person(container, "Acme Ltd", "member@acme.test", Role.MEMBER)


@pytest.fixture
def browser(container: Container) -> Iterator[TestClient]:
    with TestClient(container.api(), base_url="http://127.0.0.1:8000") as client:
        yield client


async def test_never_compared_then_compared_with_nothing_differing(
    browser: TestClient, container: Container, connected: Tenant
) -> None:
    people(container)
    sign_in(browser, "admin@acme.test")
    page = f"/companies/{connected.company_id}/differences"
    before = browser.get(page)
    assert before.status_code == 200
    assert 'data-drift="never"' in before.text and "Never compared yet" in before.text
    assert f">{COMPARE}</button>" in before.text and f">{PULL}</button>" in before.text
    assert f'href="{page}" aria-current="page">Differences with Xero<' in before.text

    compared = post_form(browser, page, f"{page}/compare", {})

    assert compared.status_code == 303  # type: ignore[attr-defined]
    after = browser.get(compared.headers["location"]).text  # type: ignore[attr-defined]
    assert "Compared with Xero just now" in after
    assert 'data-last-run="done"' in after and "0 linked documents compared" in after
    assert 'data-drift="none"' in after and "Nothing differs" in after


async def test_a_bill_paid_in_xero_is_listed_with_its_fix_and_a_member_sees_it_without_buttons(
    browser: TestClient, container: Container, connected: Tenant, sandbox: RunningSandbox
) -> None:
    people(container)
    bill = await linked_bill(container, UUID(connected.company_id), sandbox)
    sign_in(browser, "admin@acme.test")
    page = f"/companies/{connected.company_id}/differences"
    compared = post_form(browser, page, f"{page}/compare", {})
    assert compared.status_code == 303  # type: ignore[attr-defined]

    shown = browser.get(page).text
    (row,) = re.findall(r'<tr data-difference="amount_due">.*?</tr>', shown, re.S)
    document = f"/companies/{connected.company_id}/documents/bill/{bill.id}"
    assert f'<a href="{document}">Bill SUP-9</a>' in row
    assert ">Amount due<" in row and ">114.99<" in row and ">64.99<" in row
    assert "<code>ledgerlink sync pull</code>" in row  # the fix, its command set apart
    assert "1 difference" in shown

    browser.cookies.clear()
    sign_in(browser, "member@acme.test")
    seen = browser.get(page)
    assert seen.status_code == 200 and "Bill SUP-9" in seen.text
    assert COMPARE not in seen.text and PULL not in seen.text
    for action in ("compare", "pull"):
        refused = post_form(browser, page, f"{page}/{action}", {})
        assert refused.status_code == 403, action  # type: ignore[attr-defined]
        assert "Admins only" in refused.text  # type: ignore[attr-defined]
    assert runs(container) == 1  # the member's presses compared nothing


async def test_not_connected_says_so_with_the_connect_link_and_runs_nothing(
    browser: TestClient, container: Container, admin: Tenant
) -> None:
    people(container)
    sign_in(browser, "admin@acme.test")
    page = f"/companies/{admin.company_id}/differences"
    for action in ("compare", "pull"):
        refused = post_form(browser, page, f"{page}/{action}", {})
        assert refused.status_code == 409, action  # type: ignore[attr-defined]
        text = refused.text  # type: ignore[attr-defined]
        assert 'data-error="not_connected"' in text and "Acme Ltd is not connected" in text
        assert f'<a href="/companies/{admin.company_id}/connect">Connect to Xero</a>' in text
        assert "Never compared yet" in text
    assert runs(container) == 0


async def test_xero_failing_or_its_rate_limit_is_said_in_plain_words_never_a_500(
    browser: TestClient, container: Container, connected: Tenant, sandbox: RunningSandbox
) -> None:
    people(container)
    await linked_bill(container, UUID(connected.company_id), sandbox)
    sign_in(browser, "admin@acme.test")
    page = f"/companies/{connected.company_id}/differences"
    failing = {"kind": "error", "status": 500, "method": "GET", "path": "*/Invoices",
               "times": 5}  # fmt: skip
    await sandbox_control(sandbox, "POST", "/faults", failing)

    failed = post_form(browser, page, f"{page}/compare", {})

    assert failed.status_code == 502  # type: ignore[attr-defined]
    text = failed.text  # type: ignore[attr-defined]
    assert 'data-error="xero_failed"' in text and "Xero failed: Xero answered" in text
    assert 'data-last-run="failed"' in text  # the failed run is kept, as the API keeps it
    await sandbox_control(sandbox, "DELETE", "/faults")
    spent = {"kind": "error", "status": 429, "retry_after": 120, "method": "GET",
             "path": "*/Invoices"}  # fmt: skip
    await sandbox_control(sandbox, "POST", "/faults", spent)

    limited = post_form(browser, page, f"{page}/compare", {})

    assert limited.status_code == 503  # type: ignore[attr-defined]
    assert limited.headers["Retry-After"] == "120"  # type: ignore[attr-defined]
    text = limited.text  # type: ignore[attr-defined]
    assert 'data-error="rate_limited"' in text
    assert "try again in 120 seconds (after 09:02 UTC)" in text


async def test_a_pull_is_started_and_followed_until_the_bill_is_paid_here(
    browser: TestClient, container: Container, connected: Tenant, sandbox: RunningSandbox
) -> None:
    people(container)
    bill = await linked_bill(container, UUID(connected.company_id), sandbox)
    sign_in(browser, "admin@acme.test")
    page = f"/companies/{connected.company_id}/differences"

    started = post_form(browser, page, f"{page}/pull", {})

    assert started.status_code == 303  # type: ignore[attr-defined]
    landed = started.headers["location"]  # type: ignore[attr-defined]
    job_id = re.fullmatch(rf"{page}\?pull=([0-9a-f-]{{36}})#pull", landed)
    assert job_id is not None, landed
    progress = f"{page}/pulls/{job_id.group(1)}"
    shown = browser.get(landed).text
    assert 'id="pull-heading"' in shown and "of 4 steps done" in shown
    for _ in range(200):
        part = browser.get(progress).text
        if re.search(r'data-job-state="(done|failed)"', part):
            break
        assert f'hx-get="{progress}" hx-trigger="every 1s"' in part  # htmx polls it
        await asyncio.sleep(0.05)
    assert 'data-job-state="done"' in part, part
    assert "hx-get" not in part and "4 of 4 steps done" in part
    assert "now in line here" in part
    with container.uow() as uow:
        found = uow.bills.get(bill.company_id, bill.id)
    assert found is not None and found.status == BillStatus.PARTIALLY_PAID

    browser.cookies.clear()
    sign_in(browser, "member@acme.test")
    assert browser.get(progress).status_code == 403
    assert 'id="pull-heading"' not in browser.get(landed).text


async def test_another_companys_differences_are_not_found_and_a_form_without_its_token_is_refused(
    browser: TestClient, container: Container, connected: Tenant
) -> None:
    people(container)
    other = add_person(container, "Globex Corp", "admin@globex.test", Role.ADMIN)
    sign_in(browser, "admin@acme.test")
    elsewhere = f"/companies/{other}/differences"
    assert browser.get(elsewhere).status_code == 404
    token = csrf_of(browser.get(f"/companies/{connected.company_id}/differences").text)
    for action in ("compare", "pull"):
        answer = browser.post(f"{elsewhere}/{action}", data={"csrf_token": token})
        assert answer.status_code == 404, action
    page = f"/companies/{connected.company_id}/differences"
    for action in ("compare", "pull"):
        refused = browser.post(f"{page}/{action}", data={}, follow_redirects=False)
        assert refused.status_code == 403 and "Form expired" in refused.text, action
    assert runs(container) == 0


async def test_a_long_list_shows_its_first_rows_and_says_where_the_rest_are(
    browser: TestClient, container: Container, admin: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(differences, "SHOWN", 3)
    company_id = UUID(admin.company_id)
    now = container.clock()
    drift = [
        Drift("refund", uuid4(), f"R-{n}", "in_xero", "approved", None, "send it again")
        for n in range(4)
    ]
    with container.uow() as uow:
        ReconciliationRepository(uow.session).add(
            Reconciliation(company_id, now, now, checked=4, drift=drift)
        )
        uow.commit()
    people(container)
    sign_in(browser, "member@acme.test")

    shown = browser.get(f"/companies/{company_id}/differences").text

    assert shown.count("<tr data-difference=") == 3
    assert "4 differences; the first 3 are shown" in shown
    assert "Refund R-2" in shown and "Refund R-3" not in shown
    assert "Refund R-0</a>" not in shown  # no page of refunds here: no link
