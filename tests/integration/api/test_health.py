"""What an operator's probes see: alive without a database, ready only with a migrated
database and a live worker."""

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ledgerlink.api.app import create_app
from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.store.migrate import downgrade, head_revision, upgrade
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.engine import WorkerConfig
from tests.integration.api.conftest import problem
from tests.integration.conftest import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 9, 30, tzinfo=UTC))


@pytest.fixture
def ops(database_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[Container]:
    """The parts of an installation, on a fake clock."""
    upgrade(database_url)
    built = Container(Settings(database_url=database_url, var_dir=tmp_path / "var"), clock=clock)
    yield built
    built.close()


def one_worker_pass(container: Container) -> None:
    asyncio.run(container.worker(WorkerConfig(name="probe-worker")).run_pass())


def test_alive_answers_without_a_database() -> None:
    def no_database() -> SqlUnitOfWork:
        raise ConnectionError("the database host is down")

    with TestClient(create_app(no_database)) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        body = problem(client.get("/readyz"), 503)

    assert "database cannot be reached" in body["detail"]


def test_ready_only_once_a_worker_was_seen_within_a_minute(
    ops: Container, clock: FakeClock
) -> None:
    client = TestClient(ops.api())
    before = problem(client.get("/readyz"), 503)
    assert before["reasons"] == ["no worker has ever run: start one with ledgerlink worker"]

    one_worker_pass(ops)
    assert client.get("/readyz").json() == {"status": "ready"}

    clock.advance(61)
    later = problem(client.get("/readyz"), 503)
    assert later["reasons"] == ["no worker seen for 61s: start one with ledgerlink worker"]
    one_worker_pass(ops)
    assert client.get("/readyz").status_code == 200


def test_not_ready_on_a_database_behind_the_code(ops: Container, database_url: str) -> None:
    one_worker_pass(ops)
    downgrade(database_url, "0401")

    body = problem(TestClient(ops.api()).get("/readyz"), 503)

    assert f"at migration 0401, not {head_revision()}" in body["detail"]
    assert "ledgerlink db upgrade" in body["detail"]
