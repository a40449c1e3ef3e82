"""What differs between exporting purchase orders and bills: the Xero shape and calls."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from ledgerlink.domain.bill import Bill
from ledgerlink.domain.document import Document
from ledgerlink.domain.purchase_order import PurchaseOrder as OurPurchaseOrder
from ledgerlink.xero.outbound.documents import bill_json, purchase_order_json, status_change
from ledgerlink.xero.outbound.lines import LineDefaults
from ledgerlink.xero.outbound.settings import ExportSettings
from xero_client import BatchResult, Invoice, PurchaseOrder, XeroClient, XeroModel


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

    async def fetch(self, client: XeroClient, xero_id: str) -> XeroModel: ...

    def facts(self, element: XeroModel) -> tuple[str | None, str | None, Decimal | None]:
        """The Xero id, status and total of an element Xero returned."""
        ...

    def summary(self, document: Document) -> str: ...


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

    async def fetch(self, client: XeroClient, xero_id: str) -> XeroModel:
        return await client.get_purchase_order(xero_id)

    def facts(self, element: XeroModel) -> tuple[str | None, str | None, Decimal | None]:
        assert isinstance(element, PurchaseOrder)
        return element.purchase_order_id, element.status, element.total

    def summary(self, document: Document) -> str:
        return _summary("purchase order", document)


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

    async def fetch(self, client: XeroClient, xero_id: str) -> XeroModel:
        return await client.get_invoice(xero_id)

    def facts(self, element: XeroModel) -> tuple[str | None, str | None, Decimal | None]:
        assert isinstance(element, Invoice)
        return element.invoice_id, element.status, element.total

    def summary(self, document: Document) -> str:
        assert isinstance(document, Bill)
        number = document.invoice_number or document.number
        return _summary("bill", document, number)


def _summary(label: str, document: Document, number: str | None = None) -> str:
    shown = number or document.number or str(document.id)[:8]
    return (
        f"{label} {shown} v{document.version}: {len(document.all_lines())} line(s), "
        f"{document.currency} {document.total}"
    )


PURCHASE_ORDERS = PurchaseOrders()
BILLS = Bills()
KINDS: dict[str, DocumentKind] = {"purchase_order": PURCHASE_ORDERS, "bill": BILLS}

__all__ = ["BILLS", "KINDS", "PURCHASE_ORDERS", "DocumentKind", "status_change"]
