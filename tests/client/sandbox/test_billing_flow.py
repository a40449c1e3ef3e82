"""The billing half end to end over HTTP: every builder's JSON, sent with the client, is
taken by the sandbox, which then holds the statuses and amounts due we expect.

A customer with contact persons, an item, invoices using both; authorised; paid in part,
the rest with a batch payment over two invoices; a credit note allocated to an invoice;
a refund paid out; an overpayment allocated to a later invoice; a negative invoice.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from uuid import UUID

import pytest

from ledgerlink.domain import (
    Allocation,
    ContactPerson,
    CreditNote,
    CreditNoteKind,
    Customer,
    Item,
    Line,
    Payment,
    Refund,
    SalesInvoice,
)
from ledgerlink.xero.outbound.checks import check_item, check_payment_account
from ledgerlink.xero.outbound.contacts import customer_json
from ledgerlink.xero.outbound.documents import status_change
from ledgerlink.xero.outbound.fixes import UNKNOWN_FIX, fix_for
from ledgerlink.xero.outbound.items import item_json
from ledgerlink.xero.outbound.payments import (
    PaymentAccount,
    batch_payment_json,
    overpayment_json,
    payment_elements,
    payment_json,
    store_credit_payment_json,
)
from ledgerlink.xero.outbound.sales import (
    allocation_json,
    credit_note_json,
    customer_credit_json,
)
from tests.sandbox.accounting.spec import validate_sent_request
from xero_client import Contact, Invoice, LineItem, XeroClient
from xero_client import ContactPerson as XeroContactPerson

from .billing import BANK, COMPANY, CUSTOMER, DEFAULTS, MARCH_2, SALES, sales_invoice, send_sale
from .conftest import Connected

GST = Decimal(15)


def widget_line(quantity: str = "2", price: str = "43.4783") -> Line:
    """A line of the WIDGET item at 15 % GST (2 × 43.4783 = 86.96 + 13.04 tax = 100.00)."""
    return Line(
        description="Widget", quantity=Decimal(quantity), unit_price=Decimal(price),
        item_code="WIDGET", account_code=SALES, tax_type="OUTPUT2", tax_rate=GST,
    )  # fmt: skip


def paying(amount: str, *parts: tuple[UUID, str], reference: str = "Deposit") -> Payment:
    return Payment(
        company_id=COMPANY, party_id=CUSTOMER, date=MARCH_2, amount=Decimal(amount),
        currency="NZD", bank_account_code=BANK, reference=reference,
        allocations=tuple(Allocation(document_id=d, amount=Decimal(a)) for d, a in parts),
    )  # fmt: skip


async def issued(client: XeroClient, contact_id: str, invoice: SalesInvoice) -> str:
    """Send the invoice as a draft, then authorise it; its Xero id."""
    xero_id, xero = await send_sale(client, invoice, contact_id, status="DRAFT")
    assert xero.as_ours() == invoice.totals
    await client.update_invoice(status_change("invoice", xero_id, "AUTHORISED"))  # type: ignore[arg-type]
    return xero_id


async def due(client: XeroClient, invoice_id: str) -> tuple[str | None, Decimal | None]:
    found = await client.get_invoice(invoice_id)
    return found.status, found.amount_due


async def test_customer_item_invoices_payments_batch_credit_and_overpayment(
    in_process: Connected,
) -> None:
    client = in_process.client()
    # A customer with seven people: the primary, five contact persons, one left out.
    customer = Customer(company_id=COMPANY, name="Boom FM", email="accounts@boom.fm")
    people = [ContactPerson(first_name=f"P{n}", last_name="Ng", email=f"p{n}@boom.fm")
              for n in range(7)]  # fmt: skip
    built = customer_json(customer, people=people)
    assert built.left_out == (people[6],)
    (made,) = await client.create_contacts([built.contact])
    assert made.ok and made.id, made.errors
    contact_id = made.id
    stored = await client.get_contact(contact_id)
    assert (stored.first_name, len(stored.contact_persons)) == ("P0", 5)
    assert [p.first_name for p in stored.contact_persons] == ["P1", "P2", "P3", "P4", "P5"]

    item = Item(company_id=COMPANY, code="WIDGET", name="Widget", sales_price=Decimal("43.4783"),
                sales_account_code=SALES, sales_tax_type="OUTPUT2")  # fmt: skip
    (made_item,) = await client.create_items([item_json(item)], unitdp=4)
    assert made_item.ok, made_item.errors

    # An invoice of the item, authorised, paid in part; then a second invoice.
    first = sales_invoice([widget_line()], number="INV-1")
    second = sales_invoice([widget_line("1", "100.00")], number="INV-2")  # 115.00
    assert (first.total, second.total) == (Decimal("100.00"), Decimal("115.00"))
    first_id = await issued(client, contact_id, first)
    second_id = await issued(client, contact_id, second)
    ids = {first.id: first_id, second.id: second_id}
    assert (await client.get_contact(contact_id)).is_customer is True

    assert check_payment_account(PaymentAccount(code=BANK), await client.list_accounts()) == ()
    part = paying("30.00", (first.id, "30.00"), reference="Part")
    (paid,) = await client.create_payments(payment_elements(part, ids))
    assert paid.ok, paid.errors
    assert await due(client, first_id) == ("AUTHORISED", Decimal("70.00"))

    # The rest of the first and all of the second in one bank deposit: a batch payment.
    rest = paying("185.00", (first.id, "70.00"), (second.id, "115.00"), reference="Batch")
    (batch,) = await client.create_batch_payments([batch_payment_json(rest, ids)])
    assert batch.ok and batch.element is not None, batch.errors
    assert batch.element.total_amount == Decimal("185.00")
    assert await due(client, first_id) == ("PAID", Decimal("0.00"))
    assert await due(client, second_id) == ("PAID", Decimal("0.00"))

    # A credit note allocated to a third invoice.
    third = sales_invoice([widget_line("1", "200.00")], number="INV-3")  # 230.00
    third_id = await issued(client, contact_id, third)
    note = CreditNote(
        company_id=COMPANY, kind=CreditNoteKind.SALES, party_id=CUSTOMER, date=MARCH_2,
        currency="NZD", number="CN-1",
        lines=(Line(description="Goodwill", unit_price=Decimal(40), account_code=SALES,
                    tax_type="OUTPUT2", tax_rate=GST),),
    )  # fmt: skip
    (credit,) = await client.create_credit_notes([
        credit_note_json(note, contact_id=contact_id, status="AUTHORISED", defaults=DEFAULTS)
    ])  # fmt: skip
    assert credit.ok and credit.id and credit.element is not None, credit.errors
    assert credit.element.total == note.total == Decimal("46.00")
    await client.allocate_credit_note(
        credit.id, allocation_json(Decimal("46.00"), invoice_id=third_id, date=MARCH_2)
    )
    after = await client.get_invoice(third_id)
    assert (after.amount_due, after.amount_credited) == (Decimal("184.00"), Decimal("46.00"))
    assert (await client.get_credit_note(credit.id)).status == "PAID"

    # A refund as a credit note, paid out of the bank.
    refund = Refund(company_id=COMPANY, customer_id=CUSTOMER, date=MARCH_2,
                    amount=Decimal("12.34"), currency="NZD", reason="Returned widget")  # fmt: skip
    (refund_note,) = await client.create_credit_notes([
        customer_credit_json(refund, contact_id=contact_id, account_code=SALES,
                             status="AUTHORISED", tax_type="OUTPUT2")
    ])  # fmt: skip
    assert refund_note.ok and refund_note.id and refund_note.element is not None
    assert refund_note.element.total == Decimal("12.34")
    (paid_out,) = await client.create_payments([
        payment_json(amount=refund.amount, date=MARCH_2, account=PaymentAccount(code=BANK),
                     credit_note_id=refund_note.id, reference="Refund")
    ])  # fmt: skip
    assert paid_out.ok and paid_out.element is not None, paid_out.errors
    assert paid_out.element.payment_type == "ARCREDITPAYMENT"
    assert (await client.get_credit_note(refund_note.id)).remaining_credit == Decimal("0.00")

    # 200.00 received for the 184.00 due on the third: 184.00 applied, 16.00 over.
    over = paying("200.00", (third.id, "184.00"), reference="Over")
    ids[third.id] = third_id
    (applied,) = await client.create_payments(payment_elements(over, ids))
    assert applied.ok, applied.errors
    transaction = overpayment_json(over, contact_id=contact_id)
    assert transaction is not None
    (received,) = await client.create_bank_transactions([transaction])
    assert received.ok and received.element is not None, received.errors
    overpayment_id = received.element.overpayment_id
    assert overpayment_id is not None
    held = await client.get_overpayment(overpayment_id)
    assert (held.remaining_credit, held.status) == (Decimal("16.00"), "AUTHORISED")
    assert await due(client, third_id) == ("PAID", Decimal("0.00"))
    # By Syncro's rule the 16.00 stays here as store credit instead; used on an invoice
    # later, it reaches Xero as a payment on that invoice.
    left = over.store_credit(CUSTOMER)
    assert left is not None and left.amount == Decimal("16.00")
    fifth = sales_invoice([widget_line("1", "10.00")], number="INV-6")  # 11.50
    fifth_id = await issued(client, contact_id, fifth)
    left.use(Decimal("11.50"), target_id=fifth.id)
    (spent,) = await client.create_payments([store_credit_payment_json(
        left, Decimal("11.50"), invoice_id=fifth_id, date=MARCH_2,
        account=PaymentAccount(code=over.bank_account_code))])  # fmt: skip
    assert spent.ok, spent.errors
    assert await due(client, fifth_id) == ("PAID", Decimal("0.00"))
    # ... or, by setting, Xero holds it as an overpayment, used later on a fourth invoice.
    fourth = sales_invoice([widget_line("1", "20.00")], number="INV-4")  # 23.00
    fourth_id = await issued(client, contact_id, fourth)
    await client.allocate_overpayment(
        overpayment_id, allocation_json(Decimal("16.00"), invoice_id=fourth_id, date=MARCH_2)
    )
    assert await due(client, fourth_id) == ("AUTHORISED", Decimal("7.00"))
    assert (await client.get_overpayment(overpayment_id)).status == "PAID"

    # A negative invoice arrives as a credit note of the same amount turned round.
    negative = sales_invoice([widget_line("1", "10.00"), widget_line("-2", "10.0050")],
                             number="INV-5")  # fmt: skip
    assert negative.total == Decimal("-11.51")
    negative_id, xero = await send_sale(client, negative, contact_id)
    assert xero.sign == -1 and xero.total == Decimal("11.51")
    assert (await client.get_credit_note(negative_id)).type == "ACCRECCREDIT"

    # Every write the flow made matches Xero's published request schemas.
    writes = [
        r for r in in_process.sent if r.method in ("PUT", "POST") and "/api.xro/" in r.url.path
    ]
    assert len(writes) >= 15
    for request in writes:
        validate_sent_request(request)


async def test_a_payment_through_an_account_without_payments_is_refused_by_both(
    in_process: Connected,
) -> None:
    client = in_process.client()
    problems = check_payment_account(PaymentAccount(code=SALES), await client.list_accounts())
    (problem,) = problems
    contact_id = (await client.create_contacts([customer_json(
        Customer(company_id=COMPANY, name="Late Ltd")).contact]))[0].id  # fmt: skip
    assert contact_id is not None
    invoice = sales_invoice([Line(description="Fee", unit_price=Decimal(10), account_code=SALES)])
    invoice_id = await issued(client, contact_id, invoice)
    (refused,) = await client.create_payments([
        payment_json(amount=Decimal(1), date=MARCH_2, account=PaymentAccount(code=SALES),
                     invoice_id=invoice_id)
    ])  # fmt: skip
    assert not refused.ok
    # Our check says what Xero says, before sending.
    assert any(problem.message in message for message in refused.errors), refused.errors


async def test_a_tracked_item_and_an_archived_customer_are_taken_as_built(
    in_process: Connected,
) -> None:
    client = in_process.client()
    tracked = Item(company_id=COMPANY, code="GADGET", name="Gadget", purchase_price=Decimal(4),
                   purchase_account_code="300", sales_price=Decimal("9.9950"),
                   sales_account_code=SALES, is_tracked_as_inventory=True,
                   inventory_asset_account_code="630")  # fmt: skip
    assert check_item(tracked) == ()
    (made,) = await client.create_items([item_json(tracked)], unitdp=4)
    assert made.ok and made.element is not None, made.errors
    assert made.element.is_tracked_as_inventory is True
    assert made.element.purchase_details is not None
    assert made.element.purchase_details.cogs_account_code == "300"
    untracked_cost = replace(tracked, code="NOCOST", purchase_account_code=None)
    (problem,) = check_item(untracked_cost)
    (refused,) = await client.create_items([item_json(untracked_cost)])
    assert not refused.ok and problem.message in refused.errors[0]

    customer = Customer(company_id=COMPANY, name="Gone Ltd")
    (created,) = await client.create_contacts([customer_json(customer).contact])
    assert created.ok and created.id is not None
    customer.archive()
    updated = await client.update_contact(customer_json(customer, contact_id=created.id).contact)
    assert updated.contact_status == "ARCHIVED"


async def _refusal(client: XeroClient, case: str) -> tuple[str, ...]:
    """Xero's messages for one billing write it refuses."""
    if case == "contact persons":
        persons = tuple(XeroContactPerson(first_name=f"P{n}") for n in range(6))
        (made,) = await client.create_contacts([Contact(name="Many", contact_persons=persons)])
        return made.errors
    contact_id = (await client.create_contacts([Contact(name=f"For {case}")]))[0].id
    assert contact_id is not None
    if case == "negative quantity":
        line = LineItem(description="x", quantity=Decimal(-1), unit_amount=Decimal(5),
                        account_code=SALES)  # fmt: skip
        (sent,) = await client.create_invoices([Invoice(type="ACCREC",
            contact=Contact(contact_id=contact_id), line_items=(line, line))])  # fmt: skip
        return sent.errors
    status = "DRAFT" if case == "draft invoice" else "AUTHORISED"
    invoice_id, _ = await send_sale(
        client, sales_invoice([Line(unit_price=Decimal(10), account_code=SALES)]), contact_id,
        status=status,
    )  # fmt: skip
    amount = Decimal(11) if case == "more than due" else Decimal(1)
    account = PaymentAccount(code=SALES if case == "account" else BANK)
    (paid,) = await client.create_payments([payment_json(
        amount=amount, date=MARCH_2, account=account, invoice_id=invoice_id)])  # fmt: skip
    return paid.errors


@pytest.mark.parametrize(
    "case",
    ["contact persons", "negative quantity", "draft invoice", "more than due", "account"],
)
async def test_xeros_refusals_of_billing_writes_have_a_plain_fix(
    in_process: Connected, case: str
) -> None:
    errors = await _refusal(in_process.client(), case)
    assert errors
    assert all(fix_for(message) != UNKNOWN_FIX for message in errors), errors
