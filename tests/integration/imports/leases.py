"""Jobs as tests find them and leave them: read as stored, or left running under the lease
of a runner that died mid-way (import and one-time export jobs alike)."""

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar
from uuid import UUID

from sqlalchemy.orm import Session

from ledgerlink.store.repositories.job_leases import RUNNING, LeasedJob, LeasedJobRepository
from ledgerlink.sync.imports.steps import LEASE_SECONDS
from tests.integration.conftest import FakeClock, UowFactory

J = TypeVar("J", bound=LeasedJob)
Repository = Callable[[Session], LeasedJobRepository[J]]


def stored(repository: Repository[J], uow_factory: UowFactory, job_id: UUID) -> J:
    """The job as the database holds it."""
    with uow_factory() as uow:
        found = repository(uow.session).get_any(job_id)
    assert found is not None
    return found


def left_running_by(
    repository: Repository[J], uow_factory: UowFactory, job_id: UUID, owner: str, clock: FakeClock
) -> None:
    """The job as a runner that died mid-way leaves it: running, under its lease."""
    with uow_factory() as uow:
        jobs = repository(uow.session)
        assert jobs.claim(job_id, owner, clock(), clock() + timedelta(seconds=LEASE_SECONDS))
        held = jobs.get_any(job_id)
        assert held is not None
        held.state = RUNNING
        assert jobs.save(held, clock(), owner=owner)
        uow.commit()
