"""Customers and sales invoices made through the REST API reach the Xero sandbox: customers
as contacts (one with a supplier of the same name), issued invoices as ACCREC invoices in
the status the settings say, edits while Xero allows them, voids, $0 and negative
invoices by the settings, and checks in Xero's words before sending."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from ledgerlink.cli import app
from tests.integration.sync.bills import pay_in_xero, ready, supplier
from tests.integration.sync.harness import ExportSetup, export_setup
from tests.integration.sync.sales import (
    SALES,
    customer,
    invoice_body,
    issue,
    xero_contacts,
    xero_invoice,
)
from xero_client import parse_date

__all__ = ["export_setup", "ready"]


async def test_a_customer_is_created_then_updated_and_archived_as_it_changes(
    ready: ExportSetup,
) -> None:
    customer_id = customer(ready, email="orders@harbour.test")
    await ready.run_worker()

    [contact] = await xero_contacts(ready, "Harbour Cafe")
    assert contact["EmailAddress"] == "orders@harbour.test"
    assert contact["ContactStatus"] == "ACTIVE"
    state = ready.get(f"/sync/customer/{customer_id}")
    assert (state["state"], state["xero_id"]) == ("sent", contact["ContactID"])

    ready.patch(f"/customers/{customer_id}", {"email": "hello@harbour.test", "active": False})
    await ready.run_worker()

    [contact] = await xero_contacts(ready, "Harbour Cafe")
    assert contact["EmailAddress"] == "hello@harbour.test"
    assert contact["ContactStatus"] == "ARCHIVED"


async def test_a_supplier_and_a_customer_of_one_name_are_one_xero_contact(
    ready: ExportSetup,
) -> None:
    supplier_id = supplier(ready, "Twin Trading")
    await ready.run_worker()
    customer_id = customer(ready, "Twin Trading")
    issue(ready, invoice_body(customer_id))
    await ready.run_worker()

    [contact] = await xero_contacts(ready, "Twin Trading")
    assert contact["IsCustomer"] is True  # Xero marks it on the first ACCREC invoice
    assert (await xero_invoice(ready))["Contact"]["ContactID"] == contact["ContactID"]
    as_supplier = ready.get(f"/sync/supplier/{supplier_id}")
    as_customer = ready.get(f"/sync/customer/{customer_id}")
    assert as_supplier["xero_id"] == as_customer["xero_id"] == contact["ContactID"]


async def test_an_issued_invoice_arrives_in_the_status_the_settings_say(
    ready: ExportSetup,
) -> None:
    ready.put("/xero/settings", {"sales_invoice_status": "SUBMITTED"})
    customer_id = customer(ready)
    issued = issue(ready, invoice_body(customer_id, reference="Table 4"))
    waiting = ready.get("/sync", state="pending")["data"]
    assert {(w["kind"], w["document_id"]) for w in waiting} == {
        ("customer", customer_id),
        ("sales_invoice", issued["id"]),
    }

    await ready.run_worker()

    invoice = await xero_invoice(ready)
    assert (invoice["Type"], invoice["Status"]) == ("ACCREC", "SUBMITTED")
    assert invoice["Reference"] == "Table 4"
    assert invoice["Contact"]["Name"] == "Harbour Cafe"
    assert parse_date(invoice["DueDate"]) == dt.date(2026, 4, 3)
    assert [(li["AccountCode"], li["TaxType"]) for li in invoice["LineItems"]] == [
        (SALES, "OUTPUT2"),
        (SALES, "OUTPUT2"),
    ]
    assert Decimal(str(invoice["Total"])) == Decimal(issued["total"]) == Decimal("93.73")
    state = ready.get(f"/sync/sales_invoice/{issued['id']}")
    assert (state["state"], state["xero_status"]) == ("sent", "SUBMITTED")
    assert (state["total_ours"], state["total_xero"]) == ("93.73", "93.73")
    assert state["total_mismatch"] is False


async def test_an_edit_follows_until_the_invoice_is_paid_in_xero(ready: ExportSetup) -> None:
    issued = issue(ready, invoice_body(customer(ready)))
    path = f"/invoices/{issued['id']}"
    await ready.run_worker()

    ready.patch(path, {"due_date": "2026-04-30"})
    await ready.run_worker()
    invoice = await xero_invoice(ready)
    assert parse_date(invoice["DueDate"]) == dt.date(2026, 4, 30)

    await pay_in_xero(ready, invoice["InvoiceID"], "10.00")
    ready.patch(path, {"due_date": "2026-05-15"})
    await ready.run_worker()

    state = ready.get(f"/sync/sales_invoice/{issued['id']}")
    assert state["state"] == "failed"
    assert "payment" in state["last_error"].lower()
    assert parse_date((await xero_invoice(ready))["DueDate"]) == dt.date(2026, 4, 30)


@pytest.mark.parametrize(
    ("arrival", "xero_status"),
    [("AUTHORISED", "VOIDED"), ("DRAFT", "DELETED")],
    ids=["authorised-is-voided", "draft-is-deleted"],
)
async def test_a_voided_invoice_is_withdrawn_as_xero_allows(
    ready: ExportSetup, arrival: str, xero_status: str
) -> None:
    ready.put("/xero/settings", {"sales_invoice_status": arrival})
    issued = issue(ready, invoice_body(customer(ready)))
    await ready.run_worker()

    ready.post(f"/invoices/{issued['id']}/void")
    await ready.run_worker()

    assert (await xero_invoice(ready))["Status"] == xero_status
    state = ready.get(f"/sync/sales_invoice/{issued['id']}")
    assert (state["state"], state["xero_status"]) == ("sent", xero_status)


async def test_a_zero_invoice_waits_until_paid_unless_the_settings_send_it(
    ready: ExportSetup,
) -> None:
    free = [{"description": "Tasting", "quantity": "1", "unit_price": "0",
             "account_code": SALES, "tax_type": "OUTPUT2"}]  # fmt: skip
    customer_id = customer(ready)
    held = issue(ready, invoice_body(customer_id, number="INV-0", lines=free))
    await ready.run_worker()

    assert (await ready.xero("/Invoices", InvoiceNumbers="INV-0"))["Invoices"] == []
    assert ready.get("/outbox", state="pending")["data"] == []

    ready.put("/xero/settings", {"zero_invoices_when_paid": False})
    issue(ready, invoice_body(customer_id, number="INV-00", lines=free))
    await ready.run_worker()

    sent = await xero_invoice(ready, "INV-00")
    assert Decimal(str(sent["Total"])) == 0
    assert (await ready.xero("/Invoices", InvoiceNumbers="INV-0"))["Invoices"] == []
    assert held["total"] == "0.00"


async def test_a_negative_invoice_becomes_a_credit_note_or_is_refused_by_the_settings(
    ready: ExportSetup,
) -> None:
    refund = [{"description": "Returned beans", "quantity": "-2", "unit_price": "24.50",
               "account_code": SALES, "tax_type": "OUTPUT2"}]  # fmt: skip
    customer_id = customer(ready)
    as_credit = issue(ready, invoice_body(customer_id, number="INV-NEG1", lines=refund))
    await ready.run_worker()

    notes = (await ready.xero("/CreditNotes", where='CreditNoteNumber=="INV-NEG1"'))["CreditNotes"]
    assert [(n["Type"], n["Status"], Decimal(str(n["Total"]))) for n in notes] == [
        ("ACCRECCREDIT", "AUTHORISED", Decimal("56.35"))
    ]
    state = ready.get(f"/sync/sales_invoice/{as_credit['id']}")
    assert (state["state"], state["total_ours"], state["total_xero"]) == (
        "sent",
        "-56.35",
        "-56.35",
    )

    ready.put("/xero/settings", {"negative_invoices": "refuse"})
    refused = issue(ready, invoice_body(customer_id, number="INV-NEG2", lines=refund))
    await ready.run_worker()

    state = ready.get(f"/sync/sales_invoice/{refused['id']}")
    assert state["state"] == "failed"
    assert "below 0" in state["last_error"]
    assert "negative_invoices" in state["fix"]
    assert (await ready.xero("/Invoices", InvoiceNumbers="INV-NEG2"))["Invoices"] == []
    failed = ready.get("/sync", state="failed", kind="sales_invoice")["data"]
    assert [s["document_id"] for s in failed] == [refused["id"]]


async def test_the_sync_command_lists_sales_invoices_and_customers_by_name(
    ready: ExportSetup, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue(ready, invoice_body(customer(ready), number="INV-CLI"))
    await ready.run_worker()
    monkeypatch.setenv("LEDGERLINK_DATABASE_URL", ready.container.settings.database_url)
    monkeypatch.setenv("COLUMNS", "200")

    listed = CliRunner().invoke(app, ["sync", "status", "--company", "Acme Ltd"])

    assert listed.exit_code == 0, listed.output
    rows = {
        tuple(cell.strip() for cell in line.split("│")[1:4]) for line in listed.output.split("\n")
    }
    assert ("sales invoice", "INV-CLI", "sent") in rows
    assert ("customer", "Harbour Cafe", "sent") in rows


async def test_a_purchase_account_or_tax_rate_on_a_sales_line_is_refused_before_sending(
    ready: ExportSetup,
) -> None:
    lines = [{"description": "Beans", "quantity": "1", "unit_price": "10",
              "account_code": "429", "tax_type": "INPUT2"}]  # fmt: skip
    issued = issue(ready, invoice_body(customer(ready), lines=lines))

    await ready.run_worker()

    state = ready.get(f"/sync/sales_invoice/{issued['id']}")
    assert state["state"] == "failed"
    assert "Account code '429' is not a valid code for this document." in state["last_error"]
    assert "not a revenue account" in state["fix"]
    assert "The TaxType code 'INPUT2' cannot be used" in state["last_error"]
    assert (await ready.xero("/Invoices", InvoiceNumbers="INV-9001"))["Invoices"] == []


async def test_an_item_is_created_then_updated_as_it_changes(ready: ExportSetup) -> None:
    item = ready.post(
        "/items",
        {"code": "BEANS-1KG", "name": "Beans 1kg", "sales_price": "24.5000",
         "sales_account_code": SALES, "sales_tax_type": "OUTPUT2"},
        status=201,
    )  # fmt: skip
    await ready.run_worker()

    [held] = (await ready.xero("/Items", where='Code=="BEANS-1KG"'))["Items"]
    assert (held["Name"], held["SalesDetails"]["AccountCode"]) == ("Beans 1kg", SALES)
    state = ready.get(f"/sync/item/{item['id']}")
    assert (state["state"], state["xero_id"]) == ("sent", held["ItemID"])

    ready.patch(f"/items/{item['id']}", {"name": "Beans, 1 kg bag"})
    await ready.run_worker()

    [held] = (await ready.xero("/Items", where='Code=="BEANS-1KG"'))["Items"]
    assert held["Name"] == "Beans, 1 kg bag"


async def test_an_item_xero_already_holds_is_matched_by_code_not_created_again(
    ready: ExportSetup,
) -> None:
    item = ready.post("/items", {"code": "DESK-OAK", "name": "Oak desk"}, status=201)
    await ready.run_worker()

    held = (await ready.xero("/Items", where='Code=="DESK-OAK"'))["Items"]
    assert len(held) == 1
    state = ready.get(f"/sync/item/{item['id']}")
    assert (state["state"], state["xero_id"]) == ("sent", held[0]["ItemID"])
    assert "matched by code" in state["log"][-1]["answer"]


async def test_an_item_an_invoice_line_uses_reaches_xero_before_the_invoice(
    ready: ExportSetup,
) -> None:
    ready.post("/items", {"code": "MUG", "name": "Mug", "sales_account_code": SALES},
               status=201)  # fmt: skip
    lines = [{"description": "Mug", "quantity": "2", "unit_price": "12.00", "item_code": "MUG",
              "account_code": SALES, "tax_type": "OUTPUT2"}]  # fmt: skip
    issued = issue(ready, invoice_body(customer(ready), lines=lines))

    await ready.run_worker()

    invoice = await xero_invoice(ready)
    assert invoice["LineItems"][0]["ItemCode"] == "MUG"
    assert ready.get(f"/sync/sales_invoice/{issued['id']}")["state"] == "sent"


async def test_a_tracked_item_without_a_purchase_account_is_refused_before_sending(
    ready: ExportSetup,
) -> None:
    item = ready.post(
        "/items",
        {"code": "GRINDER", "name": "Grinder", "is_tracked_as_inventory": True,
         "inventory_asset_account_code": "630"},
        status=201,
    )  # fmt: skip

    await ready.run_worker()

    state = ready.get(f"/sync/item/{item['id']}")
    assert state["state"] == "failed"
    assert "COGSAccountCode is required" in state["last_error"]
    assert "give the item a purchase account" in state["fix"]
    assert state["log"][-1]["action"] == "check"  # caught here, not sent to be refused
    assert (await ready.xero("/Items", where='Code=="GRINDER"'))["Items"] == []


async def test_a_negative_invoice_sent_as_a_credit_note_is_voided_as_one(
    ready: ExportSetup,
) -> None:
    refund = [{"description": "Returned beans", "quantity": "-1", "unit_price": "24.50",
               "account_code": SALES, "tax_type": "OUTPUT2"}]  # fmt: skip
    issued = issue(ready, invoice_body(customer(ready), number="INV-NEG3", lines=refund))
    await ready.run_worker()

    ready.post(f"/invoices/{issued['id']}/void")
    await ready.run_worker()

    [note] = (await ready.xero("/CreditNotes", where='CreditNoteNumber=="INV-NEG3"'))["CreditNotes"]
    assert note["Status"] == "VOIDED"
    assert ready.get(f"/sync/sales_invoice/{issued['id']}")["xero_status"] == "VOIDED"


async def test_an_invoice_whose_item_xero_refused_fails_naming_the_item_and_is_not_sent(
    ready: ExportSetup,
) -> None:
    ready.post(
        "/items",
        {"code": "GRINDER", "name": "Grinder", "is_tracked_as_inventory": True,
         "inventory_asset_account_code": "630"},
        status=201,
    )  # fmt: skip
    lines = [{"description": "Grinder", "quantity": "1", "unit_price": "199.00",
              "item_code": "GRINDER", "account_code": SALES, "tax_type": "OUTPUT2"}]  # fmt: skip
    issued = issue(ready, invoice_body(customer(ready), lines=lines))

    await ready.run_worker()

    state = ready.get(f"/sync/sales_invoice/{issued['id']}")
    assert state["state"] == "failed"
    assert state["last_error"].startswith("item GRINDER: ")
    assert "give the item a purchase account" in state["fix"]
    assert (await ready.xero("/Invoices", InvoiceNumbers="INV-9001"))["Invoices"] == []


async def test_archiving_a_customer_leaves_the_contact_it_shares_with_an_active_supplier(
    ready: ExportSetup,
) -> None:
    supplier(ready, "Twin Trading")
    customer_id = customer(ready, "Twin Trading")
    await ready.run_worker()

    ready.patch(f"/customers/{customer_id}", {"active": False, "email": "twin@trading.test"})
    await ready.run_worker()

    [contact] = await xero_contacts(ready, "Twin Trading")
    assert contact["ContactStatus"] == "ACTIVE"
    assert contact["EmailAddress"] == "twin@trading.test"
    assert ready.get(f"/sync/customer/{customer_id}")["state"] == "sent"
