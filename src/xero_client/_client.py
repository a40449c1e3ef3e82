"""The high-level client: one typed method per thing ledgerlink reads or writes in Xero."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Any

from ._batch import BatchResult
from ._core import Params, XeroCore
from ._errors import InvalidRequest
from ._models import (
    Account,
    Allocation,
    BatchPayment,
    Contact,
    CreditNote,
    Invoice,
    Item,
    Organisation,
    Overpayment,
    Payment,
    Prepayment,
    PurchaseOrder,
    TaxRate,
    TrackingCategory,
)
from ._paging import DEFAULT_PAGE_SIZE


def _params(**values: Any) -> Params:
    """Query parameters without the unset ones; lists become Xero's comma-separated form."""
    out: dict[str, str | int | bool] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            if value:
                out[name] = ",".join(str(v) for v in value)
        elif isinstance(value, date):
            out[name] = value.isoformat()
        else:
            out[name] = value
    return out


def _require_id(value: str | None, field: str) -> str:
    if not value:
        raise InvalidRequest(f"{field} is not set; pass the element as read from Xero")
    return value


class XeroClient(XeroCore):
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
            "/Accounts", Account, "Accounts", params=_params(where=where, order=order)
        )

    async def list_tax_rates(
        self, *, where: str | None = None, order: str | None = None
    ) -> list[TaxRate]:
        return await self._list(
            "/TaxRates", TaxRate, "TaxRates", params=_params(where=where, order=order)
        )

    async def list_tracking_categories(
        self,
        *,
        where: str | None = None,
        order: str | None = None,
        include_archived: bool | None = None,
    ) -> list[TrackingCategory]:
        params = _params(where=where, order=order, includeArchived=include_archived)
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
        params = _params(
            where=where,
            order=order,
            IDs=ids,
            searchTerm=search_term,
            includeArchived=include_archived,
            summaryOnly=summary_only,
        )
        return self._iter(
            "/Contacts",
            Contact,
            "Contacts",
            "ContactID",
            page_size=page_size,
            params=params,
            modified_since=modified_since,
        )

    async def get_contact(self, contact_id: str) -> Contact:
        return await self._get(f"/Contacts/{contact_id}", Contact, "Contacts")

    async def create_contacts(
        self, contacts: Sequence[Contact], *, idempotency_key: str | None = None
    ) -> list[BatchResult[Contact]]:
        return await self._write_batch(
            "PUT",
            "/Contacts",
            contacts,
            Contact,
            "Contacts",
            "ContactID",
            idempotency_key=idempotency_key,
        )

    async def update_contact(
        self, contact: Contact, *, idempotency_key: str | None = None
    ) -> Contact:
        ident = _require_id(contact.contact_id, "contact.contact_id")
        return await self._write_one(
            "POST",
            f"/Contacts/{ident}",
            contact,
            Contact,
            "Contacts",
            idempotency_key=idempotency_key,
        )

    async def list_items(
        self,
        *,
        where: str | None = None,
        order: str | None = None,
        unitdp: int | None = None,
        modified_since: datetime | None = None,
    ) -> list[Item]:
        params = _params(where=where, order=order, unitdp=unitdp)
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
        return await self._write_batch(
            "PUT",
            "/Items",
            items,
            Item,
            "Items",
            "ItemID",
            idempotency_key=idempotency_key,
            params=_params(unitdp=unitdp),
        )

    async def update_item(self, item: Item, *, idempotency_key: str | None = None) -> Item:
        ident = _require_id(item.item_id, "item.item_id")
        return await self._write_one(
            "POST", f"/Items/{ident}", item, Item, "Items", idempotency_key=idempotency_key
        )

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
        params = _params(
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
            "/Invoices",
            Invoice,
            "Invoices",
            "InvoiceID",
            page_size=page_size,
            params=params,
            modified_since=modified_since,
        )

    async def get_invoice(self, invoice_id: str, *, unitdp: int | None = None) -> Invoice:
        path = f"/Invoices/{invoice_id}"
        items = await self._list(path, Invoice, "Invoices", params=_params(unitdp=unitdp))
        if not items:
            return await self._get(path, Invoice, "Invoices")
        return items[0]

    async def create_invoices(
        self,
        invoices: Sequence[Invoice],
        *,
        idempotency_key: str | None = None,
        unitdp: int | None = None,
    ) -> list[BatchResult[Invoice]]:
        return await self._write_batch(
            "PUT",
            "/Invoices",
            invoices,
            Invoice,
            "Invoices",
            "InvoiceID",
            idempotency_key=idempotency_key,
            params=_params(unitdp=unitdp),
        )

    async def update_invoice(
        self, invoice: Invoice, *, idempotency_key: str | None = None, unitdp: int | None = None
    ) -> Invoice:
        ident = _require_id(invoice.invoice_id, "invoice.invoice_id")
        return await self._write_one(
            "POST",
            f"/Invoices/{ident}",
            invoice,
            Invoice,
            "Invoices",
            idempotency_key=idempotency_key,
            params=_params(unitdp=unitdp),
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
        params = _params(Status=status, DateFrom=date_from, DateTo=date_to, order=order)
        return self._iter(
            "/PurchaseOrders",
            PurchaseOrder,
            "PurchaseOrders",
            "PurchaseOrderID",
            page_size=page_size,
            params=params,
            modified_since=modified_since,
        )

    async def get_purchase_order(self, purchase_order_id: str) -> PurchaseOrder:
        return await self._get(
            f"/PurchaseOrders/{purchase_order_id}", PurchaseOrder, "PurchaseOrders"
        )

    async def create_purchase_orders(
        self, orders: Sequence[PurchaseOrder], *, idempotency_key: str | None = None
    ) -> list[BatchResult[PurchaseOrder]]:
        return await self._write_batch(
            "PUT",
            "/PurchaseOrders",
            orders,
            PurchaseOrder,
            "PurchaseOrders",
            "PurchaseOrderID",
            idempotency_key=idempotency_key,
        )

    async def update_purchase_order(
        self, order: PurchaseOrder, *, idempotency_key: str | None = None
    ) -> PurchaseOrder:
        ident = _require_id(order.purchase_order_id, "order.purchase_order_id")
        return await self._write_one(
            "POST",
            f"/PurchaseOrders/{ident}",
            order,
            PurchaseOrder,
            "PurchaseOrders",
            idempotency_key=idempotency_key,
        )

    # Credit notes and allocations

    def iter_credit_notes(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        modified_since: datetime | None = None,
        where: str | None = None,
        order: str | None = None,
        unitdp: int | None = None,
    ) -> AsyncIterator[CreditNote]:
        return self._iter(
            "/CreditNotes",
            CreditNote,
            "CreditNotes",
            "CreditNoteID",
            page_size=page_size,
            params=_params(where=where, order=order, unitdp=unitdp),
            modified_since=modified_since,
        )

    async def get_credit_note(self, credit_note_id: str) -> CreditNote:
        return await self._get(f"/CreditNotes/{credit_note_id}", CreditNote, "CreditNotes")

    async def create_credit_notes(
        self,
        notes: Sequence[CreditNote],
        *,
        idempotency_key: str | None = None,
        unitdp: int | None = None,
    ) -> list[BatchResult[CreditNote]]:
        return await self._write_batch(
            "PUT",
            "/CreditNotes",
            notes,
            CreditNote,
            "CreditNotes",
            "CreditNoteID",
            idempotency_key=idempotency_key,
            params=_params(unitdp=unitdp),
        )

    async def update_credit_note(
        self, note: CreditNote, *, idempotency_key: str | None = None
    ) -> CreditNote:
        ident = _require_id(note.credit_note_id, "note.credit_note_id")
        return await self._write_one(
            "POST",
            f"/CreditNotes/{ident}",
            note,
            CreditNote,
            "CreditNotes",
            idempotency_key=idempotency_key,
        )

    async def allocate_credit_note(
        self, credit_note_id: str, allocation: Allocation, *, idempotency_key: str | None = None
    ) -> Allocation:
        """Applies part of a credit note to an invoice."""
        return await self._write_one(
            "PUT",
            f"/CreditNotes/{credit_note_id}/Allocations",
            allocation,
            Allocation,
            "Allocations",
            idempotency_key=idempotency_key,
        )

    # Payments, overpayments, prepayments

    def iter_payments(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        modified_since: datetime | None = None,
        where: str | None = None,
        order: str | None = None,
    ) -> AsyncIterator[Payment]:
        return self._iter(
            "/Payments",
            Payment,
            "Payments",
            "PaymentID",
            page_size=page_size,
            params=_params(where=where, order=order),
            modified_since=modified_since,
        )

    async def get_payment(self, payment_id: str) -> Payment:
        return await self._get(f"/Payments/{payment_id}", Payment, "Payments")

    async def create_payments(
        self, payments: Sequence[Payment], *, idempotency_key: str | None = None
    ) -> list[BatchResult[Payment]]:
        return await self._write_batch(
            "PUT",
            "/Payments",
            payments,
            Payment,
            "Payments",
            "PaymentID",
            idempotency_key=idempotency_key,
        )

    async def delete_payment(
        self, payment_id: str, *, idempotency_key: str | None = None
    ) -> Payment:
        """Deletes a payment (Xero's way: ``POST /Payments/{id}`` with ``Status: DELETED``)."""
        return await self._write_one(
            "POST",
            f"/Payments/{payment_id}",
            Payment(status="DELETED"),
            Payment,
            "Payments",
            idempotency_key=idempotency_key,
        )

    async def create_batch_payments(
        self, batches: Sequence[BatchPayment], *, idempotency_key: str | None = None
    ) -> list[BatchResult[BatchPayment]]:
        return await self._write_batch(
            "PUT",
            "/BatchPayments",
            batches,
            BatchPayment,
            "BatchPayments",
            "BatchPaymentID",
            idempotency_key=idempotency_key,
        )

    def iter_overpayments(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        modified_since: datetime | None = None,
        where: str | None = None,
        order: str | None = None,
    ) -> AsyncIterator[Overpayment]:
        return self._iter(
            "/Overpayments",
            Overpayment,
            "Overpayments",
            "OverpaymentID",
            page_size=page_size,
            params=_params(where=where, order=order),
            modified_since=modified_since,
        )

    def iter_prepayments(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        modified_since: datetime | None = None,
        where: str | None = None,
        order: str | None = None,
    ) -> AsyncIterator[Prepayment]:
        return self._iter(
            "/Prepayments",
            Prepayment,
            "Prepayments",
            "PrepaymentID",
            page_size=page_size,
            params=_params(where=where, order=order),
            modified_since=modified_since,
        )
