"""Apply an invoice as Xero holds it to the bill linked to it.

Only what Xero settles is taken: a payment (the bill is paid up to Xero's amount paid)
and a void or deletion (the bill is cancelled). The bill's events are dropped: a change
that came from Xero is not sent back to it.
"""

from decimal import Decimal
from uuid import UUID

from ledgerlink.domain.bill import Bill, BillStatus
from ledgerlink.domain.errors import DomainError
from ledgerlink.store.uow import SqlUnitOfWork
from xero_client import Invoice

BILL = "bill"
CANCELLED_IN_XERO = frozenset({"VOIDED", "DELETED"})
PAYABLE = frozenset({BillStatus.APPROVED, BillStatus.PARTIALLY_PAID})


def apply_invoice(
    uow: SqlUnitOfWork, company_id: UUID, tenant_id: str, invoice_id: str, invoice: Invoice | None
) -> str | None:
    """Bring the linked bill in line with `invoice`; returns a note when nothing changed."""
    link = uow.xero_links.find(tenant_id, BILL, invoice_id)
    if link is None or link.company_id != company_id:
        return f"no bill here is linked to Xero invoice {invoice_id}"
    if invoice is None:
        return f"Xero holds no invoice {invoice_id}"
    bill = uow.bills.get(company_id, UUID(link.entity_id))
    if bill is None:
        return f"the bill linked to Xero invoice {invoice_id} no longer exists"
    try:
        _apply(bill, invoice)
    except DomainError as refused:
        return f"Xero invoice {invoice_id} is {invoice.status}; not applied here: {refused}"
    bill.pull_events()  # nothing goes back to Xero for a change that came from it
    return None


def _apply(bill: Bill, invoice: Invoice) -> None:
    if (invoice.status or "").upper() in CANCELLED_IN_XERO:
        if bill.status is not BillStatus.CANCELLED:
            bill.cancel()
        return
    owed = (invoice.amount_paid or Decimal(0)) - bill.amount_paid
    if owed > 0 and bill.status in PAYABLE:
        bill.apply_payment(min(owed, bill.amount_due))
