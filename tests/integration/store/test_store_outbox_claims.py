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


def _suppliers_created(uow_factory: UowFactory, company_id: UUID, count: int) -> None:
    with uow_factory() as uow:
        for index in range(count):
            uow.suppliers.add(Supplier.create(company_id=company_id, name=f"Supplier {index}"))
        uow.commit()


def test_claims_take_due_rows_oldest_first_for_a_lease(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock
) -> None:
    _suppliers_created(uow_factory, company_id, 3)

    with uow_factory() as uow:
        claimed = uow.outbox.claim("worker-a", now=clock.now, lease=LEASE, limit=2)
        uow.commit()
    with uow_factory() as uow:
        rest = uow.outbox.claim("worker-b", now=clock.now, lease=LEASE)
        nothing = uow.outbox.claim("worker-b", now=clock.now, lease=LEASE)
        uow.commit()

    assert len(claimed) == 2
    assert claimed[0].id < claimed[1].id < rest[0].id
    assert len(rest) == 1
    assert nothing == []
    assert {(m.state, m.claimed_by, m.attempts) for m in claimed} == {("claimed", "worker-a", 1)}
    assert claimed[0].claimed_until == clock.now + LEASE


def test_a_dead_workers_rows_are_claimed_again_after_its_lease(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock
) -> None:
    _suppliers_created(uow_factory, company_id, 1)
    with uow_factory() as uow:
        (first,) = uow.outbox.claim("worker-a", now=clock.now, lease=LEASE)
        uow.commit()

    clock.advance(LEASE.total_seconds())
    with uow_factory() as uow:
        assert uow.outbox.claim("worker-b", now=clock.now, lease=LEASE) == []
    clock.advance(1)
    with uow_factory() as uow:
        (again,) = uow.outbox.claim("worker-b", now=clock.now, lease=LEASE)
        assert uow.outbox.complete(first.id, "worker-a") is False
        assert uow.outbox.complete(again.id, "worker-b") is True
        uow.commit()

    assert again.id == first.id
    assert again.attempts == 2
    with uow_factory() as uow:
        (done,) = uow.outbox.list(company_id)
    assert (done.state, done.claimed_by) == ("done", "worker-b")


def test_retried_rows_wait_until_they_are_due_and_failed_rows_stay(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock
) -> None:
    _suppliers_created(uow_factory, company_id, 2)
    with uow_factory() as uow:
        first, second = uow.outbox.claim("worker-a", now=clock.now, lease=LEASE)
        retry_at = clock.now + timedelta(minutes=5)
        assert uow.outbox.retry(first.id, "worker-a", error="HTTP 503", available_at=retry_at)
        assert uow.outbox.give_up(second.id, "worker-a", error="contact name is taken")
        uow.commit()

    clock.advance(299)
    with uow_factory() as uow:
        assert uow.outbox.claim("worker-a", now=clock.now, lease=LEASE) == []
    clock.advance(1)
    with uow_factory() as uow:
        (retried,) = uow.outbox.claim("worker-a", now=clock.now, lease=LEASE)
        (failed,) = uow.outbox.list(company_id, state="failed")

    assert retried.id == first.id
    assert (retried.attempts, retried.last_error) == (2, "HTTP 503")
    assert (failed.id, failed.last_error) == (second.id, "contact name is taken")


def test_claims_can_be_limited_to_one_company(
    uow_factory: UowFactory, company_id: UUID, other_company_id: UUID, clock: FakeClock
) -> None:
    _suppliers_created(uow_factory, company_id, 2)
    _suppliers_created(uow_factory, other_company_id, 2)

    with uow_factory() as uow:
        claimed = uow.outbox.claim(
            "worker-a", now=clock.now, lease=LEASE, company_id=other_company_id
        )

    assert [m.company_id for m in claimed] == [other_company_id, other_company_id]


def test_concurrent_workers_claim_disjoint_rows_without_waiting(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock, database_url: str
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite runs transactions one at a time: claims cannot overlap")
    _suppliers_created(uow_factory, company_id, 4)

    with uow_factory() as first, uow_factory() as second:
        a = first.outbox.claim("worker-a", now=clock.now, lease=LEASE, limit=3)
        b = second.outbox.claim("worker-b", now=clock.now, lease=LEASE, limit=3)
        first.commit()
        second.commit()

    assert len(a) == 3
    assert len(b) == 1
    assert not {m.id for m in a} & {m.id for m in b}


@pytest.mark.parametrize(
    ("worker", "lease", "field"),
    [("", LEASE, "worker"), ("w", timedelta(0), "lease")],
    ids=["no-worker-name", "no-lease"],
)
def test_bad_claims_name_the_field(
    uow_factory: UowFactory, clock: FakeClock, worker: str, lease: timedelta, field: str
) -> None:
    with uow_factory() as uow, pytest.raises(InvalidValue) as caught:
        uow.outbox.claim(worker, now=clock.now, lease=lease)
    assert caught.value.field == field
