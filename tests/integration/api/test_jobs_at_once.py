"""Two requests at the same moment that start a one-time export of the same kind: one job,
given back to both (`POST .../xero/exports` starts it with `ExportRunner.start`)."""

import threading
from uuid import UUID

from ledgerlink.bootstrap import Container
from ledgerlink.sync.exports import ExportRunner

COMPANIES = 8


def start_twice_at_once(runner: ExportRunner, company_id: UUID) -> list[UUID]:
    barrier = threading.Barrier(2)
    ids: list[UUID] = []

    def start() -> None:
        barrier.wait()
        ids.append(runner.start(company_id, "customers").id)

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return ids


def test_two_exports_of_one_kind_started_at_once_are_one_job(container: Container) -> None:
    with container.uow() as uow:
        companies = [uow.companies.add(f"Company {n}").id for n in range(COMPANIES)]
        uow.commit()
    runner = ExportRunner(container.uow, clients=None)  # type: ignore[arg-type]
    for company_id in companies:  # a first job in each company: nothing under way yet
        first, second = start_twice_at_once(runner, company_id)
        assert first == second, f"two export jobs under way in company {company_id}"
