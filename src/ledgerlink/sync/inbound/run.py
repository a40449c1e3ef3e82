"""`InboundEvents`: each pass, applies every company's stored webhook events in order,
and reads the payments of companies whose poll is due or who had INVOICE events.

A company's events are taken under its worker lease, which fences every write that records
what was read (``company_leases``: a worker that stalled past its lease and was taken over
applies nothing more, so it neither applies an event twice nor puts an older state over a
newer one); its payments are read first (a bill
voided in Xero had its payments removed there first), then the invoices the events name
are fetched in batches and each is applied in its own transaction together with marking
its events processed: a worker stopped at any point leaves the unapplied events for the
next. Every call goes through the company's client, so its rate budget is shared with
the exports. A company whose nightly reconciliation is due (``reconcile.py``) gets it
last, in the same lease.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from ledgerlink.store.clock import Clock, utc_now
from ledgerlink.store.repositories.inbound_polls import InboundPollRepository
from ledgerlink.store.repositories.reconciliations import ReconciliationRepository
from ledgerlink.store.repositories.webhook_events import StoredEvent, WebhookEventRepository
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.store.webhook_spool import move_spooled
from ledgerlink.sync.company_leases import CompanyLeases, LeaseLost
from ledgerlink.sync.gateway import GatewayError
from ledgerlink.sync.imports.writers import ImportTarget
from ledgerlink.sync.inbound.apply import apply_invoice
from ledgerlink.sync.inbound.contacts import apply_contact, fetch_contacts, new_contacts_setting
from ledgerlink.sync.inbound.fetch import fetch_invoices
from ledgerlink.sync.inbound.poll import (
    DEFAULT_POLL_MINUTES,
    PAYMENTS,
    POLL_SETTING,
    PaymentsPoll,
    PollReport,
)
from ledgerlink.sync.inbound.reconcile import (
    DEFAULT_RECONCILE_HOUR,
    RECONCILE_HOUR_SETTING,
    Reconciler,
)
from xero_client import Contact, Invoice, RateLimited, XeroClient

if TYPE_CHECKING:  # the worker imports this package: no import of the engine at run time
    from ledgerlink.sync.engine.clients import ClientFactory

log = logging.getLogger("ledgerlink.inbound")
INVOICE = "INVOICE"
CREDITNOTE = "CREDITNOTE"
CONTACT = "CONTACT"
APPLIED = (INVOICE, CREDITNOTE, CONTACT)
#: Events taken per company per pass.
EVENTS_PER_PASS = 1000
#: How long a company that cannot reach Xero is left before its events are tried again.
RETRY_AFTER = timedelta(minutes=5)
#: ... and one whose events failed for another reason (Xero down, the database busy).
RETRY_AFTER_ERROR = timedelta(seconds=30)


class InboundEvents:
    """Applies stored webhook events through ``clients``, leasing each company as it goes."""

    def __init__(
        self,
        uow_factory: Callable[[], SqlUnitOfWork],
        clients: ClientFactory,
        *,
        leases: CompanyLeases,
        clock: Clock = utc_now,
    ) -> None:
        self._uow_factory = uow_factory
        self._clients = clients
        self._leases = leases
        self._clock = clock
        self._resting: dict[UUID, datetime] = {}
        self.payments = PaymentsPoll(uow_factory, clock)

    async def run_pass(self) -> int:
        """Apply what is waiting; returns how many events were settled."""
        companies = await asyncio.to_thread(self._companies)
        settled = 0
        for company_id in companies:
            if self._resting.get(company_id, self._clock()) > self._clock():
                continue
            try:
                settled += await self._company(company_id)
            except LeaseLost as lost:  # what is left is the new holder's to apply
                log.warning("%s; this worker stops applying its events", lost)
            except GatewayError as error:
                log.warning("company %s: webhook events wait: %s", company_id, error.message)
                self._resting[company_id] = self._clock() + RETRY_AFTER
            except RateLimited as limited:  # the budget the exports share is spent: park
                wait = timedelta(seconds=max(limited.retry_after, 1.0))
                log.warning("company %s: Xero's %s limit is spent; inbound waits %s",
                            company_id, limited.limit, wait)  # fmt: skip
                self._resting[company_id] = self._clock() + wait
            except Exception:  # one company's trouble never stops the others, nor exports
                log.exception("company %s: webhook events wait %s", company_id, RETRY_AFTER_ERROR)
                self._resting[company_id] = self._clock() + RETRY_AFTER_ERROR
        return settled

    def _companies(self) -> list[UUID]:
        move_spooled(self._uow_factory)  # events the endpoint spooled while we held the lock
        with self._uow_factory() as uow:
            companies = WebhookEventRepository(uow.session).companies_with_events()
            due = InboundPollRepository(uow.session).due(
                self._clock(), PAYMENTS, POLL_SETTING, DEFAULT_POLL_MINUTES
            )
            nightly = ReconciliationRepository(uow.session).due(
                self._clock(), RECONCILE_HOUR_SETTING, DEFAULT_RECONCILE_HOUR
            )
        return list(dict.fromkeys([*companies, *due, *nightly]))

    def _take(self, company_id: UUID) -> tuple[bool, list[StoredEvent], bool, bool]:
        """Lease the company: (leased, its pending events, whether its payments are due,
        whether its nightly reconciliation is)."""
        with self._uow_factory() as uow:
            now = self._clock()
            if not self._leases.take_in(uow, company_id, now):
                return False, [], False, False
            events = WebhookEventRepository(uow.session).pending(company_id, EVENTS_PER_PASS)
            polls = InboundPollRepository(uow.session)
            due = company_id in polls.due(now, PAYMENTS, POLL_SETTING, DEFAULT_POLL_MINUTES)
            nightly = company_id in ReconciliationRepository(uow.session).due(
                now, RECONCILE_HOUR_SETTING, DEFAULT_RECONCILE_HOUR
            )
            uow.commit()
        self._leases.taken(company_id, now)
        return True, events, due, nightly

    async def pull(self, company_id: UUID, client: XeroClient) -> PollReport:
        """Read the company's payments now, whatever the schedule says."""
        return await self.payments.run(company_id, client)

    async def _company(self, company_id: UUID) -> int:
        leased, events, due, nightly = await asyncio.to_thread(self._take, company_id)
        if not leased:
            return 0
        # Every transaction that records what was read checks the lease is still this run's.
        fenced = self._leases.fenced(company_id)
        payments, reconciler = PaymentsPoll(fenced, self._clock), Reconciler(fenced, self._clock)
        try:
            others = [event for event in events if event.category not in APPLIED]
            if others:
                note = "only INVOICE, CREDITNOTE and CONTACT events are applied here"
                await asyncio.to_thread(self._settle, company_id, [e.id for e in others], note)
            invoices = [event for event in events if event.category == INVOICE]
            credits = [event for event in events if event.category == CREDITNOTE]
            contacts = [event for event in events if event.category == CONTACT]
            if invoices or credits or contacts or due:
                async with self._clients(company_id) as client:
                    people = await fetch_contacts(client, [e.resource_id for e in contacts])
                    await asyncio.to_thread(self._apply_contacts, company_id, contacts, people)
                    if invoices or due:
                        await payments.run(company_id, client)
                    if credits:
                        await payments.credit_notes(company_id, client)
                    found = await fetch_invoices(client, [e.resource_id for e in invoices])
                await asyncio.to_thread(self._apply, company_id, invoices, found)
                await asyncio.to_thread(self._settle, company_id, [e.id for e in credits], None)
            if nightly:  # after what Xero reported is applied, so only true drift is left
                async with self._clients(company_id) as client:
                    await reconciler.run(company_id, client)
        finally:
            await asyncio.to_thread(self._leases.release, company_id)
        if events:
            log.info("company %s: %d webhook event(s) applied", company_id, len(events))
        return len(events)

    def _settle(self, company_id: UUID, ids: list[int], note: str | None) -> None:
        with self._leases.fenced(company_id)() as uow:
            WebhookEventRepository(uow.session).mark_processed(ids, self._clock(), note)
            uow.commit()

    def _apply_contacts(
        self, company_id: UUID, events: list[StoredEvent], found: dict[str, Contact]
    ) -> None:
        for (tenant_id, contact_id), ids in _by_resource(events).items():
            with self._leases.fenced(company_id)() as uow:
                contact = found.get(contact_id)
                note: str | None = f"Xero holds no contact {contact_id}"
                if contact is not None:
                    target = ImportTarget(uow, company_id, tenant_id, self._clock())
                    setting = new_contacts_setting(uow, company_id)
                    note = apply_contact(uow, target, contact, setting).note
                WebhookEventRepository(uow.session).mark_processed(ids, self._clock(), note)
                uow.commit()

    def _apply(
        self, company_id: UUID, events: list[StoredEvent], found: dict[str, Invoice]
    ) -> None:
        for (tenant_id, invoice_id), ids in _by_resource(events).items():
            with self._leases.fenced(company_id)() as uow:
                invoice = found.get(invoice_id)
                note = apply_invoice(uow, company_id, tenant_id, invoice_id, invoice)
                WebhookEventRepository(uow.session).mark_processed(ids, self._clock(), note)
                uow.commit()


def _by_resource(events: list[StoredEvent]) -> dict[tuple[str, str], list[int]]:
    """Event ids by the organisation and record they name, in the order they came."""
    grouped: dict[tuple[str, str], list[int]] = {}
    for event in events:
        grouped.setdefault((event.tenant_id, event.resource_id), []).append(event.id)
    return grouped
