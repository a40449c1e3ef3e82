"""Documents through the SDK: purchase orders, bills, invoices, credit notes and payments."""

import json
from datetime import date
from decimal import Decimal

import pytest
from xero_python.accounting import (
    Account,
    Contact,
    Contacts,
    CreditNote,
    CreditNotes,
    Invoice,
    Invoices,
    LineItem,
    Payment,
    Payments,
    PurchaseOrder,
    PurchaseOrders,
)
from xero_python.exceptions import ApiException

from xero_sandbox import DEMO_TENANT_ID

from .conftest import Sdk

TODAY = date(2026, 3, 2)
DUE = date(2026, 3, 20)
BANK_CODE = "090"


def _supplier(sdk: Sdk, name: str) -> Contact:
    created = sdk.accounting.create_contacts(
        DEMO_TENANT_ID, Contacts(contacts=[Contact(name=name)])
    ).contacts[0]
    return Contact(contact_id=created.contact_id)


def _lines(*amounts: str, account: str = "400", tax: str = "INPUT2") -> list[LineItem]:
    return [
        LineItem(
            description=f"Line {n}",
            quantity=1,
            unit_amount=float(amount),
            account_code=account,
            tax_type=tax,
        )
        for n, amount in enumerate(amounts, start=1)
    ]


def _status(document: object) -> str:
    status = getattr(document, "status", None)
    return str(getattr(status, "value", status))


def _money(value: float | None) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_a_purchase_order_gets_xeros_totals_and_status(sdk: Sdk) -> None:
    order = PurchaseOrder(
        contact=_supplier(sdk, "PO Supplier Ltd"),
        date=TODAY,
        delivery_date=DUE,
        line_items=_lines("10.00", "5.50"),
        status="AUTHORISED",
        delivery_instructions="Leave at the back door",
    )
    created = sdk.accounting.create_purchase_orders(
        DEMO_TENANT_ID, PurchaseOrders(purchase_orders=[order])
    ).purchase_orders[0]
    assert created.purchase_order_id
    assert created.purchase_order_number
    assert _status(created) == "AUTHORISED"
    assert (_money(created.sub_total), _money(created.total_tax), _money(created.total)) == (
        Decimal("15.50"),
        Decimal("2.33"),
        Decimal("17.83"),
    )


def test_tax_is_rounded_per_line_then_summed(sdk: Sdk) -> None:
    bill = Invoice(
        type="ACCPAY",
        contact=_supplier(sdk, "Rounding Supplies Ltd"),
        date=TODAY,
        due_date=DUE,
        line_items=_lines("1.11", "1.11", "1.11"),
        status="DRAFT",
    )
    created = sdk.accounting.create_invoices(DEMO_TENANT_ID, Invoices(invoices=[bill])).invoices[0]
    # 1.11 x 15% = 0.1665 -> 0.17 on each line; on the sum it would have been 0.50.
    assert _money(created.total_tax) == Decimal("0.51")
    assert _money(created.total) == Decimal("3.84")


def test_a_bill_paid_in_full_becomes_paid(sdk: Sdk) -> None:
    bill = Invoice(
        type="ACCPAY",
        contact=_supplier(sdk, "Paid Supplies Ltd"),
        date=TODAY,
        due_date=DUE,
        invoice_number="SUP-100",
        line_items=_lines("100.00"),
        status="AUTHORISED",
    )
    created = sdk.accounting.create_invoices(DEMO_TENANT_ID, Invoices(invoices=[bill])).invoices[0]
    assert _status(created) == "AUTHORISED"
    assert _money(created.amount_due) == Decimal("115.00")
    payment = Payment(
        invoice=Invoice(invoice_id=created.invoice_id),
        account=Account(code=BANK_CODE),
        amount=115.00,
        date=TODAY,
    )
    paid = sdk.accounting.create_payments(DEMO_TENANT_ID, Payments(payments=[payment])).payments[0]
    assert paid.payment_id
    after = sdk.accounting.get_invoice(DEMO_TENANT_ID, created.invoice_id).invoices[0]
    assert _status(after) == "PAID"
    assert _money(after.amount_due) == Decimal("0.00")
    assert _money(after.amount_paid) == Decimal("115.00")


def test_a_sales_invoice_partly_paid_stays_authorised(sdk: Sdk) -> None:
    invoice = Invoice(
        type="ACCREC",
        contact=_supplier(sdk, "Customer Co"),
        date=TODAY,
        due_date=DUE,
        line_items=_lines("200.00", account="200", tax="OUTPUT2"),
        status="AUTHORISED",
    )
    created = sdk.accounting.create_invoices(DEMO_TENANT_ID, Invoices(invoices=[invoice]))
    invoice_id = created.invoices[0].invoice_id
    for amount in (50.00, 30.00):
        payment = Payment(
            invoice=Invoice(invoice_id=invoice_id),
            account=Account(code=BANK_CODE),
            amount=amount,
            date=TODAY,
        )
        sdk.accounting.create_payments(DEMO_TENANT_ID, Payments(payments=[payment]))
    after = sdk.accounting.get_invoice(DEMO_TENANT_ID, invoice_id).invoices[0]
    assert _status(after) == "AUTHORISED"
    assert _money(after.amount_paid) == Decimal("80.00")
    assert _money(after.amount_due) == Decimal("150.00")


def test_a_credit_note_gets_totals(sdk: Sdk) -> None:
    note = CreditNote(
        type="ACCRECCREDIT",
        contact=_supplier(sdk, "Refunded Customer Co"),
        date=TODAY,
        line_items=_lines("40.00", account="200", tax="OUTPUT2"),
        status="AUTHORISED",
    )
    created = sdk.accounting.create_credit_notes(
        DEMO_TENANT_ID, CreditNotes(credit_notes=[note])
    ).credit_notes[0]
    assert created.credit_note_id
    assert _status(created) == "AUTHORISED"
    assert _money(created.total) == Decimal("46.00")
    assert _money(created.remaining_credit) == Decimal("46.00")


def test_an_unknown_account_code_is_a_validation_error(sdk: Sdk) -> None:
    bill = Invoice(
        type="ACCPAY",
        contact=_supplier(sdk, "Wrong Account Ltd"),
        date=TODAY,
        due_date=DUE,
        line_items=_lines("10.00", account="99999"),
        status="DRAFT",
    )
    with pytest.raises(ApiException) as refused:
        sdk.accounting.create_invoices(DEMO_TENANT_ID, Invoices(invoices=[bill]))
    assert refused.value.status == 400
    body = json.loads(refused.value.body)
    assert body["Type"] == "ValidationException"
    messages = " ".join(e["Message"] for el in body["Elements"] for e in el["ValidationErrors"])
    assert "99999" in messages or "Account" in messages


def test_summarize_errors_false_reports_each_element(sdk: Sdk) -> None:
    supplier = _supplier(sdk, "Batch Supplies Ltd")
    good = Invoice(
        type="ACCPAY", contact=supplier, date=TODAY, due_date=DUE, line_items=_lines("10.00")
    )
    bad = Invoice(
        type="ACCPAY",
        contact=supplier,
        date=TODAY,
        due_date=DUE,
        line_items=_lines("10.00", account="99999"),
    )
    result = sdk.accounting.create_invoices(
        DEMO_TENANT_ID, Invoices(invoices=[good, bad]), summarize_errors=False
    ).invoices
    assert len(result) == 2
    assert result[0].invoice_id and not result[0].validation_errors
    assert result[1].validation_errors
    assert "99999" in result[1].validation_errors[0].message
