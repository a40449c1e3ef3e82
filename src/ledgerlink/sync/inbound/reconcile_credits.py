"""Reconciliation of credits and purchase orders: what Xero holds of each, and the drift.

What reaches Xero as a credit note (a credit note, a refund, store credit added by hand)
is read with ``where`` filters of ``CreditNoteID==Guid(...)``, ``WHERE_PER_CALL`` ids to a
call; store credit that Xero holds as an overpayment (a customer's overpayment made in
Xero, or the rest of a payment sent from here as one: ``overpayments: xero_overpayment``),
and supplier credit (a supplier overpayment or prepayment made in Xero), likewise from
``/Overpayments`` and ``/Prepayments``. Xero's ``/PurchaseOrders`` takes no id filter, so
linked purchase orders are read by id (``GET /PurchaseOrders/{id}``), or, when there are
more than ``ORDERS_BY_ID``, from one listing of the orders changed since the oldest was
linked (``If-Modified-Since``), 1000 to a page, and by id for the rest. None of these
pages through the organisation's history before ledgerlink.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TypeVar
from uuid import UUID

from ledgerlink.domain.purchase_order import PurchaseOrder, PurchaseOrderStatus
from ledgerlink.store.repositories.reconciliations import Drift
from xero_client import CreditNote, NotFound, Overpayment, Prepayment, XeroClient
from xero_client import PurchaseOrder as XeroPurchaseOrder

#: Ids in one ``where`` filter: 40 keep the query well within a URL's length.
WHERE_PER_CALL = 40
#: Linked purchase orders read one by one; more are read from a listing first.
ORDERS_BY_ID = 100
#: Xero's largest page, and how far before the oldest link the listing starts.
LIST_PAGE = 1000
SINCE_MARGIN = timedelta(days=1)
ENDED_IN_XERO = frozenset({"VOIDED", "DELETED"})
CENT = Decimal("0.01")
STORE_CREDIT = "store_credit"
PULL = "run a pull from Xero (`ledgerlink sync pull`)"
T = TypeVar("T")


def money_text(value: Decimal | None) -> str | None:
    """An amount as a drift shows it, to the cent."""
    return None if value is None else str(value.quantize(CENT))


def retry_command(kind: str, number: str) -> str:
    """The command that sends a record here to Xero again."""
    return f"`ledgerlink sync retry {kind} {number} --force`"


def missing_fix(what: str, kind: str, number: str) -> str:
    """The fix of a record here whose linked `what` Xero no longer holds."""
    return (
        f"Xero holds no {what} linked to it (deleted there, or in another organisation): "
        f"send it again with {retry_command(kind, number)}, or mark it handled with "
        f"`ledgerlink sync resolve {kind} {number}`"
    )


def guid_filter(field: str, ids: Sequence[str]) -> str:
    """Xero's ``where`` for records whose `field` is one of `ids`."""
    return " OR ".join(f'{field}==Guid("{xero_id}")' for xero_id in ids)


def _chunks(ids: Sequence[str]) -> list[list[str]]:
    unique = list(dict.fromkeys(i.lower() for i in ids))
    return [unique[at : at + WHERE_PER_CALL] for at in range(0, len(unique), WHERE_PER_CALL)]


async def _fetch_where(
    iterate: Callable[..., AsyncIterator[T]],
    field: str,
    key: Callable[[T], str | None],
    ids: Sequence[str],
) -> dict[str, T]:
    """The records among `ids` that `iterate` lists, ``where`` `field` is one of a chunk."""
    found: dict[str, T] = {}
    for chunk in _chunks(ids):
        async for record in iterate(where=guid_filter(field, chunk), page_size=100):
            record_id = key(record)
            if record_id is not None:
                found[record_id.lower()] = record
    return found


async def fetch_credit_notes(client: XeroClient, ids: Sequence[str]) -> dict[str, CreditNote]:
    """The credit notes among `ids` that Xero holds, by lower-case id."""
    return await _fetch_where(
        client.iter_credit_notes, "CreditNoteID", lambda note: note.credit_note_id, ids
    )


async def fetch_overpayments(client: XeroClient, ids: Sequence[str]) -> dict[str, Overpayment]:
    """The overpayments among `ids` that Xero holds, by lower-case id."""
    return await _fetch_where(
        client.iter_overpayments, "OverpaymentID", lambda credit: credit.overpayment_id, ids
    )


async def fetch_prepayments(client: XeroClient, ids: Sequence[str]) -> dict[str, Prepayment]:
    """The prepayments among `ids` that Xero holds, by lower-case id."""
    return await _fetch_where(
        client.iter_prepayments, "PrepaymentID", lambda credit: credit.prepayment_id, ids
    )


async def fetch_purchase_orders(
    client: XeroClient, ids: Sequence[str], linked_since: datetime | None
) -> dict[str, XeroPurchaseOrder]:
    """The purchase orders among `ids` that Xero holds, by lower-case id.

    Up to ``ORDERS_BY_ID`` are read one ``GET`` by id each. More are read from one listing
    of the orders changed in Xero since the oldest of their links was written
    (`linked_since`, less ``SINCE_MARGIN``; every order written from here changed then or
    later), ``LIST_PAGE`` to a page; those the listing lacks (linked to an order written
    in Xero before) are then read by id.
    """
    wanted = list(dict.fromkeys(i.lower() for i in ids))
    found: dict[str, XeroPurchaseOrder] = {}
    if len(wanted) > ORDERS_BY_ID and linked_since is not None:
        chosen = set(wanted)
        since = linked_since - SINCE_MARGIN
        async for order in client.iter_purchase_orders(modified_since=since, page_size=LIST_PAGE):
            key = (order.purchase_order_id or "").lower()
            if key in chosen:
                found[key] = order
    for xero_id in wanted:
        if xero_id in found:
            continue
        try:
            found[xero_id] = await client.get_purchase_order(xero_id)
        except NotFound:
            continue
    return found


@dataclass(frozen=True, slots=True)
class CreditHere:
    """A credit as it stands here: what it totals, what is left of it, whether it ended."""

    kind: str
    id: UUID
    number: str
    status: str
    total: Decimal
    remaining: Decimal
    ended: bool = False
    #: Made from Xero (an overpayment or prepayment there): a pull brings it in line.
    from_xero: bool = False
    #: Sent from here as a Xero overpayment: the record that sent it (``credit_use``). A
    #: pull does not follow such an overpayment: what differs is put right in Xero.
    sent_as: UUID | None = None


@dataclass(frozen=True, slots=True)
class CreditThere:
    """A credit note, overpayment or prepayment as Xero holds it."""

    what: str
    status: str
    total: Decimal | None
    remaining: Decimal | None


def there_of(remote: CreditNote | Overpayment | Prepayment) -> CreditThere:
    what = "credit note"
    if isinstance(remote, Overpayment):
        what = "overpayment"
    elif isinstance(remote, Prepayment):
        what = "prepayment"
    return CreditThere(what, (remote.status or "").upper(), remote.total, remote.remaining_credit)


def credit_drift(here: CreditHere, there: CreditThere | None) -> list[Drift]:
    """How a credit here differs from what Xero holds of it (empty: in line)."""
    again = retry_command(here.kind, here.number)

    def drift(field: str, ours: str | None, xero: str | None, fix: str) -> Drift:
        return Drift(here.kind, here.id, here.number, field, ours, xero, fix)

    if here.sent_as is not None:
        return _sent_drift(here, there, drift)
    if there is None:
        if here.ended:
            return []
        if here.from_xero:
            fix = (
                "Xero no longer holds the overpayment or prepayment it was made from "
                "(removed there, or another organisation is connected now): it is kept "
                "here as Xero last had it; check the payment in Xero"
            )
        elif here.kind == STORE_CREDIT:
            fix = (
                "Xero holds no credit note or overpayment linked to it (deleted there, or "
                f"in another organisation): store credit added here can be sent again with "
                f"{again}; one left by an overpayment made in Xero needs that payment "
                f"checked there; or mark it handled with `ledgerlink sync resolve "
                f"{here.kind} {here.number}`"
            )
        else:
            fix = missing_fix("credit note", here.kind, here.number)
        return [drift("in_xero", here.status, None, fix)]
    ended_there = there.status in ENDED_IN_XERO
    if here.ended != ended_there:
        if ended_there and (here.from_xero or here.kind == "credit_note"):
            fix = f"Xero holds its {there.what} {there.status}: {PULL} to void it here"
        elif ended_there:
            fix = (
                f"Xero holds its {there.what} {there.status} but it stands here: send it "
                f"again with {again}, or mark it handled with `ledgerlink sync resolve "
                f"{here.kind} {here.number}`"
            )
        else:
            fix = (
                f"voided here but {there.status} in Xero: void it in Xero (an allocated one "
                f"needs its allocations removed first), or send the voiding again with {again}"
            )
        return [drift("status", here.status, there.status, fix)]
    if here.ended:
        return []
    found: list[Drift] = []
    if there.remaining is not None and there.remaining != here.remaining:
        ours, xero = money_text(here.remaining), money_text(there.remaining)
        found.append(
            drift(
                "remaining_credit", ours, xero,
                f"{ours} of the credit left here, {xero} in Xero: {PULL} to read the "
                "allocations made there; one made here and not yet sent shows in "
                "`ledgerlink sync status`",
            )
        )  # fmt: skip
    if there.total is not None and there.total != here.total:
        ours, xero = money_text(here.total), money_text(there.total)
        fix = f"totals {ours} here, {xero} in Xero: " + (
            f"{PULL}, or correct it in Xero"
            if here.from_xero
            else f"send ours again with {again}, or correct it in Xero"
        )
        found.append(drift("total", ours, xero, fix))
    return found


def _sent_drift(
    here: CreditHere,
    there: CreditThere | None,
    drift: Callable[[str, str | None, str | None, str], Drift],
) -> list[Drift]:
    """How store credit sent as a Xero overpayment differs from that overpayment.

    Nothing here follows that overpayment (a pull leaves it to the store credit), so each
    fix is made in Xero, or the difference marked handled.
    """
    use = f"`ledgerlink sync resolve credit_use {here.sent_as}`"
    if there is None:
        fix = (
            "Xero holds no overpayment linked to it (deleted there, or in another "
            "organisation): receive the overpayment in Xero again (its customer, bank "
            f"account and amount), or mark it handled with {use}"
        )
        return [drift("in_xero", here.status, None, fix)]
    if there.status in ENDED_IN_XERO:
        fix = (
            f"Xero holds its overpayment {there.status} but {money_text(here.remaining)} of "
            "it is left to use here: receive the overpayment in Xero again, or mark it "
            f"handled with {use}"
        )
        return [drift("status", here.status, there.status, fix)]
    found: list[Drift] = []
    if there.remaining is not None and there.remaining != here.remaining:
        ours, xero = money_text(here.remaining), money_text(there.remaining)
        found.append(
            drift(
                "remaining_credit", ours, xero,
                f"{ours} of the credit left here, {xero} in Xero: its overpayment was "
                "allocated, or an allocation taken back, in Xero only (a pull does not "
                "follow an overpayment sent from here): undo that in Xero; one made here "
                "and not yet sent shows in `ledgerlink sync status`",
            )
        )  # fmt: skip
    if there.total is not None and there.total != here.total:
        ours, xero = money_text(here.total), money_text(there.total)
        fix = f"totals {ours} here, {xero} in Xero: correct its overpayment in Xero"
        found.append(drift("total", ours, xero, fix))
    return found


def order_drift(order: PurchaseOrder, remote: XeroPurchaseOrder | None) -> list[Drift]:
    """How a purchase order here differs from its twin in Xero (empty: in line)."""
    kind, number = PurchaseOrder.KIND, order.number or str(order.id)
    again = retry_command(kind, number)
    ended_here = order.status is PurchaseOrderStatus.CANCELLED

    def drift(field: str, ours: str | None, xero: str | None, fix: str) -> Drift:
        return Drift(kind, order.id, number, field, ours, xero, fix)

    if remote is None:
        if ended_here:
            return []
        return [
            drift("in_xero", str(order.status), None, missing_fix("purchase order", kind, number))
        ]
    status = (remote.status or "").upper()
    ended_there = status == "DELETED"
    if ended_here != ended_there:
        if ended_there:
            fix = (
                f"deleted in Xero but {order.status} here: cancel it here, or send it again "
                f"with {again}"
            )
        else:
            fix = (
                f"cancelled here but {status} in Xero: delete it in Xero (a billed one needs "
                f"its bill voided first), or send the cancelling again with {again}"
            )
        return [drift("status", str(order.status), status, fix)]
    if not ended_here and remote.total is not None and remote.total != order.total:
        ours, xero = money_text(order.total), money_text(remote.total)
        return [
            drift(
                "total", ours, xero,
                f"totals {ours} here, {xero} in Xero: it was changed in one place only; "
                f"send ours again with {again}, or correct it in Xero",
            )
        ]  # fmt: skip
    return []
