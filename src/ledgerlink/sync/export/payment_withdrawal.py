"""A payment deleted here is deleted in Xero: each Xero payment it made, or its batch
payment. One already deleted there counts as done."""

from __future__ import annotations

from ledgerlink.sync.export.keys import document_key, key_generation
from ledgerlink.sync.export.outcome import Outcome
from ledgerlink.sync.export.payment_plan import PaymentJob
from ledgerlink.sync.export.results import messages_of, stop_for
from ledgerlink.sync.export.state import Pass
from xero_client import RateLimited, XeroError


def already_deleted(error: XeroError) -> bool:
    """True when Xero refused a delete because it is done already."""
    return any("already been deleted" in m for m in messages_of(error))


async def withdraw(p: Pass, job: PaymentJob) -> Outcome:
    """Delete in Xero what a payment deleted here made there."""
    env, results = p.env, p.results()
    state = p.snap.state(job.kind, job.payment.id)
    key = document_key(job.kind, "delete", job.payment, key_generation(state.in_flight_key))
    try:
        if job.batch_id is not None:
            await env.client.request(
                "POST",
                f"/BatchPayments/{job.batch_id}",
                json={"BatchPayments": [{"BatchPaymentID": job.batch_id, "Status": "DELETED"}]},
                idempotency_key=key,
            )
        else:
            for index, xero_id in sorted(job.sent.items()):
                await _delete_one(p, xero_id, f"{key}-{index}")
    except RateLimited as error:
        raise stop_for(error, env.clock()) from None
    except XeroError as error:
        if not already_deleted(error):
            return results.failed(
                state, action="cancel", summary=job.summary, error=error,
                row_ids=job.row_ids, in_flight_key=state.in_flight_key,
            )  # fmt: skip
    return results.done(
        state.but(xero_status="DELETED"),
        row_ids=job.row_ids,
        action="cancel",
        summary=job.summary,
        answer="Xero DELETED",
        new_state="sent",
    )


async def _delete_one(p: Pass, xero_id: str, key: str) -> None:
    try:
        await p.env.client.delete_payment(xero_id, idempotency_key=key)
    except XeroError as error:
        if not already_deleted(error):
            raise


__all__ = ["already_deleted", "withdraw"]
