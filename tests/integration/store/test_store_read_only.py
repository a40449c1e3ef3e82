"""Read-only units of work: on SQLite they take no write lock, so readers and writers
never wait for each other (a wait would end in "database is locked" after the busy
timeout); they cannot commit."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

import pytest

if TYPE_CHECKING:
    from tests.integration.conftest import UowFactory


def test_a_reader_does_not_wait_for_a_writer_and_sees_what_was_committed(
    uow_factory: UowFactory, company_id: UUID
) -> None:
    with uow_factory() as writer:
        writer.companies.add("Initech")  # holds the write lock until it ends
        with uow_factory() as reader:
            reader.read_only()
            names = [company.name for company in reader.companies.list()]
    assert names == ["Acme Ltd"]


def test_a_writer_does_not_wait_for_a_reader(uow_factory: UowFactory, company_id: UUID) -> None:
    with uow_factory() as reader:
        reader.read_only()
        assert reader.companies.get(company_id) is not None
        with uow_factory() as writer:
            writer.companies.add("Initech")
            writer.commit()
    with uow_factory() as uow:
        assert [company.name for company in uow.companies.list()] == ["Acme Ltd", "Initech"]


def test_a_read_only_unit_of_work_refuses_to_commit(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.read_only()
        uow.companies.add("Initech")
        with pytest.raises(RuntimeError, match="read-only unit of work cannot commit"):
            uow.commit()
    with uow_factory() as uow:
        assert uow.companies.get_by_name("Initech") is None
