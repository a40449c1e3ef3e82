"""Payments recorded here as a kind: what they pay and when they go.

A payment pays bills or sales invoices (``targets``); it goes once every document it pays
is in Xero (see ``payment_plan``), as one Xero payment per document or one batch payment
(``ExportSettings.split_payments``). What an overpayment leaves over stays here as store
credit: only the allocated part reaches Xero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from uuid import UUID

from ledgerlink.domain.payments import Payment, PaymentStatus
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.kind import Rules, Stage
from ledgerlink.xero.outbound.settings import ExportSettings


class Payments:
    kind = "payment"
    label = "payment"
    rules = Rules(
        stage=Stage.PAYMENTS,
        send=frozenset({PaymentStatus.RECORDED}),
        cancel=frozenset({PaymentStatus.DELETED}),
    )
    targets: tuple[str, ...] = ("bill", "sales_invoice")

    def sends(self, settings: ExportSettings) -> bool:
        return settings.send_payments

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, Payment]:
        return uow.payments.get_many(company_id, ids)

    def summary(self, payment: Payment) -> str:
        over = f" over {len(payment.allocations)} documents" if payment.is_split else ""
        reference = f" '{payment.reference}'" if payment.reference else ""
        return (
            f"{self.label}{reference} of {payment.date.isoformat()}: {payment.currency} "
            f"{payment.allocated}{over} v{payment.version}"
        )
