"""Read what Xero changed in payments since the last read, and apply it here.

Xero sends no webhook for payments, batch payments, overpayments or prepayments, so each
is read with ``If-Modified-Since`` (the newest ``UpdatedDateUTC`` read before; Xero
compares to the second, so the records of that second come again and are skipped as
applied); a customer's overpayment or prepayment is kept as store credit (``store_credit.py``), an
overpayment or prepayment to a supplier as supplier credit (``supplier_credit.py``). A
company is read on its schedule (the setting ``xero_payments_poll_minutes``,
5 by default, 0 off) and after each pass of INVOICE events. Each settlement is applied
in its own transaction; the mark moves only once every one of a read is applied.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from ledgerlink.store.clock import Clock
from ledgerlink.store.repositories.inbound_polls import InboundPollRepository
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.inbound.credit_elsewhere import follow_elsewhere
from ledgerlink.sync.inbound.credit_notes import apply_credit_note
from ledgerlink.sync.inbound.settle import apply_settlement, take_back_gone_allocations
from ledgerlink.sync.inbound.store_credit import apply_customer_credit
from ledgerlink.sync.inbound.supplier_credit import apply_supplier_credit
from ledgerlink.xero.inbound.payments import (
    CREDIT_ALLOCATION,
    CreditAllocations,
    Settlement,
    from_credits,
    from_payments,
)
from xero_client import CreditNote, Overpayment, Prepayment, XeroClient

log = logging.getLogger("ledgerlink.inbound")

POLL_SETTING = "xero_payments_poll_minutes"
DEFAULT_POLL_MINUTES = 5
#: The source whose mark says when a company's payments were last read.
PAYMENTS = "payments"
OVERPAYMENTS = "overpayments"
PREPAYMENTS = "prepayments"
CREDIT_NOTES = "credit_notes"
#: Xero's largest page of payments.
PAGE_SIZE = 1000

R = TypeVar("R")


@dataclass
class PollReport:
    """What one read applied, and what it could not."""

    read: int = 0
    applied: int = 0
    notes: list[str] | None = None

    def note(self, text: str) -> None:
        self.notes = [*(self.notes or []), text]


async def read_all(records: AsyncIterator[R]) -> list[R]:
    return [record async for record in records]


def newest_of(stamps: list[datetime | None], since: datetime | None) -> datetime | None:
    known = [stamp for stamp in stamps if stamp is not None]
    if since is not None:
        known.append(since)
    return max(known) if known else None


class PaymentsPoll:
    """Reads a company's payments and credits from Xero and applies them here."""

    def __init__(self, uow_factory: Callable[[], SqlUnitOfWork], clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

    def since(self, company_id: UUID, source: str) -> datetime | None:
        """The If-Modified-Since of the company's next read of `source` (None: never read)."""
        with self._uow_factory() as uow:
            mark = InboundPollRepository(uow.session).mark(company_id, source)
        return None if mark is None else mark.modified_since

    def save_mark(self, company_id: UUID, source: str, newest: datetime | None) -> None:
        """Record a read of `source` that saw changes up to `newest`."""
        with self._uow_factory() as uow:
            InboundPollRepository(uow.session).save(company_id, source, newest, self._clock())
            uow.commit()

    async def run(self, company_id: UUID, client: XeroClient) -> PollReport:
        """Read payments, overpayments and prepayments changed since the last read."""
        report = PollReport()
        today = self._clock().date()
        since = await asyncio.to_thread(self.since, company_id, PAYMENTS)
        payments = await read_all(client.iter_payments(modified_since=since, page_size=PAGE_SIZE))
        newest = newest_of([p.updated_date_utc for p in payments], since)
        await self._apply(
            company_id, client.tenant_id, from_payments(payments, today), [], PAYMENTS, newest,
            report,
        )  # fmt: skip
        report.read += len(payments)
        for source in (OVERPAYMENTS, PREPAYMENTS):
            since = await asyncio.to_thread(self.since, company_id, source)
            credits: list[Overpayment | Prepayment] = []
            if source == OVERPAYMENTS:
                credits.extend(
                    await read_all(
                        client.iter_overpayments(modified_since=since, page_size=PAGE_SIZE)
                    )
                )
            else:
                credits.extend(
                    await read_all(
                        client.iter_prepayments(modified_since=since, page_size=PAGE_SIZE)
                    )
                )
            newest = newest_of([c.updated_date_utc for c in credits], since)
            await asyncio.to_thread(  # before the mark moves, with the allocations
                self._apply_credits, company_id, client.tenant_id.lower(), credits, report
            )
            settlements, sets = from_credits(credits, today)
            await self._apply(
                company_id, client.tenant_id, settlements, sets, source, newest, report
            )
            report.read += len(credits)
        return report

    async def credit_notes(self, company_id: UUID, client: XeroClient) -> PollReport:
        """Read the credit notes changed since the last read: made, voided, allocated."""
        report = PollReport()
        since = await asyncio.to_thread(self.since, company_id, CREDIT_NOTES)
        notes = await read_all(client.iter_credit_notes(modified_since=since, page_size=PAGE_SIZE))
        await asyncio.to_thread(
            self._apply_notes, company_id, client.tenant_id.lower(), notes, report
        )
        newest = newest_of([note.updated_date_utc for note in notes], since)
        settlements, sets = from_credits(notes, self._clock().date())

        def follow() -> None:  # once settled here, before the mark moves
            self._follow_notes(company_id, client.tenant_id.lower(), notes, report)

        await self._apply(
            company_id, client.tenant_id, settlements, sets, CREDIT_NOTES, newest, report, follow
        )
        report.read += len(notes)
        return report

    def _apply_credits(
        self,
        company_id: UUID,
        tenant_id: str,
        credits: list[Overpayment | Prepayment],
        report: PollReport,
    ) -> None:
        """Keep a customer's overpayment or prepayment as store credit, and a supplier's as
        supplier credit (each ignores the other side's)."""
        today = self._clock().date()
        for remote in credits:
            with self._uow_factory() as uow:
                note = apply_supplier_credit(uow, company_id, tenant_id, remote, today)
                if note is None:
                    note = apply_customer_credit(uow, company_id, tenant_id, remote, today)
                uow.commit()
            if note is not None:
                log.info("company %s: %s", company_id, note)
                report.note(note)

    def _apply_notes(
        self, company_id: UUID, tenant_id: str, notes: list[CreditNote], report: PollReport
    ) -> None:
        for remote in notes:
            with self._uow_factory() as uow:
                note = apply_credit_note(uow, company_id, tenant_id, remote)
                uow.commit()
            if note is not None:
                log.info("company %s: %s", company_id, note)
                report.note(note)

    def _follow_notes(
        self, company_id: UUID, tenant_id: str, notes: list[CreditNote], report: PollReport
    ) -> None:
        """Each credit note here takes what Xero allocated of it to documents not here."""
        for remote in notes:
            with self._uow_factory() as uow:
                note = follow_elsewhere(uow, company_id, tenant_id, remote)
                uow.commit()
            if note is not None:
                log.info("company %s: %s", company_id, note)
                report.note(note)

    async def _apply(
        self,
        company_id: UUID,
        tenant_id: str,
        settlements: list[Settlement],
        credits: list[CreditAllocations],
        source: str,
        newest: datetime | None,
        report: PollReport,
        then: Callable[[], None] | None = None,
    ) -> None:
        await asyncio.to_thread(
            self._apply_all, company_id, tenant_id.lower(), settlements, credits, source, newest,
            report, then,
        )  # fmt: skip

    def _apply_all(
        self,
        company_id: UUID,
        tenant_id: str,
        settlements: list[Settlement],
        credits: list[CreditAllocations],
        source: str,
        newest: datetime | None,
        report: PollReport,
        then: Callable[[], None] | None = None,
    ) -> None:
        for credit in credits:  # allocations taken back first: they free what they paid
            with self._uow_factory() as uow:
                notes = take_back_gone_allocations(
                    uow, company_id, tenant_id, credit, CREDIT_ALLOCATION
                )
                uow.commit()
            for note in notes:
                report.note(note)
        for settlement in settlements:
            with self._uow_factory() as uow:
                applied = apply_settlement(uow, company_id, tenant_id, settlement)
                uow.commit()
            if applied is None:
                report.applied += 1
            else:
                log.info("company %s: %s", company_id, applied)
                report.note(applied)
        if then is not None:
            then()
        self.save_mark(company_id, source, newest)
