"""Before any resend: payments whose create may have landed are looked up in Xero, by the
document paid, date, amount and reference. Xero payments already linked to another payment
here are never matched again; a batch payment is found whole or not at all."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from ledgerlink.store.repositories.sync_links import LinkWrite, linked_xero_ids
from ledgerlink.sync.export.payment_plan import (
    BATCH,
    ELEMENT,
    PaymentJob,
    Target,
    element_key,
)
from ledgerlink.sync.export.state import Pass
from xero_client import Invoice, Payment, XeroClient

#: Documents asked for per call: Xero answers at most 100 invoices to one ``IDs=`` filter.
CHUNK = 100

__all__ = ["BATCH", "Lookup", "look_up", "xero_invoices"]


@dataclass
class Lookup:
    """What the lookup found and leaves to do."""

    #: Wholly in Xero: linked.
    linked: list[PaymentJob] = field(default_factory=list)
    #: Not (wholly) found: sent again, with their batch mates, under their key.
    remaining: list[PaymentJob] = field(default_factory=list)
    #: Deleted here and found (wholly or in part): deleted in Xero.
    cancels: list[PaymentJob] = field(default_factory=list)
    #: Deleted here and not found: never reached Xero.
    never_sent: list[PaymentJob] = field(default_factory=list)
    #: The Xero payments found, to link.
    links: list[LinkWrite] = field(default_factory=list)


def _chunks(ids: Iterable[str]) -> list[list[str]]:
    wanted = sorted({i.lower() for i in ids})
    return [wanted[n : n + CHUNK] for n in range(0, len(wanted), CHUNK)]


async def xero_invoices(client: XeroClient, targets: Sequence[Target]) -> dict[str, Invoice]:
    """The documents paid as Xero holds them now, by Xero id in lower case."""
    found: dict[str, Invoice] = {}
    for chunk in _chunks(t.xero_id for t in targets if t.xero_id):
        async for invoice in client.iter_invoices(ids=chunk, page_size=100):
            if invoice.invoice_id:
                found[invoice.invoice_id.lower()] = invoice
    return found


async def _payments_on(client: XeroClient, invoice_ids: Iterable[str]) -> list[Payment]:
    out: list[Payment] = []
    for chunk in _chunks(invoice_ids):
        on = " OR ".join(f'Invoice.InvoiceID==Guid("{i}")' for i in chunk)
        async for payment in client.iter_payments(where=f'Status=="AUTHORISED" AND ({on})'):
            if payment.payment_id:
                out.append(payment)
    return out


def _matches(job: PaymentJob, target: Target, candidate: Payment) -> bool:
    payment = job.payment
    invoice = candidate.invoice.invoice_id if candidate.invoice else None
    return (
        (invoice or "").lower() == (target.xero_id or "").lower()
        and candidate.date == payment.date
        and candidate.amount == payment.allocations[target.index].amount
        and (candidate.reference or "") == (payment.reference or "")
        and bool(candidate.batch_payment_id) == job.as_batch
    )


async def look_up(p: Pass, jobs: Sequence[PaymentJob]) -> Lookup:
    """Find the Xero payments of ``jobs``; see ``Lookup``."""
    env = p.env
    candidates = await _payments_on(
        env.client, [t.xero_id for j in jobs for t in j.unsent if t.xero_id]
    )
    own = {x.lower() for j in jobs for x in j.sent.values()}
    with env.uow_factory() as uow:
        linked = linked_xero_ids(
            uow.session, env.company_id, ELEMENT, [c.payment_id or "" for c in candidates]
        )
    taken = linked - own
    result = Lookup()
    for job in sorted(jobs, key=lambda j: str(j.payment.id)):
        found: dict[int, Payment] = {}
        for target in job.unsent:
            for candidate in candidates:
                xero_id = (candidate.payment_id or "").lower()
                if xero_id not in taken and _matches(job, target, candidate):
                    taken.add(xero_id)
                    found[target.index] = candidate
                    break
        batches = {c.batch_payment_id for c in found.values()}
        if job.as_batch and (len(found) != len(job.unsent) or len(batches) != 1):
            found = {}
        result.links += [
            LinkWrite(ELEMENT, element_key(job.payment.id, i), c.payment_id or "", None, None)
            for i, c in found.items()
        ]
        done = replace(
            job,
            sent={**job.sent, **{i: c.payment_id or "" for i, c in found.items()}},
            batch_id=next(iter(batches)) if job.as_batch and found else job.batch_id,
        )
        if job.withdraw:
            (result.cancels if done.sent else result.never_sent).append(done)
        elif len(found) == len(job.unsent):
            result.linked.append(done)
        else:
            result.remaining.append(done)
    return result
