"""Settings, read from `LEDGERLINK_*` environment variables.

`ledgerlink up` with the local Xero sandbox also writes `var/xero-sandbox.env`, so that
every other command run from the same folder (`ledgerlink connect`, `import`, `worker`,
...) talks to the same sandbox and sends Xero back to the same API; variables set in the
environment still win.
"""

import os
from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

XERO_LOGIN_URL = "https://login.xero.com"
XERO_IDENTITY_URL = "https://identity.xero.com"
XERO_API_URL = "https://api.xero.com"


class Settings(BaseSettings):
    """Everything an installation can set; built once, by `bootstrap`."""

    model_config = SettingsConfigDict(env_prefix="LEDGERLINK_", extra="ignore")

    environment: str = "development"
    database_url: str = "sqlite:///var/ledgerlink.db"
    var_dir: Path = Path("var")
    secret_key: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    xero_client_id: str = "sandbox-client"
    xero_client_secret: str = "sandbox-secret"  # noqa: S105 - the sandbox's public default
    xero_redirect_uri: str = "http://127.0.0.1:8000/xero/callback"
    xero_webhook_key: str = "sandbox-webhook-key"
    xero_login_url: str = XERO_LOGIN_URL
    xero_identity_url: str = XERO_IDENTITY_URL
    xero_api_url: str = XERO_API_URL
    # `text` for people, `json` for one JSON object per line (log collectors).
    log_format: Literal["text", "json"] = "text"
    # A worker serves its own metrics on this port when set (the API serves /metrics).
    metrics_port: int | None = None
    # Files attached to documents are kept in the database (every worker on every machine
    # reads them there); a SQLite install may keep them in this folder instead.
    attachments_dir: Path | None = None

    @model_validator(mode="after")
    def _attachments_dir_only_with_sqlite(self) -> "Settings":
        if self.attachments_dir is not None and not self.database_url.startswith("sqlite"):
            raise ValueError(
                "LEDGERLINK_ATTACHMENTS_DIR is for SQLite installs: with another database "
                "every worker must read the files, so they stay in the database; unset it"
            )
        return self

    @property
    def webhook_key(self) -> str | None:
        """The key Xero's webhooks are signed with; None in production unless it is set
        (the sandbox's default key is public)."""
        chosen = "xero_webhook_key" in self.model_fields_set
        if self.environment.strip().lower() == "production" and not chosen:
            return None
        return self.xero_webhook_key


SANDBOX_ENV_FILE = "xero-sandbox.env"


def sandbox_env_file(var_dir: Path) -> Path:
    return var_dir / SANDBOX_ENV_FILE


def load_settings() -> Settings:
    """Settings from the environment, then from `var/xero-sandbox.env` if `up` wrote one."""
    var_dir = Path(os.environ.get("LEDGERLINK_VAR_DIR", "var"))
    env_file = sandbox_env_file(var_dir)
    if env_file.exists():
        return Settings(_env_file=env_file)
    return Settings()


def write_sandbox_env(var_dir: Path, root: str, redirect_uri: str | None = None) -> Path:
    """Point later commands run from this folder at the sandbox serving on `root`, and
    at `redirect_uri` for Xero's way back when given."""
    var_dir.mkdir(parents=True, exist_ok=True)
    path = sandbox_env_file(var_dir)
    path.write_text(
        "# Written by `ledgerlink up`: the local Xero sandbox. Delete it (or run\n"
        "# `ledgerlink up --no-sandbox`) to talk to the Xero URLs of the environment.\n"
        + "".join(f"LEDGERLINK_XERO_{name}_URL={root}\n" for name in ("LOGIN", "IDENTITY", "API"))
        + (f"LEDGERLINK_XERO_REDIRECT_URI={redirect_uri}\n" if redirect_uri else "")
    )
    return path


def forget_sandbox_env(var_dir: Path) -> None:
    sandbox_env_file(var_dir).unlink(missing_ok=True)
