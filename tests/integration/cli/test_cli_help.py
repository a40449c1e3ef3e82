"""The help texts say what the worker really sends to Xero."""

from typer.testing import CliRunner

from ledgerlink.cli import app
from ledgerlink.sync.export.kinds import KINDS

SENT = ("supplier", "customer", "item", "purchase order", "bill", "sales invoice",
        "credit note", "payment", "refund", "store credit", "credit use",
        "stock take")  # fmt: skip


def _help(*command: str) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], terminal_width=400)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split()).lower()


def test_every_kind_the_worker_sends_has_a_name_in_the_help() -> None:
    assert {k.replace("_", " ") for k in KINDS} == set(SENT)


def test_the_worker_help_names_every_kind_it_sends_and_denies_none() -> None:
    for text in (_help(), _help("worker")):
        assert "not sent" not in text, text
    worker = _help("worker")
    for kind in SENT:
        assert kind in worker, kind


def test_the_sync_help_names_every_kind_the_worker_sends() -> None:
    text = _help("sync")
    assert "(purchase orders, bills and suppliers)" not in text
    for kind in SENT:
        assert kind in text, kind
    assert "files" in text
