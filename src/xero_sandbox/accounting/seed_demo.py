"""The demo organisation, "Demo Company (Sandbox)"."""

from datetime import datetime

from xero_sandbox.accounting.ids import short_code
from xero_sandbox.accounting.ledger import Ledger
from xero_sandbox.accounting.seed_reference import organisation_record, seed_reference

DEMO_NAME = "Demo Company (Sandbox)"


def seed_demo(now: datetime, tenant_id: str) -> Ledger:
    """Reference data plus contacts, items and documents in every status."""
    ledger = Ledger(
        tenant_id=tenant_id,
        name=DEMO_NAME,
        short_code=short_code(tenant_id),
        organisation=organisation_record(DEMO_NAME, tenant_id, now, demo=True),
    )
    seed_reference(ledger, now, full=True)
    return ledger
