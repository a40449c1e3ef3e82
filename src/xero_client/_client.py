"""The high-level client: one typed method per thing ledgerlink reads or writes in Xero."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from datetime import date, datetime

from ._batch import BatchResult
from ._core import Resource, query, require_id
from ._files_api import FileMethods
from ._models import (
    Account,
    Contact,
    Invoice,
    Item,
    Organisation,
    PurchaseOrder,
    TaxRate,
    TrackingCategory,
)
from ._paging import DEFAULT_PAGE_SIZE
from ._payments_api import PaymentMethods

CONTACTS = Resource("/Contacts", Contact, "Contacts", "ContactID")
ITEMS = Resource("/Items", Item, "Items", "ItemID")
INVOICES = Resource("/Invoices", Invoice, "Invoices", "InvoiceID")
PURCHASE_ORDERS = Resource("/PurchaseOrders", PurchaseOrder, "PurchaseOrders", "PurchaseOrderID")


class XeroClient(PaymentMethods, FileMethods):
    """A typed, async client for one organisation's Xero Accounting API.

    Args:
        tenant_id: the organisation's ``tenantId`` (from ``GET /connections``).
        token_source: hands out access tokens (:class:`OAuthTokenSource`).
        limiter: Xero's rate limits (:class:`InMemoryRateLimiter` or a shared one).
        http: an ``httpx.AsyncClient`` (any transport); one is made if omitted.
        api_url: the Accounting API root (the sandbox's ``{root}/api.xro/2.0``).
        retry: the backoff policy; sleep and jitter are injectable.

    Creates take a list and return one :class:`BatchResult` per element, in input order;
    ``idempotency_key`` names the logical write (each chunk of 50 derives its own key
    from it), so calling again with the same key never creates duplicates.
    """

    # Organisation and settings

    async def get_organisation(self) -> Organisation:
        return await self._get("/Organisation", Organisation, "Organisations")

    async def list_accounts(
        self, *, where: str | None = None, order: str | None = None
    ) -> list[Account]:
        return await self._list(
            "/Accounts", Account, "Accounts", params=query(where=where, order=order)
        )

    async def list_tax_rates(
        self, *, where: str | None = None, order: str | None = None
    ) -> list[TaxRate]:
        return await self._list(
            "/TaxRates", TaxRate, "TaxRates", params=query(where=where, order=order)
        )

    async def list_tracking_categories(
        self,
        *,
        where: str | None = None,
        order: str | None = None,
        include_archived: bool | None = None,
    ) -> list[TrackingCategory]:
        params = query(where=where, order=order, includeArchived=include_archived)
        return await self._list(
            "/TrackingCategories", TrackingCategory, "TrackingCategories", params=params
        )

    # Contacts and items

    def iter_contacts(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        modified_since: datetime | None = None,
        where: str | None = None,
        order: str | None = None,
        ids: Sequence[str] | None = None,
        search_term: str | None = None,
        include_archived: bool | None = None,
        summary_only: bool | None = None,
    ) -> AsyncIterator[Contact]:
        params = query(
            where=where,
            order=order,
            IDs=ids,
            searchTerm=search_term,
            includeArchived=include_archived,
            summaryOnly=summary_only,
        )
        return self._iter(
            CONTACTS, page_size=page_size, params=params, modified_since=modified_since
        )

    async def get_contact(self, contact_id: str) -> Contact:
        return await self._get(f"/Contacts/{contact_id}", Contact, "Contacts")

    async def create_contacts(
        self, contacts: Sequence[Contact], *, idempotency_key: str | None = None
    ) -> list[BatchResult[Contact]]:
        return await self._create(CONTACTS, contacts, idempotency_key=idempotency_key)

    async def update_contact(
        self, contact: Contact, *, idempotency_key: str | None = None
    ) -> Contact:
        ident = require_id(contact.contact_id, "contact.contact_id")
        return await self._update(CONTACTS, ident, contact, idempotency_key=idempotency_key)

    async def list_items(
        self,
        *,
        where: str | None = None,
        order: str | None = None,
        unitdp: int | None = None,
        modified_since: datetime | None = None,
    ) -> list[Item]:
        params = query(where=where, order=order, unitdp=unitdp)
        return await self._list(
            "/Items", Item, "Items", params=params, modified_since=modified_since
        )

    async def create_items(
        self,
        items: Sequence[Item],
        *,
        idempotency_key: str | None = None,
        unitdp: int | None = None,
    ) -> list[BatchResult[Item]]:
        return await self._create(
            ITEMS, items, idempotency_key=idempotency_key, params=query(unitdp=unitdp)
        )

    async def update_item(self, item: Item, *, idempotency_key: str | None = None) -> Item:
        ident = require_id(item.item_id, "item.item_id")
        return await self._update(ITEMS, ident, item, idempotency_key=idempotency_key)

    # Invoices and bills

    def iter_invoices(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        modified_since: datetime | None = None,
        where: str | None = None,
        order: str | None = None,
        ids: Sequence[str] | None = None,
        invoice_numbers: Sequence[str] | None = None,
        contact_ids: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        include_archived: bool | None = None,
        unitdp: int | None = None,
    ) -> AsyncIterator[Invoice]:
        params = query(
            where=where,
            order=order,
            IDs=ids,
            InvoiceNumbers=invoice_numbers,
            ContactIDs=contact_ids,
            Statuses=statuses,
            includeArchived=include_archived,
            unitdp=unitdp,
        )
        return self._iter(
            INVOICES, page_size=page_size, params=params, modified_since=modified_since
        )

    async def get_invoice(self, invoice_id: str, *, unitdp: int | None = None) -> Invoice:
        path = f"/Invoices/{invoice_id}"
        items = await self._list(path, Invoice, "Invoices", params=query(unitdp=unitdp))
        if not items:
            return await self._get(path, Invoice, "Invoices")
        return items[0]

    async def create_invoices(
        self,
        invoices: Sequence[Invoice],
        *,
        idempotency_key: str | None = None,
        unitdp: int | None = None,
        read: Collection[str] | None = None,
    ) -> list[BatchResult[Invoice]]:
        """Creates invoices and bills in batches; ``read`` names the keys of Xero's answer
        each result's ``element`` holds (e.g. ``("Status", "Total")``), all by default."""
        return await self._create(
            INVOICES,
            invoices,
            idempotency_key=idempotency_key,
            params=query(unitdp=unitdp),
            read=read,
        )

    async def update_invoice(
        self, invoice: Invoice, *, idempotency_key: str | None = None, unitdp: int | None = None
    ) -> Invoice:
        ident = require_id(invoice.invoice_id, "invoice.invoice_id")
        return await self._update(
            INVOICES, ident, invoice, idempotency_key=idempotency_key, params=query(unitdp=unitdp)
        )

    # Purchase orders

    def iter_purchase_orders(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        modified_since: datetime | None = None,
        status: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        order: str | None = None,
    ) -> AsyncIterator[PurchaseOrder]:
        params = query(Status=status, DateFrom=date_from, DateTo=date_to, order=order)
        return self._iter(
            PURCHASE_ORDERS, page_size=page_size, params=params, modified_since=modified_since
        )

    async def get_purchase_order(self, purchase_order_id: str) -> PurchaseOrder:
        return await self._get(
            f"/PurchaseOrders/{purchase_order_id}", PurchaseOrder, "PurchaseOrders"
        )

    async def create_purchase_orders(
        self,
        orders: Sequence[PurchaseOrder],
        *,
        idempotency_key: str | None = None,
        read: Collection[str] | None = None,
    ) -> list[BatchResult[PurchaseOrder]]:
        """Creates purchase orders in batches; ``read`` as for ``create_invoices``."""
        return await self._create(
            PURCHASE_ORDERS, orders, idempotency_key=idempotency_key, read=read
        )

    async def update_purchase_order(
        self, order: PurchaseOrder, *, idempotency_key: str | None = None
    ) -> PurchaseOrder:
        ident = require_id(order.purchase_order_id, "order.purchase_order_id")
        return await self._update(PURCHASE_ORDERS, ident, order, idempotency_key=idempotency_key)
