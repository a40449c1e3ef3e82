"""The worker's one claim path: company leases, row claims, and how rows are settled."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from uuid import UUID

import pytest

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.parties import Supplier

if TYPE_CHECKING:
    from tests.integration.conftest import FakeClock, UowFactory

LEASE = timedelta(seconds=30)
KINDS = ("supplier",)


def _suppliers_created(uow_factory: UowFactory, company_id: UUID, count: int) -> None:
    with uow_factory() as uow:
        for index in range(count):
            uow.suppliers.add(Supplier.create(company_id=company_id, name=f"Supplier {index}"))
        uow.commit()


def test_a_worker_leases_a_company_and_claims_its_due_rows_oldest_first(
    uow_factory: UowFactory, company_id: UUID, other_company_id: UUID, clock: FakeClock
) -> None:
    _suppliers_created(uow_factory, company_id, 3)
    _suppliers_created(uow_factory, other_company_id, 1)
    until = clock.now + LEASE

    with uow_factory() as uow:
        waiting = uow.outbox.companies_with_work(clock.now, kinds=KINDS)
        assert uow.outbox.take_lease(company_id, "worker-a", clock.now, until)
        claimed = uow.outbox.claim(company_id, "worker-a", clock.now, until, kinds=KINDS, limit=2)
        uow.commit()
    with uow_factory() as uow:
        assert not uow.outbox.take_lease(company_id, "worker-b", clock.now, until)
        still_waiting = uow.outbox.companies_with_work(clock.now, kinds=KINDS)
        of_other_kinds = uow.outbox.claim(company_id, "worker-a", clock.now, until, kinds=("bill",))
        rest = uow.outbox.claim(company_id, "worker-a", clock.now, until, kinds=KINDS)
        uow.commit()

    assert waiting == [company_id, other_company_id]
    assert still_waiting == [other_company_id]
    assert of_other_kinds == []
    assert [m.company_id for m in claimed] == [company_id, company_id]
    assert claimed[0].id < claimed[1].id
    # A worker's own claims come back to it with the rest (a restart under the same name).
    assert [m.id for m in rest][:2] == [m.id for m in claimed]
    assert len(rest) == 3
    assert {(m.state, m.claimed_by, m.claimed_until) for m in rest} == {
        ("claimed", "worker-a", until)
    }


def test_a_dead_workers_lease_and_rows_are_taken_over_once_its_lease_runs_out(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock
) -> None:
    _suppliers_created(uow_factory, company_id, 2)
    with uow_factory() as uow:
        assert uow.outbox.take_lease(company_id, "dead", clock.now, clock.now + LEASE)
        first = uow.outbox.claim(company_id, "dead", clock.now, clock.now + LEASE, kinds=KINDS)
        uow.commit()

    clock.advance(LEASE.total_seconds())
    with uow_factory() as uow:
        assert uow.outbox.companies_with_work(clock.now, kinds=KINDS) == []
        assert not uow.outbox.take_lease(company_id, "heir", clock.now, clock.now + LEASE)
        assert uow.outbox.claim(company_id, "heir", clock.now, clock.now + LEASE, kinds=KINDS) == []
    clock.advance(1)
    with uow_factory() as uow:
        assert uow.outbox.companies_with_work(clock.now, kinds=KINDS) == [company_id]
        assert uow.outbox.take_lease(company_id, "heir", clock.now, clock.now + LEASE)
        again = uow.outbox.claim(company_id, "heir", clock.now, clock.now + LEASE, kinds=KINDS)
        uow.commit()

    assert [m.id for m in again] == [m.id for m in first]
    assert {m.claimed_by for m in again} == {"heir"}
    with uow_factory() as uow:
        assert uow.outbox.own_leases("heir") == [company_id]
        assert uow.outbox.own_leases("dead") == []
        uow.outbox.release_lease(company_id, "dead")  # no longer its lease: nothing happens
        assert uow.outbox.own_leases("heir") == [company_id]
        uow.outbox.release_lease(company_id, "heir")
        assert uow.outbox.own_leases("heir") == []


def test_completed_rows_are_done_and_never_claimed_again(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock
) -> None:
    _suppliers_created(uow_factory, company_id, 2)
    until = clock.now + LEASE
    with uow_factory() as uow:
        first, second = uow.outbox.claim(company_id, "w", clock.now, until, kinds=KINDS)
        uow.outbox.complete([first.id])
        uow.commit()

    clock.advance(LEASE.total_seconds() + 1)
    with uow_factory() as uow:
        again = uow.outbox.claim(company_id, "other", clock.now, clock.now + LEASE, kinds=KINDS)
        (done,) = uow.outbox.list(company_id, state="done")

    assert [m.id for m in again] == [second.id]
    assert (done.id, done.claimed_by, done.claimed_until, done.attempts) == (
        first.id,
        None,
        None,
        0,
    )


def test_a_retried_row_waits_for_its_backoff_and_counts_the_attempt(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock
) -> None:
    _suppliers_created(uow_factory, company_id, 1)
    with uow_factory() as uow:
        (row,) = uow.outbox.claim(company_id, "w", clock.now, clock.now + LEASE, kinds=KINDS)
        backoff = clock.now + timedelta(minutes=5)
        uow.outbox.retry([row.id], available_at=backoff, error="HTTP 503")
        uow.commit()

    clock.advance(299)
    with uow_factory() as uow:
        assert uow.outbox.companies_with_work(clock.now, kinds=KINDS) == []
        assert uow.outbox.claim(company_id, "w", clock.now, clock.now + LEASE, kinds=KINDS) == []
    clock.advance(1)
    with uow_factory() as uow:
        (retried,) = uow.outbox.claim(company_id, "w", clock.now, clock.now + LEASE, kinds=KINDS)

    assert retried.id == row.id
    assert (retried.attempts, retried.last_error, retried.available_at) == (1, "HTTP 503", backoff)


def test_a_retry_on_behalf_of_one_worker_leaves_rows_another_took_over(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock
) -> None:
    _suppliers_created(uow_factory, company_id, 1)
    with uow_factory() as uow:
        (row,) = uow.outbox.claim(company_id, "slow", clock.now, clock.now + LEASE, kinds=KINDS)
        uow.commit()
    clock.advance(LEASE.total_seconds() + 1)
    with uow_factory() as uow:
        uow.outbox.claim(company_id, "heir", clock.now, clock.now + LEASE, kinds=KINDS)
        later = clock.now + timedelta(minutes=5)
        uow.outbox.retry([row.id], available_at=later, error="late", only_claimed_by="slow")
        uow.commit()

    with uow_factory() as uow:
        (kept,) = uow.outbox.list(company_id)
    assert (kept.state, kept.claimed_by, kept.attempts) == ("claimed", "heir", 0)


def test_a_given_up_row_stays_failed_until_a_person_reopens_it(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock
) -> None:
    _suppliers_created(uow_factory, company_id, 1)
    with uow_factory() as uow:
        (row,) = uow.outbox.claim(company_id, "w", clock.now, clock.now + LEASE, kinds=KINDS)
        uow.outbox.give_up([row.id], error="contact name is taken")
        uow.commit()

    clock.advance(3600)
    with uow_factory() as uow:
        assert uow.outbox.claim(company_id, "w", clock.now, clock.now + LEASE, kinds=KINDS) == []
        (failed,) = uow.outbox.list(company_id, state="failed")
        reopened = uow.outbox.reopen_failed(company_id, "supplier", row.document_id, clock.now)
        (again,) = uow.outbox.claim(company_id, "w", clock.now, clock.now + LEASE, kinds=KINDS)

    assert (failed.id, failed.last_error, failed.claimed_by) == (
        row.id,
        "contact name is taken",
        None,
    )
    assert reopened == 1
    assert (again.id, again.last_error) == (row.id, None)


def test_a_parked_company_has_no_work_until_its_park_ends(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock
) -> None:
    _suppliers_created(uow_factory, company_id, 1)
    until = clock.now + timedelta(hours=2)
    with uow_factory() as uow:
        uow.outbox.park(company_id, until, "daily budget spent")
        uow.outbox.park(company_id, until, "daily budget spent")  # parked once, not twice
        uow.commit()

    with uow_factory() as uow:
        assert uow.outbox.companies_with_work(clock.now, kinds=KINDS) == []
        assert uow.outbox.parked_until(company_id, clock.now) == until
    clock.advance(2 * 3600)
    with uow_factory() as uow:
        assert uow.outbox.companies_with_work(clock.now, kinds=KINDS) == [company_id]
        assert uow.outbox.parked_until(company_id, clock.now) is None


def test_concurrent_claims_take_disjoint_rows_without_waiting(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock, backend: str
) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite runs transactions one at a time: claims cannot overlap")
    _suppliers_created(uow_factory, company_id, 4)
    until = clock.now + LEASE

    # The second claim runs while the first transaction still holds its rows' locks.
    with uow_factory() as first, uow_factory() as second:
        a = first.outbox.claim(company_id, "a", clock.now, until, kinds=KINDS, limit=3)
        b = second.outbox.claim(company_id, "b", clock.now, until, kinds=KINDS, limit=3)
        first.commit()
        second.commit()

    assert len(a) == 3
    assert len(b) == 1
    assert not {m.id for m in a} & {m.id for m in b}


@pytest.mark.parametrize(
    ("worker", "lease", "field"),
    [("", LEASE, "worker"), ("w" * 201, LEASE, "worker"), ("w", timedelta(0), "until")],
    ids=["no-worker-name", "long-worker-name", "no-lease"],
)
def test_bad_claims_name_the_field(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    worker: str,
    lease: timedelta,
    field: str,
) -> None:
    with uow_factory() as uow:
        for attempt in (
            lambda: uow.outbox.claim(company_id, worker, clock.now, clock.now + lease, kinds=KINDS),
            lambda: uow.outbox.take_lease(company_id, worker, clock.now, clock.now + lease),
        ):
            with pytest.raises(InvalidValue) as caught:
                attempt()
            assert caught.value.field == field
