"""Purchase orders and bills as document kinds: their rules, Xero shape and calls."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from uuid import UUID

from ledgerlink.domain.bill import Bill, BillStatus
from ledgerlink.domain.document import Document
from ledgerlink.domain.purchase_order import PurchaseOrder as OurPurchaseOrder
from ledgerlink.domain.purchase_order import PurchaseOrderStatus
from ledgerlink.store.repositories.sync_links import bills_of_orders
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.kind import Rules, Stage, Withdrawal
from ledgerlink.sync.export.reconcile import Found, Taken, find_bills, find_purchase_orders
from ledgerlink.xero.outbound.documents import bill_json, purchase_order_json
from ledgerlink.xero.outbound.lines import LineDefaults
from ledgerlink.xero.outbound.settings import ExportSettings
from xero_client import BatchResult, Invoice, PurchaseOrder, XeroClient, XeroModel

_O, _B = PurchaseOrderStatus, BillStatus


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


def _unit_dp(unit_dp: int) -> int | None:
    return unit_dp if unit_dp != 2 else None


def _summary(label: str, document: Document, number: str | None = None) -> str:
    shown = number or document.number or str(document.id)[:8]
    return (
        f"{label} {shown} v{document.version}: {len(document.all_lines())} line(s), "
        f"{document.currency} {document.total}"
    )


class _SupplierDocuments:
    """What purchase orders and bills share: the supplier they are made out to."""

    kind: str
    party_kind: str | None = "supplier"

    def sends(self, settings: ExportSettings) -> bool:
        return settings.sends(self.kind)

    def party_of(self, document: Document) -> UUID | None:
        assert isinstance(document, OurPurchaseOrder | Bill)
        return document.supplier_id

    def status_for(self, document: Document, settings: ExportSettings) -> tuple[str, str | None]:
        return settings.status_for(self.kind), None


class PurchaseOrders(_SupplierDocuments):
    kind = "purchase_order"
    label = "purchase order"
    rules = Rules(
        stage=Stage.DOCUMENTS,
        send=frozenset({_O.APPROVED, _O.FINISHED}),
        cancel=frozenset({_O.CANCELLED}),
        finish=frozenset({_O.FINISHED}),
        followers="bill",
    )
    finished_status: str | None = "BILLED"

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, Document]:
        return uow.purchase_orders.get_many(company_id, ids)

    def load_followers(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, list[UUID]]:
        return bills_of_orders(uow.session, company_id, ids)

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
        return _summary(self.label, document)

    async def find(
        self, client: XeroClient, documents: Sequence[tuple[Document, str]], taken: Taken
    ) -> dict[UUID, Found]:
        orders = [(d, c) for d, c in documents if isinstance(d, OurPurchaseOrder) and c]
        return await find_purchase_orders(client, orders, taken=taken)

    async def withdrawal(self, client: XeroClient, xero_id: str) -> Withdrawal:
        return Withdrawal("DELETED")

    def status_change(self, xero_id: str, status: str) -> XeroModel:
        return PurchaseOrder(purchase_order_id=xero_id, status=status)


class Bills(_SupplierDocuments):
    kind = "bill"
    label = "bill"
    rules = Rules(
        stage=Stage.DOCUMENTS,
        send=frozenset({_B.APPROVED, _B.PARTIALLY_PAID, _B.PAID}),
        cancel=frozenset({_B.CANCELLED}),
        follow_when_known=True,
    )
    finished_status: str | None = None

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, Document]:
        return uow.bills.get_many(company_id, ids)

    def load_followers(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, list[UUID]]:
        return {}

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
        return _summary(self.label, document, document.invoice_number or document.number)

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
        return bill_withdrawal(await client.get_invoice(xero_id))

    def status_change(self, xero_id: str, status: str) -> XeroModel:
        return Invoice(invoice_id=xero_id, status=status)
