"""Payments for the worker's tests: recorded here as the API records them, and read back
from the sandbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

from ledgerlink.domain import Bill
from ledgerlink.domain.payments import Allocation, Payment, settle, unsettle
from ledgerlink.store.repositories.sync_states import SyncState, SyncStateRepository
from tests.integration.conftest import FakeClock
from tests.integration.sync.conftest import (
    UowFactory,
    add_supplier,
    approved_bill,
    sandbox_control,
    sandbox_get,
)
from xero_sandbox import RunningSandbox

PAID_ON = dt.date(2026, 3, 10)


def pay(
    uow_factory: UowFactory,
    company_id: UUID,
    *parts: tuple[Bill, str],
    reference: str = "Cheque 1",
    account: str = "090",
    on: dt.date = PAID_ON,
) -> Payment:
    """Record a payment of ``parts`` (bill, amount) and apply it to the bills, as the API
    does: one commit, one ``PaymentRecorded`` event."""
    with uow_factory() as uow:
        bills = {}
        for bill, _ in parts:
            stored = uow.bills.get(company_id, bill.id)
            assert stored is not None
            bills[bill.id] = stored
        payment = Payment.record(
            company_id=company_id,
            date=on,
            amount=sum((Decimal(a) for _, a in parts), Decimal(0)),
            currency="NZD",
            bank_account_code=account,
            reference=reference,
            allocations=tuple(Allocation(document_id=b.id, amount=Decimal(a)) for b, a in parts),
        )
        settle(payment, bills)  # type: ignore[arg-type]
        uow.payments.add(payment)
        uow.commit()
    return payment


def delete(uow_factory: UowFactory, company_id: UUID, payment: Payment) -> None:
    """Delete a payment here, as ``POST .../payments/{id}/delete`` does."""
    with uow_factory() as uow:
        stored = uow.payments.get(company_id, payment.id)
        assert stored is not None
        bills = {
            a.document_id: uow.bills.get(company_id, a.document_id) for a in stored.allocations
        }
        stored.delete()
        unsettle(stored, bills)  # type: ignore[arg-type]
        uow.commit()


async def xero_invoice(sandbox: RunningSandbox, number: str) -> dict[str, Any]:
    """The bill Xero holds under the supplier's invoice ``number``."""
    (found,) = (await sandbox_get(sandbox, "/Invoices", InvoiceNumbers=number))["Invoices"]
    invoice: dict[str, Any] = found
    return invoice


async def standing(sandbox: RunningSandbox, number: str) -> tuple[str, Decimal, Decimal]:
    """Status, amount paid and amount due of a bill in Xero."""
    invoice = await xero_invoice(sandbox, number)
    return (
        invoice["Status"],
        Decimal(str(invoice["AmountPaid"])),
        Decimal(str(invoice["AmountDue"])),
    )


async def xero_payments(sandbox: RunningSandbox, invoice_id: str) -> list[dict[str, Any]]:
    """Every payment Xero holds on a document, deleted ones included."""
    where = f'Invoice.InvoiceID==Guid("{invoice_id}")'
    found: list[dict[str, Any]] = (await sandbox_get(sandbox, "/Payments", where=where))["Payments"]
    return found


def approved_bills(
    uow_factory: UowFactory, company_id: UUID, supplier: str, *numbers: str
) -> list[Bill]:
    """Approved bills of one new supplier named ``supplier``, numbered ``numbers``."""
    made = add_supplier(uow_factory, company_id, supplier)
    return [approved_bill(uow_factory, company_id, made, n) for n in numbers]


def payment_state(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock, payment_id: UUID
) -> SyncState | None:
    with uow_factory() as uow:
        return SyncStateRepository(uow.session, clock).get(company_id, "payment", payment_id)


async def writes(sandbox: RunningSandbox, wanted: Callable[[str], bool]) -> int:
    """How many PUT and POST calls the sandbox answered on the paths ``wanted`` picks."""
    stats = await sandbox_control(sandbox, "GET", "/stats")
    return sum(
        call["count"]
        for organisation in stats["organisations"]
        for call in organisation.get("calls", [])
        if call["method"] in ("PUT", "POST") and wanted(call["path"])
    )
