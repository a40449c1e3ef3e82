"""Sales invoices linked to Xero follow what Xero does to them: paid, partly paid, voided."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from ledgerlink.domain.credits import StoreCredit
from ledgerlink.domain.events import CREDIT_USE
from ledgerlink.domain.parties import Customer
from ledgerlink.domain.sales_invoice import SalesInvoice, SalesInvoiceStatus
from ledgerlink.sync.engine import Worker
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.inbound.conftest import (
    connect,
    outbox_rows,
    pay_in_xero,
    store_events,
    xero_write,
)
from tests.integration.sync.conftest import line, sandbox_get
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox


async def invoice_in_xero(
    uow_factory: UowFactory, company_id: UUID, sandbox: RunningSandbox
) -> tuple[SalesInvoice, str]:
    """An issued sales invoice here and its ACCREC twin in Xero, linked as an export links."""
    customer = Customer(company_id=company_id, name="Boom FM")
    invoice = SalesInvoice(
        company_id=company_id,
        customer_id=customer.id,
        currency="NZD",
        number="INV-0100",
        date=dt.date(2026, 3, 1),
        due_date=dt.date(2026, 3, 31),
        lines=[line(account_code="200", tax_type="OUTPUT2")],
    )
    invoice.issue()
    accrec = {"Type": "ACCREC", "Contact": {"Name": "Boom FM"}, "Date": "2026-03-01",
              "DueDate": "2026-03-31", "Status": "AUTHORISED", "InvoiceNumber": "INV-0100",
              "LineItems": [{"Description": "Paper", "Quantity": "3", "UnitAmount": "33.33",
                             "AccountCode": "200", "TaxType": "OUTPUT2"}]}  # fmt: skip
    made = await xero_write(sandbox, "PUT", "/Invoices", {"Invoices": [accrec]})
    xero_id = made["Invoices"][0]["InvoiceID"]
    assert Decimal(str(made["Invoices"][0]["Total"])) == invoice.total
    with uow_factory() as uow:
        uow.customers.add(customer)
        uow.sales_invoices.add(invoice)
        invoice.pull_events()
        uow.xero_links.upsert(
            company_id, "sales_invoice", invoice.id, tenant_id=DEMO_TENANT_ID, xero_id=xero_id
        )
        uow.commit()
        connect(uow, company_id, DEMO_TENANT_ID)
    return invoice, xero_id


def reread(uow_factory: UowFactory, invoice: SalesInvoice) -> SalesInvoice:
    with uow_factory() as uow:
        found = uow.sales_invoices.get(invoice.company_id, invoice.id)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("paid", "status"),
    [("40.00", SalesInvoiceStatus.PARTIALLY_PAID), (None, SalesInvoiceStatus.PAID)],
    ids=["partial", "full"],
)
async def test_a_sales_invoice_paid_in_xero_is_paid_here_with_nothing_sent_back(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
    paid: str | None,
    status: SalesInvoiceStatus,
) -> None:
    invoice, xero_id = await invoice_in_xero(uow_factory, company_id, sandbox)
    amount = Decimal(paid) if paid else invoice.total
    await pay_in_xero(sandbox, xero_id, str(amount))
    store_events(uow_factory, clock, xero_id)
    before = outbox_rows(uow_factory)

    await make_worker().run_pass()

    found = reread(uow_factory, invoice)
    assert (found.status, found.amount_paid, found.amount_due) == (
        status,
        amount,
        invoice.total - amount,
    )
    assert outbox_rows(uow_factory) == before


async def test_a_sales_invoice_voided_in_xero_is_voided_here(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    invoice, xero_id = await invoice_in_xero(uow_factory, company_id, sandbox)
    body = {"Invoices": [{"InvoiceID": xero_id, "Status": "VOIDED"}]}
    await xero_write(sandbox, "POST", f"/Invoices/{xero_id}", body)
    store_events(uow_factory, clock, xero_id)
    before = outbox_rows(uow_factory)

    await make_worker().run_pass()

    assert reread(uow_factory, invoice).status is SalesInvoiceStatus.VOIDED
    assert outbox_rows(uow_factory) == before


async def test_a_sales_invoice_whose_payment_was_removed_then_voided_in_xero_is_voided_here(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    invoice, xero_id = await invoice_in_xero(uow_factory, company_id, sandbox)
    await pay_in_xero(sandbox, xero_id, "10.00")
    await make_worker().run_pass()
    assert reread(uow_factory, invoice).status is SalesInvoiceStatus.PARTIALLY_PAID
    (made,) = (await _invoice(sandbox, xero_id))["Payments"]
    await xero_write(sandbox, "POST", f"/Payments/{made['PaymentID']}", {"Status": "DELETED"})
    body = {"Invoices": [{"InvoiceID": xero_id, "Status": "VOIDED"}]}
    await xero_write(sandbox, "POST", f"/Invoices/{xero_id}", body)
    clock.advance(1)
    store_events(uow_factory, clock, xero_id)

    await make_worker().run_pass()  # the payments first, then the void

    found = reread(uow_factory, invoice)
    assert (found.status, found.amount_paid) == (SalesInvoiceStatus.VOIDED, Decimal("0.00"))


async def _invoice(sandbox: RunningSandbox, xero_id: str) -> dict[str, object]:
    (invoice,) = (await sandbox_get(sandbox, f"/Invoices/{xero_id}"))["Invoices"]
    found: dict[str, object] = invoice
    return found


async def test_a_customers_overpayment_in_xero_is_store_credit_here_used_as_xero_allocates(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    invoice, xero_id = await invoice_in_xero(uow_factory, company_id, sandbox)
    contact_id = (await _invoice(sandbox, xero_id))["Contact"]["ContactID"]  # type: ignore[index]
    with uow_factory() as uow:
        uow.xero_links.upsert(company_id, "customer", invoice.customer_id,
                              tenant_id=DEMO_TENANT_ID, xero_id=contact_id)  # fmt: skip
        uow.commit()
    money_in = {"Type": "RECEIVE-OVERPAYMENT", "Contact": {"ContactID": contact_id},
                "BankAccount": {"Code": "090"}, "Date": "2026-03-05", "LineAmountTypes": "NoTax",
                "LineItems": [{"Description": "Paid twice", "LineAmount": "80.00"}]}  # fmt: skip
    made = await xero_write(sandbox, "PUT", "/BankTransactions", {"BankTransactions": [money_in]})
    overpayment_id = made["BankTransactions"][0]["OverpaymentID"]
    allocation = {"Invoice": {"InvoiceID": xero_id}, "Amount": "30.00", "Date": "2026-03-06"}
    placed = await xero_write(sandbox, "PUT", f"/Overpayments/{overpayment_id}/Allocations",
                              {"Allocations": [allocation]})  # fmt: skip
    before = outbox_rows(uow_factory)

    await make_worker().run_pass()

    with uow_factory() as uow:
        (credit,) = uow.store_credits.list(company_id)
    assert (credit.customer_id, credit.amount, credit.amount_used, credit.remaining) == (
        invoice.customer_id, Decimal("80.00"), Decimal("30.00"), Decimal("50.00"),
    )  # fmt: skip
    assert reread(uow_factory, invoice).amount_paid == Decimal("30.00")
    assert outbox_rows(uow_factory) == before

    allocation_id = placed["Allocations"][0]["AllocationID"]
    await xero_write(
        sandbox, "DELETE", f"/Overpayments/{overpayment_id}/Allocations/{allocation_id}", None
    )
    clock.advance(5 * 60)
    await make_worker().run_pass()

    with uow_factory() as uow:
        (credit,) = uow.store_credits.list(company_id)
    assert (credit.amount_used, credit.remaining) == (Decimal("0.00"), Decimal("80.00"))
    assert reread(uow_factory, invoice).amount_paid == Decimal("0.00")
    assert outbox_rows(uow_factory) == before


async def test_an_overpayment_sent_from_here_is_not_taken_back_as_new_store_credit(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    """The rest of a payment sent to Xero as an overpayment (``overpayments:
    xero_overpayment``) is linked to its use record here; reading it back from Xero makes
    no second store credit of it."""
    invoice, xero_id = await invoice_in_xero(uow_factory, company_id, sandbox)
    contact_id = (await _invoice(sandbox, xero_id))["Contact"]["ContactID"]  # type: ignore[index]
    money_in = {"Type": "RECEIVE-OVERPAYMENT", "Contact": {"ContactID": contact_id},
                "BankAccount": {"Code": "090"}, "Date": "2026-03-05", "LineAmountTypes": "NoTax",
                "LineItems": [{"Description": "Paid twice", "LineAmount": "80.00"}]}  # fmt: skip
    made = await xero_write(sandbox, "PUT", "/BankTransactions", {"BankTransactions": [money_in]})
    overpayment_id = made["BankTransactions"][0]["OverpaymentID"]
    with uow_factory() as uow:
        uow.xero_links.upsert(company_id, "customer", invoice.customer_id,
                              tenant_id=DEMO_TENANT_ID, xero_id=contact_id)  # fmt: skip
        credit = StoreCredit(company_id=company_id, customer_id=invoice.customer_id,
                             date=dt.date(2026, 3, 5), amount=Decimal("80.00"),
                             currency="NZD", source_payment_id=uuid4())  # fmt: skip
        use = credit.send_as_overpayment("090")
        uow.store_credits.add(credit)
        uow.xero_links.upsert(company_id, CREDIT_USE, use, tenant_id=DEMO_TENANT_ID,
                              xero_id=overpayment_id)  # fmt: skip
        uow.commit()

    await make_worker().run_pass()

    with uow_factory() as uow:
        (kept,) = uow.store_credits.list(company_id)
    assert (kept.id, kept.amount, kept.amount_used) == (credit.id, Decimal("80.00"), 0)
