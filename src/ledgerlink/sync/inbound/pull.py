"""A pull on demand: everything Xero changed since the last read, applied here now.

`ledgerlink sync pull` and `POST .../xero/pull` run the same steps the worker runs on
its schedule and on webhook events, for organisations whose webhooks are off or lost:
payments (with batch payments, overpayments and prepayments), credit notes, invoices and
contacts, each read with ``If-Modified-Since`` from its own mark. The pull takes the
company's lease, so it never runs beside the worker's work for the same organisation,
and it calls Xero through the company's client, within the organisation's rate budget.
A contact new to ledgerlink is added (or listed for review, as the company's setting
says), by the first pull too, which reads every contact of the organisation.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from ledgerlink.store.clock import Clock, utc_now
from ledgerlink.store.repositories.pull_jobs import (
    DONE,
    FAILED,
    RUNNING,
    PullJob,
    PullJobRepository,
)
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.gateway import GatewayError
from ledgerlink.sync.imports.writers import ImportTarget
from ledgerlink.sync.inbound.apply import apply_invoice
from ledgerlink.sync.inbound.contacts import apply_contact, new_contacts_setting
from ledgerlink.sync.inbound.poll import PAGE_SIZE, PaymentsPoll, PollReport, newest_of, read_all
from ledgerlink.sync.inbound.settle import linked_document
from xero_client import Contact, Invoice, XeroClient, XeroError

if TYPE_CHECKING:  # the worker imports this package: no import of the engine at run time
    from ledgerlink.sync.engine.clients import ClientFactory

log = logging.getLogger("ledgerlink.inbound")

INVOICES = "invoices"
CONTACTS = "contacts"
STEPS = ("payments", "credit notes", INVOICES, CONTACTS)
#: How long a pull waits for the worker to give the company back.
LEASE_WAIT_SECONDS = 120.0
LEASE = timedelta(minutes=10)

Sleep = Callable[[float], Awaitable[None]]
Progress = Callable[[PullJob], None]


class PullRunner:
    """Starts and runs pulls; ``on_progress`` hears of each step (the CLI draws it)."""

    def __init__(
        self,
        uow_factory: Callable[[], SqlUnitOfWork],
        clients: ClientFactory,
        *,
        clock: Clock = utc_now,
        sleep: Sleep = asyncio.sleep,
        on_progress: Progress | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._clients = clients
        self._clock = clock
        self._sleep = sleep
        self._on_progress = on_progress
        self._poll = PaymentsPoll(uow_factory, clock)

    def start(self, company_id: UUID) -> PullJob:
        """A new pull job of the company, queued."""
        job = PullJob(company_id=company_id, created_at=self._clock())
        with self._uow_factory() as uow:
            PullJobRepository(uow.session).add(job)
            uow.commit()
        return job

    def _save(self, job: PullJob) -> None:
        with self._uow_factory() as uow:
            PullJobRepository(uow.session).save(job)
            uow.commit()
        if self._on_progress is not None:
            self._on_progress(job)

    def _lease(self, company_id: UUID, owner: str, take: bool) -> bool:
        with self._uow_factory() as uow:
            now = self._clock()
            taken = True
            if take:
                taken = uow.outbox.take_lease(company_id, owner, now, now + LEASE)
            else:
                uow.outbox.release_lease(company_id, owner)
            uow.commit()
        return taken

    async def run(self, job: PullJob) -> PullJob:
        """Run the job's steps; the job says how it ended (done or failed, and why)."""
        owner = f"pull:{job.id}"
        waited = 0.0
        while not await asyncio.to_thread(self._lease, job.company_id, owner, True):
            if waited >= LEASE_WAIT_SECONDS:
                job.state, job.message = FAILED, "the worker kept the company busy; pull again"
                job.finished_at = self._clock()
                await asyncio.to_thread(self._save, job)
                return job
            await self._sleep(1.0)
            waited += 1.0
        try:
            job.state = RUNNING
            await self._steps(job)
            job.state, job.step = DONE, None
            job.message = f"{job.read} record(s) read from Xero, {job.applied} in line here"
        except GatewayError as error:
            job.state, job.message = FAILED, error.message
        except XeroError as error:
            job.state, job.message = FAILED, f"Xero answered: {error}"
        except Exception as error:  # the job row says what happened; the log has the rest
            log.exception("pull %s failed", job.id)
            job.state, job.message = FAILED, f"{type(error).__name__}: {error}"
        finally:
            job.finished_at = self._clock()
            await asyncio.to_thread(self._save, job)
            await asyncio.to_thread(self._lease, job.company_id, owner, False)
        return job

    async def _steps(self, job: PullJob) -> None:
        company_id = job.company_id
        async with self._clients(company_id) as client:
            for step in STEPS:
                job.step = step
                await asyncio.to_thread(self._save, job)
                if step == "payments":
                    report = await self._poll.run(company_id, client)
                elif step == "credit notes":
                    report = await self._poll.credit_notes(company_id, client)
                elif step == INVOICES:
                    report = await self._invoices(company_id, client)
                else:
                    report = await self._contacts(company_id, client)
                job.read += report.read
                job.applied += report.applied
                job.steps_done += 1
                await asyncio.to_thread(self._save, job)

    async def _invoices(self, company_id: UUID, client: XeroClient) -> PollReport:
        since = await asyncio.to_thread(self._poll.since, company_id, INVOICES)
        invoices = await read_all(client.iter_invoices(modified_since=since, page_size=PAGE_SIZE))
        report = PollReport(read=len(invoices))
        await asyncio.to_thread(
            self._apply_invoices, company_id, client.tenant_id, invoices, report
        )
        newest = newest_of([invoice.updated_date_utc for invoice in invoices], since)
        await asyncio.to_thread(self._poll.save_mark, company_id, INVOICES, newest)
        return report

    def _apply_invoices(
        self, company_id: UUID, tenant_id: str, invoices: list[Invoice], report: PollReport
    ) -> None:
        for invoice in invoices:
            invoice_id = (invoice.invoice_id or "").lower()
            with self._uow_factory() as uow:
                if linked_document(uow, company_id, tenant_id.lower(), invoice_id) is None:
                    continue
                note = apply_invoice(uow, company_id, tenant_id.lower(), invoice_id, invoice)
                uow.commit()
            if note is None:
                report.applied += 1
            else:
                report.note(note)

    async def _contacts(self, company_id: UUID, client: XeroClient) -> PollReport:
        since = await asyncio.to_thread(self._poll.since, company_id, CONTACTS)
        contacts = await read_all(client.iter_contacts(modified_since=since, page_size=PAGE_SIZE))
        report = PollReport(read=len(contacts))
        await asyncio.to_thread(
            self._apply_contacts, company_id, client.tenant_id, contacts, report
        )
        newest = newest_of([contact.updated_date_utc for contact in contacts], since)
        await asyncio.to_thread(self._poll.save_mark, company_id, CONTACTS, newest)
        return report

    def _apply_contacts(
        self,
        company_id: UUID,
        tenant_id: str,
        contacts: list[Contact],
        report: PollReport,
    ) -> None:
        tenant = tenant_id.lower()
        for contact in contacts:
            with self._uow_factory() as uow:
                target = ImportTarget(uow, company_id, tenant, self._clock())
                outcome = apply_contact(uow, target, contact, new_contacts_setting(uow, company_id))
                uow.commit()
            if outcome.changed:
                report.applied += 1
            if outcome.note:
                report.note(outcome.note)
