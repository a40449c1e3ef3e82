"""Payments, with their allocations to bills and sales invoices."""

import builtins
from collections import defaultdict
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.money import Currency
from ledgerlink.domain.payments import Allocation, Payment, PaymentStatus
from ledgerlink.store.repositories.aggregates import AggregateRepository
from ledgerlink.store.tables import payment_allocations, payments


class PaymentRepository(AggregateRepository[Payment]):
    table = payments
    label = "payment"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._allocations: dict[UUID, builtins.list[Allocation]] = {}

    def forget(self) -> None:
        super().forget()
        self._allocations.clear()

    def _to_row(self, aggregate: Payment) -> dict[str, Any]:
        return {
            "status": aggregate.status.value,
            "date": aggregate.date,
            "amount": aggregate.amount,
            "currency": str(aggregate.currency),
            "bank_account_code": aggregate.bank_account_code,
            "reference": aggregate.reference,
            "party_id": aggregate.party_id,
        }

    def _prefetch(self, rows: builtins.list[RowMapping]) -> None:
        ids = [row["id"] for row in rows]
        if not ids:
            return
        found: dict[UUID, builtins.list[Allocation]] = defaultdict(list)
        for payment_id, document_id, amount in self._session.execute(
            select(
                payment_allocations.c.payment_id,
                payment_allocations.c.document_id,
                payment_allocations.c.amount,
            )
            .where(payment_allocations.c.payment_id.in_(ids))
            .order_by(payment_allocations.c.payment_id, payment_allocations.c.position)
        ):
            found[payment_id].append(Allocation(document_id=document_id, amount=amount))
        self._allocations.update({payment_id: found.get(payment_id, []) for payment_id in ids})

    def _from_row(self, row: RowMapping) -> Payment:
        return Payment(
            id=row["id"],
            company_id=row["company_id"],
            version=row["version"],
            status=PaymentStatus(row["status"]),
            date=row["date"],
            amount=row["amount"],
            currency=Currency(row["currency"]),
            bank_account_code=row["bank_account_code"],
            reference=row["reference"],
            party_id=row["party_id"],
            allocations=tuple(self._allocations.pop(row["id"], [])),
        )

    def _write_children(self, aggregate: Payment) -> None:
        self._session.execute(
            delete(payment_allocations).where(payment_allocations.c.payment_id == aggregate.id)
        )
        if aggregate.allocations:
            self._session.execute(
                payment_allocations.insert(),
                [
                    {
                        "payment_id": aggregate.id,
                        "position": position,
                        "document_id": allocation.document_id,
                        "amount": allocation.amount,
                    }
                    for position, allocation in enumerate(aggregate.allocations)
                ],
            )

    def _status_condition(self, status: str) -> ColumnElement[bool]:
        allowed = [member.value for member in PaymentStatus]
        if status not in allowed:
            raise InvalidValue("status", f"use one of {', '.join(allowed)}, got {status!r}")
        return payments.c.status == status

    def _order(self) -> tuple[ColumnElement[Any], ...]:
        return (payments.c.date.desc(), payments.c.id)

    def list_for_document(self, company_id: UUID, document_id: UUID) -> builtins.list[Payment]:
        """Payments with an allocation to the bill or sales invoice `document_id`."""
        allocated = select(payment_allocations.c.payment_id).where(
            payment_allocations.c.document_id == document_id
        )
        return self._all(
            self._select(company_id).where(payments.c.id.in_(allocated)).order_by(*self._order())
        )
