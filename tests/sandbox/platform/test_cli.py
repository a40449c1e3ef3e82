"""The `xero-sandbox` command: flags, their errors, and a real process."""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from xero_sandbox.cli import build_parser, config_from_args, main

FLAGS = [
    "--host",
    "--port",
    "--limits",
    "--daily-limit",
    "--data",
    "--seed",
    "--webhook-url",
    "--webhook-key",
    "--token-ttl",
    "--multi-organisation-consent",
]


def test_help_documents_every_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    for flag in FLAGS:
        assert flag in text


def test_defaults_are_xeros() -> None:
    config = config_from_args(build_parser().parse_args([]))
    assert (config.host, config.port, config.limits, config.daily_limit) == (
        "127.0.0.1",
        8400,
        "xero",
        5000,
    )
    assert (config.client_id, config.client_secret) == ("sandbox-client", "sandbox-secret")
    assert (config.webhook_key, config.token_ttl, config.seed) == (
        "sandbox-webhook-key",
        1800,
        "demo",
    )
    assert config.data is None and config.webhook_url is None
    assert config.multi_organisation_consent is False
    several = config_from_args(build_parser().parse_args(["--multi-organisation-consent"]))
    assert several.multi_organisation_consent is True


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--limits", "sometimes"], "--limits: invalid choice"),
        (["--token-ttl", "0"], "--token-ttl must be 1 second or more"),
        (["--webhook-url", "ftp://example.com/x"], "--webhook-url must be an absolute http(s) URL"),
        (["--daily-limit", "0"], "--daily-limit must be 1 or more"),
        (["--port", "70000"], "--port must be between 0 and 65535"),
    ],
    ids=["limits", "token-ttl", "webhook-url", "daily-limit", "port"],
)
def test_bad_flags_name_the_flag_and_the_fix(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert fragment in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_the_command_serves_and_saves_on_shutdown(tmp_path: Path) -> None:
    port = _free_port()
    data = tmp_path / "state.json"
    command = [sys.executable, "-c", "from xero_sandbox.cli import main; main()"]
    args = ["--port", str(port), "--limits", "off", "--data", str(data), "--seed", "empty"]
    process = subprocess.Popen(
        [*command, *args], stderr=subprocess.PIPE, text=True, env={**os.environ}
    )
    try:
        assert process.stderr is not None
        banner = process.stderr.readline()
        assert f"http://127.0.0.1:{port}" in banner and "limits=off" in banner
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            timeout=5,
            transport=httpx.HTTPTransport(retries=20),
        ) as http:
            tenants = http.get("/_sandbox/tenants").json()
            http.post("/_sandbox/tenants", json={"name": "Made By Hand Ltd"}).raise_for_status()
        assert [t["name"] for t in tenants] == ["Demo Company (Sandbox)", "Empty Company (Sandbox)"]
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
        if process.stderr is not None:
            process.stderr.close()
    assert process.returncode == 0
    assert "Made By Hand Ltd" in data.read_text()
