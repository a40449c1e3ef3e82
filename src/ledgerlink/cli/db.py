"""`ledgerlink db`: migrations."""

import typer

from ledgerlink.bootstrap import Container, build
from ledgerlink.cli.common import console
from ledgerlink.store.migrate import current_revision, head_revision, upgrade

app = typer.Typer(help="The database: migrations.", no_args_is_help=True)


@app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database at LEDGERLINK_DATABASE_URL (default: var/ledgerlink.db)."""
    migrate(build())


def migrate(container: Container) -> None:
    url = container.settings.database_url
    before = current_revision(url)
    upgrade(url)
    after = head_revision()
    if before == after:
        console.print(f"Database is up to date (revision {after}).")
    else:
        console.print(f"Database migrated from {before or 'empty'} to {after}.")
