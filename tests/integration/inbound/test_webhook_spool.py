"""The webhook spool (SQLite): posts that arrive while the worker holds the database's write
lock are answered at once from the spool beside it, and the worker moves them in once each,
whenever it stops."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.domain.bill import BillStatus
from ledgerlink.store import webhook_spool
from ledgerlink.store.repositories.webhook_events import IncomingEvent, WebhookEventRepository
from ledgerlink.store.webhook_spool import (
    WebhookSpool,
    copy_spooled,
    move_spooled,
    spool_of,
    spool_path,
)
from ledgerlink.sync.engine import Worker
from tests.integration.api.conftest import Tenant
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.inbound.conftest import (
    NOW,
    batch,
    bill_in_xero,
    connect,
    event,
    pay_in_xero,
    reread,
    sign,
    stored,
)
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox

TENANT = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
URL = "/xero/webhooks"


def invoice_event(n: int, tenant_id: str = TENANT) -> IncomingEvent:
    return IncomingEvent(tenant_id, "INVOICE", "UPDATE", f"9b2e6f7a-0000-4000-8000-{n:012d}", NOW)


def spool_for(uow_factory: UowFactory) -> WebhookSpool:
    path = spool_of(uow_factory)
    if path is None:
        pytest.skip("only SQLite has a spool: PostgreSQL's inserts wait for no transaction")
    return WebhookSpool(path)


def spool_if_any(uow_factory: UowFactory) -> WebhookSpool | None:
    """The spool on SQLite; None on PostgreSQL, where every post goes straight in."""
    path = spool_of(uow_factory)
    return None if path is None else WebhookSpool(path)


@contextmanager
def write_lock_held(uow_factory: UowFactory) -> Iterator[None]:
    """A transaction holding the database's write lock, as the worker's do while it
    exports (SQLite's `BEGIN IMMEDIATE`), until the block ends."""
    with uow_factory() as holder:
        holder.session.connection()  # begins: takes the lock
        yield
        holder.rollback()


@pytest.fixture
def company(container: Container, admin: Tenant) -> UUID:
    with container.uow() as uow:
        connect(uow, UUID(admin.company_id), TENANT)
    return UUID(admin.company_id)


@pytest.fixture(name="spool")
def connected_spool(uow_factory: UowFactory, company_id: UUID) -> Iterator[WebhookSpool]:
    """The spool (SQLite only; skips on PostgreSQL), its company connected to ``TENANT``;
    closed after the test."""
    spool = spool_for(uow_factory)
    with uow_factory() as uow:
        connect(uow, company_id, TENANT)
    yield spool
    spool.close()


def post(client: TestClient, body: bytes, signature: str | None) -> tuple[int, bytes, float]:
    headers = {} if signature is None else {"x-xero-signature": signature}
    began = time.perf_counter()
    answer = client.post(URL, content=body, headers=headers)
    return answer.status_code, answer.content, time.perf_counter() - began


def test_a_post_while_the_write_lock_is_held_is_answered_at_once_from_the_spool(
    client: TestClient, container: Container, company: UUID
) -> None:
    spool = spool_for(container.uow)
    body = batch(event(TENANT, "9b2e6f7a-0000-4000-8000-000000000001"))
    with write_lock_held(container.uow):
        status, content, seconds = post(client, body, sign(body))
    assert (status, content) == (200, b"")
    assert seconds < 5  # the database's busy timeout is 10 s: it did not wait for the lock
    assert spool.waiting() == 1
    with container.uow() as uow:
        assert stored(uow) == []  # not in the database until the worker moves it

    assert move_spooled(container.uow).stored == 1
    with container.uow() as uow:
        rows = stored(uow)
    assert [(r["company_id"], r["resource_id"]) for r in rows] == [
        (company, "9b2e6f7a-0000-4000-8000-000000000001")
    ]
    assert spool.waiting() == 0
    spool.close()


@pytest.mark.parametrize("signature", [None, "bm90IGEgc2lnbmF0dXJl", "wrong key"])
def test_a_bad_signature_stores_nothing_in_the_spool_either(
    client: TestClient, container: Container, company: UUID, signature: str | None
) -> None:
    spool = spool_if_any(container.uow)
    body = batch(event(TENANT, "9b2e6f7a-0000-4000-8000-000000000001"))
    if signature == "wrong key":
        signature = sign(body, "another-key")
    with write_lock_held(container.uow):
        status, content, _ = post(client, body, signature)
    assert (status, content) == (401, b"")
    if spool is not None:
        assert not spool.path.exists() or spool.waiting() == 0
        spool.close()
    assert move_spooled(container.uow).stored == 0
    with container.uow() as uow:
        assert stored(uow) == []


def test_a_stop_between_copying_and_deleting_neither_duplicates_nor_loses_an_event(
    uow_factory: UowFactory, spool: WebhookSpool
) -> None:
    spool.add([([invoice_event(1), invoice_event(2)], NOW)])

    copy_spooled(uow_factory, spool.take())  # the first half of a move; then the worker stops
    with uow_factory() as uow:  # ... and another applies the events copied so far
        ids = [row["id"] for row in stored(uow)]
        WebhookEventRepository(uow.session).mark_processed(ids, NOW)
        uow.commit()
    spool.add([([invoice_event(3)], NOW + timedelta(seconds=1))])  # a post meanwhile

    outcome = move_spooled(uow_factory)  # the next pass moves everything again

    assert (outcome.stored, outcome.duplicates) == (1, 2)
    with uow_factory() as uow:
        rows = stored(uow)
    assert [(r["resource_id"][-1], r["processed_at"] is not None) for r in rows] == [
        ("1", True),
        ("2", True),
        ("3", False),
    ]
    assert rows[2]["received_at"] == NOW + timedelta(seconds=1)
    assert spool.waiting() == 0


def test_a_mover_stopped_before_its_copy_is_committed_leaves_the_events_spooled(
    uow_factory: UowFactory, spool: WebhookSpool, monkeypatch: pytest.MonkeyPatch
) -> None:
    spool.add([([invoice_event(1), invoice_event(2)], NOW)])

    def stopped(*_: object) -> None:
        raise KeyboardInterrupt  # the worker stopped while copying

    monkeypatch.setattr(webhook_spool, "copy_spooled", stopped)
    with pytest.raises(KeyboardInterrupt):
        move_spooled(uow_factory)
    assert spool.waiting() == 2
    monkeypatch.undo()

    assert move_spooled(uow_factory).stored == 2
    assert spool.waiting() == 0


def test_a_late_delete_by_another_mover_never_removes_an_event_received_since(
    uow_factory: UowFactory, spool: WebhookSpool
) -> None:
    spool.add([([invoice_event(1)], NOW)])
    late = spool.take()  # another worker took it, and deletes it only later
    move_spooled(uow_factory)  # this one moved it in (and emptied the spool)
    spool.add([([invoice_event(2)], NOW)])  # a post meanwhile

    spool.forget([spooled.id for spooled in late])

    assert spool.waiting() == 1  # ids are never reused
    move_spooled(uow_factory)
    with uow_factory() as uow:
        assert [r["resource_id"][-1] for r in stored(uow)] == ["1", "2"]


def test_spooled_events_of_an_organisation_connected_to_no_company_are_dropped(
    uow_factory: UowFactory, spool: WebhookSpool
) -> None:
    spool.add([([invoice_event(1), invoice_event(2, str(uuid4()))], NOW)])
    outcome = move_spooled(uow_factory)
    assert (outcome.stored, outcome.dropped) == (1, 1)
    assert spool.waiting() == 0


def test_two_receivers_at_once_store_every_event_once(
    database_url: str, container: Container, admin: Tenant
) -> None:
    spool = spool_if_any(container.uow)
    with container.uow() as uow:
        connect(uow, UUID(admin.company_id), TENANT)
    other = Container(Settings(database_url=database_url))  # a second `ledgerlink serve`
    bodies = [
        batch(event(TENANT, f"9b2e6f7a-0000-4000-8000-{n:012d}"), entropy=f"{n:020d}")
        for n in range(40)
    ]
    replays = bodies[:10]  # Xero posts some again, to the other receiver
    try:
        with (
            TestClient(container.api()) as first,
            TestClient(other.api()) as second,
            ThreadPoolExecutor(4) as pool,
        ):
            jobs: list[tuple[TestClient, bytes]] = [
                *((first if n % 2 else second, body) for n, body in enumerate(bodies)),
                *((second, body) for body in replays),
            ]
            started = threading.Event()

            def send(job: tuple[TestClient, bytes]) -> int:
                started.wait()
                client, body = job
                return post(client, body, sign(body))[0]

            with write_lock_held(container.uow):  # the first half spooled (on SQLite)
                answers = pool.map(send, jobs[:25])
                started.set()
                statuses = list(answers)
            statuses += list(pool.map(send, jobs[25:]))  # the rest straight in
        assert statuses == [200] * len(jobs)
        if spool is not None:  # those made while the lock was held (and any that found
            assert spool.waiting() >= 25  # the other receiver writing the database)
        move_spooled(container.uow)
        with container.uow() as uow:
            rows = stored(uow)
        assert sorted(r["resource_id"][-2:] for r in rows) == sorted(f"{n:02d}" for n in range(40))
        if spool is not None:
            assert spool.waiting() == 0
    finally:
        other.close()
        if spool is not None:
            spool.close()


async def test_an_event_spooled_while_the_worker_was_busy_is_applied_once(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    spool = spool_for(uow_factory)
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    await pay_in_xero(sandbox, invoice_id, str(bill.total))
    spool.add([([IncomingEvent(DEMO_TENANT_ID, "INVOICE", "UPDATE", invoice_id, NOW)], NOW)])

    stale = spool.take()  # another worker takes it too, and copies it in only later
    worker = make_worker()
    await worker.run_pass()
    copy_spooled(uow_factory, stale)
    await worker.run_pass()

    assert reread(uow_factory, bill).status == BillStatus.PAID
    with uow_factory() as uow:
        rows = stored(uow)
    assert [(r["resource_id"], r["processed_at"] is not None) for r in rows] == [
        (invoice_id.lower(), True)
    ]
    assert spool.waiting() == 0
    spool.close()


def test_the_spool_lives_beside_the_database_file(tmp_path: Path) -> None:
    assert spool_path(tmp_path / "var" / "ledgerlink.db") == (
        tmp_path / "var" / "ledgerlink-webhook-spool.db"
    )


def open_files() -> set[Path]:
    """The files this process holds open (Linux)."""
    fds = Path("/proc/self/fd")
    held: set[Path] = set()
    for fd in fds.iterdir():
        try:
            held.add(Path(fd.readlink()))
        except OSError:  # closed while listed
            continue
    return held


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux's /proc")
def test_the_app_closes_the_spool_when_it_shuts_down(container: Container, company: UUID) -> None:
    spool = spool_for(container.uow)
    body = batch(event(TENANT, "9b2e6f7a-0000-4000-8000-000000000002"))
    with TestClient(container.api()) as client:  # runs the app's startup and shutdown
        with write_lock_held(container.uow):
            assert post(client, body, sign(body))[:2] == (200, b"")
        assert spool.path.resolve() in open_files()  # the endpoint opened the spool
    assert spool.path.resolve() not in open_files()
    assert spool.waiting() == 1  # nothing lost by closing
    spool.close()
