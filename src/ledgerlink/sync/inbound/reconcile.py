"""Reconciliation: every linked document compared with Xero.

Each night, at the company's hour (the setting ``xero_reconcile_hour``, UTC, 2 by
default), the worker reads every Xero invoice linked to a bill or sales invoice here, 100
to a call (`IDs=`) through the organisation's rate budget, and compares its status, total
and amount due with ours; likewise every linked credit note, refund, store credit,
supplier credit and purchase order (status, total, credit left; ``reconcile_credits.py``),
and the overpayment store credit was sent to Xero as (``sent_overpayments.py``).
What differs is kept as the run's drift, each with the fix in plain words (``GET .../sync/drift``,
``ledgerlink sync status``). Nothing is changed here: a pull (``ledgerlink sync pull``)
applies what Xero changed, a resend what we did. ``ledgerlink sync reconcile`` and
``POST .../sync/reconcile`` run one now.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from ledgerlink.domain.bill import Bill, BillStatus
from ledgerlink.domain.credit_note import CreditNote, CreditNoteStatus
from ledgerlink.domain.credits import Refund, StoreCredit
from ledgerlink.domain.payable import PayableDocument
from ledgerlink.domain.purchase_order import PurchaseOrder
from ledgerlink.domain.sales_invoice import SalesInvoice, SalesInvoiceStatus
from ledgerlink.domain.supplier_credit import SupplierCredit
from ledgerlink.store.clock import Clock
from ledgerlink.store.repositories.reconciliations import (
    DONE,
    FAILED,
    Drift,
    Reconciliation,
    ReconciliationRepository,
    hour_setting,
    last_slot,
)
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.gateway import GatewayError
from ledgerlink.sync.inbound.fetch import IDS_PER_CALL, fetch_invoices
from ledgerlink.sync.inbound.reconcile_credits import (
    ENDED_IN_XERO,
    PULL,
    CreditHere,
    CreditThere,
    credit_drift,
    fetch_credit_notes,
    fetch_overpayments,
    fetch_prepayments,
    fetch_purchase_orders,
    missing_fix,
    money_text,
    order_drift,
    retry_command,
    there_of,
)
from ledgerlink.sync.inbound.sent_overpayments import SENT_OVERPAYMENT, sent_overpayments
from xero_client import CreditNote as XeroCreditNote
from xero_client import Invoice, Overpayment, Prepayment, RateLimited, XeroClient, XeroError
from xero_client import PurchaseOrder as XeroPurchaseOrder

log = logging.getLogger("ledgerlink.inbound")

RECONCILE_HOUR_SETTING = "xero_reconcile_hour"
DEFAULT_RECONCILE_HOUR = 2
KINDS = (Bill.KIND, SalesInvoice.KIND)
#: What reaches Xero as a credit note; store credit may be an overpayment there instead.
CREDIT_KINDS = (CreditNote.KIND, Refund.KIND, StoreCredit.KIND)
ALL_KINDS = (*KINDS, *CREDIT_KINDS, SupplierCredit.KIND, PurchaseOrder.KIND)

Progress = Callable[[int, int], None]


def _here(document: PayableDocument) -> str:
    if document.status in (BillStatus.CANCELLED, SalesInvoiceStatus.VOIDED):
        return "ended"
    return "paid" if document.status in (BillStatus.PAID, SalesInvoiceStatus.PAID) else "open"


def _there(status: str) -> str:
    if status in ENDED_IN_XERO:
        return "ended"
    return "paid" if status == "PAID" else "open"


def drift_of(kind: str, document: PayableDocument, invoice: Invoice | None) -> list[Drift]:
    """How `document` differs from the Xero invoice linked to it (empty: in line)."""
    number = document.number or getattr(document, "invoice_number", None) or str(document.id)
    ended = "cancelled" if kind == Bill.KIND else "voided"
    again = retry_command(kind, number)

    def drift(field: str, ours: str | None, xero: str | None, fix: str) -> Drift:
        return Drift(kind, document.id, number, field, ours, xero, fix)

    here = _here(document)
    if invoice is None:
        if here == "ended":
            return []
        return [drift("in_xero", str(document.status), None, missing_fix("invoice", kind, number))]
    status = (invoice.status or "").upper()
    there = _there(status)
    due_here, due_there = money_text(document.amount_due), money_text(invoice.amount_due)
    found: list[Drift] = []
    if here != there:
        if there == "ended":
            fix = f"Xero holds it {status}: {PULL} to mark it {ended} here"
        elif here == "ended":
            fix = (
                f"{ended} here but {status} in Xero: void it in Xero (a paid one needs its "
                f"payments removed first), or send the {ended[:-2]}ing again with {again}"
            )
        elif there == "paid":
            fix = f"paid in Xero but {due_here} due here: {PULL} to read its payments"
        else:
            fix = (
                f"paid here but {due_there} due in Xero: the payment recorded here has not "
                "reached Xero (see `ledgerlink sync status`), or record it in Xero"
            )
        found.append(drift("status", str(document.status), status, fix))
    elif here != "ended" and invoice.amount_due not in (None, document.amount_due):
        found.append(
            drift(
                "amount_due", due_here, due_there,
                f"{due_here} due here, {due_there} in Xero: {PULL} to read the payments "
                "made there; one recorded here and not yet sent shows in `ledgerlink "
                "sync status`",
            )
        )  # fmt: skip
    if here != "ended" and invoice.total is not None and invoice.total != document.total:
        ours, xero = money_text(document.total), money_text(invoice.total)
        found.append(
            drift(
                "total", ours, xero,
                f"totals {ours} here, {xero} in Xero: it was changed in one place only; "
                f"send ours again with {again}, or correct it in Xero",
            )
        )  # fmt: skip
    return found


class Reconciler:
    """Runs reconciliations of one company at a time, through its Xero client."""

    def __init__(self, uow_factory: Callable[[], SqlUnitOfWork], clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

    def latest(self, company_id: UUID) -> Reconciliation | None:
        with self._uow_factory() as uow:
            return ReconciliationRepository(uow.session).latest(company_id)

    async def run(
        self, company_id: UUID, client: XeroClient, on_progress: Progress | None = None
    ) -> Reconciliation:
        """Compare every linked document with Xero and save the run, done or failed.

        A spent rate budget is raised after the failed run is saved, so the caller parks.
        """
        run = Reconciliation(company_id, self._clock(), self._clock())
        try:
            linked = await asyncio.to_thread(self._linked, company_id, client.tenant_id.lower())
            found = await self._fetch(company_id, client, linked, on_progress)
            run.drift = await asyncio.to_thread(self._compare, company_id, linked, found)
            run.checked = len(linked)
            run.state = DONE
            run.message = f"{run.checked} document(s) compared, {len(run.drift)} differ"
        except RateLimited as limited:
            run.state = FAILED
            run.message = f"Xero's {limited.limit} limit is spent; it runs again once it resets"
            await asyncio.to_thread(self._save, run)
            raise
        except GatewayError as error:
            run.state, run.message = FAILED, error.message
        except XeroError as error:
            run.state, run.message = FAILED, f"Xero answered: {error}"
        await asyncio.to_thread(self._save, run)
        log.info("company %s: reconciliation %s: %s", company_id, run.state, run.message)
        return run

    async def _fetch(
        self,
        company_id: UUID,
        client: XeroClient,
        linked: list[Linked],
        on_progress: Progress | None,
    ) -> Found:
        """What Xero holds of the linked documents, each kind read its cheapest way."""
        found = Found()
        total = len(linked)

        def ids(*kinds: str) -> list[str]:
            return [xero_id for kind, _, xero_id in linked if kind in kinds]

        def progress(done: int) -> None:
            if on_progress is not None:
                on_progress(min(done, total), total)

        invoices = ids(*KINDS)
        for start in range(0, len(invoices), IDS_PER_CALL):
            found.invoices.update(
                await fetch_invoices(client, invoices[start : start + IDS_PER_CALL])
            )
            progress(start + IDS_PER_CALL)
        done = len(invoices)
        credits = ids(*CREDIT_KINDS)
        found.credits.update(await fetch_credit_notes(client, credits))
        # Store credit from a customer's overpayment or prepayment made in Xero is that
        # overpayment or prepayment there, supplier credit likewise; store credit sent from
        # here as an overpayment (``overpayments: xero_overpayment``) is read in the same calls.
        missing = [i for i in ids(StoreCredit.KIND) if i not in found.credits]
        suppliers, sent = ids(SupplierCredit.KIND), ids(SENT_OVERPAYMENT)
        found.credits.update(await fetch_overpayments(client, missing + suppliers + sent))
        missing = [i for i in missing + suppliers if i not in found.credits]
        found.credits.update(await fetch_prepayments(client, missing))
        done += len(credits) + len(suppliers) + len(sent)
        progress(done)
        since = await asyncio.to_thread(self._oldest_order_link, company_id, client.tenant_id)
        found.orders.update(await fetch_purchase_orders(client, ids(PurchaseOrder.KIND), since))
        progress(total)
        return found

    def _oldest_order_link(self, company_id: UUID, tenant_id: str) -> datetime | None:
        with self._uow_factory() as uow:
            repository = ReconciliationRepository(uow.session)
            return repository.oldest_link(company_id, tenant_id.lower(), PurchaseOrder.KIND)

    def _save(self, run: Reconciliation) -> None:
        run.finished_at = self._clock()
        with self._uow_factory() as uow:
            ReconciliationRepository(uow.session).add(run)
            uow.commit()

    def _linked(self, company_id: UUID, tenant_id: str) -> list[Linked]:
        with self._uow_factory() as uow:
            rows = ReconciliationRepository(uow.session).linked(company_id, tenant_id, ALL_KINDS)
            sent = sent_overpayments(uow.session, company_id, tenant_id)
        return [(kind, entity_id, xero_id.lower()) for kind, entity_id, xero_id in rows] + sent

    def _compare(self, company_id: UUID, linked: list[Linked], found: Found) -> list[Drift]:
        drift: list[Drift] = []
        with self._uow_factory() as uow:
            for start in range(0, len(linked), IDS_PER_CALL):
                batch = linked[start : start + IDS_PER_CALL]

                def wanted(kind: str, batch: list[Linked] = batch) -> list[UUID]:
                    return [UUID(e) for k, e, _ in batch if k == kind]

                documents: dict[UUID, PayableDocument] = {
                    **uow.bills.get_many(company_id, wanted(Bill.KIND)),
                    **uow.sales_invoices.get_many(company_id, wanted(SalesInvoice.KIND)),
                }
                credits = _credits_here(uow, company_id, wanted)
                orders = uow.purchase_orders.get_many(company_id, wanted(PurchaseOrder.KIND))
                for kind, entity_id, xero_id in batch:
                    key = UUID(entity_id)
                    if kind in KINDS and key in documents:
                        drift.extend(drift_of(kind, documents[key], found.invoices.get(xero_id)))
                    elif kind == PurchaseOrder.KIND and key in orders:
                        drift.extend(order_drift(orders[key], found.orders.get(xero_id)))
                    elif (kind, key) in credits:
                        remote = found.credits.get(xero_id)
                        here = credits[(kind, key)]
                        there = None if remote is None else there_of(remote)
                        if here.sent_as is None and isinstance(remote, Overpayment | Prepayment):
                            here = replace(here, from_xero=True)
                            here = _voided_store_credit(here, there)
                        drift.extend(credit_drift(here, there))
        return drift


Linked = tuple[str, str, str]


@dataclass
class Found:
    """What Xero holds of the linked documents, by lower-case Xero id."""

    invoices: dict[str, Invoice] = field(default_factory=dict)
    credits: dict[str, XeroCreditNote | Overpayment | Prepayment] = field(default_factory=dict)
    orders: dict[str, XeroPurchaseOrder] = field(default_factory=dict)


def _voided_store_credit(here: CreditHere, there: CreditThere | None) -> CreditHere:
    """Store credit keeps no voided state: a pull leaves the credit of an overpayment
    voided in Xero with nothing to use, and that is the credit ended, in line with Xero."""
    if (
        here.kind == StoreCredit.KIND
        and there is not None
        and there.status in ENDED_IN_XERO
        and here.remaining == 0
    ):
        return replace(here, ended=True)
    return here


def _credits_here(
    uow: SqlUnitOfWork, company_id: UUID, wanted: Callable[[str], list[UUID]]
) -> dict[tuple[str, UUID], CreditHere]:
    """The linked credits of a batch as they stand here."""
    here: dict[tuple[str, UUID], CreditHere] = {}
    for note in uow.credit_notes.get_many(company_id, wanted(CreditNote.KIND)).values():
        here[(CreditNote.KIND, note.id)] = CreditHere(
            CreditNote.KIND, note.id, note.number or str(note.id), str(note.status),
            note.total, note.remaining_credit, ended=note.status is CreditNoteStatus.VOIDED,
        )  # fmt: skip
    for refund in uow.refunds.get_many(company_id, wanted(Refund.KIND)).values():
        left = refund.amount if refund.use_id is None else Decimal(0)
        here[(Refund.KIND, refund.id)] = CreditHere(
            Refund.KIND, refund.id, str(refund.id), "paid out" if left == 0 else "recorded",
            refund.amount, left,
        )  # fmt: skip
    for credit in uow.store_credits.get_many(company_id, wanted(StoreCredit.KIND)).values():
        here[(StoreCredit.KIND, credit.id)] = CreditHere(
            StoreCredit.KIND, credit.id, str(credit.id),
            "used" if credit.remaining == 0 else "open", credit.amount, credit.remaining,
        )  # fmt: skip
    for credit in uow.store_credits.get_many(company_id, wanted(SENT_OVERPAYMENT)).values():
        here[(SENT_OVERPAYMENT, credit.id)] = CreditHere(
            StoreCredit.KIND, credit.id, str(credit.id),
            "used" if credit.remaining == 0 else "open", credit.amount, credit.remaining,
            sent_as=credit.overpayment_use_id,
        )  # fmt: skip
    for owed in uow.supplier_credits.get_many(company_id, wanted(SupplierCredit.KIND)).values():
        here[(SupplierCredit.KIND, owed.id)] = CreditHere(
            SupplierCredit.KIND, owed.id, str(owed.id), owed.status, owed.amount,
            owed.remaining, ended=owed.voided, from_xero=True,
        )  # fmt: skip
    return here


def next_run(uow: SqlUnitOfWork, company_id: UUID, now: datetime) -> datetime:
    """When the company's next nightly reconciliation is due (at its hour, UTC)."""
    company = uow.companies.get(company_id)
    options = company.settings.options if company is not None else {}
    hour = hour_setting(options, RECONCILE_HOUR_SETTING, DEFAULT_RECONCILE_HOUR)
    return last_slot(now, hour) + timedelta(days=1)
