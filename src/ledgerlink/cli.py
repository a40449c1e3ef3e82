"""The `ledgerlink` command."""

import typer

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


def main() -> None:
    app()
