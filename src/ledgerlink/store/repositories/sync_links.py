"""Bulk reads the export worker needs: many Xero links at once, the bills of an order."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

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
                xero_links.c.entity_id.in_(wanted[start : start + _CHUNK]),
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
