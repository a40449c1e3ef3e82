"""What the repositories of purchase orders, bills, sales invoices and credit notes share."""

import builtins
import enum
from typing import Any, ClassVar, Generic, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement
from sqlalchemy.engine import RowMapping

from ledgerlink.domain.document import Document
from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.money import Currency, LineAmountType
from ledgerlink.store.codec import lines_from_json, lines_to_json
from ledgerlink.store.repositories.aggregates import (
    DEFAULT_PAGE_SIZE,
    AggregateRepository,
    check_page,
)

D = TypeVar("D", bound=Document)


class DocumentRepository(AggregateRepository[D], Generic[D]):
    """Documents by id or number, listed newest first, filtered by status."""

    status_type: ClassVar[type[enum.StrEnum]]
    # The column naming the document's supplier or customer.
    party_column: ClassVar[str]
    unique_fields: ClassVar[tuple[str, ...]] = ("number",)

    def _document_row(self, document: D) -> dict[str, Any]:
        totals = document.totals
        return {
            "status": self.status_type(document.status).value,
            "number": document.number,
            "reference": document.reference,
            "currency": str(document.currency),
            "line_amount_type": document.line_amount_type.value,
            "unit_dp": document.unit_dp,
            "lines": lines_to_json(document.lines),
            "sub_total": totals.sub_total,
            "total_tax": totals.total_tax,
            "total": totals.total,
        }

    def _document_fields(self, row: RowMapping) -> dict[str, Any]:
        """Constructor arguments every document takes, read from its row."""
        return {
            "id": row["id"],
            "company_id": row["company_id"],
            "version": row["version"],
            "status": self.status_type(row["status"]),
            "number": row["number"],
            "reference": row["reference"],
            "currency": Currency(row["currency"]),
            "line_amount_type": LineAmountType(row["line_amount_type"]),
            "unit_dp": row["unit_dp"],
            "lines": lines_from_json(row["lines"]),
            "date": row["date"],
        }

    def _status_condition(self, status: str) -> ColumnElement[bool]:
        allowed = [member.value for member in self.status_type]
        if status not in allowed:
            raise InvalidValue("status", f"use one of {', '.join(allowed)}, got {status!r}")
        return self.table.c.status == status

    def _order(self) -> tuple[ColumnElement[Any], ...]:
        return (self.table.c.date.desc(), self.table.c.number, self.table.c.id)

    def list_for_party(
        self,
        company_id: UUID,
        party_id: UUID,
        *,
        status: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
    ) -> builtins.list[D]:
        """One page of the documents of one supplier or customer, newest first."""
        check_page(limit, offset)
        query = self._filtered(company_id, status).where(
            self.table.c[self.party_column] == party_id
        )
        return self._all(query.order_by(*self._order()).limit(limit).offset(offset))

    def get_by_number(self, company_id: UUID, number: str) -> D | None:
        """The document numbered `number` in the company, if any."""
        return self._first(
            self._select(company_id)
            .where(self.table.c.number == number.strip())
            .order_by(self.table.c.id)
        )
