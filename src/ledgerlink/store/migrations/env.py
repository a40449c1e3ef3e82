"""Alembic environment: runs on the connection `ledgerlink.store.migrate` hands over."""

from alembic import context
from sqlalchemy import Connection

from ledgerlink.store.tables import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things: later revisions rebuild tables in batch mode.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError(
            "run migrations with ledgerlink.store.migrate.upgrade(database_url) "
            "or `ledgerlink db upgrade`, not the alembic command line"
        )
    _run(connection)


_main()
