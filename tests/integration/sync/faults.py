"""What the fault tests of a batch read back: the records the store holds as sent, and
the creates (PUTs) the sandbox answered."""

from __future__ import annotations

import asyncio
import time
from uuid import UUID

from ledgerlink.store.repositories.sync_states import SyncStateRepository
from tests.integration.conftest import FakeClock
from tests.integration.sync.conftest import SandboxClients, UowFactory, sandbox_control
from xero_sandbox import RunningSandbox


def sent_count(uow_factory: UowFactory, company_id: UUID, clock: FakeClock, kind: str) -> int:
    """How many records of ``kind`` the store holds as sent (linked to a Xero record)."""
    with uow_factory() as uow:
        states = SyncStateRepository(uow.session, clock).list(company_id, state="sent", kind=kind)
    return len(states)


async def puts_to(sandbox: RunningSandbox, path: str) -> int:
    """How many PUTs to ``path`` the sandbox answered."""
    stats = await sandbox_control(sandbox, "GET", "/stats")
    return sum(
        call["count"]
        for organisation in stats["organisations"]
        for call in organisation.get("calls", [])
        if call["method"] == "PUT" and call["path"].endswith(path)
    )


async def until_every_put_ran(sandbox: RunningSandbox, clients: SandboxClients, path: str) -> None:
    """Wait (real time) until the sandbox has run every PUT to ``path`` sent, held ones too."""
    sent = sum(1 for r in clients.sent if r.method == "PUT" and r.url.path.endswith(path))
    deadline = time.monotonic() + 10
    while await puts_to(sandbox, path) < sent:
        assert time.monotonic() < deadline, f"a held PUT to {path} never ran"
        await asyncio.sleep(0.05)
