"""Purchasing and billing documents through the typed client, against the sandbox."""

from datetime import date
from decimal import Decimal

import pytest

from xero_client import (
    Account,
    Allocation,
    Contact,
    CreditNote,
    Invoice,
    InvoiceStatus,
    LineItem,
    NotFound,
    Payment,
    PurchaseOrder,
    ValidationFailed,
    XeroClient,
)

from .conftest import Connected

BANK = "090"
EXPENSES = "400"
SALES = "200"


def line(description: str, amount: str, account: str = EXPENSES, tax: str = "INPUT2") -> LineItem:
    return LineItem(
        description=description,
        quantity=Decimal(1),
        unit_amount=Decimal(amount),
        account_code=account,
        tax_type=tax,
    )


async def supplier(client: XeroClient, name: str = "Paper Co") -> str:
    (created,) = await client.create_contacts([Contact(name=name, is_supplier=True)])
    assert created.id is not None
    return created.id


def bill(contact_id: str, reference: str, *amounts: str) -> Invoice:
    return Invoice(
        type="ACCPAY",
        contact=Contact(contact_id=contact_id),
        date=date(2026, 3, 2),
        due_date=date(2026, 4, 1),
        reference=reference,
        status=InvoiceStatus.AUTHORISED,
        line_amount_types="Exclusive",
        line_items=tuple(line(f"Line {n}", a) for n, a in enumerate(amounts)),
    )


async def test_a_purchase_order_keeps_its_lines_and_delivery_instructions(
    in_process: Connected,
) -> None:
    client = in_process.client()
    contact_id = await supplier(client)
    (result,) = await client.create_purchase_orders([
        PurchaseOrder(
            contact=Contact(contact_id=contact_id),
            date=date(2026, 3, 2),
            delivery_date=date(2026, 3, 9),
            delivery_instructions="Loading dock, ring twice",
            line_items=(line("A4 paper", "12.50"), line("Shipping", "5.00")),
        )
    ], idempotency_key="po-1")  # fmt: skip
    assert result.ok and result.id is not None
    order = await client.get_purchase_order(result.id)
    assert order.delivery_instructions == "Loading dock, ring twice"
    assert order.delivery_date == date(2026, 3, 9)
    assert [li.description for li in order.line_items] == ["A4 paper", "Shipping"]
    assert order.sub_total == Decimal("17.50")
    assert order.total == order.sub_total + (order.total_tax or 0)


async def test_bills_are_totalled_by_xero_to_the_cent(in_process: Connected) -> None:
    client = in_process.client()
    contact_id = await supplier(client)
    (result,) = await client.create_invoices([bill(contact_id, "B-1", "10.03", "0.07")])
    assert result.ok and result.element is not None
    created = result.element
    assert created.sub_total == Decimal("10.10")
    assert created.total_tax == Decimal("1.51")  # tax per line rounded (1.50 + 0.01)
    assert created.total == Decimal("11.61")
    assert isinstance(created.total, Decimal)
    fetched = await client.get_invoice(result.id or "")
    assert (fetched.total, fetched.date, fetched.status) == (
        Decimal("11.61"),
        date(2026, 3, 2),
        "AUTHORISED",
    )


async def test_a_create_reads_back_only_the_keys_asked_for(in_process: Connected) -> None:
    client = in_process.client()
    contact_id = await supplier(client)
    (result,) = await client.create_invoices(
        [bill(contact_id, "B-2", "10.03", "0.07")], read=("Status", "Total")
    )
    assert result.ok and result.id is not None and result.element is not None
    assert (result.element.status, result.element.total) == ("AUTHORISED", Decimal("11.61"))
    assert result.element.line_items == () and result.element.contact is None
    assert dict(result.element.extra) == {}


async def test_a_payment_settles_a_bill_and_can_be_deleted(in_process: Connected) -> None:
    client = in_process.client()
    contact_id = await supplier(client)
    (created,) = await client.create_invoices([bill(contact_id, "B-2", "100.00")])
    assert created.id is not None
    (paid,) = await client.create_payments([
        Payment(invoice=Invoice(invoice_id=created.id), account=Account(code=BANK),
                date=date(2026, 3, 5), amount=Decimal("115.00"))
    ], idempotency_key="pay-b2")  # fmt: skip
    assert paid.ok and paid.id is not None, paid.errors
    assert (await client.get_invoice(created.id)).status == InvoiceStatus.PAID
    deleted = await client.delete_payment(paid.id)
    assert deleted.status == "DELETED"
    after = await client.get_invoice(created.id)
    assert after.status == InvoiceStatus.AUTHORISED and after.amount_due == Decimal("115.00")


async def test_a_credit_note_is_allocated_to_a_bill(in_process: Connected) -> None:
    client = in_process.client()
    contact_id = await supplier(client)
    (created,) = await client.create_invoices([bill(contact_id, "B-3", "40.00")])
    note = CreditNote(
        type="ACCPAYCREDIT",
        contact=Contact(contact_id=contact_id),
        date=date(2026, 3, 3),
        status="AUTHORISED",
        line_amount_types="Exclusive",
        line_items=(line("Returned paper", "10.00"),),
    )
    (credit,) = await client.create_credit_notes([note])
    assert created.id and credit.id, credit.errors
    allocation = await client.allocate_credit_note(
        credit.id, Allocation(invoice=Invoice(invoice_id=created.id), amount=Decimal("11.50"),
                              date=date(2026, 3, 4))
    )  # fmt: skip
    assert allocation.amount == Decimal("11.50")
    assert (await client.get_invoice(created.id)).amount_due == Decimal("34.50")


async def test_bills_are_listed_by_status_and_an_unknown_one_is_not_found(
    in_process: Connected,
) -> None:
    client = in_process.client()
    contact_id = await supplier(client)
    results = await client.create_invoices(
        [bill(contact_id, f"L-{n}", "1.00") for n in range(3)], idempotency_key="list-1"
    )
    ids = {r.id for r in results}
    listed = [
        i async for i in client.iter_invoices(statuses=["AUTHORISED"], contact_ids=[contact_id])
    ]
    assert {i.invoice_id for i in listed} == ids
    with pytest.raises(NotFound):
        await client.get_invoice("00000000-0000-4000-8000-000000000000")


async def test_an_update_with_an_unknown_account_is_refused_with_xeros_reason(
    in_process: Connected,
) -> None:
    client = in_process.client()
    contact_id = await supplier(client)
    (created,) = await client.create_invoices([bill(contact_id, "B-4", "10.00")])
    assert created.id is not None
    changed = Invoice(invoice_id=created.id, line_items=(line("Paper", "10.00", account="999"),))
    with pytest.raises(ValidationFailed, match="999") as caught:
        await client.update_invoice(changed)
    assert caught.value.elements[0].index == 0
    assert (await client.get_invoice(created.id)).total == Decimal("11.50")
