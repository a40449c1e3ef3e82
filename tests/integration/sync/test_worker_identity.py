"""A worker's name is what people see; its leases are held by its run.

Two workers given one name (two processes started with the same ``--name``) hold leases
as two holders, each the name and a random id; their heartbeat, which readiness reads,
stays under the name.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select

from ledgerlink.store.heartbeats import last_seen
from ledgerlink.store.tables.workers import worker_heartbeats
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.sync.conftest import SandboxClients, worker


async def test_two_workers_of_one_name_are_two_holders_and_one_heartbeat(
    uow_factory: UowFactory, company_id: UUID, clients: SandboxClients, clock: FakeClock
) -> None:
    first = worker(uow_factory, clients, clock, "ops-1")
    second = worker(uow_factory, clients, clock, "ops-1")
    assert first.leases.holder != second.leases.holder
    assert first.leases.holder.startswith("ops-1#") and second.leases.holder.startswith("ops-1#")

    assert first.leases.take(company_id)
    assert not second.leases.take(company_id)  # the name alone gives no claim on it
    first.leases.release(company_id)
    assert second.leases.take(company_id)

    await first.run_pass()
    await second.run_pass()
    with uow_factory() as uow:
        names = list(uow.session.scalars(select(worker_heartbeats.c.worker)))
        seen = last_seen(uow.session)
    assert names == ["ops-1"]
    assert seen == clock()
