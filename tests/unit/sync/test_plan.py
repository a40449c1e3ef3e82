"""The pure planner: what each claimed record asks of a pass, in which order and batches.

Built from plain domain objects and a hand-made snapshot: no database, no Xero, no clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from ledgerlink.domain import Bill, Line, PurchaseOrder
from ledgerlink.domain.bill import BillStatus
from ledgerlink.domain.document import Document
from ledgerlink.domain.preflight import ReferenceData
from ledgerlink.domain.purchase_order import PurchaseOrderStatus
from ledgerlink.store.outbox import OutboxMessage
from ledgerlink.store.repositories.sync_states import SyncState
from ledgerlink.store.repositories.xero_links import XeroLink
from ledgerlink.sync.export.kind import DocumentKind, Rules, Stage
from ledgerlink.sync.export.kinds import DOCUMENT_KINDS
from ledgerlink.sync.export.plan import Action, Job, Plan, batches, plan, stage_order
from ledgerlink.sync.export.purchasing import Bills
from ledgerlink.sync.export.results import ExportPolicy
from ledgerlink.sync.export.snapshot import Snapshot
from ledgerlink.xero.outbound.lines import LineDefaults
from ledgerlink.xero.outbound.settings import DocumentsToSend, ExportSettings

COMPANY = UUID("00000000-0000-4000-8000-000000000001")
SUPPLIER = UUID("00000000-0000-4000-8000-0000000000a1")
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LINES = (Line(description="Paper", quantity=Decimal(2), unit_price=Decimal("50.00")),)
PO, B = PurchaseOrderStatus, BillStatus


@dataclass
class World:
    """A company's records, links, states and claimed rows, as a pass would read them."""

    sends: DocumentsToSend = DocumentsToSend.BOTH
    rows: list[OutboxMessage] = field(default_factory=list)
    snapshot: Snapshot = field(init=False)

    def __post_init__(self) -> None:
        self.snapshot = Snapshot(
            company_id=COMPANY,
            settings=ExportSettings(documents=self.sends),
            reference=ReferenceData(accounts={}, tax_rates={}),
            defaults=LineDefaults(),
        )

    def add(self, document: Document, *, row: bool = True) -> Document:
        self.snapshot.documents.setdefault(document.KIND, {})[document.id] = document
        if row:
            self.row(document.KIND, document.id)
        return document

    def order(self, status: PurchaseOrderStatus, *, version: int = 1) -> Document:
        order = PurchaseOrder(
            company_id=COMPANY,
            supplier_id=SUPPLIER,
            number=f"PO-{len(self.rows)}",
            date=dt.date(2026, 3, 2),
            currency="NZD",
            lines=LINES,
            status=status,
        )
        order.version = version
        return self.add(order)

    def bill(
        self, status: BillStatus, *, of: Document | None = None, row: bool = True, version: int = 1
    ) -> Document:
        bill = Bill(
            company_id=COMPANY,
            supplier_id=SUPPLIER,
            invoice_number=f"INV-{uuid4().hex[:6]}",
            date=dt.date(2026, 3, 2),
            due_date=dt.date(2026, 3, 31),
            currency="NZD",
            lines=LINES,
            status=status,
        )
        bill.version = version
        if of is not None:
            self.snapshot.followers.setdefault((of.KIND, of.id), []).append(bill.id)
        return self.add(bill, row=row)

    def row(self, kind: str, record_id: UUID) -> None:
        n = len(self.rows) + 1
        self.rows.append(
            OutboxMessage(
                id=n,
                company_id=COMPANY,
                kind=kind,
                document_id=record_id,
                event_type="DocumentApproved",
                version=1,
                payload={},
                reaches_xero=True,
                created_at=NOW,
                state="in_progress",
                attempts=0,
                available_at=NOW,
                claimed_by="w",
                claimed_until=NOW,
                last_error=None,
            )
        )

    def link(self, document: Document, synced_version: int) -> None:
        self.snapshot.links[(document.KIND, str(document.id))] = XeroLink(
            company_id=COMPANY,
            kind=document.KIND,
            entity_id=str(document.id),
            tenant_id="t",
            xero_id=f"x-{document.id}",
            xero_number=None,
            synced_version=synced_version,
            updated_at=NOW,
        )

    def track(self, document: Document, in_flight_key: str | None = None) -> None:
        self.snapshot.states[(document.KIND, document.id)] = SyncState(
            company_id=COMPANY,
            kind=document.KIND,
            document_id=document.id,
            in_flight_key=in_flight_key,
        )

    def plan(self, batch_size: int = 50) -> Plan:
        return plan(self.snapshot, self.rows, ExportPolicy(batch_size=batch_size))


def only(decided: Plan) -> Job:
    (job,) = decided.all_jobs()
    return job


def skipped(decided: Plan) -> list[UUID]:
    return [s.document_id for s in decided.skipped]


# -- purchase orders under each setting ---------------------------------------------------


@pytest.mark.parametrize("sends", [DocumentsToSend.BOTH, DocumentsToSend.PURCHASE_ORDERS])
def test_an_approved_order_is_created_when_the_settings_send_orders(
    sends: DocumentsToSend,
) -> None:
    world = World(sends)
    order = world.order(PO.APPROVED)

    job = only(world.plan())

    assert (job.document, job.action, job.finish, job.row_ids) == (
        order,
        Action.CREATE,
        False,
        (1,),
    )


@pytest.mark.parametrize(
    "sends", [DocumentsToSend.BILLS, DocumentsToSend.NONE], ids=["bills-only", "none"]
)
def test_an_approved_order_is_skipped_when_the_settings_do_not_send_orders(
    sends: DocumentsToSend,
) -> None:
    world = World(sends)
    order = world.order(PO.APPROVED)

    decided = world.plan()

    assert decided.all_jobs() == [] and skipped(decided) == [order.id]


@pytest.mark.parametrize("status", [PO.DRAFT, PO.SUBMITTED])
def test_an_order_not_approved_yet_is_skipped(status: PurchaseOrderStatus) -> None:
    world = World()
    order = world.order(status)

    assert skipped(world.plan()) == [order.id]


def test_a_finished_order_is_sent_and_its_unsent_bills_follow_it() -> None:
    world = World()
    order = world.order(PO.FINISHED)
    waiting = world.bill(B.DRAFT, of=order, row=False)
    in_xero = world.bill(B.APPROVED, of=order, row=False)
    world.link(in_xero, 1)
    world.bill(B.CANCELLED, of=order, row=False)

    decided = world.plan()

    (sent,) = decided.of("purchase_order")
    assert (sent.action, sent.finish) == (Action.CREATE, True)
    (follower,) = decided.of("bill")
    assert (follower.document, follower.action) == (waiting, Action.CREATE)
    assert (follower.leader, follower.row_ids) == (("purchase_order", order.id), ())


def test_a_finished_orders_bill_with_its_own_rows_is_planned_once() -> None:
    world = World()
    order = world.order(PO.FINISHED)
    bill = world.bill(B.APPROVED, of=order)

    (job,) = world.plan().of("bill")

    assert (job.document, job.leader, job.row_ids) == (bill, None, (2,))


def test_a_finished_order_under_bills_only_is_not_sent_but_its_bills_are() -> None:
    world = World(DocumentsToSend.BILLS)
    order = world.order(PO.FINISHED)
    bill = world.bill(B.DRAFT, of=order, row=False)

    decided = world.plan()

    (finish,) = decided.of("purchase_order")
    assert (finish.action, finish.finish, finish.needs_party) == (Action.FINISH, True, False)
    assert [(j.document, j.leader) for j in decided.of("bill")] == [
        (bill, ("purchase_order", order.id))
    ]


def test_a_finished_order_under_orders_only_sends_no_bill() -> None:
    world = World(DocumentsToSend.PURCHASE_ORDERS)
    order = world.order(PO.FINISHED)
    world.bill(B.DRAFT, of=order, row=False)

    decided = world.plan()

    assert [(j.action, j.finish) for j in decided.all_jobs()] == [(Action.CREATE, True)]


def test_a_finished_order_is_skipped_when_nothing_is_sent() -> None:
    world = World(DocumentsToSend.NONE)
    order = world.order(PO.FINISHED)
    world.bill(B.DRAFT, of=order, row=False)

    decided = world.plan()

    assert decided.all_jobs() == [] and skipped(decided) == [order.id]


def test_a_finished_orders_bills_follow_only_the_finished_ones() -> None:
    world = World()
    order = world.order(PO.APPROVED)
    world.bill(B.DRAFT, of=order, row=False)

    assert [j.kind for j in world.plan().all_jobs()] == ["purchase_order"]


# -- what a document's link and state ask for ---------------------------------------------


@pytest.mark.parametrize(
    ("synced", "action"), [(1, Action.UPDATE), (2, Action.CURRENT), (3, Action.CURRENT)]
)
def test_a_linked_document_is_updated_only_when_xero_holds_an_older_version(
    synced: int, action: Action
) -> None:
    world = World()
    order = world.order(PO.APPROVED, version=2)
    world.link(order, synced)

    assert only(world.plan()).action is action


def test_a_create_that_may_have_landed_is_looked_up_first_with_its_key() -> None:
    world = World()
    bill = world.bill(B.APPROVED)
    world.track(bill, in_flight_key="v1:g0:ll-bill-create-abc")

    job = only(world.plan())

    assert (job.action, job.withdraw, job.sent_key) == (
        Action.LOOK_UP,
        False,
        "v1:g0:ll-bill-create-abc",
    )


@pytest.mark.parametrize("make", ["order", "bill"])
def test_a_cancelled_document_is_cancelled_in_xero_or_done_when_it_never_got_there(
    make: str,
) -> None:
    world = World()

    def cancelled() -> Document:
        return world.order(PO.CANCELLED) if make == "order" else world.bill(B.CANCELLED)

    linked, in_flight, never = cancelled(), cancelled(), cancelled()
    world.link(linked, 1)
    world.track(in_flight, in_flight_key="v1:g0:k")

    jobs = world.plan().all_jobs()

    assert [(j.document, j.action, j.withdraw) for j in jobs] == [
        (linked, Action.CANCEL, True),
        (in_flight, Action.LOOK_UP, True),
        (never, Action.NEVER_SENT, True),
    ]
    assert not any(j.needs_party for j in jobs)


@pytest.mark.parametrize("status", [B.APPROVED, B.PARTIALLY_PAID, B.PAID])
def test_a_bill_approved_or_paid_is_sent(status: BillStatus) -> None:
    world = World()
    world.bill(status)

    assert only(world.plan()).action is Action.CREATE


def test_a_draft_bill_is_skipped_until_it_is_known_to_xero() -> None:
    world = World()
    unknown = world.bill(B.DRAFT)
    linked = world.bill(B.DRAFT, version=2)
    world.link(linked, 1)
    tracked = world.bill(B.SUBMITTED)
    world.track(tracked)

    decided = world.plan()

    assert skipped(decided) == [unknown.id]
    assert [(j.document, j.action) for j in decided.all_jobs()] == [
        (linked, Action.UPDATE),
        (tracked, Action.CREATE),
    ]


@pytest.mark.parametrize("sends", [DocumentsToSend.PURCHASE_ORDERS, DocumentsToSend.NONE])
def test_bills_are_skipped_when_the_settings_do_not_send_them(sends: DocumentsToSend) -> None:
    world = World(sends)
    bill = world.bill(B.APPROVED)
    cancelled = world.bill(B.CANCELLED)
    world.link(cancelled, 1)

    assert skipped(world.plan()) == [bill.id, cancelled.id]


def test_rows_of_one_record_are_coalesced_and_rows_of_gone_records_are_skipped() -> None:
    world = World()
    bill = world.bill(B.APPROVED)
    world.row("bill", bill.id)
    gone = uuid4()
    world.row("bill", gone)
    world.row("supplier", SUPPLIER)
    world.row("supplier", SUPPLIER)

    decided = world.plan()

    assert only(decided).row_ids == (1, 2)
    assert skipped(decided) == [gone]
    assert decided.parties == {"supplier": {SUPPLIER: (4, 5)}}


# -- order and batches ---------------------------------------------------------------------


def test_orders_go_before_bills_and_followers_after_the_bills_with_rows() -> None:
    world = World()
    cancelled = world.bill(B.CANCELLED)
    world.link(cancelled, 1)
    bill = world.bill(B.APPROVED)
    order = world.order(PO.FINISHED)
    follower = world.bill(B.DRAFT, of=order, row=False)

    decided = world.plan()

    assert decided.order == ("purchase_order", "bill")
    assert [j.document for j in decided.all_jobs()] == [order, bill, follower, cancelled]


class _Kind(Bills):
    """A kind the planner has never heard of, declared only by its rules."""

    def __init__(self, kind: str, stage: Stage) -> None:
        self.kind = kind
        self.rules = Rules(stage=stage, send=frozenset({"approved"}), cancel=frozenset())

    def sends(self, settings: ExportSettings) -> bool:
        return True


def test_stages_order_the_kinds_and_the_registry_orders_one_stage() -> None:
    kinds: dict[str, DocumentKind] = {
        "allocation": _Kind("allocation", Stage.ALLOCATIONS),
        "payment": _Kind("payment", Stage.PAYMENTS),
        "bill": DOCUMENT_KINDS["bill"],
        "item": _Kind("item", Stage.ITEMS),
        "purchase_order": DOCUMENT_KINDS["purchase_order"],
    }

    assert stage_order(kinds) == ("item", "bill", "purchase_order", "payment", "allocation")


def test_a_new_kind_is_planned_from_its_rules_alone() -> None:
    world = World()
    bill = world.bill(B.APPROVED)
    world.snapshot.documents["invoice"] = world.snapshot.documents.pop("bill")
    world.rows[0] = replace(world.rows[0], kind="invoice")

    decided = plan(
        world.snapshot,
        world.rows,
        ExportPolicy(),
        kinds={"invoice": _Kind("invoice", Stage.DOCUMENTS)},
    )

    assert [(j.kind, j.document, j.action) for j in decided.all_jobs()] == [
        ("invoice", bill, Action.CREATE)
    ]


@pytest.mark.parametrize(("count", "sizes"), [(50, [50]), (51, [50, 1]), (101, [50, 50, 1])])
def test_creates_go_in_batches_of_at_most_fifty(count: int, sizes: list[int]) -> None:
    world = World()
    for _ in range(count):
        world.bill(B.APPROVED)

    cut = world.plan().batches("bill")

    assert [len(b) for b in cut] == sizes
    for batch in cut:
        assert [str(j.document.id) for j in batch] == sorted(str(j.document.id) for j in batch)


def test_the_same_documents_make_the_same_batches_whatever_the_row_order() -> None:
    world = World()
    for _ in range(7):
        world.bill(B.APPROVED)
    forwards = world.plan(batch_size=3).batches("bill")
    world.rows.reverse()

    backwards = world.plan(batch_size=3).batches("bill")

    ids = [[j.document.id for j in b] for b in forwards]
    assert ids == [[j.document.id for j in b] for b in backwards]


def test_unanswered_batches_go_again_whole_under_their_key_apart_from_new_documents() -> None:
    world = World()
    fresh = [world.bill(B.APPROVED) for _ in range(2)]
    first = [world.bill(B.APPROVED) for _ in range(2)]
    second = [world.bill(B.APPROVED) for _ in range(1)]
    for document in first:
        world.track(document, in_flight_key="v1:g0:ll-bill-create-first")
    for document in second:
        world.track(document, in_flight_key="v1:g0:ll-bill-create-second")
    decided = world.plan()
    looked_up = [j for j in decided.of("bill") if j.action is Action.LOOK_UP]
    creates = [j for j in decided.of("bill") if j.action is Action.CREATE]

    cut = batches(creates, looked_up, 50)

    assert [{j.document.id for j in b} for b in cut] == [
        {d.id for d in fresh},
        {d.id for d in first},
        {d.id for d in second},
    ]
