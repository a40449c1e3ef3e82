"""A SQLite database and its folder are private to the account that runs ledgerlink."""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from ledgerlink.store.engine import make_engine
from ledgerlink.store.migrate import upgrade_engine


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The common umask, under which files are created world-readable by default."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("usual_umask")
def test_a_new_database_its_folder_and_wal_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "var" / "ledgerlink.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade_engine(engine)
        with engine.connect() as connection:
            connection.execute(text("SELECT count(*) FROM companies"))
            modes = {
                name: mode(tmp_path / "var" / name)
                for name in ("ledgerlink.db", "ledgerlink.db-wal", "ledgerlink.db-shm")
            }
    finally:
        engine.dispose()
    assert mode(tmp_path / "var") == 0o700
    assert modes == dict.fromkeys(modes, 0o600)


@pytest.mark.usefixtures("usual_umask")
def test_an_existing_folder_and_database_keep_their_modes(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    path = tmp_path / "shared.db"
    path.touch(mode=0o640)
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    engine.dispose()
    assert (mode(tmp_path), mode(path)) == (0o755, 0o640)
