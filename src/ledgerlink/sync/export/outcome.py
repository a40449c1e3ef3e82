"""What became of one document in a pass, and how it is written down.

An ``Outcome`` carries the document's new sync state, its log entries, the Xero link to
record and what happens to its outbox rows (done, failed, retried later, or left
claimed while the send is still in flight). ``record`` writes outcomes in one transaction.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from sqlalchemy.orm import Session

from ledgerlink.store.clock import Clock
from ledgerlink.store.outbox import OutboxRepository
from ledgerlink.store.repositories.sync_links import LinkWrite, links_for_keys, save_links
from ledgerlink.store.repositories.sync_log import SyncLogEntry, SyncLogRepository
from ledgerlink.store.repositories.sync_states import SyncState, SyncStateRepository
from ledgerlink.sync.export.observed import observe


class Disposition(enum.StrEnum):
    """What happens to a document's outbox rows."""

    DONE = "done"
    FAILED = "failed"
    RETRY = "retry"
    KEEP = "keep"  # still claimed: more steps follow in this pass


@dataclass(frozen=True)
class LinkChange:
    """The Xero record a document now corresponds to."""

    xero_id: str
    xero_number: str | None
    synced_version: int | None


@dataclass
class Outcome:
    """One document's result in a pass."""

    state: SyncState
    row_ids: tuple[int, ...] = ()
    disposition: Disposition = Disposition.DONE
    log: list[SyncLogEntry] = field(default_factory=list)
    link: LinkChange | None = None
    retry_at: datetime | None = None
    error: str | None = None
    #: False for documents that were never tracked and need no state (nothing to send).
    save_state: bool = True

    @property
    def key(self) -> tuple[str, UUID]:
        return (self.state.kind, self.state.document_id)


@dataclass(frozen=True)
class Written:
    """What ``record`` wrote: the states (``(kind, document id)``) and the Xero links
    (``(kind, entity id)``) now in the database."""

    states: frozenset[tuple[str, UUID]]
    links: frozenset[tuple[str, str]]


def record(
    session: Session,
    clock: Clock,
    tenant_id: str,
    outcomes: Sequence[Outcome],
    *,
    stored: AbstractSet[tuple[str, UUID]] | None = None,
    linked: AbstractSet[tuple[str, str]] | None = None,
    created: Mapping[int, datetime] | None = None,
) -> Written:
    """Write states, log entries, links and row dispositions of ``outcomes`` (no commit).

    ``stored`` names the states already in the database (updated in one statement, the
    others inserted in one); ``linked`` does the same for Xero links, by ``(kind, entity
    id)``. ``created`` holds the creation times of outbox rows already read, by row id.
    Returns what was written, for the caller to add to both.
    """
    states = SyncStateRepository(session, clock)
    log: list[SyncLogEntry] = []
    done: list[int] = []
    failed: dict[str | None, list[int]] = {}
    retries: dict[tuple[datetime, str | None], list[int]] = {}
    to_save = {o.key: o.state for o in outcomes if o.save_state}  # the last one wins
    states.save_many(list(to_save.values()), existing=stored)
    writes: dict[tuple[str, str], LinkWrite] = {}
    for outcome in outcomes:
        log.extend(outcome.log)
        if outcome.link is not None:
            key = (outcome.state.kind, str(outcome.state.document_id))
            writes[key] = LinkWrite(
                kind=key[0],
                entity_id=key[1],
                xero_id=outcome.link.xero_id,
                xero_number=outcome.link.xero_number,
                synced_version=outcome.link.synced_version,
            )
    if writes and outcomes:
        company_id = outcomes[0].state.company_id
        if linked is None:
            linked = set(links_for_keys(session, company_id, writes))
        save_links(
            session, company_id, tenant_id, list(writes.values()), now=clock(), existing=linked
        )
    for outcome in outcomes:
        if outcome.disposition is Disposition.DONE:
            done.extend(outcome.row_ids)
        elif outcome.disposition is Disposition.FAILED:
            failed.setdefault(outcome.error, []).extend(outcome.row_ids)
        elif outcome.disposition is Disposition.RETRY:
            assert outcome.retry_at is not None
            retries.setdefault((outcome.retry_at, outcome.error), []).extend(outcome.row_ids)
    SyncLogRepository(session, clock).add_many(log)
    rows = OutboxRepository(session)
    rows.complete(done)
    for error, ids in failed.items():
        rows.give_up(ids, error=error)
    for (when, error), ids in retries.items():
        rows.retry(ids, available_at=when, error=error)
    observe(session, clock(), outcomes, created)
    return Written(frozenset(to_save), frozenset(writes))
