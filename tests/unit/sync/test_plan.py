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
from ledgerlink.domain.credit_note import CreditNote, CreditNoteKind, CreditNoteStatus
from ledgerlink.domain.document import Document
from ledgerlink.domain.events import CREDIT_USE, use_id
from ledgerlink.domain.payments import Allocation, Payment, PaymentStatus
from ledgerlink.domain.preflight import ReferenceData
from ledgerlink.domain.purchase_order import PurchaseOrderStatus
from ledgerlink.domain.sales_invoice import SalesInvoice, SalesInvoiceStatus
from ledgerlink.store.outbox import OutboxMessage
from ledgerlink.store.repositories.sync_states import SyncState
from ledgerlink.store.repositories.xero_links import XeroLink
from ledgerlink.sync.export.credit_use_plan import (
    USES_STAGE,
    Credit,
    Use,
    UseAction,
    UseJob,
    UsePlan,
    UseSnapshot,
    Way,
    plan_uses,
    with_overpayment,
)
from ledgerlink.sync.export.kind import DocumentKind, Rules, Stage
from ledgerlink.sync.export.kinds import DOCUMENT_KINDS
from ledgerlink.sync.export.payment_plan import (
    PaymentAction,
    PaymentJob,
    PaymentPlan,
    PaymentSnapshot,
    payment_batches,
    plan_payments,
)
from ledgerlink.sync.export.plan import Action, Job, Plan, batches, plan, stage_order
from ledgerlink.sync.export.purchasing import Bills
from ledgerlink.sync.export.results import ExportPolicy
from ledgerlink.sync.export.snapshot import Snapshot
from ledgerlink.xero.outbound.lines import LineDefaults
from ledgerlink.xero.outbound.settings import DocumentsToSend, ExportSettings, SplitPayments

COMPANY = UUID("00000000-0000-4000-8000-000000000001")
SUPPLIER = UUID("00000000-0000-4000-8000-0000000000a1")
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LINES = (Line(description="Paper", quantity=Decimal(2), unit_price=Decimal("50.00")),)
PO, B, SI, CN = PurchaseOrderStatus, BillStatus, SalesInvoiceStatus, CreditNoteStatus


@dataclass
class World:
    """A company's records, links, states and claimed rows, as a pass would read them."""

    sends: DocumentsToSend = DocumentsToSend.BOTH
    rows: list[OutboxMessage] = field(default_factory=list)
    snapshot: Snapshot = field(init=False)
    payments: PaymentSnapshot = field(default_factory=PaymentSnapshot)

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
        self.rows.append(self.row_message(len(self.rows) + 1, kind, record_id))

    @staticmethod
    def row_message(n: int, kind: str, record_id: UUID) -> OutboxMessage:
        return OutboxMessage(
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
    assert decided.parties == {"supplier": {SUPPLIER: (4, 5)}, "customer": {}}


# -- order and batches ---------------------------------------------------------------------


def test_orders_go_before_bills_and_followers_after_the_bills_with_rows() -> None:
    world = World()
    cancelled = world.bill(B.CANCELLED)
    world.link(cancelled, 1)
    bill = world.bill(B.APPROVED)
    order = world.order(PO.FINISHED)
    follower = world.bill(B.DRAFT, of=order, row=False)

    decided = world.plan()

    assert decided.order == (
        "purchase_order", "bill", "sales_invoice", "credit_note", "refund", "store_credit"
    )  # fmt: skip
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


# -- sales invoices and customers ---------------------------------------------------------

CUSTOMER = UUID("00000000-0000-4000-8000-0000000000c1")


def invoice(
    world: World, status: SalesInvoiceStatus, *, price: str = "50.00", version: int = 1
) -> Document:
    document = SalesInvoice(
        company_id=COMPANY,
        customer_id=CUSTOMER,
        number=f"INV-{uuid4().hex[:6]}",
        date=dt.date(2026, 3, 2),
        due_date=dt.date(2026, 3, 31),
        currency="NZD",
        lines=(Line(description="Tea", quantity=Decimal(1), unit_price=Decimal(price)),),
        status=status,
    )
    document.version = version
    return world.add(document)


def settings(world: World, **changes: object) -> None:
    world.snapshot.settings = world.snapshot.settings.model_copy(update=changes)


@pytest.mark.parametrize("status", [SI.ISSUED, SI.PARTIALLY_PAID, SI.PAID])
def test_an_issued_invoice_is_created_under_its_customer(status: SalesInvoiceStatus) -> None:
    world = World()
    sent = invoice(world, status)
    world.row("customer", CUSTOMER)

    decided = world.plan()

    assert (only(decided).document, only(decided).action) == (sent, Action.CREATE)
    assert decided.parties["customer"] == {CUSTOMER: (2,)}


def test_a_draft_invoice_and_invoices_the_settings_do_not_send_are_skipped() -> None:
    world = World()
    draft = invoice(world, SI.DRAFT)
    assert skipped(world.plan()) == [draft.id]

    world = World()
    settings(world, send_sales_invoices=False)
    issued = invoice(world, SI.ISSUED)
    assert skipped(world.plan()) == [issued.id]


def test_a_zero_invoice_waits_until_paid_unless_the_settings_send_it_when_issued() -> None:
    world = World()
    held = invoice(world, SI.ISSUED, price="0")
    assert skipped(world.plan()) == [held.id]

    settings(world, zero_invoices_when_paid=False)
    assert only(world.plan()).action is Action.CREATE


def test_a_zero_invoice_already_in_xero_follows_its_edits() -> None:
    world = World()
    edited = invoice(world, SI.ISSUED, price="0", version=2)
    world.link(edited, 1)

    assert only(world.plan()).action is Action.UPDATE


def test_a_voided_invoice_is_cancelled_in_xero_or_never_sent() -> None:
    world = World()
    in_xero = invoice(world, SI.VOIDED, version=2)
    world.link(in_xero, 1)
    never = invoice(world, SI.VOIDED)

    actions = {j.document.id: (j.action, j.withdraw) for j in world.plan().all_jobs()}

    assert actions == {
        in_xero.id: (Action.CANCEL, True),
        never.id: (Action.NEVER_SENT, True),
    }


def test_a_paid_invoice_edited_here_is_updated_in_xero() -> None:
    world = World()
    paid = invoice(world, SI.PAID, version=3)
    world.link(paid, 2)

    assert only(world.plan()).action is Action.UPDATE


# -- credit notes -------------------------------------------------------------------------


def credit_note(world: World, status: CreditNoteStatus, *, version: int = 1) -> Document:
    note = CreditNote(
        company_id=COMPANY,
        kind=CreditNoteKind.SALES,
        party_id=CUSTOMER,
        date=dt.date(2026, 3, 2),
        currency="NZD",
        lines=LINES,
        status=status,
    )
    note.version = version
    return world.add(note)


@pytest.mark.parametrize("status", [CN.APPROVED, CN.PARTIALLY_ALLOCATED, CN.ALLOCATED])
def test_a_credit_note_not_in_xero_is_created_whatever_was_allocated(
    status: CreditNoteStatus,
) -> None:
    world = World()
    credit_note(world, status)

    assert only(world.plan()).action is Action.CREATE


def test_an_approved_credit_note_edited_here_is_updated_but_an_allocation_is_not_an_edit() -> None:
    world = World()
    edited = credit_note(world, CN.APPROVED, version=2)
    world.link(edited, 1)
    allocated = credit_note(world, CN.PARTIALLY_ALLOCATED, version=2)
    world.link(allocated, 1)

    actions = {j.document.id: j.action for j in world.plan().all_jobs()}

    assert actions == {edited.id: Action.UPDATE, allocated.id: Action.CURRENT}


# -- payments: after the documents they pay ------------------------------------------------


def paid_bill(world: World, *, linked: bool = True) -> Document:
    bill = world.bill(B.APPROVED, row=False)
    world.payments.target_kinds[bill.id] = "bill"
    if linked:
        world.payments.links[("bill", str(bill.id))] = _link("bill", bill.id)
    return bill


def _link(kind: str, entity: UUID | str, xero_number: str | None = None) -> XeroLink:
    return XeroLink(
        company_id=COMPANY,
        kind=kind,
        entity_id=str(entity),
        tenant_id="t",
        xero_id=f"x-{entity}",
        xero_number=xero_number,
        synced_version=1,
        updated_at=NOW,
    )


def a_payment(
    world: World, *bills: Document, amount: str = "10.00", deleted: bool = False
) -> Payment:
    payment = Payment(
        company_id=COMPANY,
        date=dt.date(2026, 3, 10),
        amount=Decimal(amount) * len(bills),
        currency="NZD",
        bank_account_code="090",
        allocations=tuple(Allocation(document_id=b.id, amount=Decimal(amount)) for b in bills),
        status=PaymentStatus.DELETED if deleted else PaymentStatus.RECORDED,
    )
    world.payments.payments.setdefault("payment", {})[payment.id] = payment
    world.row("payment", payment.id)
    return payment


def plan_paid(
    world: World,
    settings: ExportSettings | None = None,
    sent: dict[tuple[str, UUID], str] | None = None,
) -> PaymentPlan:
    rows = [r for r in world.rows if r.kind == "payment"]
    return plan_payments(
        world.payments, rows, settings or ExportSettings(), batch_size=50, sent=sent
    )


def only_payment(decided: PaymentPlan) -> PaymentJob:
    (job,) = decided.jobs
    return job


def test_a_payment_waits_while_a_bill_it_pays_is_not_in_xero() -> None:
    world = World()
    in_xero, not_yet = paid_bill(world), paid_bill(world, linked=False)
    a_payment(world, in_xero, not_yet)

    job = only_payment(plan_paid(world))

    assert job.action is PaymentAction.WAIT
    assert job.waiting_for is not None and f"bill {not_yet.id}" in job.waiting_for
    assert f"bill {in_xero.id}" not in job.waiting_for


def test_a_payment_goes_in_the_pass_its_bill_reached_xero() -> None:
    world = World()
    bill = paid_bill(world, linked=False)
    a_payment(world, bill)

    job = only_payment(plan_paid(world, sent={("bill", bill.id): "x-new"}))

    assert job.action is PaymentAction.CREATE
    assert [t.xero_id for t in job.targets] == ["x-new"]


def test_a_payment_of_a_document_that_is_not_sent_is_skipped() -> None:
    world = World()
    bill = world.bill(B.APPROVED, row=False)  # of no kind the loader found sent
    payment = a_payment(world, bill)

    decided = plan_paid(world)

    assert decided.jobs == () and [s.document_id for s in decided.skipped] == [payment.id]


def test_payments_are_skipped_when_the_settings_do_not_send_them() -> None:
    world = World()
    payment = a_payment(world, paid_bill(world))

    decided = plan_paid(world, ExportSettings(send_payments=False))

    assert [s.document_id for s in decided.skipped] == [payment.id]


def test_a_payment_in_xero_is_current_and_one_that_may_have_landed_is_looked_up() -> None:
    world = World()
    linked = a_payment(world, paid_bill(world))
    world.payments.links[("payment", str(linked.id))] = _link("payment", linked.id)
    flying = a_payment(world, paid_bill(world))
    world.payments.states[("payment", flying.id)] = SyncState(
        company_id=COMPANY, kind="payment", document_id=flying.id, in_flight_key="v1:g0:k"
    )

    decided = plan_paid(world)

    actions = {j.payment.id: (j.action, j.sent_key) for j in decided.jobs}
    assert actions == {
        linked.id: (PaymentAction.CURRENT, None),
        flying.id: (PaymentAction.LOOK_UP, "v1:g0:k"),
    }


def test_a_deleted_payment_is_deleted_in_xero_or_done_when_it_never_got_there() -> None:
    world = World()
    in_xero = a_payment(world, paid_bill(world), deleted=True)
    world.payments.elements[(in_xero.id, 0)] = "x-element"
    never = a_payment(world, paid_bill(world), deleted=True)
    flying = a_payment(world, paid_bill(world), deleted=True)
    world.payments.states[("payment", flying.id)] = SyncState(
        company_id=COMPANY, kind="payment", document_id=flying.id, in_flight_key="v1:g0:k"
    )

    decided = plan_paid(world)

    actions = {j.payment.id: j.action for j in decided.jobs}
    assert actions == {
        in_xero.id: PaymentAction.CANCEL,
        never.id: PaymentAction.NEVER_SENT,
        flying.id: PaymentAction.LOOK_UP,
    }
    assert all(j.withdraw for j in decided.jobs)


def test_an_element_already_in_xero_is_never_sent_again() -> None:
    world = World()
    first, second = paid_bill(world), paid_bill(world)
    payment = a_payment(world, first, second)
    world.payments.elements[(payment.id, 0)] = "x-saved"

    job = only_payment(plan_paid(world))

    assert job.action is PaymentAction.CREATE
    assert [t.document_id for t in job.unsent] == [second.id] and job.size == 1


def test_by_setting_a_split_payment_goes_as_one_batch_payment_and_a_single_one_does_not() -> None:
    world = World()
    split = a_payment(world, paid_bill(world), paid_bill(world))
    single = a_payment(world, paid_bill(world))

    decided = plan_paid(world, ExportSettings(split_payments=SplitPayments.BATCH_PAYMENT))

    batched = {j.payment.id: (j.as_batch, j.size) for j in decided.jobs}
    assert batched == {split.id: (True, 1), single.id: (False, 1)}


def test_payment_requests_hold_at_most_the_batch_size_in_elements_and_never_cut_a_payment() -> None:
    world = World()
    bills = [paid_bill(world) for _ in range(3)]
    for _ in range(4):
        a_payment(world, *bills)  # three elements each
    flying = a_payment(world, bills[0])
    world.payments.states[("payment", flying.id)] = SyncState(
        company_id=COMPANY, kind="payment", document_id=flying.id, in_flight_key="v1:g0:k"
    )
    decided = plan_paid(world)
    fresh = decided.of(PaymentAction.CREATE)

    cut = payment_batches(fresh, decided.of(PaymentAction.LOOK_UP), size=7)

    assert [sum(j.size for j in batch) for batch in cut] == [6, 6, 1]
    assert [j.payment.id for batch in cut[:2] for j in batch] == sorted(
        (j.payment.id for j in fresh), key=str
    )
    assert cut[2] == decided.of(PaymentAction.LOOK_UP)


# -- the ALLOCATIONS stage: uses of refunds and store credit ------------------------------

CUSTOMER = UUID("00000000-0000-4000-8000-0000000000c1")


@dataclass
class Uses:
    """Uses of credit, their credits and invoices, as the ALLOCATIONS stage reads them."""

    snapshot: UseSnapshot = field(default_factory=UseSnapshot)
    rows: list[OutboxMessage] = field(default_factory=list)

    def credit(
        self, kind: str = "store_credit", *, by_hand: bool = True, linked: bool = True
    ) -> Credit:
        credit = Credit(
            kind, uuid4(), dt.date(2026, 3, 3), "NZD", by_hand,
            "SC-1" if by_hand else None, None if by_hand else "090",
        )  # fmt: skip
        self.snapshot.credits[(kind, credit.id)] = credit
        if linked:
            self.snapshot.links[(kind, str(credit.id))] = _link(kind, credit.id)
        return credit

    def invoice(self, *, linked: bool = True, on: dt.date = dt.date(2026, 3, 4)) -> UUID:
        invoice_id = uuid4()
        self.snapshot.targets[invoice_id] = ("sales_invoice", on, "INV-1")
        if linked:
            self.snapshot.links[("sales_invoice", str(invoice_id))] = _link(
                "sales_invoice", invoice_id
            )
        return invoice_id

    def use(
        self, credit: Credit, target: UUID | None, *, bank: str | None = None, version: int = 2
    ) -> Use:
        used = Use(
            id=use_id(credit.id, version),
            credit_kind=credit.kind,
            credit_id=credit.id,
            amount=Decimal("20.00"),
            version=version,
            target_id=target,
            bank_account_code=bank,
        )
        self.snapshot.uses[used.id] = used
        self.rows.append(
            replace(
                World.row_message(len(self.rows) + 1, CREDIT_USE, used.id),
                event_type="CreditPaidOut" if bank else "CreditAllocated",
                version=version,
            )
        )
        return used

    def plan(
        self,
        settings: ExportSettings | None = None,
        sent: dict[tuple[str, UUID], str] | None = None,
    ) -> UsePlan:
        return plan_uses(
            self.snapshot, self.rows, settings or ExportSettings(), batch_size=50, sent=sent
        )


def only_use(decided: UsePlan) -> UseJob:
    (job,) = decided.jobs
    return job


def test_credit_uses_come_after_every_document_stage_and_credits_are_documents() -> None:
    order = stage_order(DOCUMENT_KINDS)
    assert order[-2:] == ("refund", "store_credit")
    assert {DOCUMENT_KINDS[k].rules.stage for k in ("refund", "store_credit")} == {Stage.DOCUMENTS}
    assert USES_STAGE is Stage.ALLOCATIONS
    assert max(DOCUMENT_KINDS[k].rules.stage for k in DOCUMENT_KINDS) < USES_STAGE


def test_a_use_of_store_credit_is_an_allocation_once_its_credit_note_and_invoice_are_in_xero() -> (
    None
):
    uses = Uses()
    credit = uses.credit()
    invoice = uses.invoice(on=dt.date(2026, 3, 9))
    uses.use(credit, invoice)

    job = only_use(uses.plan())

    assert (job.action, job.way) == (UseAction.CREATE, Way.ALLOCATION)
    assert (job.credit_xero_id, job.target_xero_id) == (f"x-{credit.id}", f"x-{invoice}")
    assert job.date == dt.date(2026, 3, 9)  # never before the credit or the invoice


@pytest.mark.parametrize(
    ("credit_in_xero", "invoice_in_xero", "named"),
    [(False, True, ["store credit SC-1"]), (True, False, ["sales invoice INV-1"]),
     (False, False, ["store credit SC-1", "sales invoice INV-1"])],
)  # fmt: skip
def test_an_allocation_waits_for_its_credit_note_and_its_invoice(
    credit_in_xero: bool, invoice_in_xero: bool, named: list[str]
) -> None:
    uses = Uses()
    uses.use(uses.credit(linked=credit_in_xero), uses.invoice(linked=invoice_in_xero))

    job = only_use(uses.plan())

    assert job.action is UseAction.WAIT
    assert job.waiting_for is not None
    assert all(name in job.waiting_for for name in named), job.waiting_for


def test_an_allocation_goes_in_the_pass_its_credit_note_and_invoice_reached_xero() -> None:
    uses = Uses()
    credit, invoice = uses.credit(linked=False), uses.invoice(linked=False)
    uses.use(credit, invoice)

    job = only_use(
        uses.plan(sent={("store_credit", credit.id): "cn-1", ("sales_invoice", invoice): "inv-1"})
    )

    assert (job.action, job.credit_xero_id, job.target_xero_id) == (
        UseAction.CREATE,
        "cn-1",
        "inv-1",
    )


def test_a_refund_paid_out_needs_only_its_credit_note() -> None:
    uses = Uses()
    refund = uses.credit("refund", linked=False)
    uses.use(refund, uses.invoice(linked=False), bank="090")

    waiting = only_use(uses.plan())
    going = only_use(uses.plan(sent={("refund", refund.id): "cn-9"}))

    assert (waiting.action, waiting.way) == (UseAction.WAIT, Way.PAID_OUT)
    assert (going.action, going.account_code, going.credit_xero_id) == (
        UseAction.CREATE,
        "090",
        "cn-9",
    )


def test_an_overpayments_store_credit_is_a_payment_that_needs_only_its_invoice() -> None:
    uses = Uses()
    uses.use(uses.credit(by_hand=False, linked=False), uses.invoice())

    job = only_use(uses.plan())

    assert (job.action, job.way, job.account_code) == (UseAction.CREATE, Way.PAYMENT, "090")


def test_a_use_in_xero_is_not_sent_again_and_one_in_flight_is_looked_up_first() -> None:
    uses = Uses()
    sent = uses.use(uses.credit(), uses.invoice())
    flying = uses.use(uses.credit(), uses.invoice())
    uses.snapshot.links[(CREDIT_USE, str(sent.id))] = _link(CREDIT_USE, sent.id)
    uses.snapshot.states[(CREDIT_USE, flying.id)] = SyncState(
        company_id=COMPANY, kind=CREDIT_USE, document_id=flying.id, in_flight_key="v2:g0:k"
    )

    actions = {j.use.id: j.action for j in uses.plan().jobs}

    assert actions == {sent.id: UseAction.CURRENT, flying.id: UseAction.LOOK_UP}


def test_uses_the_settings_do_not_send_or_whose_credit_is_gone_are_skipped() -> None:
    uses = Uses()
    by_hand = uses.use(uses.credit(), uses.invoice())
    overpaid = uses.use(uses.credit(by_hand=False), uses.invoice())
    gone = uses.credit()
    orphan = uses.use(gone, uses.invoice())
    del uses.snapshot.credits[("store_credit", gone.id)]

    no_notes = uses.plan(ExportSettings(send_credit_notes=False))
    no_payments = uses.plan(ExportSettings(send_payments=False))

    assert {s.document_id for s in no_notes.skipped} == {by_hand.id, orphan.id}
    assert [j.use.id for j in no_notes.jobs] == [overpaid.id]
    assert {s.document_id for s in no_payments.skipped} == {overpaid.id, orphan.id}


def test_the_document_planner_leaves_uses_of_credit_to_the_allocations_stage() -> None:
    world = World()
    world.row(CREDIT_USE, uuid4())

    decided = world.plan()

    assert decided.all_jobs() == []
    assert [s.kind for s in decided.skipped] == [CREDIT_USE]


def test_an_overpayment_sent_to_xero_goes_once_its_customer_is_there_and_its_uses_after_it() -> (
    None
):
    uses = Uses()
    plain = uses.credit(by_hand=False, linked=False)
    credit = replace(plain, customer_id=CUSTOMER, overpayment_use=use_id(plain.id, 2))
    uses.snapshot.credits[("store_credit", credit.id)] = credit
    received = uses.use(credit, None, bank="090", version=2)
    spent = uses.use(credit, uses.invoice(), version=3)

    before = {j.use.id: j for j in uses.plan().jobs}
    after = {j.use.id: j for j in uses.plan(sent={("customer", CUSTOMER): "contact-1"}).jobs}

    assert (before[received.id].way, before[received.id].action) == (
        Way.OVERPAYMENT,
        UseAction.WAIT,
    )
    assert f"customer {CUSTOMER}" in (before[received.id].waiting_for or "")
    assert (after[received.id].action, after[received.id].contact_id) == (
        UseAction.CREATE,
        "contact-1",
    )
    waiting = after[spent.id]
    assert (waiting.way, waiting.action) == (Way.OVERPAYMENT_ALLOCATION, UseAction.WAIT)
    assert "the overpayment of store credit" in (waiting.waiting_for or "")
    going = with_overpayment(waiting, "op-1")
    assert (going.action, going.credit_xero_id) == (UseAction.CREATE, "op-1")
