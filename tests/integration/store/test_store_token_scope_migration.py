"""Upgrading scopes or revokes the tokens adding a person to a company used to hand admins."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from sqlalchemy import Connection, select

from ledgerlink.store import migrate
from ledgerlink.store.engine import make_engine
from ledgerlink.store.tables import api_tokens, companies, memberships, users

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def company(connection: Connection, name: str) -> UUID:
    company_id = uuid4()
    connection.execute(
        companies.insert().values(id=company_id, name=name, settings={}, created_at=T0)
    )
    return company_id


def person(connection: Connection, email: str, *roles: tuple[UUID, str]) -> UUID:
    user_id = uuid4()
    connection.execute(users.insert().values(id=user_id, email=email, name="", created_at=T0))
    for company_id, role in roles:
        connection.execute(
            memberships.insert().values(user_id=user_id, company_id=company_id, role=role)
        )
    return user_id


def token(connection: Connection, user_id: UUID, name: str, minutes: int) -> UUID:
    token_id = uuid4()
    connection.execute(
        api_tokens.insert().values(
            id=token_id,
            user_id=user_id,
            name=name,
            prefix="ll_x",
            secret_hash=uuid4().hex + uuid4().hex,
            created_at=T0 + timedelta(minutes=minutes),
        )
    )
    return token_id


def test_tokens_added_by_admins_are_scoped_to_their_company_or_revoked(
    database_url: str,
) -> None:
    migrate.upgrade(database_url, "0004")
    engine = make_engine(database_url)
    with engine.begin() as connection:
        a, b = company(connection, "A"), company(connection, "B")
        person(connection, "admin@a.test", (a, "admin"), (b, "admin"))
        b_admin = person(connection, "admin@b.test", (b, "admin"), (a, "member"))
        new = person(connection, "new@a.test", (a, "member"))
        both = person(connection, "both@a.test", (a, "member"), (b, "member"))
        own = token(connection, b_admin, "cli", 0)
        taken = token(connection, b_admin, "added by admin@a.test", 5)
        first = token(connection, new, "added by ADMIN@a.test", 5)
        unclear = token(connection, both, "added by admin@a.test", 5)
    migrate.upgrade(database_url)
    with engine.connect() as connection:
        rows = {
            row.id: (row.company_id, row.revoked_at is not None)
            for row in connection.execute(select(api_tokens))
        }
    engine.dispose()
    assert rows == {
        own: (None, False),
        taken: (None, True),
        first: (a, False),
        unclear: (None, True),
    }
