"""The `ledgerlink` command. Each command group lives in its own module here."""

import typer

from ledgerlink.cli import (
    connect,
    db,
    exports,
    help_format,
    imports,
    server,
    sync,
    users,
    worker,
)
from ledgerlink.cli.common import console
from ledgerlink.store.crypto import SecretKeyError

help_format.install()
app = typer.Typer(
    help="ledgerlink: purchasing and billing in step with Xero.", no_args_is_help=True
)


@app.callback()
def _root() -> None:
    """ledgerlink: purchasing and billing in step with Xero."""


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo("ledgerlink 0.1.0")


app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(sync.app, name="sync")
imports.register(app)
exports.register(app)
server.register(app)
connect.register(app)
worker.register(app)


def main() -> None:
    try:
        app()
    except SecretKeyError as error:
        # A configuration mistake, not a crash: say what to set, without a traceback.
        console.print(f"[red]ledgerlink: {error}[/]")
        raise SystemExit(2) from None
