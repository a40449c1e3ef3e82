"""Stock takes as the one kind of the adjustments stage: what stops one, how Xero's
quantity on hand is read, and how an adjustment is created and looked up in Xero.

An adjustment is a zero-total ``ACCPAY`` invoice (count above Xero's quantity) or
``ACCPAYCREDIT`` credit note (count below) on the ``Inventory Adjustments`` contact
(``xero.outbound.stock``); it is looked up by its tag (``ST-…``) at the start of its number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from uuid import UUID

from ledgerlink.domain.catalogue import Item
from ledgerlink.domain.preflight import ReferenceData, ReferenceProblem
from ledgerlink.domain.stock import StockTake, refusal_of
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.invoice_kinds import create_credit_notes, create_invoices
from ledgerlink.xero.outbound.settings import ExportSettings
from ledgerlink.xero.outbound.stock import ADJUSTMENTS_CONTACT, adjustment_json
from xero_client import BatchResult, CreditNote, Invoice, XeroClient, XeroModel
from xero_client import Item as XeroItem


@dataclass(frozen=True)
class OnHand:
    """What Xero holds of a tracked item: its quantity on hand and their total cost."""

    quantity: Decimal
    cost_pool: Decimal | None


def _xero_date(take: StockTake) -> str:
    day = take.date
    return f"DateTime({day.year}, {day.month:02d}, {day.day:02d})"


def _quoted(text: str) -> str | None:
    return None if '"' in text or "\\" in text else text


class StockTakes:
    kind = "stock_take"
    label = "stock take"

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, StockTake]:
        return uow.stock_takes.get_many(company_id, ids)

    def summary(self, take: StockTake, item: Item | None) -> str:
        code = item.code if item is not None else str(take.item_id)[:8]
        shown = f"{self.label} {take.tag} of {code} on {take.date.isoformat()}"
        return f"{shown}: counted {take.counted_quantity} ({take.reason})"

    def problems(
        self, take: StockTake, item: Item | None, settings: ExportSettings, reference: ReferenceData
    ) -> tuple[ReferenceProblem, ...]:
        """Why the stock take cannot reach Xero as it stands (checked before any call)."""
        if item is None:
            return (
                ReferenceProblem(
                    "item_id",
                    "the item counted no longer exists",
                    "record the count again for an existing item",
                ),
            )
        refusal = refusal_of(item)
        if refusal is not None:
            return (ReferenceProblem("item_id", refusal, "track the item, then retry"),)
        account = settings.inventory_adjustment_account_code
        if account is None:
            return (
                ReferenceProblem(
                    "inventory_adjustment_account_code",
                    "no inventory adjustment account is set: Xero posts a stock take's "
                    "difference to one",
                    "set inventory_adjustment_account_code in the Xero settings (an "
                    "account such as Inventory Adjustments), then retry",
                ),
            )
        if reference.accounts and account not in reference.accounts:
            return (
                ReferenceProblem(
                    "inventory_adjustment_account_code",
                    f"the inventory adjustment account {account} is not in the chart of "
                    "accounts imported from Xero",
                    "choose an account Xero holds in the Xero settings, or import the chart "
                    "again, then retry",
                ),
            )
        return ()

    async def on_hand(self, client: XeroClient, codes: Sequence[str]) -> dict[str, OnHand]:
        """Xero's quantity on hand of the tracked items ``codes``, by code (one call)."""
        listable = [c for c in codes if _quoted(c) is not None]
        if not listable:
            return {}
        where = " OR ".join(f'Code=="{c}"' for c in listable)
        found: list[XeroItem] = await client.list_items(where=where)
        wanted = set(codes)
        return {
            i.code: OnHand(i.quantity_on_hand or Decimal(0), i.total_cost_pool)
            for i in found
            if i.code in wanted
        }

    def to_xero(self, take: StockTake, item: Item, settings: ExportSettings) -> XeroModel:
        account = settings.inventory_adjustment_account_code
        assert account is not None
        return adjustment_json(take, item, adjustment_account_code=account)

    async def create(
        self, client: XeroClient, elements: Sequence[XeroModel], key: str
    ) -> list[BatchResult[XeroModel]]:
        """Increases in one call (bills), decreases in another (credit notes); each answer
        given back at its element's place."""
        bills = [(i, e) for i, e in enumerate(elements) if isinstance(e, Invoice)]
        notes = [(i, e) for i, e in enumerate(elements) if isinstance(e, CreditNote)]
        answers: list[BatchResult[XeroModel]] = []
        if bills:
            made = await create_invoices(client, [e for _, e in bills], key, 2)
            answers += [replace(a, index=bills[a.index][0]) for a in made]
        if notes:
            noted = await create_credit_notes(client, [e for _, e in notes], f"{key}-credit", 2)
            answers += [replace(a, index=notes[a.index][0]) for a in noted]
        return answers

    async def find(
        self, client: XeroClient, takes: Sequence[StockTake]
    ) -> dict[UUID, tuple[str, str | None]]:
        """Adjustments Xero already holds for ``takes`` (Xero id and status), by our id:
        the live bills and credit notes of the adjustments contact on their dates whose
        number starts with their tag."""
        if not takes:
            return {}
        first = min(takes, key=lambda t: t.date)
        last = max(takes, key=lambda t: t.date)
        contact = f'Contact.Name=="{ADJUSTMENTS_CONTACT}"'
        dates = f"Date>={_xero_date(first)} AND Date<={_xero_date(last)}"
        numbers: dict[str, tuple[str, str | None]] = {}
        async for bill in client.iter_invoices(
            where=f'Type=="ACCPAY" AND {contact} AND {dates}', page_size=100
        ):
            if bill.invoice_id and bill.status not in ("DELETED", "VOIDED"):
                numbers[bill.invoice_number or ""] = (bill.invoice_id, bill.status)
        async for note in client.iter_credit_notes(
            where=f'Type=="ACCPAYCREDIT" AND {contact} AND {dates}', page_size=100
        ):
            if note.credit_note_id and note.status not in ("DELETED", "VOIDED"):
                numbers[note.credit_note_number or ""] = (note.credit_note_id, note.status)
        found: dict[UUID, tuple[str, str | None]] = {}
        for take in takes:
            hit = next((v for n, v in numbers.items() if n.startswith(f"{take.tag}:")), None)
            if hit is not None:
                found[take.id] = hit
        return found
