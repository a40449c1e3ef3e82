"""What differs between exporting purchase orders and bills: the Xero shape and calls,
the status a new one is sent in, how it is looked up and how it is taken back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from ledgerlink.domain.bill import Bill
from ledgerlink.domain.document import Document
from ledgerlink.domain.purchase_order import PurchaseOrder as OurPurchaseOrder
from ledgerlink.sync.export.reconcile import Found, Taken, find_bills, find_purchase_orders
from ledgerlink.xero.outbound.documents import bill_json, purchase_order_json, status_change
from ledgerlink.xero.outbound.lines import LineDefaults
from ledgerlink.xero.outbound.settings import ExportSettings
from xero_client import BatchResult, Invoice, PurchaseOrder, XeroClient, XeroModel


@dataclass(frozen=True)
class Withdrawal:
    """How a document Xero holds is taken back: the status to set, or why there is none.

    Neither a status nor a refusal: it is already deleted or voided there.
    """

    status: str | None = None
    #: Why Xero will not take it back, and what a person can do about it.
    refusal: str | None = None
    fix: str | None = None


def bill_withdrawal(current: Invoice) -> Withdrawal:
    """How to take back a bill Xero holds as ``current``."""
    if current.status in ("DELETED", "VOIDED"):
        return Withdrawal()
    if (current.amount_paid or 0) > 0 or current.payments:
        return Withdrawal(
            refusal=(
                "payments exist: Xero will not void a bill with payments "
                f"({current.amount_paid} paid)"
            ),
            fix="remove the bill's payments in Xero first, then retry the cancellation",
        )
    return Withdrawal("VOIDED" if current.status in ("AUTHORISED", "PAID") else "DELETED")


class DocumentKind(Protocol):
    """One kind of document as the exporter drives it."""

    kind: str
    label: str

    def to_xero(
        self,
        document: Document,
        *,
        contact_id: str,
        status: str | None,
        settings: ExportSettings,
        defaults: LineDefaults,
        xero_id: str | None = None,
    ) -> XeroModel: ...

    async def create(
        self, client: XeroClient, elements: Sequence[XeroModel], key: str, unit_dp: int
    ) -> list[BatchResult[XeroModel]]: ...

    async def update(
        self, client: XeroClient, element: XeroModel, key: str, unit_dp: int
    ) -> XeroModel: ...

    def facts(self, element: XeroModel) -> tuple[str | None, str | None, Decimal | None]:
        """The Xero id, status and total of an element Xero returned."""
        ...

    def summary(self, document: Document) -> str: ...

    def status_for(self, document: Document, settings: ExportSettings) -> tuple[str, str | None]:
        """The status a new document is sent in, and why when it is not the settings' own."""
        ...

    async def find(
        self, client: XeroClient, documents: Sequence[tuple[Document, str]], taken: Taken
    ) -> dict[UUID, Found]:
        """Documents (with their contact ids) already in Xero, by our id."""
        ...

    async def withdrawal(self, client: XeroClient, xero_id: str) -> Withdrawal:
        """How the document Xero holds as ``xero_id`` is taken back."""
        ...


def _unit_dp(unit_dp: int) -> int | None:
    return unit_dp if unit_dp != 2 else None


class PurchaseOrders:
    kind = "purchase_order"
    label = "purchase order"

    def to_xero(
        self,
        document: Document,
        *,
        contact_id: str,
        status: str | None,
        settings: ExportSettings,
        defaults: LineDefaults,
        xero_id: str | None = None,
    ) -> XeroModel:
        assert isinstance(document, OurPurchaseOrder)
        return purchase_order_json(
            document,
            contact_id=contact_id,
            status=status,
            defaults=defaults,
            shipping_account_code=settings.shipping_account_code,
            xero_id=xero_id,
        )

    async def create(
        self, client: XeroClient, elements: Sequence[XeroModel], key: str, unit_dp: int
    ) -> list[BatchResult[XeroModel]]:
        orders = [e for e in elements if isinstance(e, PurchaseOrder)]
        results = await client.create_purchase_orders(orders, idempotency_key=key)
        return list(results)  # type: ignore[arg-type]

    async def update(
        self, client: XeroClient, element: XeroModel, key: str, unit_dp: int
    ) -> XeroModel:
        assert isinstance(element, PurchaseOrder)
        return await client.update_purchase_order(element, idempotency_key=key)

    def facts(self, element: XeroModel) -> tuple[str | None, str | None, Decimal | None]:
        assert isinstance(element, PurchaseOrder)
        return element.purchase_order_id, element.status, element.total

    def summary(self, document: Document) -> str:
        return _summary("purchase order", document)

    def status_for(self, document: Document, settings: ExportSettings) -> tuple[str, str | None]:
        return settings.status_for(self.kind), None

    async def find(
        self, client: XeroClient, documents: Sequence[tuple[Document, str]], taken: Taken
    ) -> dict[UUID, Found]:
        orders = [(d, c) for d, c in documents if isinstance(d, OurPurchaseOrder) and c]
        return await find_purchase_orders(client, orders, taken=taken)

    async def withdrawal(self, client: XeroClient, xero_id: str) -> Withdrawal:
        return Withdrawal("DELETED")


class Bills:
    kind = "bill"
    label = "bill"

    def to_xero(
        self,
        document: Document,
        *,
        contact_id: str,
        status: str | None,
        settings: ExportSettings,
        defaults: LineDefaults,
        xero_id: str | None = None,
    ) -> XeroModel:
        assert isinstance(document, Bill)
        return bill_json(
            document, contact_id=contact_id, status=status, defaults=defaults, xero_id=xero_id
        )

    async def create(
        self, client: XeroClient, elements: Sequence[XeroModel], key: str, unit_dp: int
    ) -> list[BatchResult[XeroModel]]:
        invoices = [e for e in elements if isinstance(e, Invoice)]
        results = await client.create_invoices(
            invoices, idempotency_key=key, unitdp=_unit_dp(unit_dp)
        )
        return list(results)  # type: ignore[arg-type]

    async def update(
        self, client: XeroClient, element: XeroModel, key: str, unit_dp: int
    ) -> XeroModel:
        assert isinstance(element, Invoice)
        return await client.update_invoice(element, idempotency_key=key, unitdp=_unit_dp(unit_dp))

    def facts(self, element: XeroModel) -> tuple[str | None, str | None, Decimal | None]:
        assert isinstance(element, Invoice)
        return element.invoice_id, element.status, element.total

    def summary(self, document: Document) -> str:
        assert isinstance(document, Bill)
        number = document.invoice_number or document.number
        return _summary("bill", document, number)

    def status_for(self, document: Document, settings: ExportSettings) -> tuple[str, str | None]:
        status = settings.status_for(self.kind)
        if isinstance(document, Bill) and document.due_date is None and status != "DRAFT":
            return "DRAFT", "sent as a draft: the bill has no due date yet"
        return status, None

    async def find(
        self, client: XeroClient, documents: Sequence[tuple[Document, str]], taken: Taken
    ) -> dict[UUID, Found]:
        bills = [(d, c) for d, c in documents if isinstance(d, Bill) and c]
        return await find_bills(client, bills, taken=taken)

    async def withdrawal(self, client: XeroClient, xero_id: str) -> Withdrawal:
        current = await client.get_invoice(xero_id)
        return bill_withdrawal(current)


def _summary(label: str, document: Document, number: str | None = None) -> str:
    shown = number or document.number or str(document.id)[:8]
    return (
        f"{label} {shown} v{document.version}: {len(document.all_lines())} line(s), "
        f"{document.currency} {document.total}"
    )


PURCHASE_ORDERS = PurchaseOrders()
BILLS = Bills()
#: The registry: every document kind the exporter sends, by name.
DOCUMENT_KINDS: dict[str, DocumentKind] = {"purchase_order": PURCHASE_ORDERS, "bill": BILLS}

__all__ = [
    "BILLS",
    "DOCUMENT_KINDS",
    "PURCHASE_ORDERS",
    "DocumentKind",
    "Withdrawal",
    "bill_withdrawal",
    "status_change",
]
