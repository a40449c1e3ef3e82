"""An issued invoice whose total changes sign after it reached Xero: Xero neither takes an
invoice below 0 nor turns an invoice into a credit note (or back), so the edit is refused
with the reason and the fix, and what Xero holds stays as it was until the fix."""

from __future__ import annotations

from decimal import Decimal

from tests.integration.sync.bills import ready
from tests.integration.sync.harness import ExportSetup, export_setup
from tests.integration.sync.sales import SALES, customer, invoice_body, issue, xero_invoice

__all__ = ["export_setup", "ready"]


def lines(quantity: str) -> list[dict[str, str]]:
    return [{"description": "Beans", "quantity": quantity, "unit_price": "24.50",
             "account_code": SALES, "tax_type": "OUTPUT2"}]  # fmt: skip


async def test_an_invoice_edited_below_zero_after_it_was_sent_is_refused_with_the_fix(
    ready: ExportSetup,
) -> None:
    issued = issue(ready, invoice_body(customer(ready), lines=lines("2")))
    await ready.run_worker()
    sent = await xero_invoice(ready)

    ready.patch(f"/invoices/{issued['id']}", {"lines": lines("-2")})
    await ready.run_worker()

    state = ready.get(f"/sync/sales_invoice/{issued['id']}")
    assert state["state"] == "failed"
    assert "does not turn an invoice into a credit note" in state["last_error"]
    assert "void it here" in state["fix"]
    assert state["log"][-1]["action"] == "update"
    held = await xero_invoice(ready)
    assert (held["InvoiceID"], held["Status"], Decimal(str(held["Total"]))) == (
        sent["InvoiceID"],
        "AUTHORISED",
        Decimal("56.35"),
    )
    notes = await ready.xero("/CreditNotes", where='CreditNoteNumber=="INV-9001"')
    assert notes["CreditNotes"] == []

    ready.patch(f"/invoices/{issued['id']}", {"lines": lines("3")})
    await ready.run_worker()

    state = ready.get(f"/sync/sales_invoice/{issued['id']}")
    assert state["state"] == "sent"
    assert Decimal(str((await xero_invoice(ready))["Total"])) == Decimal("84.53")


async def test_a_negative_invoice_sent_as_a_credit_note_edited_above_zero_is_refused(
    ready: ExportSetup,
) -> None:
    issued = issue(ready, invoice_body(customer(ready), number="INV-NEG", lines=lines("-1")))
    await ready.run_worker()
    assert ready.get(f"/sync/sales_invoice/{issued['id']}")["state"] == "sent"

    ready.patch(f"/invoices/{issued['id']}", {"lines": lines("1")})
    await ready.run_worker()

    state = ready.get(f"/sync/sales_invoice/{issued['id']}")
    assert state["state"] == "failed"
    assert "does not turn a credit note into an invoice" in state["last_error"]
    assert (await ready.xero("/Invoices", InvoiceNumbers="INV-NEG"))["Invoices"] == []
    notes = (await ready.xero("/CreditNotes", where='CreditNoteNumber=="INV-NEG"'))["CreditNotes"]
    assert [Decimal(str(n["Total"])) for n in notes] == [Decimal("28.18")]
