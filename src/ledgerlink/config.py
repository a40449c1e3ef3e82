"""Settings, read from `LEDGERLINK_*` environment variables."""

from pathlib import Path

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
