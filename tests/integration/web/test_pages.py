"""The console's pages: who sees what, CSRF on every form, settings, documents, problems."""

import re
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from ledgerlink.bootstrap import Container
from ledgerlink.store.repositories.sync_states import SyncState, SyncStateRepository
from ledgerlink.web.routes import ROUTERS
from tests.integration.web.conftest import csrf_of, post_form, sign_in

FIX = "Unarchive account 400 in Xero, or choose another account for the line."


def _console_routes(method: str) -> list[str]:
    return sorted(
        route.path
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute) and method in route.methods
    )


def _fill(path: str, company_id: str) -> str:
    return (
        path.replace("{company_id}", company_id)
        .replace("{kind}", "purchase_order")
        .replace("{document_id}", str(uuid4()))
        .replace("{user_id}", str(uuid4()))
        .replace("{job_id}", str(uuid4()))
    )


def _api_token(container: Container, email: str) -> dict[str, str]:
    with container.uow() as uow:
        user = uow.users.get_by_email(email)
        assert user is not None
        issued = uow.tokens.issue(user.id, "tests")
        uow.commit()
    return {"Authorization": f"Bearer {issued.secret}"}


def _approved_order(browser: TestClient, container: Container, company: str) -> dict[str, Any]:
    headers = _api_token(container, "admin@acme.test")
    root = f"/api/v1/companies/{company}"
    supplier = browser.post(f"{root}/suppliers", json={"name": "Paper Co"}, headers=headers)
    order = browser.post(
        f"{root}/purchase-orders",
        headers=headers,
        json={
            "supplier_id": supplier.json()["id"],
            "number": "PO-7",
            "date": "2026-11-23",
            "currency": "NZD",
            "lines": [
                {
                    "description": "Paper",
                    "quantity": "2",
                    "unit_price": "9.99",
                    "account_code": "400",
                }
            ],
        },
    ).json()
    browser.post(f"{root}/purchase-orders/{order['id']}/submit", headers=headers)
    approved: dict[str, Any] = browser.post(
        f"{root}/purchase-orders/{order['id']}/approve", headers=headers
    ).json()
    assert approved["status"] == "approved", approved
    return approved


def _fail(container: Container, company: str, order_id: str) -> None:
    with container.uow() as uow:
        SyncStateRepository(uow.session, container.clock).save(
            SyncState(
                UUID(company),
                "purchase_order",
                UUID(order_id),
                state="failed",
                attempts=1,
                last_error="Account code '400' has been archived",
                fix=FIX,
            )
        )
        uow.commit()


def test_every_console_form_refuses_a_post_without_its_csrf_token(
    browser: TestClient, acme: str
) -> None:
    sign_in(browser, "admin@acme.test")
    posts = _console_routes("POST")
    assert len(posts) >= 10, posts
    for path in posts:
        answer = browser.post(_fill(path, acme), data={}, follow_redirects=False)
        assert answer.status_code == 403, path
        assert "Form expired" in answer.text, path


def test_another_companys_pages_answer_404(browser: TestClient, acme: str, globex: str) -> None:
    sign_in(browser, "admin@acme.test")
    pages = [p for p in _console_routes("GET") if "{company_id}" in p]
    assert len(pages) >= 9, pages
    for path in pages:
        assert browser.get(_fill(path, globex)).status_code == 404, path
    token = csrf_of(browser.get(f"/companies/{acme}").text)
    for path in _console_routes("POST"):
        if "{company_id}" in path:
            answer = browser.post(_fill(path, globex), data={"csrf_token": token})
            assert answer.status_code == 404, path


def test_a_member_sees_but_cannot_change(browser: TestClient, acme: str) -> None:
    sign_in(browser, "member@acme.test")
    settings = browser.get(f"/companies/{acme}/settings")
    assert settings.status_code == 200, settings.text
    assert "Only an admin can change these." in settings.text
    assert "Save settings" not in settings.text
    refused = post_form(
        browser, f"/companies/{acme}/settings", f"/companies/{acme}/settings", {"documents": "none"}
    )
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert browser.get(f"/companies/{acme}/users").status_code == 403
    assert 'href="/companies/' + acme + '/users"' not in browser.get(f"/companies/{acme}").text


def test_settings_are_saved_with_a_confirmation_and_their_caveats(
    browser: TestClient, acme: str
) -> None:
    sign_in(browser, "admin@acme.test")
    page = f"/companies/{acme}/settings"
    form = {
        "documents": "both",
        "purchase_order_status": "SUBMITTED",
        "bill_status": "DRAFT",
        "unit_price_dp": "4",
        "line_amount_type": "Inclusive",
        "default_account_code": "",
        "default_tax_type": "",
        "shipping_account_code": "",
        "refresh_minutes": "60",
    }
    saved = post_form(browser, page, page, form)
    assert saved.status_code == 303  # type: ignore[attr-defined]
    shown = browser.get(saved.headers["location"]).text  # type: ignore[attr-defined]
    assert "Settings saved." in shown
    assert "Xero purchase orders accept unit prices to 2 decimal places only" in shown
    assert re.search(r'<option value="SUBMITTED" selected>', shown)
    assert re.search(r'<option value="60" selected>', shown)


def test_a_setting_outside_its_choices_is_refused_by_name(browser: TestClient, acme: str) -> None:
    sign_in(browser, "admin@acme.test")
    page = f"/companies/{acme}/settings"
    refused = post_form(browser, page, page, {"purchase_order_status": "PAID"})
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert 'id="purchase_order_status-error"' in refused.text  # type: ignore[attr-defined]
    assert "Settings saved." not in browser.get(page).text


def test_documents_are_listed_and_shown_with_lines_totals_and_sync_state(
    browser: TestClient, container: Container, acme: str
) -> None:
    order = _approved_order(browser, container, acme)
    sign_in(browser, "admin@acme.test")
    listing = browser.get(f"/companies/{acme}/documents?kind=purchase_order&status=approved")
    assert "PO-7" in listing.text and "Paper Co" in listing.text
    assert "PO-7" not in browser.get(f"/companies/{acme}/documents?status=draft").text
    assert "PO-7" in browser.get(f"/companies/{acme}/documents?sync=pending").text
    assert "PO-7" not in browser.get(f"/companies/{acme}/documents?sync=failed").text
    shown = browser.get(f"/companies/{acme}/documents/purchase_order/{order['id']}").text
    assert "Paper" in shown and "19.98" in shown
    assert "pending" in shown


def test_a_failed_document_shows_its_fix_and_is_sent_again(
    browser: TestClient, container: Container, acme: str
) -> None:
    order = _approved_order(browser, container, acme)
    _fail(container, acme, order["id"])
    sign_in(browser, "admin@acme.test")
    home = browser.get(f"/companies/{acme}").text
    assert re.search(r'data-count="failed">1<', home)
    attention = home.split("Needs attention", 1)[1]
    assert attention.index("not connected to Xero") < attention.index("1 document(s) failed")
    problems = browser.get(f"/companies/{acme}/problems").text
    assert FIX in problems
    assert problems.index(FIX) < problems.index("PO-7")  # the fix comes first
    page = f"/companies/{acme}/problems"
    again = post_form(browser, page, f"{page}/retry-all", {})
    assert again.status_code == 303  # type: ignore[attr-defined]
    assert FIX not in browser.get(page).text
    assert (
        "pending" in browser.get(f"/companies/{acme}/documents/purchase_order/{order['id']}").text
    )


@pytest.mark.parametrize(("action", "state"), [("retry", "pending"), ("resolve", "resolved")])
def test_send_again_and_mark_as_handled_on_the_document_page(
    browser: TestClient, container: Container, acme: str, action: str, state: str
) -> None:
    order = _approved_order(browser, container, acme)
    _fail(container, acme, order["id"])
    sign_in(browser, "admin@acme.test")
    page = f"/companies/{acme}/documents/purchase_order/{order['id']}"
    assert "Send again" in browser.get(page).text
    done = post_form(browser, page, f"{page}/{action}", {})
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert f'data-sync-state="{state}"' in browser.get(page).text


def test_a_member_cannot_send_again(browser: TestClient, container: Container, acme: str) -> None:
    order = _approved_order(browser, container, acme)
    _fail(container, acme, order["id"])
    sign_in(browser, "member@acme.test")
    page = f"/companies/{acme}/documents/purchase_order/{order['id']}"
    assert "Send again" not in browser.get(page).text
    assert post_form(browser, page, f"{page}/retry", {}).status_code == 403  # type: ignore[attr-defined]
    assert 'data-sync-state="failed"' in browser.get(page).text


def test_admins_add_people_change_roles_and_remove_them_but_never_the_last_admin(
    browser: TestClient, acme: str
) -> None:
    sign_in(browser, "admin@acme.test")
    page = f"/companies/{acme}/users"
    added = post_form(browser, page, page, {"email": "new@acme.test", "role": "member"})
    assert added.status_code == 303  # type: ignore[attr-defined]
    shown = browser.get(page).text
    assert "new@acme.test" in shown
    ids = dict(re.findall(r'/users/([0-9a-f-]{36})/role".*?Role of ([^<]+)<', shown, re.S))
    by_email = {email: user_id for user_id, email in ids.items()}
    admin_id = by_email["admin@acme.test"]
    refused = post_form(browser, page, f"{page}/{admin_id}/role", {"role": "member"})
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "last admin" in refused.text  # type: ignore[attr-defined]
    assert post_form(browser, page, f"{page}/{admin_id}/remove", {}).status_code == 400  # type: ignore[attr-defined]
    new_id = by_email["new@acme.test"]
    assert post_form(browser, page, f"{page}/{new_id}/role", {"role": "admin"}).status_code == 303  # type: ignore[attr-defined]
    assert post_form(browser, page, f"{page}/{new_id}/remove", {}).status_code == 303  # type: ignore[attr-defined]
    assert "new@acme.test" not in browser.get(page).text


def test_the_import_page_asks_for_a_tick_and_says_when_xero_is_not_connected(
    browser: TestClient, acme: str
) -> None:
    sign_in(browser, "admin@acme.test")
    page = f"/companies/{acme}/import"
    shown = browser.get(page).text
    assert "Suppliers in Xero" in shown
    assert "not connected" in shown.lower()
    nothing = post_form(browser, page, page, {"kind": "customers"})
    assert nothing.status_code == 303  # type: ignore[attr-defined]
    again = browser.get(nothing.headers["location"]).text  # type: ignore[attr-defined]
    assert "Tick at least one, or press Import all." in again
    assert "Customers in Xero" in again


def test_a_member_sees_what_was_imported_but_not_the_picker(browser: TestClient, acme: str) -> None:
    sign_in(browser, "member@acme.test")
    shown = browser.get(f"/companies/{acme}/import").text
    assert re.search(r"\d+ accounts?, \d+ tax rates?", shown)
    assert "in Xero</h2>" not in shown and "Import accounts" not in shown
