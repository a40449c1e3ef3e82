"""Refunds and store credit."""

import builtins
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import ColumnElement, Table
from sqlalchemy.engine import RowMapping

from ledgerlink.domain.credits import Refund, StoreCredit
from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.money import Currency
from ledgerlink.store.repositories.aggregates import AggregateRepository
from ledgerlink.store.tables import customers
from ledgerlink.store.tables.credits import refunds, store_credits

STORE_CREDIT_STATUSES = ("open", "used")


class RefundRepository(AggregateRepository[Refund]):
    table = refunds
    label = "refund"
    references: ClassVar[dict[str, tuple[Table, str]]] = {"customer_id": (customers, "customer")}

    def _to_row(self, aggregate: Refund) -> dict[str, Any]:
        return {
            "customer_id": aggregate.customer_id,
            "date": aggregate.date,
            "amount": aggregate.amount,
            "currency": str(aggregate.currency),
            "bank_account_code": aggregate.bank_account_code,
            "invoice_id": aggregate.invoice_id,
            "reason": aggregate.reason,
        }

    def _from_row(self, row: RowMapping) -> Refund:
        return Refund(
            id=row["id"],
            company_id=row["company_id"],
            version=row["version"],
            customer_id=row["customer_id"],
            date=row["date"],
            amount=row["amount"],
            currency=Currency(row["currency"]),
            bank_account_code=row["bank_account_code"],
            invoice_id=row["invoice_id"],
            reason=row["reason"],
        )

    def _status_condition(self, status: str) -> ColumnElement[bool]:
        raise InvalidValue("status", "refunds have no status; leave it out")

    def _order(self) -> tuple[ColumnElement[Any], ...]:
        return (refunds.c.date.desc(), refunds.c.id)

    def list_for_customer(self, company_id: UUID, customer_id: UUID) -> builtins.list[Refund]:
        """The customer's refunds, newest first."""
        return self._all(
            self._select(company_id)
            .where(refunds.c.customer_id == customer_id)
            .order_by(*self._order())
        )


class StoreCreditRepository(AggregateRepository[StoreCredit]):
    """Store credit; `status` is "open" while some is left, then "used"."""

    table = store_credits
    label = "store credit"
    references: ClassVar[dict[str, tuple[Table, str]]] = {"customer_id": (customers, "customer")}

    def _to_row(self, aggregate: StoreCredit) -> dict[str, Any]:
        return {
            "status": "open" if aggregate.remaining > 0 else "used",
            "customer_id": aggregate.customer_id,
            "date": aggregate.date,
            "amount": aggregate.amount,
            "currency": str(aggregate.currency),
            "amount_used": aggregate.amount_used,
            "source_payment_id": aggregate.source_payment_id,
        }

    def _from_row(self, row: RowMapping) -> StoreCredit:
        return StoreCredit(
            id=row["id"],
            company_id=row["company_id"],
            version=row["version"],
            customer_id=row["customer_id"],
            date=row["date"],
            amount=row["amount"],
            currency=Currency(row["currency"]),
            amount_used=row["amount_used"],
            source_payment_id=row["source_payment_id"],
        )

    def _status_condition(self, status: str) -> ColumnElement[bool]:
        if status not in STORE_CREDIT_STATUSES:
            raise InvalidValue("status", f"use open or used, got {status!r}")
        return store_credits.c.status == status

    def _order(self) -> tuple[ColumnElement[Any], ...]:
        return (store_credits.c.date, store_credits.c.id)

    def open_for_customer(self, company_id: UUID, customer_id: UUID) -> builtins.list[StoreCredit]:
        """The customer's credit that is not used up, oldest first (use it in this order)."""
        return self._all(
            self._select(company_id)
            .where(store_credits.c.customer_id == customer_id, store_credits.c.status == "open")
            .order_by(*self._order())
        )
