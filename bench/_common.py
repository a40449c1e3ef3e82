"""What the database benchmarks share: one JSON line per figure, and the backends they run on.

Each runs on a SQLite file in a temporary folder, and on PostgreSQL too when
`LEDGERLINK_BENCH_POSTGRES_URL` (or `LEDGERLINK_TEST_POSTGRES_URL`) is set (in a
throw-away schema).
"""

import json
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from ledgerlink.store.engine import make_engine


def emit(bench: str, backend: str, figure: str, value: float, unit: str, **extra: object) -> None:
    print(json.dumps({
        "bench": bench, "backend": backend, "figure": figure,
        "value": round(value, 1), "unit": unit, **extra,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }), flush=True)  # fmt: skip


@contextmanager
def postgres_schema(admin_url: str) -> Iterator[str]:
    """A URL whose connections use a fresh schema, dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(admin_url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        separator = "&" if "?" in admin_url else "?"
        yield f"{admin_url}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_admin_url() -> str | None:
    """The PostgreSQL the multi-process benchmarks use (``LEDGERLINK_BENCH_POSTGRES_URL``,
    ``LEDGERLINK_TEST_POSTGRES_URL``, else the local default), or None when it does not
    answer."""
    url = (
        os.environ.get("LEDGERLINK_BENCH_POSTGRES_URL")
        or os.environ.get("LEDGERLINK_TEST_POSTGRES_URL")
        or DEFAULT_POSTGRES_URL
    )
    engine = make_engine(url)
    try:
        with engine.connect():
            return url
    except Exception:  # any failure to connect means "not here"
        return None
    finally:
        engine.dispose()


def run_on_each_backend(run: Callable[[str, str], None]) -> None:
    """Calls ``run(backend, database_url)`` on SQLite, then on PostgreSQL if one is set."""
    with tempfile.TemporaryDirectory() as folder:
        run("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}")
    admin_url = os.environ.get("LEDGERLINK_BENCH_POSTGRES_URL") or os.environ.get(
        "LEDGERLINK_TEST_POSTGRES_URL"
    )
    if admin_url:
        with postgres_schema(admin_url) as url:
            run("postgresql", url)
