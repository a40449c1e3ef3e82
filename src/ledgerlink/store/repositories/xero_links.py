"""Which Xero record (in which organisation) each record here corresponds to."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ledgerlink.store.clock import Clock
from ledgerlink.store.errors import DuplicateRecord
from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.tables import xero_links


@dataclass(frozen=True, slots=True)
class XeroLink:
    """A record here (`kind`, `entity_id`) and its Xero counterpart in `tenant_id`.

    `entity_id` is the record's id, or its natural key for reference data (an account
    code); `synced_version` is the version of the record Xero last received.
    """

    company_id: UUID
    kind: str
    entity_id: str
    tenant_id: str
    xero_id: str
    xero_number: str | None
    synced_version: int | None
    updated_at: datetime


class XeroLinkRepository:
    """Get, find and upsert links; one per record, one per Xero record per organisation."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def get(self, company_id: UUID, kind: str, entity_id: UUID | str) -> XeroLink | None:
        """The link of one record here, or None when it has not reached Xero."""
        row = (
            self._session.execute(
                select(xero_links).where(
                    xero_links.c.company_id == company_id,
                    xero_links.c.kind == kind,
                    xero_links.c.entity_id == str(entity_id),
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else _link(row)

    def find(self, tenant_id: str, kind: str, xero_id: str) -> XeroLink | None:
        """The record here that a Xero record (e.g. from a webhook) corresponds to."""
        row = (
            self._session.execute(
                select(xero_links).where(
                    xero_links.c.tenant_id == tenant_id,
                    xero_links.c.kind == kind,
                    xero_links.c.xero_id == xero_id.lower(),
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else _link(row)

    def upsert(
        self,
        company_id: UUID,
        kind: str,
        entity_id: UUID | str,
        *,
        tenant_id: str,
        xero_id: str,
        xero_number: str | None = None,
        synced_version: int | None = None,
    ) -> XeroLink:
        """Create or replace the link of one record.

        Raises:
            DuplicateRecord: the Xero record is already linked to another record here.
        """
        link = XeroLink(
            company_id=company_id,
            kind=kind,
            entity_id=str(entity_id),
            tenant_id=tenant_id,
            # Xero ids are GUIDs; Xero answers in lower case but accepts any case.
            xero_id=xero_id.lower(),
            xero_number=xero_number,
            synced_version=synced_version,
            updated_at=self._clock(),
        )
        changes = {
            "tenant_id": link.tenant_id,
            "xero_id": link.xero_id,
            "xero_number": link.xero_number,
            "synced_version": link.synced_version,
            "updated_at": link.updated_at,
        }
        try:
            with self._session.begin_nested():
                result = self._session.execute(
                    xero_links.update()
                    .where(
                        xero_links.c.company_id == company_id,
                        xero_links.c.kind == kind,
                        xero_links.c.entity_id == link.entity_id,
                    )
                    .values(**changes)
                )
                if rowcount(result) == 0:
                    self._session.execute(
                        xero_links.insert().values(
                            company_id=company_id, kind=kind, entity_id=link.entity_id, **changes
                        )
                    )
        except IntegrityError as error:
            raise DuplicateRecord("xero link", "xero_id", link.xero_id) from error
        return link


def _link(row: RowMapping) -> XeroLink:
    return XeroLink(
        company_id=row["company_id"],
        kind=row["kind"],
        entity_id=row["entity_id"],
        tenant_id=row["tenant_id"],
        xero_id=row["xero_id"],
        xero_number=row["xero_number"],
        synced_version=row["synced_version"],
        updated_at=row["updated_at"],
    )
