"""The `xero-sandbox` command: an offline Xero on one root URL."""

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from xero_sandbox.app import create_app
from xero_sandbox.config import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_DAILY_LIMIT,
    DEFAULT_TOKEN_TTL_SECONDS,
    DEFAULT_WEBHOOK_KEY,
    SandboxConfig,
)
from xero_sandbox.persistence import DataFileError
from xero_sandbox.server import quiet_dropped_connections, uvicorn_config

_EPILOG = """\
endpoints (all on one root, e.g. http://127.0.0.1:8400):
  GET  /identity/connect/authorize   consent page (authorization code + PKCE S256)
  POST /connect/token                authorization_code, refresh_token, client_credentials
  POST /connect/revocation           revoke a refresh token and its connections
  GET  /connections                  connected organisations (DELETE /connections/{id})
  *    /api.xro/2.0/...              the Accounting API
control (JSON):
  GET  /_sandbox/tenants             organisations (POST {"name"} adds one)
  POST /_sandbox/tenants/{id}/lock-dates  {"period_lock_date": "YYYY-MM-DD"}
  POST /_sandbox/tenants/{id}/overpayments/{OverpaymentID}/void
  POST /_sandbox/tenants/{id}/prepayments/{PrepaymentID}/void
                                     void one, as a person does in Xero's web app
                                     (400 while allocated or refunded, or voided already)
  POST /_sandbox/reset               back to the seed ({"identity": true} forgets tokens)
  POST /_sandbox/seed                {"tenant", "contacts", "items", "bills"}
  POST /_sandbox/faults              {"kind": "error"|"delay"|"drop"|"error_after_commit"|"late",
                                      "method", "path",
                                      "times", "status", "delay_ms"}  (GET lists, DELETE clears)
  POST /_sandbox/idempotency         {"honour_keys": false} ignores Idempotency-Key (GET shows)
  GET  /_sandbox/stats               calls by organisation, path and status (DELETE resets)
  POST /_sandbox/clock               {"advance_seconds": N}
  GET  /_sandbox/webhooks            delivery status (POST {"url", "key"} changes the receiver)
  POST /_sandbox/webhooks/intent-to-receive
  GET  /_sandbox/orgs                read-only HTML view of each organisation
"""


def build_parser() -> argparse.ArgumentParser:
    """The command's flags, each documented in `--help`."""
    parser = argparse.ArgumentParser(
        prog="xero-sandbox",
        description=(
            "An offline Xero: OAuth 2.0 identity, the Accounting API and signed webhooks on one "
            "root URL, with Xero's rate limits, Idempotency-Key replay, fault injection and "
            "/_sandbox control endpoints. Seeds 'Demo Company (Sandbox)' and "
            "'Empty Company (Sandbox)'."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8400, help="port to listen on (default 8400)")
    parser.add_argument(
        "--limits",
        choices=["xero", "off"],
        default="xero",
        help="'xero' enforces Xero's limits (5 in flight, 60/minute and the daily limit per "
        "organisation, 10,000/minute per app); 'off' never refuses but still sends the "
        "X-*Limit-Remaining headers (default xero)",
    )
    parser.add_argument(
        "--daily-limit",
        type=int,
        default=DEFAULT_DAILY_LIMIT,
        help=f"calls per organisation per rolling day (default {DEFAULT_DAILY_LIMIT})",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="FILE",
        help="keep organisations, tokens and connections in this JSON file across restarts "
        "(default: in memory only)",
    )
    parser.add_argument(
        "--seed",
        choices=["demo", "empty"],
        default="demo",
        help="'demo': the demo company with a year of data plus an empty company; 'empty': both "
        "organisations with only a chart of accounts and tax rates (default demo)",
    )
    parser.add_argument(
        "--webhook-url",
        default=None,
        metavar="URL",
        help="post CONTACT, INVOICE and CREDITNOTE events here, signed with --webhook-key "
        "(default: no webhooks)",
    )
    parser.add_argument(
        "--webhook-key",
        default=DEFAULT_WEBHOOK_KEY,
        metavar="KEY",
        help=f"key for the x-xero-signature HMAC (default {DEFAULT_WEBHOOK_KEY})",
    )
    parser.add_argument(
        "--token-ttl",
        type=int,
        default=DEFAULT_TOKEN_TTL_SECONDS,
        metavar="SECONDS",
        help=f"access token lifetime in seconds (default {DEFAULT_TOKEN_TTL_SECONDS})",
    )
    parser.add_argument(
        "--client-id",
        default=DEFAULT_CLIENT_ID,
        help=f"the app's client id (default {DEFAULT_CLIENT_ID})",
    )
    parser.add_argument(
        "--client-secret",
        default=DEFAULT_CLIENT_SECRET,
        help=f"the app's client secret (default {DEFAULT_CLIENT_SECRET})",
    )
    parser.add_argument(
        "--app-name",
        default="Sandbox App",
        help="the app name on the consent page (default 'Sandbox App')",
    )
    parser.add_argument(
        "--multi-organisation-consent",
        action="store_true",
        help="let the consent page connect several organisations at once (default: the person "
        "picks one, as on Xero's)",
    )
    return parser


def config_from_args(args: argparse.Namespace) -> SandboxConfig:
    """A `SandboxConfig` from parsed flags (raises ValueError naming a bad flag)."""
    return SandboxConfig(
        host=args.host,
        port=args.port,
        limits=args.limits,
        daily_limit=args.daily_limit,
        data=args.data,
        seed=args.seed,
        webhook_url=args.webhook_url,
        webhook_key=args.webhook_key,
        token_ttl=args.token_ttl,
        client_id=args.client_id,
        client_secret=args.client_secret,
        app_name=args.app_name,
        multi_organisation_consent=args.multi_organisation_consent,
    )


def _in_flag_words(message: str) -> str:
    """Config errors name fields (`token_ttl`); on the command line, name the flags."""
    for name in (
        "daily_limit",
        "webhook_url",
        "webhook_key",
        "token_ttl",
        "limits",
        "seed",
        "port",
    ):
        message = message.replace(f"{name} must", f"--{name.replace('_', '-')} must")
    return message


def main(argv: Sequence[str] | None = None) -> None:
    """Run the sandbox until interrupted."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = config_from_args(args)
        app = create_app(config)
    except (ValueError, DataFileError) as error:
        parser.error(_in_flag_words(str(error)))
    root = f"http://{config.host}:{config.port}"
    app.state.sandbox.webhooks.api_root = root
    print(
        f"xero-sandbox on {root}  client_id={config.client_id} "
        f"client_secret={config.client_secret}  limits={config.limits}",
        file=sys.stderr,
    )
    quiet_dropped_connections()
    # uvicorn re-raises the Ctrl-C it handled once it has shut down cleanly: that is success.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(uvicorn_config(app, config.host, config.port)).run()
