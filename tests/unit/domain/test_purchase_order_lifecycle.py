"""Every purchase order transition, allowed and refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ledgerlink.domain import InvalidTransition, InvalidValue, PurchaseOrder

from .conftest import purchase_order_in

STATUSES = ["draft", "submitted", "approved", "finished", "cancelled"]

ACTIONS: dict[str, Callable[[PurchaseOrder], object]] = {
    "submit": PurchaseOrder.submit,
    "approve": PurchaseOrder.approve,
    "reject": lambda po: po.reject("Wrong supplier"),
    "cancel": PurchaseOrder.cancel,
    "finish": PurchaseOrder.finish,
    "edit": lambda po: po.edit(reference="Site B"),
}

# (status, action) -> (new status, event raised or None)
ALLOWED: dict[tuple[str, str], tuple[str, str | None]] = {
    ("draft", "submit"): ("submitted", "DocumentSubmitted"),
    ("draft", "cancel"): ("cancelled", None),
    ("draft", "edit"): ("draft", None),
    ("submitted", "approve"): ("approved", "DocumentApproved"),
    ("submitted", "reject"): ("draft", "DocumentRejected"),
    ("submitted", "cancel"): ("cancelled", None),
    ("submitted", "edit"): ("submitted", None),
    ("approved", "cancel"): ("cancelled", "DocumentCancelled"),
    ("approved", "finish"): ("finished", "DocumentFinished"),
    ("approved", "edit"): ("approved", "DocumentEdited"),
}

ALLOWED_FROM = {
    "submit": "draft",
    "approve": "submitted",
    "reject": "submitted",
    "cancel": "draft, submitted, approved",
    "finish": "approved",
    "edit": "draft, submitted, approved",
}

REFUSED = [(s, a) for s in STATUSES for a in ACTIONS if (s, a) not in ALLOWED]


@pytest.mark.parametrize(("status", "action"), list(ALLOWED), ids=[f"{s}-{a}" for s, a in ALLOWED])
def test_allowed_transition(status: str, action: str) -> None:
    po = purchase_order_in(status)
    version, events_before = po.version, len(po.events)
    new_status, event = ALLOWED[(status, action)]

    ACTIONS[action](po)

    assert po.status == new_status
    assert po.version == version + 1
    raised = po.events[events_before:]
    assert [e.name for e in raised] == ([event] if event else [])
    for e in raised:
        assert (e.kind, e.document_id, e.company_id, e.version) == (
            "purchase_order",
            po.id,
            po.company_id,
            po.version,
        )


@pytest.mark.parametrize(("status", "action"), REFUSED, ids=[f"{s}-{a}" for s, a in REFUSED])
def test_refused_transition(status: str, action: str) -> None:
    po = purchase_order_in(status)
    version, events = po.version, list(po.events)

    with pytest.raises(InvalidTransition) as raised:
        ACTIONS[action](po)

    assert raised.value.field == "status"
    assert raised.value.message == (
        f"cannot {action} a purchase order that is {status}; allowed from: {ALLOWED_FROM[action]}"
    )
    assert (po.status, po.version, po.events) == (status, version, events)


def test_the_documented_message_for_approving_a_cancelled_order() -> None:
    po = purchase_order_in("cancelled")
    with pytest.raises(InvalidTransition) as raised:
        po.approve()
    assert str(raised.value) == (
        "status: cannot approve a purchase order that is cancelled; allowed from: submitted"
    )


def test_reject_keeps_the_reason_and_resubmitting_clears_it() -> None:
    po = purchase_order_in("submitted")
    po.reject("  Wrong supplier ")
    assert po.rejection_reason == "Wrong supplier"
    assert po.events[-1].reason == "Wrong supplier"  # type: ignore[attr-defined]
    po.submit()
    assert po.rejection_reason is None


def test_reject_needs_a_reason() -> None:
    po = purchase_order_in("submitted")
    with pytest.raises(InvalidValue, match=r"^reason: is required"):
        po.reject("  ")
    assert po.status == "submitted"


def test_only_events_that_reach_xero_are_marked_so() -> None:
    po = purchase_order_in("submitted")
    po.reject("No budget")
    po.submit()
    po.approve()
    po.edit(reference="Site B")
    po.finish()
    assert [(e.name, e.reaches_xero) for e in po.events] == [
        ("DocumentSubmitted", False),
        ("DocumentRejected", False),
        ("DocumentSubmitted", False),
        ("DocumentApproved", True),
        ("DocumentEdited", True),
        ("DocumentFinished", True),
    ]
    assert [e.version for e in po.events] == [2, 3, 4, 5, 6, 7]
    assert po.pull_events() and po.events == []
