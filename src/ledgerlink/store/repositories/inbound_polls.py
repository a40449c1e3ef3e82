"""Inbound polls: per company and source, the If-Modified-Since of the next read of Xero."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledgerlink.store.records import CompanySettings
from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.tables import companies, inbound_polls, xero_connections, xero_links


@dataclass(frozen=True, slots=True)
class PollMark:
    """When a source was last read, and the newest change read then."""

    source: str
    modified_since: datetime | None
    polled_at: datetime


def minutes_setting(options: dict[str, Any] | Any, key: str, default: int) -> int:
    """A whole number of minutes from a company's options; 0 turns the poll off."""
    minutes = options.get(key, default)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0:
        return default
    return minutes


class InboundPollRepository:
    """Read and move the marks; find the connected companies whose poll is due."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def mark(self, company_id: UUID, source: str) -> PollMark | None:
        """The company's mark for `source`, or None when it was never read."""
        row = self._session.execute(
            select(inbound_polls.c.modified_since, inbound_polls.c.polled_at).where(
                inbound_polls.c.company_id == company_id, inbound_polls.c.source == source
            )
        ).first()
        return None if row is None else PollMark(source, row[0], row[1])

    def save(
        self, company_id: UUID, source: str, modified_since: datetime | None, polled_at: datetime
    ) -> None:
        """Record a read of `source` at `polled_at` that saw changes up to `modified_since`."""
        values = {"modified_since": modified_since, "polled_at": polled_at}
        result = self._session.execute(
            inbound_polls.update()
            .where(inbound_polls.c.company_id == company_id, inbound_polls.c.source == source)
            .values(**values)
        )
        if rowcount(result) == 0:
            self._session.execute(
                inbound_polls.insert().values(company_id=company_id, source=source, **values)
            )

    def due(self, now: datetime, source: str, setting: str, default_minutes: int) -> list[UUID]:
        """Connected companies whose `source` was last read `setting` minutes ago or more."""
        rows = self._session.execute(
            select(companies.c.id, companies.c.settings, inbound_polls.c.polled_at)
            .join(xero_connections, xero_connections.c.company_id == companies.c.id)
            .outerjoin(
                inbound_polls,
                (inbound_polls.c.company_id == companies.c.id) & (inbound_polls.c.source == source),
            )
            .where(xero_connections.c.status == "connected")
            .order_by(companies.c.id)
        )
        due: list[UUID] = []
        for company_id, settings, polled_at in rows:
            options = CompanySettings.from_json(settings).options
            minutes = minutes_setting(options, setting, default_minutes)
            if minutes == 0:
                continue
            if polled_at is None or polled_at + timedelta(minutes=minutes) <= now:
                due.append(company_id)
        return due

    def links_under(self, company_id: UUID, kind: str, parent_xero_id: str) -> list[str]:
        """The local ids linked as `kind` whose Xero number names `parent_xero_id`.

        An allocation of a Xero credit (an overpayment, prepayment or credit note) is
        linked with its credit's id as the link's number, so the allocations Xero no
        longer lists can be found and taken back here.
        """
        rows = self._session.execute(
            select(xero_links.c.entity_id).where(
                xero_links.c.company_id == company_id,
                xero_links.c.kind == kind,
                xero_links.c.xero_number == parent_xero_id.lower(),
            )
        )
        return [entity_id for (entity_id,) in rows]
