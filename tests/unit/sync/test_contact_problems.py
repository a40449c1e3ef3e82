"""A document whose supplier has no Xero contact: it waits or fails as the problem says."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest

from ledgerlink.store.repositories.sync_states import SyncState
from ledgerlink.sync.export.contacts import ContactProblem, Trouble, without_contact
from ledgerlink.sync.export.outcome import Disposition, Outcome
from ledgerlink.sync.export.results import ExportPolicy, Results

COMPANY = UUID("00000000-0000-4000-8000-0000000000c1")
BILL = UUID("00000000-0000-4000-8000-0000000000b1")
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def outcome(problem: ContactProblem | None) -> Outcome:
    return without_contact(
        Results(COMPANY, ExportPolicy(), NOW),
        SyncState(company_id=COMPANY, kind="bill", document_id=BILL, in_flight_key="v1:g0:k"),
        summary="bill INV-1 v3",
        row_ids=(7, 8),
        party="supplier",
        problem=problem,
    )


def test_a_contact_that_could_not_be_created_now_holds_its_documents_for_another_pass() -> None:
    waiting = outcome(ContactProblem(Trouble.NOT_SENT, ("Xero answered 503",)))

    assert waiting.disposition is Disposition.RETRY
    assert waiting.error == "contact not created: Xero answered 503"
    assert waiting.state.in_flight_key == "v1:g0:k"
    assert waiting.row_ids == (7, 8)


def test_a_refused_contact_fails_its_documents_with_the_suppliers_problem_and_fix() -> None:
    failed = outcome(
        ContactProblem(Trouble.REFUSED, ("Name is too long",), fix="shorten the supplier's name")
    )

    assert failed.disposition is Disposition.FAILED
    assert failed.error == "supplier: Name is too long"
    assert failed.state.fix == "shorten the supplier's name"


@pytest.mark.parametrize(
    ("trouble", "disposition"),
    [(Trouble.REFUSED, Disposition.FAILED), (Trouble.NOT_SENT, Disposition.RETRY)],
)
@pytest.mark.parametrize("message", ["contact not created: the name is archived", "anything"])
def test_the_problems_kind_not_its_words_decides(
    message: str, trouble: Trouble, disposition: Disposition
) -> None:
    assert outcome(ContactProblem(trouble, (message,))).disposition is disposition


def test_a_contact_not_known_yet_holds_its_documents() -> None:
    waiting = outcome(None)

    assert waiting.disposition is Disposition.RETRY
    assert waiting.error == "the supplier's Xero contact is not known yet"
