"""Purchase orders and bills as document kinds: their rules, Xero shape and calls."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from uuid import UUID

from ledgerlink.domain.bill import Bill, BillStatus
from ledgerlink.domain.document import Document
from ledgerlink.domain.purchase_order import PurchaseOrder as OurPurchaseOrder
from ledgerlink.domain.purchase_order import PurchaseOrderStatus
from ledgerlink.store.repositories.sync_links import bills_of_orders
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.invoice_kinds import (
    DocumentDefaults,
    Facts,
    create_invoices,
    document_summary,
    invoice_facts,
    invoice_status,
    invoice_withdrawal,
    update_invoice,
)
from ledgerlink.sync.export.kind import Rules, Stage, Withdrawal
from ledgerlink.sync.export.reconcile import Found, Taken, find_bills, find_purchase_orders
from ledgerlink.xero.outbound.documents import bill_json, purchase_order_json
from ledgerlink.xero.outbound.lines import LineDefaults
from ledgerlink.xero.outbound.settings import ExportSettings
from xero_client import BatchResult, PurchaseOrder, XeroClient, XeroModel

_O, _B = PurchaseOrderStatus, BillStatus


class _SupplierDocuments(DocumentDefaults):
    """What purchase orders and bills share: the supplier they are made out to."""

    def party_of(self, document: Document) -> tuple[str, UUID] | None:
        assert isinstance(document, OurPurchaseOrder | Bill)
        return ("supplier", document.supplier_id)

    def sales_side(self, document: Document) -> bool:
        return False


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
        results = await client.create_purchase_orders(
            orders, idempotency_key=key, read=("PurchaseOrderID", "Status", "Total")
        )
        return list(results)  # type: ignore[arg-type]

    async def update(
        self, client: XeroClient, element: XeroModel, key: str, unit_dp: int
    ) -> XeroModel:
        assert isinstance(element, PurchaseOrder)
        return await client.update_purchase_order(element, idempotency_key=key)

    def facts(self, element: XeroModel) -> Facts:
        assert isinstance(element, PurchaseOrder)
        return element.purchase_order_id, element.status, element.total

    async def find(
        self, client: XeroClient, documents: Sequence[tuple[Document, str]], taken: Taken
    ) -> dict[UUID, Found]:
        orders = [(d, c) for d, c in documents if isinstance(d, OurPurchaseOrder) and c]
        return await find_purchase_orders(client, orders, taken=taken)

    async def withdrawal(self, client: XeroClient, xero_id: str, document: Document) -> Withdrawal:
        return Withdrawal("DELETED")

    def status_change(self, xero_id: str, status: str, document: Document) -> XeroModel:
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

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, Document]:
        return uow.bills.get_many(company_id, ids)

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
        return await create_invoices(client, elements, key, unit_dp)

    async def update(
        self, client: XeroClient, element: XeroModel, key: str, unit_dp: int
    ) -> XeroModel:
        return await update_invoice(client, element, key, unit_dp)

    def facts(self, element: XeroModel) -> Facts:
        return invoice_facts(element)

    def summary(self, document: Document) -> str:
        assert isinstance(document, Bill)
        return document_summary(self.label, document, document.invoice_number or document.number)

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

    async def withdrawal(self, client: XeroClient, xero_id: str, document: Document) -> Withdrawal:
        return await invoice_withdrawal(client, xero_id, self.label)

    def status_change(self, xero_id: str, status: str, document: Document) -> XeroModel:
        return invoice_status(xero_id, status)
