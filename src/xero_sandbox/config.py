"""What a sandbox is started with (the `xero-sandbox` flags)."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

LimitsMode = Literal["xero", "off"]
SeedName = Literal["demo", "empty"]

DEFAULT_CLIENT_ID = "sandbox-client"
DEFAULT_CLIENT_SECRET = "sandbox-secret"  # noqa: S105 - the sandbox's published test secret
DEFAULT_WEBHOOK_KEY = "sandbox-webhook-key"
DEFAULT_TOKEN_TTL_SECONDS = 1800
DEFAULT_DAILY_LIMIT = 5000


@dataclass(frozen=True)
class SandboxConfig:
    """Settings of one sandbox. Every field has the default `xero-sandbox` uses."""

    host: str = "127.0.0.1"
    port: int = 8400
    limits: LimitsMode = "xero"
    daily_limit: int = DEFAULT_DAILY_LIMIT
    minute_limit: int = 60
    concurrent_limit: int = 5
    app_minute_limit: int = 10_000
    data: Path | None = None
    seed: SeedName = "demo"
    webhook_url: str | None = None
    webhook_key: str = DEFAULT_WEBHOOK_KEY
    token_ttl: int = DEFAULT_TOKEN_TTL_SECONDS
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    app_name: str = "Sandbox App"
    multi_organisation_consent: bool = False
    webhook_batch_size: int = 100
    extra_redirect_hosts: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        problems: list[str] = []
        if self.limits not in ("xero", "off"):
            problems.append(f"limits must be 'xero' or 'off', not {self.limits!r}")
        if self.seed not in ("demo", "empty"):
            problems.append(f"seed must be 'demo' or 'empty', not {self.seed!r}")
        for name in ("daily_limit", "minute_limit", "concurrent_limit", "app_minute_limit"):
            if getattr(self, name) < 1:
                problems.append(f"{name} must be 1 or more")
        if self.token_ttl < 1:
            problems.append("token_ttl must be 1 second or more")
        if not self.webhook_key:
            problems.append("webhook_key must not be empty")
        if self.webhook_url is not None:
            parts = urlsplit(self.webhook_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                problems.append(
                    f"webhook_url must be an absolute http(s) URL, not {self.webhook_url!r}"
                )
        if not 0 <= self.port <= 65535:
            problems.append(f"port must be between 0 and 65535, not {self.port}")
        if problems:
            raise ValueError("invalid sandbox config: " + "; ".join(problems))

    @property
    def limits_enforced(self) -> bool:
        """True when calls over Xero's limits are refused with 429."""
        return self.limits == "xero"
