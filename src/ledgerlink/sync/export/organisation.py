"""The organisation's lock dates and currencies, read from Xero now and then.

They are not imported with the chart of accounts, and they change rarely: a worker reads
them (two calls) at most every ``ORGANISATION_TTL_SECONDS`` per organisation, checks
documents against them before sending, and reads them again as soon as Xero refuses a
document over a lock date or a currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from xero_client import XeroClient, XeroError

ORGANISATION_TTL_SECONDS = 900.0
#: Xero's words that mean the facts read earlier are out of date.
STALE_WHEN = ("lock date", "not subscribed to currency")


@dataclass(frozen=True)
class OrganisationFacts:
    """What documents are checked against besides the imported reference data."""

    currencies: frozenset[str] | None
    period_lock_date: date | None
    end_of_year_lock_date: date | None
    read_at: datetime


def _codes(body: Any) -> set[str]:
    if not isinstance(body, dict) or not isinstance(body.get("Currencies"), list):
        return set()
    return {str(c["Code"]) for c in body["Currencies"] if isinstance(c, dict) and c.get("Code")}


class OrganisationFactsCache:
    """Facts per organisation (``tenant_id``), kept for ``ttl_seconds``."""

    def __init__(self, ttl_seconds: float = ORGANISATION_TTL_SECONDS) -> None:
        self.ttl_seconds = ttl_seconds
        self._facts: dict[str, OrganisationFacts] = {}

    async def get(self, client: XeroClient, now: datetime) -> OrganisationFacts | None:
        """The organisation's facts, read again when older than the TTL.

        None when they could not be read (the checks they feed are then skipped: Xero
        still has the last word).
        """
        cached = self._facts.get(client.tenant_id)
        if cached is not None and (now - cached.read_at).total_seconds() < self.ttl_seconds:
            return cached
        try:
            organisation = await client.get_organisation()
            currencies = _codes(await client.request("GET", "/Currencies"))
        except XeroError:
            return cached
        if organisation.base_currency:
            currencies.add(organisation.base_currency)
        facts = OrganisationFacts(
            currencies=frozenset(currencies) or None,
            period_lock_date=organisation.period_lock_date,
            end_of_year_lock_date=organisation.end_of_year_lock_date,
            read_at=now,
        )
        self._facts[client.tenant_id] = facts
        return facts

    def forget_if_stale(self, tenant_id: str, errors: list[str]) -> None:
        """Read the facts again next time if Xero's ``errors`` say they changed."""
        if any(word in error for error in errors for word in STALE_WHEN):
            self._facts.pop(tenant_id, None)
