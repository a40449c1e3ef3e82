"""Supplier credit: overpayments and prepayments made to suppliers in Xero."""

import builtins
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import ColumnElement, Select, Table, func
from sqlalchemy.engine import RowMapping

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.money import Currency
from ledgerlink.domain.supplier_credit import SupplierCredit
from ledgerlink.store.repositories.aggregates import (
    DEFAULT_PAGE_SIZE,
    AggregateRepository,
    check_page,
)
from ledgerlink.store.tables import suppliers
from ledgerlink.store.tables.credits import supplier_credits

SUPPLIER_CREDIT_STATUSES = ("open", "used", "voided")


class SupplierCreditRepository(AggregateRepository[SupplierCredit]):
    """Supplier credit; `status` is "open" while some is left, then "used" (or "voided")."""

    table = supplier_credits
    label = "supplier credit"
    references: ClassVar[dict[str, tuple[Table, str]]] = {"supplier_id": (suppliers, "supplier")}

    def _to_row(self, aggregate: SupplierCredit) -> dict[str, Any]:
        return {
            "status": aggregate.status,
            "supplier_id": aggregate.supplier_id,
            "source": str(aggregate.source),
            "date": aggregate.date,
            "amount": aggregate.amount,
            "currency": str(aggregate.currency),
            "amount_used": aggregate.amount_used,
            "voided": aggregate.voided,
            "reference": aggregate.reference,
        }

    def _from_row(self, row: RowMapping) -> SupplierCredit:
        return SupplierCredit(
            id=row["id"],
            company_id=row["company_id"],
            version=row["version"],
            supplier_id=row["supplier_id"],
            source=row["source"],
            date=row["date"],
            amount=row["amount"],
            currency=Currency(row["currency"]),
            amount_used=row["amount_used"],
            voided=row["voided"],
            reference=row["reference"],
        )

    def _status_condition(self, status: str) -> ColumnElement[bool]:
        if status not in SUPPLIER_CREDIT_STATUSES:
            raise InvalidValue("status", f"use open, used or voided, got {status!r}")
        return supplier_credits.c.status == status

    def _order(self) -> tuple[ColumnElement[Any], ...]:
        return (supplier_credits.c.date, supplier_credits.c.id)

    def _of(self, company_id: UUID, supplier_id: UUID | None, status: str | None) -> Select[Any]:
        query = self._filtered(company_id, status)
        if supplier_id is not None:
            query = query.where(supplier_credits.c.supplier_id == supplier_id)
        return query

    def list_of(
        self,
        company_id: UUID,
        *,
        supplier_id: UUID | None = None,
        status: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
    ) -> builtins.list[SupplierCredit]:
        """One page of the company's supplier credit, oldest first, optionally of one
        supplier and of one status."""
        check_page(limit, offset)
        query = self._of(company_id, supplier_id, status).order_by(*self._order())
        return self._all(query.limit(limit).offset(offset))

    def count_of(
        self, company_id: UUID, *, supplier_id: UUID | None = None, status: str | None = None
    ) -> int:
        """How many `list_of` pages through."""
        query = self._of(company_id, supplier_id, status).with_only_columns(func.count())
        return int(self._session.execute(query.order_by(None)).scalar_one())
