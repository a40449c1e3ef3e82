"""Outcomes of one document's attempt, built the same way whatever the kind or action.

Errors from Xero are grouped by what to do next:

- refused (validation, a bad request): failed at once, with Xero's words and the fix;
  retried only by a person or when the document or the settings change;
- ambiguous (timeout, dropped connection, 5xx): the create may have landed, so its key
  stays recorded and the document is looked up in Xero before any resend;
- transient (still in progress, auth to be refreshed): retried later with backoff;
- rate limited: the pass stops and the organisation's work waits for the budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from ledgerlink.store.repositories.sync_log import SyncLogEntry
from ledgerlink.store.repositories.sync_states import SyncState
from ledgerlink.sync.company_leases import LeaseLost as LeaseLost  # raised by the pass
from ledgerlink.sync.export.outcome import Disposition, LinkChange, Outcome
from ledgerlink.xero.outbound.fixes import fixes_for
from xero_client import (
    MAX_BATCH_ELEMENTS,
    FatalError,
    NotFound,
    RateLimited,
    ServerError,
    ValidationFailed,
    XeroConnectionError,
    XeroError,
    XeroTimeout,
)


@dataclass(frozen=True)
class ExportPolicy:
    """Attempts and backoff for documents whose send failed for a passing reason."""

    max_attempts: int = 5
    backoff_base_seconds: float = 1.0
    backoff_max_seconds: float = 300.0
    batch_size: int = MAX_BATCH_ELEMENTS

    def retry_at(self, now: datetime, attempts: int) -> datetime:
        """When attempt ``attempts + 1`` may run: exponential, capped."""
        delay = self.backoff_base_seconds * 2 ** max(0, attempts - 1)
        return now + timedelta(seconds=min(self.backoff_max_seconds, delay))


class PassStopped(Exception):
    """The organisation's Xero budget is spent: the rest of the pass waits until ``until``."""

    def __init__(self, until: datetime, reason: str, *, daily: bool) -> None:
        super().__init__(reason)
        self.until = until
        self.reason = reason
        self.daily = daily


def stop_for(error: RateLimited, now: datetime) -> PassStopped:
    """The stop a rate limit calls for."""
    wait = max(1.0, error.retry_after)
    if error.limit == "day":
        reason = f"Xero's daily limit for this organisation is spent; work resumes in {wait:.0f}s"
    else:
        reason = f"Xero's {error.limit} limit reached; waiting {wait:.0f}s"
    return PassStopped(now + timedelta(seconds=wait), reason, daily=error.limit == "day")


def is_ambiguous(error: XeroError) -> bool:
    """True when a write may have landed although no answer said so."""
    return isinstance(error, XeroTimeout | XeroConnectionError | ServerError)


def is_refusal(error: XeroError) -> bool:
    """True when Xero refused the request itself: sending it again would not help."""
    return isinstance(error, ValidationFailed | NotFound | FatalError)


def messages_of(error: XeroError) -> tuple[str, ...]:
    """Xero's own messages in an error (per element when Xero gave them)."""
    if isinstance(error, ValidationFailed) and error.elements:
        return tuple(m for element in error.elements for m in element.messages)
    return (error.message,)


@dataclass
class Results:
    """Builds outcomes for one company's pass."""

    company_id: UUID
    policy: ExportPolicy
    now: datetime

    def entry(
        self,
        kind: str,
        document_id: UUID,
        action: str,
        outcome: str,
        summary: str,
        answer: str | None = None,
        fix: str | None = None,
    ) -> SyncLogEntry:
        return SyncLogEntry(
            company_id=self.company_id,
            kind=kind,
            document_id=document_id,
            action=action,
            outcome=outcome,
            summary=summary,
            answer=answer,
            fix=fix,
        )

    def sent(
        self,
        state: SyncState,
        *,
        version: int,
        action: str,
        summary: str,
        xero_id: str,
        xero_status: str | None,
        number: str | None,
        total_ours: Decimal | None,
        total_xero: Decimal | None,
        row_ids: tuple[int, ...],
        disposition: Disposition = Disposition.DONE,
        note: str | None = None,
    ) -> Outcome:
        """The document is in Xero as ``version``; totals compared when both are known."""
        mismatch = total_ours is not None and total_xero is not None and total_ours != total_xero
        answer = f"Xero {xero_status or 'saved'} {xero_id}" + (
            f", total {total_xero}" if total_xero is not None else ""
        )
        fix = None
        if mismatch:
            answer += f"; Xero's total {total_xero} differs from ours {total_ours}"
            fix = (
                "check the lines' tax rates and the company's rounding setting against Xero, "
                "then edit the document here or in Xero so the totals agree"
            )
        if note:
            answer += f"; {note}"
        new_state = state.but(
            state="sent",
            attempts=0,
            synced_version=version,
            xero_id=xero_id,
            xero_status=xero_status,
            in_flight_key=None,
            last_error=None,
            fix=fix,
            total_ours=total_ours,
            total_xero=total_xero,
            total_mismatch=mismatch,
        )
        return Outcome(
            state=new_state,
            row_ids=row_ids,
            disposition=disposition,
            log=[self.entry(state.kind, state.document_id, action, "sent", summary, answer, fix)],
            link=LinkChange(xero_id, number, version),
        )

    def refused(
        self,
        state: SyncState,
        *,
        action: str,
        summary: str,
        messages: tuple[str, ...],
        row_ids: tuple[int, ...],
        fix: str | None = None,
        checked_here: bool = False,
    ) -> Outcome:
        """Xero refused (or would refuse) the document: failed until a person acts."""
        text = " / ".join(messages) or "refused without a message"
        fix = fix or fixes_for(messages)
        where = "checked before sending" if checked_here else "Xero refused"
        return Outcome(
            state=state.but(
                state="failed",
                attempts=state.attempts + 1,
                in_flight_key=None,
                last_error=text,
                fix=fix,
            ),
            row_ids=row_ids,
            disposition=Disposition.FAILED,
            log=[
                self.entry(
                    state.kind,
                    state.document_id,
                    action,
                    "failed",
                    summary,
                    f"{where}: {text}",
                    fix,
                )
            ],
            error=text,
        )

    def failed(
        self,
        state: SyncState,
        *,
        action: str,
        summary: str,
        error: XeroError,
        row_ids: tuple[int, ...],
        in_flight_key: str | None,
    ) -> Outcome:
        """A send that raised: refused when Xero refused it, otherwise tried again."""
        if is_refusal(error):
            return self.refused(
                state, action=action, summary=summary, messages=messages_of(error), row_ids=row_ids
            )
        return self.again(
            state,
            action=action,
            summary=summary,
            error=error,
            row_ids=row_ids,
            in_flight_key=in_flight_key,
        )

    def again(
        self,
        state: SyncState,
        *,
        action: str,
        summary: str,
        error: XeroError | str,
        row_ids: tuple[int, ...],
        in_flight_key: str | None,
    ) -> Outcome:
        """A passing failure: retried with backoff until the last attempt, then failed."""
        text = error if isinstance(error, str) else str(error)
        attempts = state.attempts + 1
        if attempts >= self.policy.max_attempts:
            fix = (
                f"gave up after {attempts} attempts; check the connection to Xero and Xero's "
                "status, then retry"
            )
            return Outcome(
                state=state.but(
                    state="failed",
                    attempts=attempts,
                    in_flight_key=in_flight_key,
                    last_error=text,
                    fix=fix,
                ),
                row_ids=row_ids,
                disposition=Disposition.FAILED,
                log=[
                    self.entry(state.kind, state.document_id, action, "failed", summary, text, fix)
                ],
                error=text,
            )
        return Outcome(
            state=state.but(
                state="pending",
                attempts=attempts,
                in_flight_key=in_flight_key,
                last_error=text,
            ),
            row_ids=row_ids,
            disposition=Disposition.RETRY,
            retry_at=self.policy.retry_at(self.now, attempts),
            log=[self.entry(state.kind, state.document_id, action, "retry", summary, text)],
            error=text,
        )

    def waits(
        self,
        state: SyncState,
        *,
        until: datetime,
        reason: str,
        row_ids: tuple[int, ...],
        in_flight_key: str | None,
    ) -> Outcome:
        """The organisation's budget is spent: the document waits, no attempt counted."""
        return Outcome(
            state=state.but(state="pending", in_flight_key=in_flight_key, last_error=reason),
            row_ids=row_ids,
            disposition=Disposition.RETRY,
            retry_at=until,
            error=reason,
        )

    def done(
        self,
        state: SyncState,
        *,
        row_ids: tuple[int, ...],
        action: str | None = None,
        summary: str = "",
        answer: str | None = None,
        new_state: str | None = None,
        save_state: bool = True,
    ) -> Outcome:
        """Nothing (more) to send for this document."""
        log = []
        if action is not None:
            log.append(self.entry(state.kind, state.document_id, action, "done", summary, answer))
        changed = state if new_state is None else state.but(state=new_state, in_flight_key=None)
        return Outcome(
            state=changed,
            row_ids=row_ids,
            disposition=Disposition.DONE,
            log=log,
            save_state=save_state,
        )
