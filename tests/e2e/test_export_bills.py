"""Bills approved through the REST API reach the Xero sandbox as ACCPAY invoices, follow
edits and cancellation by Xero's rules, and are checked before sending and after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.integration.sync.conftest import ClientCredentials
from tests.integration.sync.harness import ExportSetup, export_setup, import_reference_data
from xero_client import parse_date
from xero_sandbox import DEMO_TENANT_ID

__all__ = ["export_setup"]


def bill_body(supplier_id: str, **extra: Any) -> dict[str, Any]:
    supplier_number = extra.pop("invoice_number", "SUP-7731")
    return {
        "supplier_id": supplier_id,
        "invoice_number": supplier_number,
        "number": f"B-{supplier_number}",
        "date": "2026-03-03",
        "due_date": "2026-04-02",
        "currency": "NZD",
        "lines": [
            {
                "description": "Desk lamps",
                "quantity": "4",
                "unit_price": "19.99",
                "account_code": "429",
                "tax_type": "INPUT2",
                "tracking": [{"category": "Region", "option": "South"}],
            },
            {"description": "Cables", "quantity": "2.5", "unit_price": "3.10",
             "account_code": "300", "tax_type": "INPUT2"},
        ],
        **extra,
    }  # fmt: skip


@pytest.fixture
async def ready(export_setup: ExportSetup) -> ExportSetup:
    await import_reference_data(export_setup)
    return export_setup


def supplier(setup: ExportSetup, name: str = "Lamp Co") -> str:
    return str(setup.post("/suppliers", {"name": name}, status=201)["id"])


async def xero_bill(setup: ExportSetup, number: str = "SUP-7731") -> dict[str, Any]:
    found = (await setup.xero("/Invoices", InvoiceNumbers=number))["Invoices"]
    assert len(found) == 1, found
    bill: dict[str, Any] = found[0]
    return bill


async def xero_write(setup: ExportSetup, method: str, path: str, body: Any) -> Any:
    async with httpx.AsyncClient(timeout=10) as http:
        token = await ClientCredentials(http, setup.sandbox.base_url).access_token()
        answer = await http.request(
            method,
            f"{setup.sandbox.base_url}/api.xro/2.0{path}",
            json=body,
            headers={"Authorization": f"Bearer {token}", "xero-tenant-id": DEMO_TENANT_ID},
        )
        assert answer.status_code == 200, answer.text
        return answer.json()


async def pay_in_xero(setup: ExportSetup, invoice_id: str, amount: str) -> None:
    await xero_write(
        setup,
        "PUT",
        "/Payments",
        {
            "Payments": [
                {
                    "Invoice": {"InvoiceID": invoice_id},
                    "Account": {"Code": "090"},
                    "Date": "2026-03-10",
                    "Amount": amount,
                }
            ]
        },
    )


async def test_an_approved_bill_arrives_with_every_mapped_field(ready: ExportSetup) -> None:
    ready.put("/xero/settings", {"bill_status": "SUBMITTED"})
    created = ready.post("/bills", bill_body(supplier(ready)), status=201)
    approved = ready.approve(f"/bills/{created['id']}")

    await ready.run_worker()

    bill = await xero_bill(ready)
    assert bill["Type"] == "ACCPAY"
    assert bill["Status"] == "SUBMITTED"
    assert bill["Contact"]["Name"] == "Lamp Co"
    assert parse_date(bill["Date"]) == dt.date(2026, 3, 3)
    assert parse_date(bill["DueDate"]) == dt.date(2026, 4, 2)
    assert bill["CurrencyCode"] == "NZD"
    assert bill["LineAmountTypes"] == "Exclusive"
    lines = bill["LineItems"]
    assert [(line["Description"], line["AccountCode"], line["TaxType"]) for line in lines] == [
        ("Desk lamps", "429", "INPUT2"),
        ("Cables", "300", "INPUT2"),
    ]
    assert [Decimal(str(line["UnitAmount"])) for line in lines] == [
        Decimal("19.99"),
        Decimal("3.10"),
    ]
    assert [(t["Name"], t["Option"]) for t in lines[0]["Tracking"]] == [("Region", "South")]
    assert Decimal(str(bill["Total"])) == Decimal(approved["total"])
    state = ready.get(f"/sync/bill/{created['id']}")
    assert (state["state"], state["xero_status"]) == ("sent", "SUBMITTED")
    assert Decimal(state["total_xero"]) == Decimal(state["total_ours"])


async def test_an_edited_bill_is_updated_until_it_is_paid_in_xero(ready: ExportSetup) -> None:
    created = ready.post("/bills", bill_body(supplier(ready)), status=201)
    path = f"/bills/{created['id']}"
    ready.approve(path)
    await ready.run_worker()

    ready.patch(path, {"due_date": "2026-04-30"})
    await ready.run_worker()
    bill = await xero_bill(ready)
    assert parse_date(bill["DueDate"]) == dt.date(2026, 4, 30)

    await pay_in_xero(ready, bill["InvoiceID"], "10.00")
    ready.patch(path, {"due_date": "2026-05-15"})
    await ready.run_worker()

    state = ready.get(f"/sync/bill/{created['id']}")
    assert state["state"] == "failed"
    assert "payment" in state["last_error"].lower()
    assert "remove" in state["fix"] and "payments" in state["fix"]
    assert parse_date((await xero_bill(ready))["DueDate"]) == dt.date(2026, 4, 30)


@pytest.mark.parametrize(
    ("bill_status", "xero_status"),
    [("AUTHORISED", "VOIDED"), ("DRAFT", "DELETED"), ("SUBMITTED", "DELETED")],
    ids=["approved-is-voided", "draft-is-deleted", "submitted-is-deleted"],
)
async def test_a_cancelled_bill_is_withdrawn_as_xero_allows(
    ready: ExportSetup, bill_status: str, xero_status: str
) -> None:
    ready.put("/xero/settings", {"bill_status": bill_status})
    created = ready.post("/bills", bill_body(supplier(ready)), status=201)
    ready.approve(f"/bills/{created['id']}")
    await ready.run_worker()

    ready.post(f"/bills/{created['id']}/cancel")
    await ready.run_worker()

    assert (await xero_bill(ready))["Status"] == xero_status
    state = ready.get(f"/sync/bill/{created['id']}")
    assert (state["state"], state["xero_status"]) == ("sent", xero_status)


async def test_cancelling_a_bill_paid_in_xero_says_to_remove_the_payments(
    ready: ExportSetup,
) -> None:
    created = ready.post("/bills", bill_body(supplier(ready)), status=201)
    ready.approve(f"/bills/{created['id']}")
    await ready.run_worker()
    await pay_in_xero(ready, (await xero_bill(ready))["InvoiceID"], "20.00")

    ready.post(f"/bills/{created['id']}/cancel")
    await ready.run_worker()

    state = ready.get(f"/sync/bill/{created['id']}")
    assert state["state"] == "failed"
    assert "payments exist" in state["last_error"]
    assert "remove the bill's payments in Xero first" in state["fix"]
    assert (await xero_bill(ready))["Status"] == "AUTHORISED"


async def test_orders_and_bills_go_together_with_one_contact(ready: ExportSetup) -> None:
    supplier_id = supplier(ready, "Both Ways Ltd")
    order = ready.post(
        "/purchase-orders",
        {
            "supplier_id": supplier_id,
            "number": "PO-7",
            "date": "2026-03-02",
            "currency": "NZD",
            "lines": [{"description": "Chairs", "quantity": "2", "unit_price": "145.50",
                       "account_code": "429", "tax_type": "INPUT2"}],
        },
        status=201,
    )  # fmt: skip
    bill = ready.post("/bills", bill_body(supplier_id), status=201)
    ready.approve(f"/purchase-orders/{order['id']}")
    ready.approve(f"/bills/{bill['id']}")

    await ready.run_worker()

    xero_order = (await ready.xero("/PurchaseOrders/PO-7"))["PurchaseOrders"][0]
    xero_bill_found = await xero_bill(ready)
    assert xero_order["Contact"]["ContactID"] == xero_bill_found["Contact"]["ContactID"]
    contacts = (await ready.xero("/Contacts", where='Name=="Both Ways Ltd"'))["Contacts"]
    assert len(contacts) == 1
    sent = ready.get("/sync", state="sent")["data"]
    assert {(s["kind"], s["document_id"]) for s in sent} >= {
        ("purchase_order", order["id"]),
        ("bill", bill["id"]),
    }


@pytest.mark.parametrize(
    ("change", "message", "fix"),
    [
        (
            {"lines": [{"description": "Ads", "quantity": "1", "unit_price": "50",
                        "account_code": "455", "tax_type": "INPUT2"}]},
            "Account code '455' has been archived, or has been deleted",
            "choose an active account",
        ),
        (
            {"lines": [{"description": "Ads", "quantity": "1", "unit_price": "50",
                        "account_code": "200", "tax_type": "INPUT2"}]},
            "The TaxType code 'INPUT2' cannot be used with account code '200'",
            "choose a tax rate for revenue accounts",
        ),
    ],
    ids=["archived-account", "tax-type-not-allowed-on-account"],
)  # fmt: skip
async def test_bills_that_xero_would_refuse_fail_before_sending_in_xeros_words(
    ready: ExportSetup, change: dict[str, Any], message: str, fix: str
) -> None:
    created = ready.post("/bills", bill_body(supplier(ready), **change), status=201)
    ready.approve(f"/bills/{created['id']}")
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
    ready.patch(f"/suppliers/{supplier_id}", {"active": False})
    ready.approve(f"/bills/{created['id']}")

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
    created = ready.post(
        "/bills",
        bill_body(supplier(ready), lines=[{"description": "Ads", "quantity": "1",
                                           "unit_price": "50", "account_code": "455"}]),
        status=201,
    )  # fmt: skip
    path = f"/bills/{created['id']}"
    ready.approve(path)
    await ready.run_worker()
    assert ready.get(f"/sync/bill/{created['id']}")["state"] == "failed"

    ready.patch(path, {"lines": [{"description": "Ads", "quantity": "1", "unit_price": "50",
                                  "account_code": "429"}]})  # fmt: skip
    retried = ready.post(f"/sync/bill/{created['id']}/retry")
    assert retried["state"] == "pending"
    await ready.run_worker()

    state = ready.get(f"/sync/bill/{created['id']}")
    assert state["state"] == "sent"
    assert (await xero_bill(ready))["LineItems"][0]["AccountCode"] == "429"


async def test_a_total_that_differs_in_xero_is_flagged_with_both_figures(
    ready: ExportSetup,
) -> None:
    with ready.container.uow() as uow:
        stale = uow.tax_rates.get(ready.company_id, "INPUT2")
        assert stale is not None
        from dataclasses import replace

        uow.tax_rates.save(ready.company_id, replace(stale, rate=Decimal("12.5")))
        uow.commit()
    created = ready.post(
        "/bills",
        bill_body(supplier(ready), lines=[{"description": "Desk", "quantity": "1",
                                           "unit_price": "100", "account_code": "429",
                                           "tax_type": "INPUT2"}]),
        status=201,
    )  # fmt: skip
    ready.approve(f"/bills/{created['id']}")

    await ready.run_worker()

    state = ready.get(f"/sync/bill/{created['id']}")
    assert state["state"] == "sent"
    assert state["total_mismatch"] is True
    assert (Decimal(state["total_ours"]), Decimal(state["total_xero"])) == (
        Decimal("112.50"),
        Decimal("115.00"),
    )
    assert "differs from ours" in state["log"][-1]["answer"]


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
    ("change", "in_xero", "message", "fix"),
    [
        ({"currency": "EUR"}, None, "Organisation is not subscribed to currency EUR",
         "add the currency in Xero under Settings → Currencies"),
        ({}, lock_the_books, "The document date cannot be before the period lock date",
         "date the document after the lock date"),
        ({}, archive_the_contact, "has been archived",
         "restore the supplier in Xero"),
    ],
    ids=["currency-not-enabled", "lock-date", "contact-archived-in-xero"],
)  # fmt: skip
async def test_when_xero_refuses_a_bill_the_log_has_its_words_and_the_fix(
    ready: ExportSetup, change: dict[str, Any], in_xero: Any, message: str, fix: str
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
    assert state["log"][-1]["action"] == "create"
    assert state["log"][-1]["answer"].startswith("Xero refused")


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


async def test_four_place_prices_reach_bills_but_are_refused_on_orders(ready: ExportSetup) -> None:
    ready.put("/xero/settings", {"unit_price_dp": 4})
    supplier_id = supplier(ready)
    lines = [{"description": "Screws", "quantity": "1000", "unit_price": "0.0375",
              "account_code": "429", "tax_type": "INPUT2"}]  # fmt: skip
    bill = ready.post("/bills", bill_body(supplier_id, lines=lines), status=201)
    order = ready.post(
        "/purchase-orders",
        {"supplier_id": supplier_id, "number": "PO-4DP", "date": "2026-03-02",
         "currency": "NZD", "lines": lines},
        status=201,
    )  # fmt: skip
    ready.approve(f"/bills/{bill['id']}")
    ready.approve(f"/purchase-orders/{order['id']}")

    await ready.run_worker()

    sent = (await ready.xero("/Invoices", InvoiceNumbers="SUP-7731", unitdp=4))["Invoices"][0]
    assert Decimal(str(sent["LineItems"][0]["UnitAmount"])) == Decimal("0.0375")
    assert Decimal(str(sent["Total"])) == Decimal(bill["total"]) == Decimal("43.13")
    refused = ready.get(f"/sync/purchase_order/{order['id']}")
    assert refused["state"] == "failed"
    assert "2 decimal places" in refused["last_error"]
    assert "round the unit price" in refused["fix"]


async def test_changing_the_settings_retries_failed_bills(ready: ExportSetup) -> None:
    created = ready.post(
        "/bills",
        bill_body(supplier(ready), lines=[{"description": "Ads", "quantity": "1",
                                           "unit_price": "50", "account_code": "455"}]),
        status=201,
    )  # fmt: skip
    ready.approve(f"/bills/{created['id']}")
    await ready.run_worker()
    assert ready.get(f"/sync/bill/{created['id']}")["state"] == "failed"

    changed = ready.put("/xero/settings", {"bill_status": "DRAFT"})

    assert changed["retried"] == 1
    assert [s["document_id"] for s in ready.get("/sync", state="pending")["data"]] == [
        created["id"]
    ]
