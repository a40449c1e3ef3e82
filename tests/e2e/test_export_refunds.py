"""Refunds and store credit made through the REST API reach the Xero sandbox: a refund as an
ACCRECCREDIT credit note, allocated to the invoice it refunds or paid out of the bank;
store credit added by hand as a credit note allocated to invoices as it is used; store
credit an overpayment left as a payment of the invoice it is used on. Each test reads what
the sandbox holds: the credit note's status, total, remaining credit and allocations, the
invoice's amount due and paid, the payments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ledgerlink.sync.engine import Worker, WorkerConfig
from tests.integration.sync.bills import ready, xero_write
from tests.integration.sync.harness import ExportSetup, export_setup
from tests.integration.sync.payments import writes
from tests.integration.sync.sales import SALES, customer, invoice_body, issue, xero_invoice

__all__ = ["export_setup", "ready"]


def money(value: Any) -> Decimal:
    return Decimal(str(value))


async def xero_note(setup: ExportSetup, number: str) -> dict[str, Any]:
    found = (await setup.xero("/CreditNotes", where=f'CreditNoteNumber=="{number}"'))["CreditNotes"]
    assert len(found) == 1, found
    note: dict[str, Any] = found[0]
    return note


def number_of(prefix: str, record_id: str) -> str:
    return f"{prefix}-{record_id[:8].upper()}"


async def payments_on(setup: ExportSetup, where: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await setup.xero("/Payments", where=where))["Payments"]
    return [p for p in found if p["Status"] != "DELETED"]


async def test_a_refund_of_an_invoice_is_a_credit_note_allocated_to_it(
    ready: ExportSetup,
) -> None:
    customer_id = customer(ready)
    issued = issue(ready, invoice_body(customer_id))
    total = money(issued["total"])
    refund = ready.post(
        "/refunds",
        {"customer_id": customer_id, "invoice_id": issued["id"], "date": "2026-03-06",
         "amount": "20.00", "currency": "NZD", "reason": "Beans arrived stale"},
        status=201,
    )  # fmt: skip
    assert money(ready.get(f"/invoices/{issued['id']}")["amount_due"]) == total - 20

    await ready.run_worker()

    note = await xero_note(ready, number_of("RF", refund["id"]))
    invoice = await xero_invoice(ready)
    assert (note["Type"], note["Status"], money(note["Total"])) == ("ACCRECCREDIT", "PAID", 20)
    assert note["Reference"] == "Refund of INV-9001"
    assert money(note["RemainingCredit"]) == 0
    [allocation] = note["Allocations"]
    assert allocation["Invoice"]["InvoiceID"] == invoice["InvoiceID"]
    assert money(allocation["Amount"]) == 20
    assert money(invoice["AmountDue"]) == total - 20
    assert money(invoice["AmountCredited"]) == 20
    assert ready.get(f"/sync/refund/{refund['id']}")["state"] == "sent"
    use = ready.get(f"/sync/credit_use/{refund['use_id']}")
    assert (use["state"], use["xero_id"]) == ("sent", allocation["AllocationID"])


async def test_a_refund_paid_out_is_a_payment_of_its_credit_note(ready: ExportSetup) -> None:
    customer_id = customer(ready)
    issued = issue(ready, invoice_body(customer_id))
    ready.post(
        "/payments",
        {"date": "2026-03-05", "amount": issued["total"], "currency": "NZD",
         "bank_account_code": "090", "party_id": customer_id,
         "allocations": [{"document_id": issued["id"], "amount": issued["total"]}]},
        status=201,
    )  # fmt: skip
    refund = ready.post(
        "/refunds",
        {"customer_id": customer_id, "invoice_id": issued["id"], "date": "2026-03-07",
         "amount": "30.00", "currency": "NZD", "bank_account_code": "090"},
        status=201,
    )  # fmt: skip

    await ready.run_worker()

    note = await xero_note(ready, number_of("RF", refund["id"]))
    assert (note["Status"], money(note["Total"]), money(note["RemainingCredit"])) == (
        "PAID",
        30,
        0,
    )
    assert note["Allocations"] == []
    # Xero's /Payments names the credit note a refund was paid out of as its Invoice.
    [paid_out] = await payments_on(ready, f'Invoice.InvoiceID==Guid("{note["CreditNoteID"]}")')
    assert (money(paid_out["Amount"]), paid_out["Account"]["Code"]) == (30, "090")
    assert (paid_out["PaymentType"], paid_out["Invoice"]["Type"]) == (
        "ARCREDITPAYMENT",
        "ACCRECCREDIT",
    )
    invoice = await xero_invoice(ready)
    assert (invoice["Status"], money(invoice["AmountPaid"])) == ("PAID", money(issued["total"]))
    use = ready.get(f"/sync/credit_use/{refund['use_id']}")
    assert (use["state"], use["xero_id"]) == ("sent", paid_out["PaymentID"])


async def test_store_credit_added_by_hand_is_allocated_as_it_is_used(ready: ExportSetup) -> None:
    ready.put("/xero/settings", {"credit_account_code": SALES})
    customer_id = customer(ready)
    credit = ready.post(
        "/store-credits",
        {"customer_id": customer_id, "date": "2026-03-03", "amount": "50.00", "currency": "NZD"},
        status=201,
    )
    issued = issue(ready, invoice_body(customer_id))
    first = ready.post(
        f"/store-credits/{credit['id']}/use", {"invoice_id": issued["id"], "amount": "20.00"}
    )
    second = ready.post(
        f"/store-credits/{credit['id']}/use", {"invoice_id": issued["id"], "amount": "15.00"}
    )
    assert money(second["store_credit"]["remaining"]) == 15

    await ready.run_worker()

    note = await xero_note(ready, number_of("SC", credit["id"]))
    invoice = await xero_invoice(ready)
    assert (note["Status"], money(note["Total"]), money(note["RemainingCredit"])) == (
        "AUTHORISED",
        50,
        15,
    )
    assert sorted(money(a["Amount"]) for a in note["Allocations"]) == [15, 20]
    assert await writes(ready.sandbox, lambda path: path.endswith("/Allocations")) == 1
    assert money(invoice["AmountDue"]) == money(issued["total"]) - 35
    for use in (first, second):
        assert ready.get(f"/sync/credit_use/{use['use_id']}")["state"] == "sent"


async def test_store_credit_an_overpayment_left_is_a_payment_of_the_invoice_it_is_used_on(
    ready: ExportSetup,
) -> None:
    customer_id = customer(ready)
    first = issue(ready, invoice_body(customer_id, number="INV-1"))
    later = issue(ready, invoice_body(customer_id, number="INV-2"))
    over = money(first["total"]) + 25
    ready.post(
        "/payments",
        {"date": "2026-03-05", "amount": str(over), "currency": "NZD",
         "bank_account_code": "090", "party_id": customer_id,
         "allocations": [{"document_id": first["id"], "amount": first["total"]}]},
        status=201,
    )  # fmt: skip
    [credit] = ready.get("/store-credits")["data"]
    assert money(credit["remaining"]) == 25
    use = ready.post(
        f"/store-credits/{credit['id']}/use", {"invoice_id": later["id"], "amount": "25.00"}
    )

    await ready.run_worker()

    invoice = await xero_invoice(ready, "INV-2")
    [paid] = await payments_on(ready, f'Invoice.InvoiceID==Guid("{invoice["InvoiceID"]}")')
    assert (money(paid["Amount"]), paid["Reference"], paid["Account"]["Code"]) == (
        25,
        "Store credit",
        "090",
    )
    assert money(invoice["AmountDue"]) == money(later["total"]) - 25
    notes = (await ready.xero("/CreditNotes"))["CreditNotes"]
    assert [n for n in notes if n.get("CreditNoteNumber", "").startswith("SC-")] == []
    assert ready.get(f"/sync/credit_use/{use['use_id']}")["state"] == "sent"


async def test_a_use_waits_visibly_until_the_credit_note_is_authorised_in_xero(
    ready: ExportSetup,
) -> None:
    ready.put("/xero/settings", {"credit_note_status": "DRAFT"})
    customer_id = customer(ready)
    issued = issue(ready, invoice_body(customer_id))
    refund = ready.post(
        "/refunds",
        {"customer_id": customer_id, "invoice_id": issued["id"], "date": "2026-03-06",
         "amount": "20.00", "currency": "NZD"},
        status=201,
    )  # fmt: skip

    await one_pass(ready)

    note = await xero_note(ready, number_of("RF", refund["id"]))
    assert (note["Status"], note["Allocations"]) == ("DRAFT", [])
    waiting = ready.get(f"/sync/credit_use/{refund['use_id']}")
    assert waiting["state"] == "pending"
    assert "DRAFT in Xero" in waiting["last_error"], waiting
    assert waiting["log"][-1]["outcome"] == "waiting"

    await xero_write(
        ready, "POST", f"/CreditNotes/{note['CreditNoteID']}", {"Status": "AUTHORISED"}
    )
    ready.post(f"/sync/credit_use/{refund['use_id']}/retry")
    await one_pass(ready)

    note = await xero_note(ready, number_of("RF", refund["id"]))
    assert (note["Status"], len(note["Allocations"])) == ("PAID", 1)
    assert money((await xero_invoice(ready))["AmountDue"]) == money(issued["total"]) - 20


async def one_pass(setup: ExportSetup) -> None:
    """One pass of a worker (what waits stays waiting: no draining until it is due)."""
    await Worker(setup.container.uow, setup.clients, config=WorkerConfig(name="once")).run_pass()


async def test_store_credit_without_an_account_fails_naming_the_setting_that_fixes_it(
    ready: ExportSetup,
) -> None:
    credit = ready.post(
        "/store-credits",
        {"customer_id": customer(ready), "date": "2026-03-03", "amount": "50.00",
         "currency": "NZD"},
        status=201,
    )  # fmt: skip

    await ready.run_worker()

    state = ready.get(f"/sync/store_credit/{credit['id']}")
    assert state["state"] == "failed"
    assert "Each line item must reference a valid account." in state["last_error"]
    assert "set credit_account_code in the Xero settings" in state["fix"]

    ready.put("/xero/settings", {"credit_account_code": SALES})  # retries what failed
    await ready.run_worker()

    note = await xero_note(ready, number_of("SC", credit["id"]))
    assert (note["Status"], money(note["Total"])) == ("AUTHORISED", 50)
    assert ready.get(f"/sync/store_credit/{credit['id']}")["state"] == "sent"


async def test_an_overpayment_goes_to_xero_as_one_when_the_settings_say_and_its_use_is_allocated(
    ready: ExportSetup,
) -> None:
    ready.put("/xero/settings", {"overpayments": "xero_overpayment"})
    customer_id = customer(ready)
    first = issue(ready, invoice_body(customer_id, number="INV-1"))
    later = issue(ready, invoice_body(customer_id, number="INV-2"))
    ready.post(
        "/payments",
        {"date": "2026-03-05", "amount": str(money(first["total"]) + 25), "currency": "NZD",
         "bank_account_code": "090", "party_id": customer_id, "reference": "Cheque 7",
         "allocations": [{"document_id": first["id"], "amount": first["total"]}]},
        status=201,
    )  # fmt: skip
    [credit] = ready.get("/store-credits")["data"]
    use = ready.post(
        f"/store-credits/{credit['id']}/use", {"invoice_id": later["id"], "amount": "10.00"}
    )

    await ready.run_worker()

    [contact_id] = {
        (await xero_invoice(ready, n))["Contact"]["ContactID"] for n in ("INV-1", "INV-2")
    }
    where = f'Contact.ContactID==Guid("{contact_id}")'
    [overpayment] = (await ready.xero("/Overpayments", where=where))["Overpayments"]
    assert (overpayment["Type"], overpayment["Status"]) == ("RECEIVE-OVERPAYMENT", "AUTHORISED")
    assert (money(overpayment["Total"]), money(overpayment["RemainingCredit"])) == (25, 15)
    invoice = await xero_invoice(ready, "INV-2")
    [allocation] = overpayment["Allocations"]
    assert (allocation["Invoice"]["InvoiceID"], money(allocation["Amount"])) == (
        invoice["InvoiceID"],
        10,
    )
    assert money(invoice["AmountDue"]) == money(later["total"]) - 10
    assert await payments_on(ready, f'Invoice.InvoiceID==Guid("{invoice["InvoiceID"]}")') == []
    assert money((await xero_invoice(ready, "INV-1"))["AmountPaid"]) == money(first["total"])
    uses = ready.get("/sync", kind="credit_use")["data"]
    assert sorted((u["state"], u["xero_id"]) for u in uses) == sorted(
        [("sent", overpayment["OverpaymentID"]), ("sent", allocation["AllocationID"])]
    )
    assert use["use_id"] in {u["document_id"] for u in uses}
