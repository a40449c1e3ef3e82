"""A company's export settings: what reaches Xero, in which status, with which defaults.

Stored in the company's settings: ``rounding`` and ``line_amount_type`` where the store
keeps them, everything else under ``options["xero_export"]``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.limits import text_problem
from ledgerlink.domain.money import LineAmountType

OPTIONS_KEY = "xero_export"
PURCHASE_ORDER_UNIT_DP = 2

XeroArrivalStatus = Literal["DRAFT", "SUBMITTED", "AUTHORISED"]


class DocumentsToSend(enum.StrEnum):
    """Which approved documents the worker sends to Xero."""

    PURCHASE_ORDERS = "purchase_orders"
    BILLS = "bills"
    BOTH = "both"
    NONE = "none"


class NegativeInvoices(enum.StrEnum):
    """What becomes of a sales invoice whose total is below 0."""

    CREDIT_NOTE = "credit_note"
    REFUSE = "refuse"


class SplitPayments(enum.StrEnum):
    """How a payment over several documents reaches Xero."""

    #: One Xero payment per bill or invoice paid.
    PAYMENTS = "payments"
    #: One Xero batch payment (one bank deposit or withdrawal) holding them all.
    BATCH_PAYMENT = "batch_payment"


class Overpayments(enum.StrEnum):
    """What becomes of the part of a customer's payment above what it pays."""

    #: Kept here as store credit (Syncro's rule); used later, it is a payment on that invoice.
    STORE_CREDIT = "store_credit"
    #: Sent as a Xero overpayment; used later, it is an allocation of that overpayment.
    XERO_OVERPAYMENT = "xero_overpayment"


#: Kinds sent as credit notes in Xero, under the credit notes' switch and status.
CREDIT_NOTE_KINDS = frozenset({"credit_note", "refund", "store_credit"})


class ExportSettings(BaseModel):
    """What a company sends to Xero and how (``GET/PUT .../xero/settings``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    documents: DocumentsToSend = Field(
        DocumentsToSend.BOTH,
        description="Which approved documents to send: purchase_orders, bills, both or none.",
    )
    purchase_order_status: XeroArrivalStatus = Field(
        "AUTHORISED", description="The status purchase orders arrive in at Xero."
    )
    bill_status: XeroArrivalStatus = Field(
        "AUTHORISED", description="The status bills arrive in at Xero."
    )
    unit_price_dp: Literal[2, 4] = Field(
        2,
        description="Decimal places of unit prices (Xero's unitdp). Xero purchase orders "
        "accept 2 only.",
    )
    line_amount_type: LineAmountType = Field(
        LineAmountType.EXCLUSIVE, description="Exclusive, Inclusive or NoTax."
    )
    default_account_code: str | None = Field(
        None, max_length=10, description="The account of lines that name none."
    )
    default_tax_type: str | None = Field(
        None, max_length=50, description="The tax type of lines that name none."
    )
    shipping_account_code: str | None = Field(
        None, max_length=10, description="The account of the shipping line of orders."
    )
    send_sales_invoices: bool = Field(True, description="Send issued sales invoices to Xero.")
    sales_invoice_status: XeroArrivalStatus = Field(
        "AUTHORISED", description="The status sales invoices arrive in at Xero."
    )
    zero_invoices_when_paid: bool = Field(
        True,
        description="Send a $0 sales invoice only once it is paid (Syncro's rule); "
        "false sends it when issued.",
    )
    negative_invoices: NegativeInvoices = Field(
        NegativeInvoices.CREDIT_NOTE,
        description="A sales invoice below $0: credit_note (sent as an ACCRECCREDIT credit "
        "note) or refuse (failed with the reason).",
    )
    send_credit_notes: bool = Field(True, description="Send approved credit notes to Xero.")
    credit_note_status: XeroArrivalStatus = Field(
        "AUTHORISED", description="The status credit notes arrive in at Xero."
    )
    default_sales_tax_type: str | None = Field(
        None, max_length=50, description="The tax type of sales lines that name none."
    )
    product_category_tracking: str | None = Field(
        None,
        max_length=100,
        description="The Xero tracking category products' categories go to: a sales line "
        "of a product with a category gets the option of that name in it (unless the line "
        "sets that tracking category itself). None: categories stay here.",
    )

    inventory_adjustment_account_code: str | None = Field(
        None,
        max_length=10,
        description="The account stock takes post their difference to (Xero's inventory "
        "adjustment account); stock takes wait, failed with this fix, until it is set.",
    )

    send_payments: bool = Field(
        True,
        description="Send payments recorded here to Xero, once the bills and invoices they "
        "pay are there and authorised.",
    )
    split_payments: SplitPayments = Field(
        SplitPayments.PAYMENTS,
        description="A payment over several bills or invoices: 'payments' (one Xero payment "
        "each) or 'batch_payment' (one Xero batch payment, as one bank deposit).",
    )
    overpayments: Overpayments = Field(
        Overpayments.STORE_CREDIT,
        description="What a customer's payment leaves over: 'store_credit' (kept here; used "
        "on an invoice later, it reaches Xero as a payment of that invoice) or "
        "'xero_overpayment' (sent as a Xero overpayment, allocated to invoices as it is used).",
    )
    credit_account_code: str | None = Field(
        None,
        max_length=10,
        description="The revenue account of the credit note line of a refund that names no "
        "invoice and of store credit added by hand (a refund of an invoice takes the "
        "account and tax of the invoice's first line).",
    )

    @field_validator(
        "default_account_code",
        "default_tax_type",
        "shipping_account_code",
        "default_sales_tax_type",
        "credit_account_code",
        "inventory_adjustment_account_code",
        "product_category_tracking",
    )
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        if value is None:
            return None
        problem = text_problem(value)
        if problem is not None:
            raise ValueError(problem)
        value = value.strip()
        return value or None

    def sends(self, kind: str) -> bool:
        """True when documents of ``kind`` go to Xero."""
        if kind == "sales_invoice":
            return self.send_sales_invoices
        if kind in CREDIT_NOTE_KINDS:
            return self.send_credit_notes
        if self.documents is DocumentsToSend.BOTH:
            return kind in ("purchase_order", "bill")
        if self.documents is DocumentsToSend.PURCHASE_ORDERS:
            return kind == "purchase_order"
        if self.documents is DocumentsToSend.BILLS:
            return kind == "bill"
        return False

    def status_for(self, kind: str) -> XeroArrivalStatus:
        """The Xero status a new document of ``kind`` arrives in."""
        if kind in CREDIT_NOTE_KINDS:
            return self.credit_note_status
        return {
            "purchase_order": self.purchase_order_status,
            "sales_invoice": self.sales_invoice_status,
        }.get(kind, self.bill_status)

    def caveats(self) -> list[str]:
        """What a person should know about these settings."""
        notes = []
        if self.unit_price_dp != PURCHASE_ORDER_UNIT_DP and self.sends("purchase_order"):
            notes.append(
                "Xero purchase orders accept unit prices to 2 decimal places only: a purchase "
                "order line priced to more places is refused before sending; bills keep 4."
            )
        return notes

    def options_json(self) -> dict[str, Any]:
        """What is kept under ``options["xero_export"]``."""
        return self.model_dump(mode="json", exclude={"unit_price_dp", "line_amount_type"})


def export_settings(
    rounding: int, line_amount_type: LineAmountType, options: Mapping[str, Any]
) -> ExportSettings:
    """The export settings stored in a company's settings.

    Raises:
        InvalidValue: the stored options no longer validate (names the field).
    """
    raw = options.get(OPTIONS_KEY, {})
    try:
        return ExportSettings.model_validate(
            {**raw, "unit_price_dp": rounding, "line_amount_type": line_amount_type}
        )
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or OPTIONS_KEY
        raise InvalidValue(f"settings.options.{OPTIONS_KEY}.{where}", first["msg"]) from None
