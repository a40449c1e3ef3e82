"""A downgrade that rebuilds a table keeps the rows that reference it.

On SQLite, Alembic's batch mode changes a table by copying it, dropping the old one and
renaming the copy; with foreign keys enforced, dropping ``users`` used to cascade-delete
every API token and membership. Revision 0700 rebuilds ``users`` on its way down.
"""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy import func, select

from ledgerlink.store import migrate
from ledgerlink.store.engine import make_engine, make_session_factory
from ledgerlink.store.records import Role
from ledgerlink.store.tables import api_tokens, memberships, users
from ledgerlink.store.uow import SqlUnitOfWork

#: The release before the console's sign-in (0700), which added ``users.password_hash``.
BEFORE_SIGN_IN = "0720"


def _counts(database_url: str) -> dict[str, int]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return {
                table.name: int(
                    connection.execute(select(func.count()).select_from(table)).scalar_one()
                )
                for table in (users, memberships, api_tokens)
            }
    finally:
        engine.dispose()


def _at_head(database_url: str, write: Callable[[SqlUnitOfWork], Any]) -> None:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with SqlUnitOfWork(make_session_factory(engine)) as uow:
            write(uow)
            uow.commit()
    finally:
        engine.dispose()


def _people(uow: SqlUnitOfWork) -> None:
    company = uow.companies.add("Acme Ltd")
    for email, role in (("admin@acme.test", Role.ADMIN), ("member@acme.test", Role.MEMBER)):
        user = uow.users.add(email)
        uow.users.grant(user.id, company.id, role)
        uow.users.set_password(user.id, "correct horse battery")
        uow.tokens.issue(user.id, "laptop")
        uow.tokens.issue(user.id, "ci", company_id=company.id)


def test_a_downgrade_past_the_users_rebuild_keeps_tokens_and_memberships(
    database_url: str,
) -> None:
    _at_head(database_url, _people)
    assert _counts(database_url) == {"users": 2, "memberships": 2, "api_tokens": 4}

    migrate.downgrade(database_url, BEFORE_SIGN_IN)

    assert migrate.current_revision(database_url) == BEFORE_SIGN_IN
    assert _counts(database_url) == {"users": 2, "memberships": 2, "api_tokens": 4}
    migrate.upgrade(database_url)
    assert _counts(database_url) == {"users": 2, "memberships": 2, "api_tokens": 4}


def test_sqlite_enforces_foreign_keys_again_after_a_migration(database_url: str) -> None:
    _at_head(database_url, _people)
    migrate.downgrade(database_url, BEFORE_SIGN_IN)
    migrate.upgrade(database_url)

    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            user_id = connection.execute(select(users.c.id).limit(1)).scalar_one()
            connection.execute(users.delete().where(users.c.id == user_id))
            left = connection.execute(
                select(func.count())
                .select_from(memberships)
                .where(memberships.c.user_id == user_id)
            ).scalar_one()
    finally:
        engine.dispose()
    assert isinstance(user_id, UUID)
    assert left == 0  # a user deleted on purpose still takes their memberships along
