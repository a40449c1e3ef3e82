"""Credit notes, allocations, payments, batch payments, bank transactions, overpayments and
prepayments."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from datetime import datetime

from ._batch import BatchResult
from ._core import Resource, XeroCore, query, require_id
from ._models import (
    Allocation,
    BankTransaction,
    BatchPayment,
    CreditNote,
    Overpayment,
    Payment,
    Prepayment,
)
from ._paging import DEFAULT_PAGE_SIZE

CREDIT_NOTES = Resource("/CreditNotes", CreditNote, "CreditNotes", "CreditNoteID")
PAYMENTS = Resource("/Payments", Payment, "Payments", "PaymentID")
BATCH_PAYMENTS = Resource("/BatchPayments", BatchPayment, "BatchPayments", "BatchPaymentID")
OVERPAYMENTS = Resource("/Overpayments", Overpayment, "Overpayments", "OverpaymentID")
PREPAYMENTS = Resource("/Prepayments", Prepayment, "Prepayments", "PrepaymentID")
BANK_TRANSACTIONS = Resource(
    "/BankTransactions", BankTransaction, "BankTransactions", "BankTransactionID"
)


class PaymentMethods(XeroCore):
    """The money side of :class:`XeroClient` (documented there)."""

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
            CREDIT_NOTES,
            page_size=page_size,
            params=query(where=where, order=order, unitdp=unitdp),
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
        read: Collection[str] | None = None,
    ) -> list[BatchResult[CreditNote]]:
        """Creates credit notes in batches; ``read`` as for ``create_invoices``."""
        return await self._create(
            CREDIT_NOTES,
            notes,
            idempotency_key=idempotency_key,
            params=query(unitdp=unitdp),
            read=read,
        )

    async def update_credit_note(
        self, note: CreditNote, *, idempotency_key: str | None = None
    ) -> CreditNote:
        ident = require_id(note.credit_note_id, "note.credit_note_id")
        return await self._update(CREDIT_NOTES, ident, note, idempotency_key=idempotency_key)

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

    async def create_allocations(
        self,
        credits: str,
        credit_id: str,
        allocations: Sequence[Allocation],
        *,
        idempotency_key: str | None = None,
    ) -> list[BatchResult[Allocation]]:
        """Applies parts of one credit (``credits``: ``"CreditNotes"``, ``"Overpayments"`` or
        ``"Prepayments"``) to invoices, many in one call; one result per allocation."""
        if credits not in ("CreditNotes", "Overpayments", "Prepayments"):
            raise ValueError(
                f"credits: use CreditNotes, Overpayments or Prepayments, got {credits!r}"
            )
        ident = require_id(credit_id, "credit_id")
        resource = Resource(
            f"/{credits}/{ident}/Allocations", Allocation, "Allocations", "AllocationID"
        )
        return await self._create(resource, allocations, idempotency_key=idempotency_key)

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
            PAYMENTS,
            page_size=page_size,
            params=query(where=where, order=order),
            modified_since=modified_since,
        )

    async def get_payment(self, payment_id: str) -> Payment:
        return await self._get(f"/Payments/{payment_id}", Payment, "Payments")

    async def create_payments(
        self, payments: Sequence[Payment], *, idempotency_key: str | None = None
    ) -> list[BatchResult[Payment]]:
        return await self._create(PAYMENTS, payments, idempotency_key=idempotency_key)

    async def delete_payment(
        self, payment_id: str, *, idempotency_key: str | None = None
    ) -> Payment:
        """Deletes a payment (Xero's way: ``POST /Payments/{id}`` with ``Status: DELETED``)."""
        return await self._update(
            PAYMENTS, payment_id, Payment(status="DELETED"), idempotency_key=idempotency_key
        )

    async def create_batch_payments(
        self, batches: Sequence[BatchPayment], *, idempotency_key: str | None = None
    ) -> list[BatchResult[BatchPayment]]:
        return await self._create(BATCH_PAYMENTS, batches, idempotency_key=idempotency_key)

    async def create_bank_transactions(
        self,
        transactions: Sequence[BankTransaction],
        *,
        idempotency_key: str | None = None,
        unitdp: int | None = None,
    ) -> list[BatchResult[BankTransaction]]:
        """Money received or spent; a ``RECEIVE-OVERPAYMENT`` one creates an overpayment
        (its ``overpayment_id`` is on the result)."""
        return await self._create(
            BANK_TRANSACTIONS,
            transactions,
            idempotency_key=idempotency_key,
            params=query(unitdp=unitdp),
        )

    async def get_overpayment(self, overpayment_id: str) -> Overpayment:
        return await self._get(f"/Overpayments/{overpayment_id}", Overpayment, "Overpayments")

    async def allocate_overpayment(
        self, overpayment_id: str, allocation: Allocation, *, idempotency_key: str | None = None
    ) -> Allocation:
        """Applies part of an overpayment to an invoice."""
        return await self._write_one(
            "PUT",
            f"/Overpayments/{overpayment_id}/Allocations",
            allocation,
            Allocation,
            "Allocations",
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
            OVERPAYMENTS,
            page_size=page_size,
            params=query(where=where, order=order),
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
            PREPAYMENTS,
            page_size=page_size,
            params=query(where=where, order=order),
            modified_since=modified_since,
        )
