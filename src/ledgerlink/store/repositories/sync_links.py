"""Bulk reads and writes the export worker needs: many Xero links at once, the bills of an
order."""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ledgerlink.store.errors import DuplicateRecord
from ledgerlink.store.repositories._bulk import insert_rows, update_rows
from ledgerlink.store.repositories._rows import among
from ledgerlink.store.repositories.xero_links import XeroLink
from ledgerlink.store.tables import bills, xero_links

_CHUNK = 500


def links_for(
    session: Session, company_id: UUID, kind: str, entity_ids: Iterable[UUID | str]
) -> dict[str, XeroLink]:
    """The Xero links of several records of one kind, by entity id (as text)."""
    wanted = sorted({str(i) for i in entity_ids})
    found: dict[str, XeroLink] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = session.execute(
            select(xero_links).where(
                xero_links.c.company_id == company_id,
                xero_links.c.kind == kind,
                among(session, xero_links.c.entity_id, wanted[start : start + _CHUNK]),
            )
        ).mappings()
        for row in rows:
            found[row["entity_id"]] = XeroLink(
                company_id=row["company_id"],
                kind=row["kind"],
                entity_id=row["entity_id"],
                tenant_id=row["tenant_id"],
                xero_id=row["xero_id"],
                xero_number=row["xero_number"],
                synced_version=row["synced_version"],
                updated_at=row["updated_at"],
            )
    return found


def bills_of_orders(
    session: Session, company_id: UUID, order_ids: Iterable[UUID]
) -> dict[UUID, list[UUID]]:
    """The bills made from each purchase order, by order id."""
    wanted = list(set(order_ids))
    found: dict[UUID, list[UUID]] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = session.execute(
            select(bills.c.id, bills.c.purchase_order_id)
            .where(
                bills.c.company_id == company_id,
                bills.c.purchase_order_id.in_(wanted[start : start + _CHUNK]),
            )
            .order_by(bills.c.id)
        ).all()
        for bill_id, order_id in rows:
            found.setdefault(order_id, []).append(bill_id)
    return found


def linked_xero_ids(
    session: Session, company_id: UUID, kind: str, xero_ids: Iterable[str]
) -> set[str]:
    """Those of ``xero_ids`` already linked to a record of ``kind`` in the company."""
    wanted = sorted({i.lower() for i in xero_ids})
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        found.update(
            session.scalars(
                select(xero_links.c.xero_id).where(
                    xero_links.c.company_id == company_id,
                    xero_links.c.kind == kind,
                    xero_links.c.xero_id.in_(wanted[start : start + _CHUNK]),
                )
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class LinkHolder:
    """The record a Xero id is linked to (in any company connected to the organisation)."""

    company_id: UUID
    entity_id: str


def link_holders(
    session: Session, tenant_id: str, kind: str, xero_ids: Iterable[str]
) -> dict[str, LinkHolder]:
    """Which record already holds each of ``xero_ids`` (lower case) in the organisation."""
    wanted = sorted({i.lower() for i in xero_ids})
    found: dict[str, LinkHolder] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = session.execute(
            select(xero_links.c.xero_id, xero_links.c.company_id, xero_links.c.entity_id).where(
                xero_links.c.tenant_id == tenant_id,
                xero_links.c.kind == kind,
                xero_links.c.xero_id.in_(wanted[start : start + _CHUNK]),
            )
        ).all()
        for xero_id, company_id, entity_id in rows:
            found[xero_id] = LinkHolder(company_id, entity_id)
    return found


@dataclass(frozen=True, slots=True)
class LinkWrite:
    """One record's link to write: ``(kind, entity_id)`` now corresponds to ``xero_id``."""

    kind: str
    entity_id: str
    xero_id: str
    xero_number: str | None
    synced_version: int | None


def save_links(
    session: Session,
    company_id: UUID,
    tenant_id: str,
    writes: list[LinkWrite],
    *,
    now: datetime,
    existing: Set[tuple[str, str]],
) -> None:
    """Write many links at once: those in ``existing`` updated, the others inserted.

    Raises:
        DuplicateRecord: a Xero record is already linked to another record here.
    """
    rows = [
        {
            "company_id": company_id,
            "kind": w.kind,
            "entity_id": w.entity_id,
            "tenant_id": tenant_id,
            "xero_id": w.xero_id.lower(),
            "xero_number": w.xero_number,
            "synced_version": w.synced_version,
            "updated_at": now,
        }
        for w in writes
    ]
    updates = [r for r in rows if (r["kind"], r["entity_id"]) in existing]
    inserts = [r for r in rows if (r["kind"], r["entity_id"]) not in existing]
    try:
        with session.begin_nested():
            update_rows(session, xero_links, ("company_id", "kind", "entity_id"), updates)
            insert_rows(session, xero_links, inserts)
    except IntegrityError as error:
        raise DuplicateRecord("xero link", "xero_id", str(error.params)[:200]) from error


_LINK_VALUES = ("tenant_id", "xero_id", "xero_number", "synced_version", "updated_at")


def links_for_keys(
    session: Session, company_id: UUID, keys: Iterable[tuple[str, str]]
) -> set[tuple[str, str]]:
    """Which of ``(kind, entity_id)`` already have a link."""
    by_kind: dict[str, list[str]] = {}
    for kind, entity_id in keys:
        by_kind.setdefault(kind, []).append(entity_id)
    return {
        (kind, entity_id)
        for kind, ids in by_kind.items()
        for entity_id in links_for(session, company_id, kind, ids)
    }
