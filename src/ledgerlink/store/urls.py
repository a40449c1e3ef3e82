"""Database URLs: the SQLite default and PostgreSQL through psycopg 3."""

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from ledgerlink.store.errors import InvalidDatabaseUrl

DEFAULT_DATABASE_URL = "sqlite:///var/ledgerlink.db"
_POSTGRES_DRIVERS = {"postgresql", "postgresql+psycopg", "postgres"}


def normalise_url(database_url: str) -> URL:
    """Parse `database_url` and pin PostgreSQL to the psycopg 3 driver.

    Raises:
        InvalidDatabaseUrl: the URL cannot be parsed or names another backend.
    """
    try:
        url = make_url(database_url)
    except ArgumentError as error:
        raise InvalidDatabaseUrl(
            f"database URL {database_url!r} cannot be parsed; use "
            "'sqlite:///var/ledgerlink.db' or 'postgresql://user@host:5432/dbname'"
        ) from error
    if url.drivername in _POSTGRES_DRIVERS:
        return url.set(drivername="postgresql+psycopg")
    if url.drivername in {"sqlite", "sqlite+pysqlite"}:
        return url
    raise InvalidDatabaseUrl(
        f"database URL scheme {url.drivername!r} is not supported; use 'sqlite:///path.db' "
        "or 'postgresql://user@host:5432/dbname' (psycopg 3)"
    )


def sqlite_path(url: URL) -> Path | None:
    """The file a SQLite URL points at, or None for PostgreSQL and in-memory SQLite."""
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)
