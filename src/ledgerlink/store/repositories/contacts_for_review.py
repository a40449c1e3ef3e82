"""Contacts added in Xero that wait for a person (the company reviews new contacts)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.tables import contacts_for_review, xero_links

PARTY_KINDS = ("supplier", "customer")


@dataclass(frozen=True, slots=True)
class ContactForReview:
    """A contact of Xero not linked here: its name, what Xero marks it, when noticed."""

    xero_id: str
    name: str
    kinds: tuple[str, ...]
    noticed_at: datetime


class ContactReviewRepository:
    """Note contacts for review; list those not imported (linked) since."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def note(
        self, company_id: UUID, xero_id: str, name: str, kinds: tuple[str, ...], now: datetime
    ) -> None:
        values = {"name": name[:255], "kinds": ",".join(kinds)}
        result = self._session.execute(
            contacts_for_review.update()
            .where(
                contacts_for_review.c.company_id == company_id,
                contacts_for_review.c.xero_id == xero_id.lower(),
            )
            .values(**values)
        )
        if rowcount(result) == 0:
            self._session.execute(
                contacts_for_review.insert().values(
                    company_id=company_id, xero_id=xero_id.lower(), noticed_at=now, **values
                )
            )

    def waiting(self, company_id: UUID, limit: int = 1000) -> list[ContactForReview]:
        """The company's contacts for review not linked to a supplier or customer, by name."""
        linked = exists().where(
            and_(
                xero_links.c.company_id == company_id,
                xero_links.c.kind.in_(PARTY_KINDS),
                xero_links.c.xero_id == contacts_for_review.c.xero_id,
            )
        )
        rows = self._session.execute(
            select(contacts_for_review)
            .where(contacts_for_review.c.company_id == company_id, ~linked)
            .order_by(contacts_for_review.c.name, contacts_for_review.c.xero_id)
            .limit(limit)
        ).mappings()
        return [
            ContactForReview(
                xero_id=row["xero_id"],
                name=row["name"],
                kinds=tuple(kind for kind in row["kinds"].split(",") if kind),
                noticed_at=row["noticed_at"],
            )
            for row in rows
        ]
