"""Store throughput: bulk inserts, one-document units of work, outbox claims.

Runs on a SQLite file in a temporary folder, and on PostgreSQL too when
`LEDGERLINK_BENCH_POSTGRES_URL` (or `LEDGERLINK_TEST_POSTGRES_URL`) is set (in a
throw-away schema). One JSON line per figure.
"""

import datetime as dt
import resource
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bench._common import emit, run_on_each_backend
from ledgerlink.domain.bill import Bill
from ledgerlink.domain.lines import Line
from ledgerlink.domain.parties import Supplier
from ledgerlink.store.engine import make_engine, make_session_factory
from ledgerlink.store.migrate import upgrade_engine
from ledgerlink.store.uow import SqlUnitOfWork

BENCH = "store_throughput"
SUPPLIERS = 5000
SUPPLIERS_PER_UNIT = 500
BILLS = 1000
LEASE = timedelta(seconds=60)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(work: Callable[[], None]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    work()
    return time.perf_counter() - wall, cpu_seconds() - cpu


def run(backend: str, database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade_engine(engine)
    sessions = make_session_factory(engine)

    def unit() -> SqlUnitOfWork:
        return SqlUnitOfWork(sessions)

    with unit() as uow:
        company_id = uow.companies.add(f"Bench {uuid.uuid4().hex[:8]}").id
        uow.commit()

    def import_suppliers() -> None:
        for start in range(0, SUPPLIERS, SUPPLIERS_PER_UNIT):
            with unit() as uow:
                for index in range(start, start + SUPPLIERS_PER_UNIT):
                    uow.suppliers.add(
                        Supplier.create(company_id=company_id, name=f"Supplier {index}")
                    )
                uow.commit()

    wall, cpu = timed(import_suppliers)
    emit(BENCH, backend, "supplier_import", SUPPLIERS / wall, "records/s",
         records=SUPPLIERS, per_unit=SUPPLIERS_PER_UNIT,
         cpu_ms_per_record=round(cpu / SUPPLIERS * 1000, 3))  # fmt: skip

    with unit() as uow:
        supplier_id = uow.suppliers.list(company_id, limit=1)[0].id
    bill_ids: list[uuid.UUID] = []

    def create_bills() -> None:
        for index in range(BILLS):
            with unit() as uow:
                bill = Bill(
                    company_id=company_id,
                    supplier_id=supplier_id,
                    currency="NZD",
                    number=f"BILL-{index}",
                    date=dt.date(2026, 3, 2),
                    due_date=dt.date(2026, 3, 30),
                    lines=[Line(description="Paper", quantity=Decimal(2),
                                unit_price=Decimal("9.95"), account_code="429")],
                )  # fmt: skip
                uow.bills.add(bill)
                uow.commit()
                bill_ids.append(bill.id)

    wall, cpu = timed(create_bills)
    emit(BENCH, backend, "bill_create_unit", BILLS / wall, "units/s",
         units=BILLS, cpu_ms_per_unit=round(cpu / BILLS * 1000, 3))  # fmt: skip

    def approve_bills() -> None:
        for bill_id in bill_ids:
            with unit() as uow:
                bill = uow.bills.get(company_id, bill_id)
                assert bill is not None
                bill.submit()
                bill.approve()
                uow.commit()

    wall, cpu = timed(approve_bills)
    emit(BENCH, backend, "bill_approve_unit", BILLS / wall, "units/s",
         units=BILLS, cpu_ms_per_unit=round(cpu / BILLS * 1000, 3),
         outbox_rows_per_unit=2)  # fmt: skip

    now = datetime.now(UTC)
    claimed = 0

    def drain_outbox() -> None:
        nonlocal claimed
        while True:
            with unit() as uow:
                batch = uow.outbox.claim(
                    company_id, "bench", now, now + LEASE, kinds=("supplier", "bill"), limit=50
                )
                uow.outbox.complete([message.id for message in batch])
                uow.commit()
            if not batch:
                return
            claimed += len(batch)

    wall, cpu = timed(drain_outbox)
    emit(BENCH, backend, "outbox_claim_and_complete", claimed / wall, "rows/s",
         rows=claimed, batch=50, cpu_ms_per_row=round(cpu / max(claimed, 1) * 1000, 3))  # fmt: skip
    engine.dispose()


def main() -> None:
    run_on_each_backend(run)


if __name__ == "__main__":
    main()
