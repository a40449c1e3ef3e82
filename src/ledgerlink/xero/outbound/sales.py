"""Sales invoices, credit notes, refunds and store credit as Xero JSON.

================================  ===========================================
ours                              Xero
================================  ===========================================
sales invoice                     ``ACCREC`` invoice
``number`` / ``reference``        ``InvoiceNumber`` / ``Reference``
customer                          ``Contact`` (``ContactID``)
``date`` / ``due_date``           ``Date`` / ``DueDate``
``line_amount_type``              ``LineAmountTypes`` (Exclusive, Inclusive, NoTax)
line ``discount_rate``            ``DiscountRate`` (percent)
line ``unit_price`` (2 or 4 dp)   ``UnitAmount`` (send with ``unitdp=4``: ``unitdp_for``)
negative sales invoice            ``ACCRECCREDIT`` credit note, lines turned
                                  round (Xero takes no invoice below 0)
discount on a credit note         one unit of the discounted line amount (Xero's
                                  credit notes take no ``DiscountRate``)
sales / purchase credit note      ``ACCRECCREDIT`` / ``ACCPAYCREDIT`` credit note
refund, hand-made store credit    ``ACCRECCREDIT`` credit note of one line, amount
                                  tax inclusive (its total is the amount)
credit used on an invoice         ``Allocation`` (``PUT .../Allocations``)
================================  ===========================================
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ledgerlink.domain.credit_note import CreditNote, CreditNoteKind
from ledgerlink.domain.credits import Refund, StoreCredit
from ledgerlink.domain.errors import InvalidDocument
from ledgerlink.domain.money import LineAmountType
from ledgerlink.domain.sales_invoice import SalesInvoice
from ledgerlink.xero.outbound.documents import invoice_json
from ledgerlink.xero.outbound.lines import LineDefaults, line_items
from ledgerlink.xero.outbound.settings import XeroArrivalStatus
from xero_client import Allocation, Contact, Invoice, LineItem
from xero_client import CreditNote as XeroCreditNote

REFUND_DESCRIPTION = "Refund"
STORE_CREDIT_DESCRIPTION = "Store credit"


def sales_invoice_json(
    invoice: SalesInvoice,
    *,
    contact_id: str,
    status: XeroArrivalStatus | str | None,
    defaults: LineDefaults,
    xero_id: str | None = None,
) -> Invoice:
    """The sales invoice as a Xero ``ACCREC`` invoice; with ``xero_id`` it updates it.

    Raises:
        InvalidDocument: the invoice is negative (send it with ``credit_note_json``).
    """
    if invoice.is_negative:
        raise InvalidDocument(
            "lines",
            f"the invoice total {invoice.total} is below 0 and Xero takes no negative "
            "invoice: send it as a credit note",
        )
    return invoice_json(
        invoice,
        type_="ACCREC",
        number=invoice.number,
        contact_id=contact_id,
        status=status,
        defaults=defaults,
        xero_id=xero_id,
    )


def credit_note_json(
    document: CreditNote | SalesInvoice,
    *,
    contact_id: str,
    status: XeroArrivalStatus | str | None,
    defaults: LineDefaults,
    xero_id: str | None = None,
) -> XeroCreditNote:
    """A credit note, or a negative sales invoice, as a Xero credit note.

    A negative invoice becomes an ``ACCRECCREDIT`` credit note with its lines turned
    round, so its total is the invoice's total turned round, to the cent. Xero's credit
    notes take no discount: a discounted line goes as one unit of its discounted amount.

    Raises:
        InvalidDocument: ``document`` is a sales invoice that is not negative.
    """
    if isinstance(document, SalesInvoice):
        if not document.is_negative:
            raise InvalidDocument(
                "lines",
                f"only a negative invoice becomes a credit note; this one totals {document.total}",
            )
        kind, sign = "ACCRECCREDIT", -1
    else:
        purchase = document.kind is CreditNoteKind.PURCHASE
        kind, sign = ("ACCPAYCREDIT" if purchase else "ACCRECCREDIT"), 1
    lines = line_items(document.lines, defaults, sign=sign, discounts=False)
    return XeroCreditNote(
        credit_note_id=xero_id,
        type=kind,
        credit_note_number=document.number,
        reference=document.reference,
        contact=Contact(contact_id=contact_id),
        date=document.date,
        status=status,
        line_amount_types=document.line_amount_type.value,
        line_items=lines,
        currency_code=document.currency,
    )


def customer_credit_json(
    credit: Refund | StoreCredit,
    *,
    contact_id: str,
    account_code: str,
    status: XeroArrivalStatus | str | None,
    tax_type: str | None = None,
    xero_id: str | None = None,
) -> XeroCreditNote:
    """A refund or hand-made store credit as an ``ACCRECCREDIT`` credit note of one line.

    The line is tax inclusive (``NoTax`` without ``tax_type``), so the credit note's total
    is the credit's amount whatever the rate. ``account_code`` is the account the credit
    reverses (the sales account, or the liability account refunds are mapped to).
    """
    if isinstance(credit, Refund):
        description = credit.reason or REFUND_DESCRIPTION
    else:
        description = STORE_CREDIT_DESCRIPTION
    amounts = LineAmountType.INCLUSIVE if tax_type else LineAmountType.NO_TAX
    return XeroCreditNote(
        credit_note_id=xero_id,
        type="ACCRECCREDIT",
        contact=Contact(contact_id=contact_id),
        date=credit.date,
        status=status,
        line_amount_types=amounts.value,
        line_items=(
            LineItem(
                description=description,
                quantity=Decimal(1),
                unit_amount=credit.amount,
                account_code=account_code,
                tax_type=tax_type,
            ),
        ),
        currency_code=credit.currency,
    )


def allocation_json(amount: Decimal, *, invoice_id: str, date: dt.date) -> Allocation:
    """``amount`` of a credit note or overpayment used on the Xero invoice ``invoice_id``."""
    if amount <= 0:
        raise InvalidDocument("amount", f"an allocation must be more than 0, got {amount}")
    return Allocation(invoice=Invoice(invoice_id=invoice_id), amount=amount, date=date)
