"""The organisations a sandbox starts with, under ids that stay the same run after run."""

import uuid
from datetime import datetime

from xero_sandbox.accounting import Ledger

_NAMESPACE = uuid.UUID("5b1e4c1e-0d7a-4c52-9a43-7a0f3e1c2b9d")
DEMO_COMPANY_NAME = "Demo Company (Sandbox)"
EMPTY_COMPANY_NAME = "Empty Company (Sandbox)"
DEMO_TENANT_ID = str(uuid.uuid5(_NAMESPACE, DEMO_COMPANY_NAME))
EMPTY_TENANT_ID = str(uuid.uuid5(_NAMESPACE, EMPTY_COMPANY_NAME))


def seed_ledgers(seed: str, now: datetime) -> dict[str, Ledger]:
    """The seeded organisations by tenant id.

    `demo`: the demo company (a year of data) and an empty company. `empty`: both
    organisations with a bare chart of accounts and tax rates only.
    """
    if seed == "demo":
        first = Ledger.demo(now, tenant_id=DEMO_TENANT_ID)
    else:
        first = Ledger.empty(DEMO_COMPANY_NAME, now, tenant_id=DEMO_TENANT_ID)
    second = Ledger.empty(EMPTY_COMPANY_NAME, now, tenant_id=EMPTY_TENANT_ID)
    return {first.tenant_id: first, second.tenant_id: second}
