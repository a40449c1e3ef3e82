"""What the document kinds share: their common answers, and the Xero calls of the kinds
sent as Xero invoices or credit notes.

``DocumentDefaults`` answers for a kind that sends by its settings' switch, in its
settings' status, with nothing held back, refused or following it; a kind states only
where it differs. The functions below create, update, read back, withdraw and restate
Xero invoices (bills, sales invoices) and credit notes (credit notes, negative sales
invoices) for whichever kind sends them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from uuid import UUID

from ledgerlink.domain.document import Document
from ledgerlink.domain.preflight import ReferenceProblem
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.kind import Withdrawal
from ledgerlink.xero.outbound.settings import ExportSettings
from xero_client import BatchResult, Invoice, XeroClient, XeroModel
from xero_client import CreditNote as XeroCreditNote

Facts = tuple[str | None, str | None, Decimal | None]


def unit_dp_param(unit_dp: int) -> int | None:
    return unit_dp if unit_dp != 2 else None


def document_summary(label: str, document: Document, number: str | None = None) -> str:
    shown = number or document.number or str(document.id)[:8]
    return (
        f"{label} {shown} v{document.version}: {len(document.all_lines())} line(s), "
        f"{document.currency} {document.total}"
    )


class DocumentDefaults:
    """The answers of a document kind that has nothing particular to say about them."""

    kind: str
    label: str
    finished_status: str | None = None

    def sends(self, settings: ExportSettings) -> bool:
        return settings.sends(self.kind)

    def status_for(self, document: Document, settings: ExportSettings) -> tuple[str, str | None]:
        return settings.status_for(self.kind), None

    def held_back(self, document: Document, settings: ExportSettings) -> bool:
        return False

    def problems(
        self, document: Document, settings: ExportSettings
    ) -> tuple[ReferenceProblem, ...]:
        return ()

    def load_followers(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, list[UUID]]:
        return {}

    def summary(self, document: Document) -> str:
        return document_summary(self.label, document)

    def update_refusal(self, document: Document, sent_total: Decimal | None) -> Withdrawal | None:
        return None


def bill_withdrawal(current: Invoice, label: str = "bill") -> Withdrawal:
    """How to take back a bill (or another invoice: ``label``) Xero holds as ``current``."""
    if current.status in ("DELETED", "VOIDED"):
        return Withdrawal()
    if (current.amount_paid or 0) > 0 or current.payments:
        return Withdrawal(
            refusal=(
                f"payments exist: Xero will not void a {label} with payments "
                f"({current.amount_paid} paid)"
            ),
            fix=f"remove the {label}'s payments in Xero first, then retry the cancellation",
        )
    return Withdrawal("VOIDED" if current.status in ("AUTHORISED", "PAID") else "DELETED")


def credit_withdrawal(current: XeroCreditNote) -> Withdrawal:
    """How to take back a credit note Xero holds as ``current``."""
    if current.status in ("DELETED", "VOIDED"):
        return Withdrawal()
    if (current.remaining_credit is not None and current.total is not None) and (
        current.remaining_credit < current.total
    ):
        return Withdrawal(
            refusal=(
                "allocations exist: Xero will not void a credit note that has been allocated "
                f"({current.total - current.remaining_credit} used)"
            ),
            fix="remove the credit note's allocations in Xero first, then retry the void",
        )
    return Withdrawal("VOIDED" if current.status in ("AUTHORISED", "PAID") else "DELETED")


#: What a create reads of each document Xero echoes back: its facts (``invoice_facts``,
#: ``credit_note_facts``), not its lines, contact and the rest.
INVOICE_ECHO = ("InvoiceID", "Status", "Total")
CREDIT_NOTE_ECHO = ("CreditNoteID", "Status", "Total")


async def create_invoices(
    client: XeroClient, elements: Sequence[XeroModel], key: str, unit_dp: int
) -> list[BatchResult[XeroModel]]:
    """Create ``elements`` (invoices); each answer's element holds only its facts."""
    invoices = [e for e in elements if isinstance(e, Invoice)]
    results = await client.create_invoices(
        invoices, idempotency_key=key, unitdp=unit_dp_param(unit_dp), read=INVOICE_ECHO
    )
    return list(results)  # type: ignore[arg-type]


async def create_credit_notes(
    client: XeroClient, elements: Sequence[XeroModel], key: str, unit_dp: int
) -> list[BatchResult[XeroModel]]:
    """Create ``elements`` (credit notes); each answer's element holds only its facts."""
    notes = [e for e in elements if isinstance(e, XeroCreditNote)]
    results = await client.create_credit_notes(
        notes, idempotency_key=key, unitdp=unit_dp_param(unit_dp), read=CREDIT_NOTE_ECHO
    )
    return list(results)  # type: ignore[arg-type]


async def update_invoice(
    client: XeroClient, element: XeroModel, key: str, unit_dp: int
) -> XeroModel:
    assert isinstance(element, Invoice)
    return await client.update_invoice(element, idempotency_key=key, unitdp=unit_dp_param(unit_dp))


async def update_credit_note(client: XeroClient, element: XeroModel, key: str) -> XeroModel:
    assert isinstance(element, XeroCreditNote)
    return await client.update_credit_note(element, idempotency_key=key)


def invoice_facts(element: XeroModel) -> Facts:
    assert isinstance(element, Invoice)
    return element.invoice_id, element.status, element.total


def credit_note_facts(element: XeroModel) -> Facts:
    assert isinstance(element, XeroCreditNote)
    return element.credit_note_id, element.status, element.total


async def invoice_withdrawal(client: XeroClient, xero_id: str, label: str) -> Withdrawal:
    return bill_withdrawal(await client.get_invoice(xero_id), label)


async def credit_note_withdrawal(client: XeroClient, xero_id: str) -> Withdrawal:
    return credit_withdrawal(await client.get_credit_note(xero_id))


def invoice_status(xero_id: str, status: str) -> XeroModel:
    return Invoice(invoice_id=xero_id, status=status)


def credit_note_status(xero_id: str, status: str) -> XeroModel:
    return XeroCreditNote(credit_note_id=xero_id, status=status)
