"""Lines and the documents made of them: purchase orders, bills, invoices, credit notes."""

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, Field

from ledgerlink.api.schemas.common import (
    AccountCode,
    Code,
    CurrencyCode,
    FieldMessage,
    Name,
    Number,
    Public,
    Strict,
    Text,
    one_of,
)
from ledgerlink.api.schemas.parties import AddressBody, AddressPublic
from ledgerlink.domain.bill import BillStatus
from ledgerlink.domain.credit_note import CreditNoteKind, CreditNoteStatus
from ledgerlink.domain.document import Document
from ledgerlink.domain.lines import Line
from ledgerlink.domain.money import LineAmountType
from ledgerlink.domain.purchase_order import PurchaseOrderStatus
from ledgerlink.domain.sales_invoice import SalesInvoiceStatus

KIND_HELP = "purchase (from a supplier) or sales (to a customer)"


class TrackingBody(Strict):
    category: str = Field(max_length=100, examples=["Region"])
    option: str = Field(max_length=100, examples=["North"])


class LineBody(Strict):
    description: Text = ""
    quantity: Number = Field(
        Decimal(1), description="How many; a line sent without a quantity counts 1."
    )
    unit_price: Number = Decimal(0)
    account_code: AccountCode | None = None
    tax_type: Code | None = None
    tracking: list[TrackingBody] = Field(default_factory=list, description="At most 2.")
    item_code: Annotated[str, Field(max_length=30)] | None = None
    discount_rate: Number | None = Field(None, description="Percent; sales documents only.")


class LinePublic(BaseModel):
    description: str
    quantity: Decimal
    unit_price: Decimal
    account_code: str | None
    tax_type: str | None
    tax_rate: Decimal | None
    tracking: list[TrackingBody]
    item_code: str | None
    discount_rate: Decimal | None
    line_amount: Decimal
    tax_amount: Decimal


NUMBER_HELP = (
    "Our own number for the document (e.g. PO-1001). A purchase order's is sent to Xero as "
    "its PurchaseOrderNumber; a bill's stays here: only its `invoice_number` reaches Xero."
)

INVOICE_NUMBER_HELP = (
    "The supplier's invoice number, as printed on their invoice; it is sent to Xero as the "
    "bill's InvoiceNumber (`number` is our own and is not sent)."
)


class DocumentBody(Strict):
    """What every document takes."""

    number: Name | None = Field(None, description=NUMBER_HELP)
    reference: Name | None = None
    currency: CurrencyCode
    line_amount_type: LineAmountType | None = Field(
        None, description="Default: the company's setting (Exclusive unless changed)."
    )
    lines: list[LineBody] = Field(default_factory=list)


class DocumentPatch(Strict):
    number: Name | None = Field(None, description=NUMBER_HELP)
    reference: Name | None = None
    currency: CurrencyCode | None = None
    line_amount_type: LineAmountType | None = None
    lines: list[LineBody] | None = None


class DocumentPublic(Public):
    id: UUID
    number: str | None = Field(description=NUMBER_HELP)
    reference: str | None
    status: str
    currency: str
    line_amount_type: LineAmountType
    unit_dp: int
    lines: list[LinePublic]
    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    version: int
    warnings: list[FieldMessage] = Field(
        default_factory=list,
        description="On create, change, submit and approve: what Xero would take but needs "
        "attention (e.g. a draft line without an account, account codes not checked while "
        "no chart of accounts is imported).",
    )


class PurchaseOrderCreate(DocumentBody):
    supplier_id: UUID
    date: dt.date
    delivery_date: dt.date | None = None
    shipping_cost: Number = Decimal("0.00")
    shipping_account_code: AccountCode | None = None
    shipping_tax_type: Code | None = None
    shipping_notes: Text | None = None
    attention: Name | None = None
    telephone: Code | None = None
    delivery_address: AddressBody | None = None


class PurchaseOrderUpdate(DocumentPatch):
    supplier_id: UUID | None = None
    date: dt.date | None = None
    delivery_date: dt.date | None = None
    shipping_cost: Number | None = None
    shipping_account_code: AccountCode | None = None
    shipping_tax_type: Code | None = None
    shipping_notes: Text | None = None
    attention: Name | None = None
    telephone: Code | None = None
    delivery_address: AddressBody | None = None


class PurchaseOrderPublic(DocumentPublic):
    status: Annotated[str, one_of(PurchaseOrderStatus)]
    supplier_id: UUID
    date: dt.date
    delivery_date: dt.date | None
    shipping_cost: Decimal
    shipping_account_code: str | None
    shipping_tax_type: str | None
    shipping_notes: str | None
    attention: str | None
    telephone: str | None
    delivery_address: AddressPublic | None
    rejection_reason: str | None
    paid: bool = Field(
        description="Its bill is paid (in Xero too: Xero pays a purchase order through its bill)"
    )


class RejectBody(Strict):
    reason: str = Field(max_length=1000, examples=["Wrong supplier"])


class FinishBody(Strict):
    """Finishing a purchase order makes its bill; these fill in the bill."""

    bill_date: dt.date | None = None
    bill_due_date: dt.date | None = None
    invoice_number: Name | None = Field(None, description=INVOICE_NUMBER_HELP)


class PayableCreate(DocumentBody):
    date: dt.date
    due_date: dt.date | None = None


class PayablePatch(DocumentPatch):
    date: dt.date | None = None
    due_date: dt.date | None = None


class PayablePublic(DocumentPublic):
    date: dt.date
    due_date: dt.date | None
    amount_paid: Decimal
    amount_due: Decimal


class BillCreate(PayableCreate):
    supplier_id: UUID
    invoice_number: Name | None = Field(None, description=INVOICE_NUMBER_HELP)
    purchase_order_id: UUID | None = None


class BillUpdate(PayablePatch):
    supplier_id: UUID | None = None
    invoice_number: Name | None = Field(None, description=INVOICE_NUMBER_HELP)


class BillPublic(PayablePublic):
    status: Annotated[str, one_of(BillStatus)]
    supplier_id: UUID
    invoice_number: str | None = Field(description=INVOICE_NUMBER_HELP)
    purchase_order_id: UUID | None


class InvoiceCreate(PayableCreate):
    customer_id: UUID


class InvoiceUpdate(PayablePatch):
    customer_id: UUID | None = None


class InvoicePublic(PayablePublic):
    status: Annotated[str, one_of(SalesInvoiceStatus)]
    customer_id: UUID


class CreditNoteCreate(DocumentBody):
    kind: Annotated[str, one_of(CreditNoteKind, KIND_HELP)]
    party_id: UUID
    date: dt.date
    credited_document_id: UUID | None = None


class CreditNoteUpdate(DocumentPatch):
    date: dt.date | None = None


class CreditNotePublic(DocumentPublic):
    status: Annotated[str, one_of(CreditNoteStatus)]
    kind: Annotated[str, one_of(CreditNoteKind, KIND_HELP)]
    party_id: UUID
    date: dt.date
    amount_allocated: Decimal = Field(
        description="What is allocated of it here, to bills or sales invoices here."
    )
    allocated_in_xero: Decimal = Field(
        description=(
            "Read only. What Xero has allocated of it to bills or invoices that are not in "
            "ledgerlink; it follows Xero at each pull, and is used credit all the same."
        ),
        json_schema_extra={"readOnly": True},
    )
    refunded_in_xero: Decimal = Field(
        description=(
            "Read only. What Xero has paid out of it as refunds (payments of the credit note "
            "in Xero, e.g. money paid back to the customer); it follows Xero at each pull "
            "(a refund deleted there gives the credit back), and is used credit all the same."
        ),
        json_schema_extra={"readOnly": True},
    )
    remaining_credit: Decimal = Field(
        description=(
            "What is left to use: total − amount_allocated − allocated_in_xero − "
            "refunded_in_xero (Xero's RemainingCredit)."
        )
    )
    credited_document_id: UUID | None


def line_public(line: Line, line_amount_type: LineAmountType) -> LinePublic:
    return LinePublic(
        description=line.description,
        quantity=line.quantity,
        unit_price=line.unit_price,
        account_code=line.account_code,
        tax_type=line.tax_type,
        tax_rate=line.tax_rate,
        tracking=[TrackingBody(category=t.category, option=t.option) for t in line.tracking],
        item_code=line.item_code,
        discount_rate=line.discount_rate,
        line_amount=line.amount,
        tax_amount=line.tax(line_amount_type),
    )


def document_public(model: type[DocumentPublic], document: Document) -> DocumentPublic:
    """`document` as `model`: its fields, its lines with their amounts, and its totals."""
    values: dict[str, Any] = {
        f.name: getattr(document, f.name)
        for f in dataclasses.fields(document)
        if f.name != "events"
    }
    for name in ("amount_due", "remaining_credit"):
        if name in model.model_fields:
            values[name] = getattr(document, name)
    totals = document.totals
    values.update(
        lines=[line_public(line, document.line_amount_type) for line in document.lines],
        sub_total=totals.sub_total,
        total_tax=totals.total_tax,
        total=totals.total,
        status=str(document.status.value),
    )
    return model.model_validate(values)
