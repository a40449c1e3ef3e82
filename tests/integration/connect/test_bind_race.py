"""Two companies binding one Xero organisation at the same moment: one wins, one is told."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from ledgerlink.store.crypto import SecretBox
from ledgerlink.store.repositories.xero_connections import (
    Organisation,
    OrganisationTaken,
    XeroConnectionRepository,
)
from ledgerlink.store.uow import SqlUnitOfWork
from xero_client import TokenSet

from .conftest import SECRET_KEY

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ORGANISATION = Organisation("tenant-1", "Shared Org", "connection-1")


def repository(session: Session) -> XeroConnectionRepository:
    return XeroConnectionRepository(session, lambda: NOW, SecretBox(SECRET_KEY))


def wait_until_blocked(session_factory: sessionmaker[Session]) -> None:
    """On PostgreSQL, until another session waits for a lock (SQLite waits at BEGIN)."""
    with session_factory() as watcher:
        if watcher.get_bind().dialect.name != "postgresql":
            return
        deadline = time.monotonic() + 10
        query = text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        while watcher.execute(query).scalar_one() == 0:
            watcher.rollback()
            assert time.monotonic() < deadline, "the second bind never waited"
            time.sleep(0.01)


def test_only_one_of_two_simultaneous_binds_wins(session_factory: sessionmaker[Session]) -> None:
    with SqlUnitOfWork(session_factory) as uow:
        first, second = uow.companies.add("First Ltd"), uow.companies.add("Second Ltd")
        uow.commit()
    tokens = TokenSet("access", "refresh", NOW + timedelta(minutes=30))
    with session_factory() as session:
        for company in (first, second):
            repository(session).save_grant(
                company.id, tokens, auth_event_id=None, choices=[ORGANISATION], user_id=None
            )
        session.commit()
    outcome: list[BaseException | None] = []

    def second_bind() -> None:
        with session_factory() as session:
            try:
                repository(session).bind(second.id, ORGANISATION)
                session.commit()
                outcome.append(None)
            except OrganisationTaken as taken:
                outcome.append(taken)

    with session_factory() as session:
        repository(session).bind(first.id, ORGANISATION)
        racer = threading.Thread(target=second_bind)
        racer.start()
        wait_until_blocked(session_factory)
        session.commit()
    racer.join(20)

    assert len(outcome) == 1 and isinstance(outcome[0], OrganisationTaken)
    with session_factory() as session:
        assert repository(session).company_of_tenant(ORGANISATION.tenant_id) == first.id
        loser = repository(session).get(second.id)
    assert loser is not None and loser.status == "choosing"


@pytest.mark.parametrize("tenant_name", [None, "Shared Org"], ids=["unnamed", "named"])
def test_the_refusal_names_the_organisation_and_the_fix(tenant_name: str | None) -> None:
    message = str(OrganisationTaken("tenant-1", tenant_name))
    assert "tenant-1" in message
    assert "disconnect it there first" in message
