"""Purchase orders and bills as Xero JSON (``PurchaseOrders`` and ``ACCPAY`` invoices).

Field by field, following Xero's Accounting API (``xero_accounting.yaml``):

================================  ===========================================
ours                              Xero
================================  ===========================================
purchase order ``number``         ``PurchaseOrderNumber``
bill ``invoice_number``           ``InvoiceNumber`` (shown as "Reference" on bills)
supplier                          ``Contact`` (``ContactID``)
``date`` / ``delivery_date``      ``Date`` / ``DeliveryDate``
bill ``due_date``                 ``DueDate``
``currency``                      ``CurrencyCode``
``line_amount_type``              ``LineAmountTypes``
shipping cost                     one more line, on the shipping account
``shipping_notes``                ``DeliveryInstructions`` (500 characters)
``attention`` / ``telephone``     ``AttentionTo`` / ``Telephone``
``delivery_address``              ``DeliveryAddress`` (one text)
================================  ===========================================
"""

from __future__ import annotations

from dataclasses import replace

from ledgerlink.domain.bill import Bill
from ledgerlink.domain.parties import Address
from ledgerlink.domain.purchase_order import PurchaseOrder as OurPurchaseOrder
from ledgerlink.domain.sales_invoice import SalesInvoice
from ledgerlink.xero.outbound.lines import LineDefaults, line_item, line_items
from xero_client import Contact, Invoice, PurchaseOrder


def _address_text(address: Address | None) -> str | None:
    if address is None or address.is_empty:
        return None
    parts = [
        address.line1,
        address.line2,
        address.line3,
        address.line4,
        " ".join(p for p in (address.city, address.region, address.postal_code) if p),
        address.country,
    ]
    return "\n".join(p for p in parts if p)


def purchase_order_json(
    order: OurPurchaseOrder,
    *,
    contact_id: str,
    status: str | None,
    defaults: LineDefaults,
    shipping_account_code: str | None = None,
    xero_id: str | None = None,
) -> PurchaseOrder:
    """The purchase order as Xero reads it; with ``xero_id`` it updates that order."""
    lines = list(line_items(order.lines, defaults))
    shipping = order.shipping_line()
    if shipping is not None:
        item = line_item(shipping, defaults)
        account = shipping.account_code or shipping_account_code or defaults.account_code
        lines.append(replace(item, account_code=account))
    return PurchaseOrder(
        purchase_order_id=xero_id,
        purchase_order_number=order.number,
        reference=order.reference,
        contact=Contact(contact_id=contact_id),
        date=order.date,
        delivery_date=order.delivery_date,
        status=status,
        line_amount_types=order.line_amount_type.value,
        line_items=tuple(lines),
        currency_code=order.currency,
        delivery_address=_address_text(order.delivery_address),
        attention_to=order.attention,
        telephone=order.telephone,
        delivery_instructions=order.shipping_notes,
    )


def bill_json(
    bill: Bill,
    *,
    contact_id: str,
    status: str | None,
    defaults: LineDefaults,
    xero_id: str | None = None,
) -> Invoice:
    """The bill as a Xero ``ACCPAY`` invoice; with ``xero_id`` it updates that bill."""
    return invoice_json(
        bill,
        type_="ACCPAY",
        number=bill.invoice_number,
        contact_id=contact_id,
        status=status,
        defaults=defaults,
        xero_id=xero_id,
    )


def invoice_json(
    document: Bill | SalesInvoice,
    *,
    type_: str,
    number: str | None,
    contact_id: str,
    status: str | None,
    defaults: LineDefaults,
    xero_id: str | None,
) -> Invoice:
    """A bill or a sales invoice as a Xero invoice of ``type_`` numbered ``number``."""
    return Invoice(
        invoice_id=xero_id,
        type=type_,
        invoice_number=number,
        reference=document.reference,
        contact=Contact(contact_id=contact_id),
        date=document.date,
        due_date=document.due_date,
        status=status,
        line_amount_types=document.line_amount_type.value,
        line_items=line_items(document.lines, defaults),
        currency_code=document.currency,
    )


def status_change(kind: str, xero_id: str, status: str) -> PurchaseOrder | Invoice:
    """Only a new status for an existing Xero document (DELETED, VOIDED, BILLED)."""
    if kind == "purchase_order":
        return PurchaseOrder(purchase_order_id=xero_id, status=status)
    return Invoice(invoice_id=xero_id, status=status)
