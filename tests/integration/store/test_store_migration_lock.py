"""On PostgreSQL, upgrades of one schema take turns; other schemas never wait for them.

Advisory locks belong to the whole database: under one fixed key, two deployments (or
two test runs) in different schemas of one database would wait for each other's
migrations. The lock is keyed by the schema too.
"""

from collections.abc import Iterator

import pytest
from sqlalchemy.exc import OperationalError
from tests.integration.conftest import _fresh_postgres_schema, _postgres_admin_url

from ledgerlink.store import migrate
from ledgerlink.store.engine import make_engine

pytestmark = pytest.mark.postgres


@pytest.fixture
def schema_a() -> Iterator[str]:
    yield from _fresh_postgres_schema(_postgres_admin_url())


@pytest.fixture
def schema_b() -> Iterator[str]:
    yield from _fresh_postgres_schema(_postgres_admin_url())


def test_an_upgrade_in_one_schema_does_not_wait_for_another_schemas(
    schema_a: str, schema_b: str
) -> None:
    holder = make_engine(schema_a)
    try:
        with holder.begin() as connection:
            migrate.lock_migrations(connection)  # schema a is being migrated meanwhile

            migrate.upgrade(schema_b)  # its URL gives up on a lock after 5 seconds

            assert migrate.current_revision(schema_b) == migrate.head_revision()
    finally:
        holder.dispose()


def test_upgrades_of_one_schema_still_take_turns(schema_a: str) -> None:
    holder, waiter = make_engine(schema_a), make_engine(schema_a)
    try:
        with holder.begin() as held, waiter.connect() as other:
            migrate.lock_migrations(held)
            with pytest.raises(OperationalError, match="lock timeout"), other.begin():
                other.exec_driver_sql("SET LOCAL lock_timeout = '200ms'")
                migrate.lock_migrations(other)
    finally:
        holder.dispose()
        waiter.dispose()
