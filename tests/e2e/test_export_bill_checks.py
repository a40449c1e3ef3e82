"""Bills Xero would refuse, or did: checked before sending in Xero's words, logged with the
fix after a refusal, retried by a person or a settings change, resolved by hand."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from ledgerlink.domain.catalogue import AccountClass, ReferenceStatus
from tests.integration.sync.bills import (
    bill_body,
    ready,
    supplier,
    xero_bill,
    xero_write,
)
from tests.integration.sync.harness import ExportSetup, export_setup
from xero_sandbox import DEMO_TENANT_ID

__all__ = ["export_setup", "ready"]


ADS = {"description": "Ads", "quantity": "1", "unit_price": "50", "account_code": "429",
       "tax_type": "INPUT2"}  # fmt: skip


def change_imported(setup: ExportSetup, *, account: str = "", tax_type: str = "") -> None:
    """Xero's chart changed and was imported again: `account` archived, `tax_type` now for
    revenue accounts only."""
    with setup.container.uow() as uow:
        if account:
            found = uow.accounts.get(setup.company_id, account)
            assert found is not None
            archived = dataclasses.replace(found, status=ReferenceStatus.ARCHIVED)
            uow.accounts.save(setup.company_id, archived)
        if tax_type:
            rate = uow.tax_rates.get(setup.company_id, tax_type)
            assert rate is not None
            revenue_only = frozenset({AccountClass.REVENUE})
            uow.tax_rates.save(setup.company_id, dataclasses.replace(rate, applies_to=revenue_only))
        uow.commit()


@pytest.mark.parametrize(
    ("line", "field", "message", "fix"),
    [
        ({**ADS, "account_code": "455"}, "lines[0].account_code",
         "Account code '455' has been archived, or has been deleted", "choose an active account"),
        ({**ADS, "account_code": "200"}, "lines[0].tax_type",
         "The TaxType code 'INPUT2' cannot be used with account code '200'",
         "choose a tax rate for revenue accounts"),
        ({**ADS, "account_code": "1234"}, "lines[0].account_code",
         "Account code '1234' is not a valid code for this document",
         "choose an account imported from Xero"),
    ],
    ids=["archived-account", "tax-type-not-allowed-on-account", "not-in-chart"],
)  # fmt: skip
async def test_bills_that_xero_would_refuse_are_refused_when_written_in_xeros_words(
    ready: ExportSetup, line: dict[str, Any], field: str, message: str, fix: str
) -> None:
    answer = ready.post("/bills", bill_body(supplier(ready), lines=[line]), status=422)

    assert answer["errors"][0]["field"] == field
    assert message in answer["errors"][0]["message"]
    assert fix in answer["errors"][0]["message"]
    assert ready.get("/bills")["count"] == 0


@pytest.mark.parametrize(
    ("change", "message", "fix"),
    [
        ({"account": "429"}, "Account code '429' has been archived, or has been deleted",
         "choose an active account"),
        ({"tax_type": "INPUT2"}, "The TaxType code 'INPUT2' cannot be used with account code '429'",
         "choose a tax rate for expense accounts"),
    ],
    ids=["account-archived-since", "tax-type-restricted-since"],
)  # fmt: skip
async def test_bills_that_xero_would_now_refuse_fail_before_sending_in_xeros_words(
    ready: ExportSetup, change: dict[str, str], message: str, fix: str
) -> None:
    created = ready.post("/bills", bill_body(supplier(ready), lines=[ADS]), status=201)
    ready.approve(f"/bills/{created['id']}")
    change_imported(ready, **change)
    await ready.control("DELETE", "/stats")

    await ready.run_worker()

    state = ready.get(f"/sync/bill/{created['id']}")
    assert state["state"] == "failed"
    assert message in state["last_error"]
    assert fix in state["fix"]
    stats = await ready.control("GET", "/stats")
    calls = [c for o in stats["organisations"] for c in o["calls"]]
    assert not [c for c in calls if "Invoices" in c["path"]]
    assert [e["action"] for e in state["log"]] == ["check"]


async def test_an_archived_supplier_fails_before_sending_and_resolve_clears_it(
    ready: ExportSetup,
) -> None:
    supplier_id = supplier(ready)
    created = ready.post("/bills", bill_body(supplier_id), status=201)
    ready.approve(f"/bills/{created['id']}")
    ready.patch(f"/suppliers/{supplier_id}", {"active": False})

    await ready.run_worker()

    state = ready.get(f"/sync/bill/{created['id']}")
    assert state["state"] == "failed"
    assert "has been archived" in state["last_error"]
    assert "restore Lamp Co in Xero" in state["fix"]
    resolved = ready.post(f"/sync/bill/{created['id']}/resolve")
    assert resolved["state"] == "resolved"
    assert ready.get("/sync", state="failed")["data"] == []
    assert [s["document_id"] for s in ready.get("/sync", state="resolved")["data"]] == [
        created["id"]
    ]


async def test_a_failed_bill_goes_once_fixed_and_retried(ready: ExportSetup) -> None:
    created = ready.post("/bills", bill_body(supplier(ready), lines=[ADS]), status=201)
    path = f"/bills/{created['id']}"
    ready.approve(path)
    change_imported(ready, account="429")
    await ready.run_worker()
    assert ready.get(f"/sync/bill/{created['id']}")["state"] == "failed"

    ready.patch(path, {"lines": [{**ADS, "account_code": "300"}]})
    retried = ready.post(f"/sync/bill/{created['id']}/retry")
    assert retried["state"] == "pending"
    await ready.run_worker()

    state = ready.get(f"/sync/bill/{created['id']}")
    assert state["state"] == "sent"
    assert (await xero_bill(ready))["LineItems"][0]["AccountCode"] == "300"


async def lock_the_books(setup: ExportSetup) -> None:
    await setup.control(
        "POST", f"/tenants/{DEMO_TENANT_ID}/lock-dates", {"period_lock_date": "2026-03-15"}
    )


async def archive_the_contact(setup: ExportSetup) -> None:
    contacts = (await setup.xero("/Contacts", where='Name=="Lamp Co"'))["Contacts"]
    contact_id = contacts[0]["ContactID"]
    await xero_write(
        setup, "POST", f"/Contacts/{contact_id}", {"Contacts": [{"ContactStatus": "ARCHIVED"}]}
    )


@pytest.mark.parametrize(
    ("change", "in_xero", "message", "fix", "caught"),
    [
        ({"currency": "EUR"}, None, "Organisation is not subscribed to currency EUR",
         "add EUR in Xero's currency settings", "checked before sending"),
        ({}, lock_the_books, "The document date cannot be before the period lock date",
         "date the document after 2026-03-15", "checked before sending"),
        ({}, archive_the_contact, "has been archived",
         "restore the supplier in Xero", "Xero refused"),
    ],
    ids=["currency-not-enabled", "lock-date", "contact-archived-in-xero"],
)  # fmt: skip
async def test_a_bill_xero_would_refuse_or_did_is_logged_with_its_words_and_the_fix(
    ready: ExportSetup, change: dict[str, Any], in_xero: Any, message: str, fix: str, caught: str
) -> None:
    supplier_id = supplier(ready)
    first = ready.post("/bills", bill_body(supplier_id, invoice_number="SUP-1"), status=201)
    ready.approve(f"/bills/{first['id']}")
    await ready.run_worker()  # the supplier is now a Xero contact
    if in_xero is not None:
        await in_xero(ready)
    created = ready.post(
        "/bills", bill_body(supplier_id, invoice_number="SUP-2", **change), status=201
    )
    ready.approve(f"/bills/{created['id']}")

    await ready.run_worker()

    state = ready.get(f"/sync/bill/{created['id']}")
    assert state["state"] == "failed"
    assert message in state["last_error"]
    assert fix in state["fix"]
    assert state["log"][-1]["answer"].startswith(caught)


async def test_a_bad_bill_never_holds_back_the_others_in_its_batch(ready: ExportSetup) -> None:
    supplier_id = supplier(ready)
    good = [
        ready.post("/bills", bill_body(supplier_id, invoice_number=f"OK-{n}"), status=201)
        for n in range(3)
    ]
    bad = ready.post("/bills", bill_body(supplier_id, currency="EUR"), status=201)
    for bill in [*good, bad]:
        ready.approve(f"/bills/{bill['id']}")
    await ready.control("DELETE", "/stats")

    await ready.run_worker()

    stats = await ready.control("GET", "/stats")
    creates = [
        c
        for o in stats["organisations"]
        for c in o["calls"]
        if c["method"] == "PUT" and c["path"].endswith("/Invoices")
    ]
    assert sum(c["count"] for c in creates) == 1
    states = {s["document_id"]: s["state"] for s in ready.get("/sync")["data"]}
    assert [states[b["id"]] for b in good] == ["sent", "sent", "sent"]
    assert states[bad["id"]] == "failed"


async def test_changing_the_settings_retries_failed_bills(ready: ExportSetup) -> None:
    created = ready.post("/bills", bill_body(supplier(ready), lines=[ADS]), status=201)
    ready.approve(f"/bills/{created['id']}")
    change_imported(ready, account="429")
    await ready.run_worker()
    assert ready.get(f"/sync/bill/{created['id']}")["state"] == "failed"

    changed = ready.put("/xero/settings", {"bill_status": "DRAFT"})

    assert changed["retried"] == 1
    assert [s["document_id"] for s in ready.get("/sync", state="pending")["data"]] == [
        created["id"]
    ]
