"""Sync states, Xero links and log entries written a batch at a time (one statement per
table: arrays on PostgreSQL, an executemany on SQLite) read back exactly as written."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

import pytest

from ledgerlink.store.errors import DuplicateRecord
from ledgerlink.store.repositories.sync_links import LinkWrite, links_for, save_links
from ledgerlink.store.repositories.sync_log import SyncLogEntry, SyncLogRepository
from ledgerlink.store.repositories.sync_states import SyncState, SyncStateRepository

if TYPE_CHECKING:
    from tests.integration.conftest import FakeClock, UowFactory

TENANT = "6f5a2d3e-0000-4000-8000-00000000c0de"
AT = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


def test_a_batch_of_states_is_inserted_then_updated_with_every_value_exact(
    uow_factory: UowFactory, company_id: UUID
) -> None:
    ids = [uuid4() for _ in range(60)]
    first = [SyncState(company_id, "bill", i, in_flight_key=f"k-{n}") for n, i in enumerate(ids)]
    with uow_factory() as uow:
        SyncStateRepository(uow.session, lambda: AT).save_many(first, existing=set())
        uow.commit()
    later = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    sent = [
        s.but(state="sent", synced_version=2, xero_id=f"x-{n}",
              total_ours=Decimal("123456789012345.0125"),  # more digits than a float holds
              total_xero=Decimal("10.01") if n % 2 else None, total_mismatch=bool(n % 2),
              in_flight_key=None, last_error="ça va", attempts=n)
        for n, s in enumerate(first)
    ]  # fmt: skip
    with uow_factory() as uow:
        repository = SyncStateRepository(uow.session, lambda: later)
        repository.save_many(sent[:50], existing={("bill", i) for i in ids})
        uow.commit()
    with uow_factory() as uow:
        found = SyncStateRepository(uow.session, lambda: later).get_many(company_id, "bill", ids)
    assert [found[s.document_id] for s in sent[:50]] == [s.but(updated_at=later) for s in sent[:50]]
    assert [found[s.document_id] for s in first[50:]] == [s.but(updated_at=AT) for s in first[50:]]
    assert isinstance(found[ids[0]].total_ours, Decimal)
    assert found[ids[0]].updated_at is not None and found[ids[0]].updated_at.tzinfo is not None


def test_a_batch_of_links_is_saved_and_a_taken_xero_record_is_refused(
    uow_factory: UowFactory, company_id: UUID
) -> None:
    ids = [str(uuid4()) for _ in range(3)]
    writes = [LinkWrite("bill", i, f"ABC-{n}", None, 1) for n, i in enumerate(ids)]
    with uow_factory() as uow:
        save_links(uow.session, company_id, TENANT, writes, now=AT, existing=set())
        uow.commit()
    moved = [LinkWrite("bill", i, f"DEF-{n}", f"INV-{n}", 2) for n, i in enumerate(ids)]
    with uow_factory() as uow:
        save_links(
            uow.session, company_id, TENANT, moved, now=AT, existing={("bill", i) for i in ids}
        )
        uow.commit()
    with uow_factory() as uow:
        links = links_for(uow.session, company_id, "bill", ids)
    assert {i: (v.xero_id, v.xero_number, v.synced_version) for i, v in links.items()} == {
        i: (f"def-{n}", f"INV-{n}", 2) for n, i in enumerate(ids)
    }
    taken = [LinkWrite("bill", str(uuid4()), "DEF-0", None, 1)]
    with uow_factory() as uow, pytest.raises(DuplicateRecord):
        save_links(uow.session, company_id, TENANT, taken, now=AT, existing=set())


def test_a_batch_of_log_entries_is_appended_in_order(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock
) -> None:
    document_id = uuid4()
    entries = [
        SyncLogEntry(company_id=company_id, kind="bill", document_id=document_id, action="create",
                     outcome="retry" if n < 2 else "sent", summary=f"bill {n}",
                     answer=None if n < 2 else "Xero AUTHORISED", fix=None)
        for n in range(3)
    ]  # fmt: skip
    with uow_factory() as uow:
        SyncLogRepository(uow.session, lambda: AT).add_many(entries)
        uow.commit()
    with uow_factory() as uow:
        logged = SyncLogRepository(uow.session, lambda: AT).for_document(
            company_id, "bill", document_id
        )
    assert [(e.summary, e.outcome, e.answer) for e in logged] == [
        ("bill 0", "retry", None), ("bill 1", "retry", None), ("bill 2", "sent", "Xero AUTHORISED")
    ]  # fmt: skip
