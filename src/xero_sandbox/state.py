"""Everything one sandbox holds: organisations, identity, limits, keys, faults, stats."""

import asyncio
from datetime import date
from typing import Any

from xero_sandbox.accounting import Ledger
from xero_sandbox.clock import SandboxClock
from xero_sandbox.config import SandboxConfig
from xero_sandbox.faults import FaultBook
from xero_sandbox.idempotency import IdempotencyStore
from xero_sandbox.identity.store import IdentityStore
from xero_sandbox.limits import RateLimiter
from xero_sandbox.stats import CallStats
from xero_sandbox.tenants import seed_ledgers
from xero_sandbox.webhooks.dispatcher import WebhookDispatcher


class SandboxState:
    """The live state of a sandbox; reachable from handlers as `request.app.state.sandbox`."""

    def __init__(self, config: SandboxConfig, clock: SandboxClock) -> None:
        self.config = config
        self.clock = clock
        self.identity = IdentityStore()
        self.ledgers: dict[str, Ledger] = seed_ledgers(config.seed, clock.now())
        self.limiter = RateLimiter(config)
        self.idempotency = IdempotencyStore()
        self.faults = FaultBook()
        #: False while the sandbox ignores `Idempotency-Key`, as an edge that lost it would.
        self.honour_idempotency_keys = True
        self.stats = CallStats()
        self.webhooks = WebhookDispatcher(
            config.webhook_url, config.webhook_key, clock, config.webhook_batch_size
        )
        self.changes = 0
        self.change_signal: asyncio.Event | None = None

    def changed(self) -> None:
        """Note a change worth saving to the data file."""
        self.changes += 1
        if self.change_signal is not None:
            self.change_signal.set()

    def tenant_names(self) -> dict[str, str]:
        """Organisation names by tenant id."""
        return {tenant_id: ledger.name for tenant_id, ledger in self.ledgers.items()}

    def add_organisation(self, name: str) -> Ledger:
        """A new empty organisation."""
        ledger = Ledger.empty(name, self.clock.now())
        self.ledgers[ledger.tenant_id] = ledger
        self.changed()
        return ledger

    def set_lock_dates(self, ledger: Ledger, period: date | None, end_of_year: date | None) -> None:
        """Set (or clear, with None) an organisation's lock dates."""
        for field, value in (("PeriodLockDate", period), ("EndOfYearLockDate", end_of_year)):
            if value is None:
                ledger.organisation.pop(field, None)
            else:
                ledger.organisation[field] = value
        self.changed()

    def reset(self, identity: bool = False) -> None:
        """Back to the seed: organisations, limits, keys, faults and stats (tokens stay)."""
        self.ledgers = seed_ledgers(self.config.seed, self.clock.now())
        self.limiter.reset()
        self.idempotency.clear()
        self.faults.clear()
        self.honour_idempotency_keys = True
        self.stats.clear()
        if identity:
            self.identity = IdentityStore(self.identity.signing_key)
        self.changed()

    def snapshot(self) -> dict[str, Any]:
        """What `--data` saves: organisations, tokens and connections."""
        self.identity.forget_expired(self.clock.now())
        return {
            "identity": self.identity.to_dict(),
            "ledgers": [ledger.to_dict() for ledger in self.ledgers.values()],
            "webhooks": self.webhooks.to_dict(),
        }

    def restore(self, data: dict[str, Any]) -> None:
        """Load what `snapshot` saved."""
        self.identity = IdentityStore.from_dict(data["identity"])
        ledgers = [Ledger.from_dict(item) for item in data["ledgers"]]
        self.ledgers = {ledger.tenant_id: ledger for ledger in ledgers}
        self.webhooks.restore(data.get("webhooks", {}))
