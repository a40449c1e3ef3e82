"""Finding in Xero a document whose create may have landed (timeout, dropped connection,
killed worker) before sending it again.

A document is matched by its contact, date and total, and by its number where it has one
(the purchase order number; the supplier's invoice number on bills). Xero ids already
linked to another document are never matched again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from ledgerlink.domain.bill import Bill
from ledgerlink.domain.document import Document
from ledgerlink.domain.purchase_order import PurchaseOrder as OurPurchaseOrder
from xero_client import CreditNote, Invoice, PurchaseOrder, XeroClient, XeroModel


@dataclass(frozen=True)
class Found:
    """The Xero document a document of ours turned out to be."""

    element: XeroModel
    xero_id: str


@dataclass(frozen=True)
class _Candidate:
    xero_id: str
    contact_id: str | None
    date: date | None
    total: Decimal | None
    number: str | None
    element: XeroModel


def _matches(
    document: Document, contact_id: str, number: str | None, total: Decimal, c: _Candidate
) -> bool:
    doc_date = getattr(document, "date", None)
    if (c.contact_id or "").lower() != contact_id.lower() or c.date != doc_date:
        return False
    if number is not None and c.number != number:
        return False
    return c.total is None or c.total == total


Taken = Callable[[list[str]], set[str]]


def _pick(
    documents: Sequence[tuple[Document, str, str | None]],
    candidates: list[_Candidate],
    already_linked: Taken,
    total_of: Callable[[Document], Decimal] = lambda d: d.total,
) -> dict[UUID, Found]:
    taken = already_linked([c.xero_id for c in candidates])
    found: dict[UUID, Found] = {}
    for document, contact_id, number in documents:
        for candidate in candidates:
            if candidate.xero_id.lower() in taken:
                continue
            if _matches(document, contact_id, number, total_of(document), candidate):
                taken.add(candidate.xero_id.lower())
                found[document.id] = Found(candidate.element, candidate.xero_id)
                break
    return found


def _invoice_candidate(invoice: XeroModel, type_: str) -> _Candidate | None:
    if not isinstance(invoice, Invoice) or invoice.type != type_:
        return None
    if invoice.invoice_id is None or invoice.status in ("DELETED", "VOIDED"):
        return None
    return _Candidate(
        xero_id=invoice.invoice_id,
        contact_id=invoice.contact.contact_id if invoice.contact else None,
        date=invoice.date,
        total=invoice.total,
        number=invoice.invoice_number,
        element=invoice,
    )


def _xero_date(day: date) -> str:
    return f"DateTime({day.year}, {day.month:02d}, {day.day:02d})"


async def find_bills(
    client: XeroClient, bills: Sequence[tuple[Bill, str]], *, taken: Taken
) -> dict[UUID, Found]:
    """Bills (with their contact ids) that already exist in Xero, by our bill id, matched
    by the supplier's invoice number where they have one."""
    numbered = [(bill, contact, bill.invoice_number) for bill, contact in bills]
    return await find_invoices(client, numbered, "ACCPAY", taken=taken)


async def find_invoices(
    client: XeroClient,
    documents: Sequence[tuple[Document, str, str | None]],
    type_: str,
    *,
    taken: Taken,
) -> dict[UUID, Found]:
    """Xero invoices of ``type_`` that documents (with their contact ids and invoice
    numbers) already are, by our id.

    Xero is asked only for the invoice numbers sought, or for invoices dated within the
    range of those without a number (a number holding a comma cannot be listed).
    """
    if not documents:
        return {}
    contact_ids = sorted({contact_id for _, contact_id, _ in documents})
    numbers = sorted({n for _, _, n in documents if n})
    listable = [n for n in numbers if "," not in n]
    dated = [_date_of(d) for d, _, n in documents if not n or "," in n]
    searches = []
    if listable:
        searches.append(
            client.iter_invoices(invoice_numbers=listable, contact_ids=contact_ids, page_size=100)
        )
    if dated:
        where = (
            f'Type=="{type_}" AND Date>={_xero_date(min(dated))} AND Date<={_xero_date(max(dated))}'
        )
        searches.append(client.iter_invoices(where=where, contact_ids=contact_ids, page_size=100))
    candidates: dict[str, _Candidate] = {}
    for search in searches:
        async for invoice in search:
            candidate = _invoice_candidate(invoice, type_)
            if candidate is not None:
                candidates[candidate.xero_id.lower()] = candidate
    return _pick(documents, list(candidates.values()), taken)


async def find_credit_notes(
    client: XeroClient,
    documents: Sequence[tuple[Document, str, str | None]],
    type_: str,
    *,
    taken: Taken,
    total_of: Callable[[Document], Decimal] = lambda d: d.total,
) -> dict[UUID, Found]:
    """Xero credit notes of ``type_`` that documents already are, by our id (matched by
    contact, date, number and ``total_of`` the document)."""
    if not documents:
        return {}
    dates = [_date_of(d) for d, _, _ in documents]
    where = f'Type=="{type_}" AND Date>={_xero_date(min(dates))} AND Date<={_xero_date(max(dates))}'
    candidates: list[_Candidate] = []
    async for note in client.iter_credit_notes(where=where, page_size=100):
        if not isinstance(note, CreditNote) or note.credit_note_id is None:
            continue
        if note.status in ("DELETED", "VOIDED"):
            continue
        candidates.append(
            _Candidate(
                xero_id=note.credit_note_id,
                contact_id=note.contact.contact_id if note.contact else None,
                date=note.date,
                total=note.total,
                number=note.credit_note_number,
                element=note,
            )
        )
    return _pick(documents, candidates, taken, total_of)


def _date_of(document: Document) -> date:
    day = getattr(document, "date", None)
    assert isinstance(day, date)
    return day


async def find_purchase_orders(
    client: XeroClient, orders: Sequence[tuple[OurPurchaseOrder, str]], *, taken: Taken
) -> dict[UUID, Found]:
    """Purchase orders (with their contact ids) that already exist in Xero, by our id."""
    if not orders:
        return {}
    first = min(order.date for order, _ in orders)
    last = max(order.date for order, _ in orders)
    candidates: list[_Candidate] = []
    async for order in client.iter_purchase_orders(date_from=first, date_to=last, page_size=100):
        if not isinstance(order, PurchaseOrder) or order.purchase_order_id is None:
            continue
        if order.status == "DELETED":
            continue
        candidates.append(
            _Candidate(
                xero_id=order.purchase_order_id,
                contact_id=order.contact.contact_id if order.contact else None,
                date=order.date,
                total=order.total,
                number=order.purchase_order_number,
                element=order,
            )
        )
    documents = [(order, contact, order.number) for order, contact in orders]
    return _pick(documents, candidates, taken)
