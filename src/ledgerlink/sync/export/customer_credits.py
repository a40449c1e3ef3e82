"""Refunds and store credit added by hand as document kinds: each an ``ACCRECCREDIT``
credit note of one line under the customer's contact.

Each is shown to the sender as the credit note it is in Xero (``credit_note_view``): one
tax-inclusive line of its amount, so the credit note's total is the amount to the cent. A
refund of an invoice takes the account and tax of that invoice's first line and names the
invoice in its reference; any other takes ``ExportSettings.credit_account_code`` and
``default_sales_tax_type``. Xero numbers them ``RF-`` (refunds) and ``SC-`` (store credit)
and the first 8 characters of their id, by which they are looked up before any resend.
They go when credit notes go (``send_credit_notes``), in their status; nothing here edits
or takes them back once recorded. How they are used (allocated to an invoice, paid out)
is the ALLOCATIONS stage's (``credit_use_steps``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Generic, TypeVar
from uuid import UUID

from ledgerlink.domain.credit_note import CreditNote, CreditNoteKind, CreditNoteStatus
from ledgerlink.domain.credits import Refund
from ledgerlink.domain.credits import StoreCredit as OurStoreCredit
from ledgerlink.domain.document import Document
from ledgerlink.domain.lines import Line
from ledgerlink.domain.money import LineAmountType
from ledgerlink.domain.preflight import ReferenceProblem
from ledgerlink.domain.sales_invoice import SalesInvoice
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.credit_notes import CreditNotes
from ledgerlink.sync.export.kind import Rules, Stage
from ledgerlink.xero.outbound.sales import REFUND_DESCRIPTION, STORE_CREDIT_DESCRIPTION
from ledgerlink.xero.outbound.settings import ExportSettings, export_settings

C = TypeVar("C", Refund, OurStoreCredit)

_SENT = frozenset({CreditNoteStatus.APPROVED})
#: Once in Xero, a refund or store credit is never edited there from here.
_RULES = Rules(stage=Stage.DOCUMENTS, send=_SENT, cancel=frozenset(), edited_in=frozenset())


def credit_number(prefix: str, credit_id: UUID) -> str:
    """The number Xero holds the credit note of a refund (``RF``) or store credit (``SC``)
    under."""
    return f"{prefix}-{str(credit_id)[:8].upper()}"


def credit_note_view(
    credit: Refund | OurStoreCredit,
    settings: ExportSettings,
    invoice: SalesInvoice | None = None,
) -> CreditNote:
    """``credit`` as the approved sales credit note Xero gets (same id and version)."""
    first = invoice.lines[0] if invoice is not None and invoice.lines else None
    if isinstance(credit, Refund):
        prefix, description = "RF", credit.reason or REFUND_DESCRIPTION
    else:
        prefix, description = "SC", STORE_CREDIT_DESCRIPTION
    if first is not None:
        account, tax_type, tax_rate = first.account_code, first.tax_type, first.tax_rate
    else:
        account, tax_type, tax_rate = settings.credit_account_code, None, None
        tax_type = settings.default_sales_tax_type
    amounts = LineAmountType.INCLUSIVE if tax_type else LineAmountType.NO_TAX
    line = Line(
        description=description,
        quantity=Decimal(1),
        unit_price=credit.amount,
        account_code=account,
        tax_type=tax_type,
        tax_rate=tax_rate if tax_type else None,
    )
    return CreditNote(
        id=credit.id,
        company_id=credit.company_id,
        version=credit.version,
        kind=CreditNoteKind.SALES,
        party_id=credit.customer_id,
        date=credit.date,
        currency=credit.currency,
        lines=(line,),
        line_amount_type=amounts,
        number=credit_number(prefix, credit.id),
        reference=f"Refund of {invoice.number}" if invoice is not None and invoice.number else None,
        status=CreditNoteStatus.APPROVED,
    )


#: Xero's words for a line without an account.
NO_ACCOUNT = "Each line item must reference a valid account."


def _account_problems(document: Document) -> tuple[ReferenceProblem, ...]:
    if all(line.account_code for line in document.lines):
        return ()
    return (
        ReferenceProblem(
            "credit_account_code",
            NO_ACCOUNT,
            "set credit_account_code in the Xero settings to the revenue account refunds and "
            "store credit go to (PUT .../xero/settings), then retry",
        ),
    )


def _settings(uow: SqlUnitOfWork, company_id: UUID) -> ExportSettings:
    company = uow.companies.get(company_id)
    if company is None:
        return ExportSettings()
    stored = company.settings
    return export_settings(stored.rounding, stored.line_amount_type, stored.options)


class _CustomerCredits(CreditNotes, Generic[C]):
    """Refunds or store credit: a credit note each, under the customer's contact."""

    rules = _RULES

    def problems(
        self, document: Document, settings: ExportSettings
    ) -> tuple[ReferenceProblem, ...]:
        return _account_problems(document)

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, Document]:
        records = self._records(uow, company_id, ids)
        if not records:
            return {}
        return self._views(uow, company_id, records, _settings(uow, company_id))

    def _records(self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]) -> dict[UUID, C]:
        raise NotImplementedError

    def _views(
        self, uow: SqlUnitOfWork, company_id: UUID, records: dict[UUID, C], settings: ExportSettings
    ) -> dict[UUID, Document]:
        raise NotImplementedError


class Refunds(_CustomerCredits[Refund]):
    """Refunds: a credit note each, of the refund's amount."""

    kind = "refund"
    label = "refund"

    def _records(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> dict[UUID, Refund]:
        return uow.refunds.get_many(company_id, ids)

    def _views(
        self,
        uow: SqlUnitOfWork,
        company_id: UUID,
        records: dict[UUID, Refund],
        settings: ExportSettings,
    ) -> dict[UUID, Document]:
        invoices = uow.sales_invoices.get_many(
            company_id, {r.invoice_id for r in records.values() if r.invoice_id}
        )
        return {
            refund_id: credit_note_view(
                refund, settings, invoices.get(refund.invoice_id) if refund.invoice_id else None
            )
            for refund_id, refund in records.items()
        }


class StoreCredits(_CustomerCredits[OurStoreCredit]):
    """Store credit added by hand: a credit note each. Store credit an overpayment left is
    no credit note in Xero and is never sent as one."""

    kind = "store_credit"
    label = "store credit"

    def _records(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> dict[UUID, OurStoreCredit]:
        return uow.store_credits.get_many(company_id, ids)

    def _views(
        self,
        uow: SqlUnitOfWork,
        company_id: UUID,
        records: dict[UUID, OurStoreCredit],
        settings: ExportSettings,
    ) -> dict[UUID, Document]:
        return {
            credit_id: credit_note_view(credit, settings)
            for credit_id, credit in records.items()
            if credit.made_by_hand
        }
