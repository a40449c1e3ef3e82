"""Exactly once, each safeguard on its own: the lookup before a resend, the stable
Idempotency-Key of a batch, and both across a worker restart.

Each test arms the sandbox so that only one safeguard stands between a create whose answer
never came and a duplicate, then counts the bills in the sandbox itself.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from uuid import UUID

import pytest

from ledgerlink.store.repositories.sync_states import SyncStateRepository
from tests.integration.conftest import FakeClock
from tests.integration.sync.conftest import (
    SandboxClients,
    UowFactory,
    add_supplier,
    approved_bill,
    sandbox_control,
    sandbox_get,
    worker,
)
from xero_sandbox import RunningSandbox

HELD_MS = 1200


async def bills_in_xero(sandbox: RunningSandbox, numbers: list[str]) -> Counter[str]:
    """How many bills the sandbox holds under each of ``numbers``."""
    found = await sandbox_get(sandbox, "/Invoices", InvoiceNumbers=",".join(numbers))
    return Counter(i["InvoiceNumber"] for i in found["Invoices"] if i["Status"] != "DELETED")


async def answered_creates(sandbox: RunningSandbox) -> int:
    stats = await sandbox_control(sandbox, "GET", "/stats")
    return sum(
        call["count"]
        for organisation in stats["organisations"]
        for call in organisation.get("calls", [])
        if call["method"] == "PUT" and call["path"].endswith("/Invoices")
    )


async def until_every_create_ran(sandbox: RunningSandbox, clients: SandboxClients) -> None:
    """Wait (real time) until the sandbox has run every bill create sent, held ones too."""
    sent = sum(1 for r in clients.sent if r.method == "PUT" and r.url.path.endswith("/Invoices"))
    deadline = time.monotonic() + 10
    while await answered_creates(sandbox) < sent:
        assert time.monotonic() < deadline, "a held create never ran"
        await asyncio.sleep(0.05)


def approved_bills(uow_factory: UowFactory, company_id: UUID, prefix: str, count: int) -> list[str]:
    supplier = add_supplier(uow_factory, company_id, f"{prefix} Supplies Ltd")
    numbers = [f"{prefix}-{n}" for n in range(count)]
    for number in numbers:
        approved_bill(uow_factory, company_id, supplier, number)
    return numbers


def sent(uow_factory: UowFactory, company_id: UUID, clock: FakeClock) -> int:
    """How many bills the store records as sent (linked to a Xero bill)."""
    with uow_factory() as uow:
        states = SyncStateRepository(uow.session, clock).list(company_id, state="sent", kind="bill")
    return len(states)


async def arm(sandbox: RunningSandbox, kind: str) -> None:
    fault = {"kind": kind, "method": "PUT", "path": "*/Invoices*"}
    if kind in ("late", "delay"):
        fault["delay_ms"] = HELD_MS
    await sandbox_control(sandbox, "POST", "/faults", fault)


@pytest.mark.parametrize("kind", ["late", "drop"])
async def test_with_keys_ignored_the_lookup_alone_keeps_a_landed_create_from_being_resent(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
    impatient: SandboxClients,
    kind: str,
) -> None:
    numbers = approved_bills(uow_factory, company_id, f"LOOK-{kind}", 3)
    await sandbox_control(sandbox, "POST", "/idempotency", {"honour_keys": False})
    await arm(sandbox, kind)
    export = worker(uow_factory, impatient, clock, "lookup-alone")

    await export.run_pass()  # the create lands; its answer is late or lost
    assert await bills_in_xero(sandbox, numbers) == Counter(numbers)
    clock.advance(60)
    await export.drain()
    await until_every_create_ran(sandbox, impatient)

    assert await bills_in_xero(sandbox, numbers) == Counter(numbers)
    assert await answered_creates(sandbox) == 1
    assert sent(uow_factory, company_id, clock) == 3


async def test_a_lookup_that_fails_sends_nothing_until_a_lookup_answers(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
    impatient: SandboxClients,
) -> None:
    numbers = approved_bills(uow_factory, company_id, "UNSURE", 3)
    await sandbox_control(sandbox, "POST", "/idempotency", {"honour_keys": False})
    await arm(sandbox, "late")
    export = worker(uow_factory, impatient, clock, "unsure")

    await export.run_pass()
    failing = {"kind": "error", "status": 503, "method": "GET", "path": "*/Invoices*"}
    await sandbox_control(sandbox, "POST", "/faults", failing)
    clock.advance(60)
    await export.run_pass()  # the lookup fails: nothing is known, so nothing is sent
    assert await answered_creates(sandbox) == 1
    clock.advance(60)
    await export.drain()

    assert await bills_in_xero(sandbox, numbers) == Counter(numbers)
    assert await answered_creates(sandbox) == 1
    assert sent(uow_factory, company_id, clock) == 3


async def test_a_create_landing_after_the_lookup_missed_it_is_answered_by_its_stable_key(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
    impatient: SandboxClients,
) -> None:
    numbers = approved_bills(uow_factory, company_id, "KEY", 3)
    await arm(sandbox, "delay")  # the first create runs only after the client gave up
    export = worker(uow_factory, impatient, clock, "key-alone")

    await export.run_pass()
    assert await bills_in_xero(sandbox, numbers) == Counter()
    clock.advance(60)
    await export.run_pass()  # the lookup finds nothing yet: the bills are sent again
    assert await bills_in_xero(sandbox, numbers) == Counter(numbers)
    await until_every_create_ran(sandbox, impatient)  # the first create lands under the same key

    assert await bills_in_xero(sandbox, numbers) == Counter(numbers)
    assert sent(uow_factory, company_id, clock) == 3


async def test_a_create_landing_late_is_answered_by_its_key_when_new_bills_join_the_next_pass(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
    impatient: SandboxClients,
) -> None:
    numbers = approved_bills(uow_factory, company_id, "FIRST", 3)
    await arm(sandbox, "delay")
    export = worker(uow_factory, impatient, clock, "joined")

    await export.run_pass()
    newer = approved_bills(uow_factory, company_id, "JOINED", 2)
    clock.advance(60)
    await export.run_pass()  # the lookup finds nothing yet; new bills wait to be sent too
    await until_every_create_ran(sandbox, impatient)

    everything = numbers + newer
    assert await bills_in_xero(sandbox, everything) == Counter(everything)
    assert sent(uow_factory, company_id, clock) == len(everything)


async def test_late_creates_and_worker_restarts_leave_each_bill_in_xero_once(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
    impatient: SandboxClients,
) -> None:
    # A create that lands after the client gave up; the worker restarts before it lands.
    # Bills approved while the worker restarts join the next pass, in both halves.
    slow = approved_bills(uow_factory, company_id, "SLOW", 3)
    await arm(sandbox, "delay")
    await worker(uow_factory, impatient, clock, "first").run_pass()
    slow += approved_bills(uow_factory, company_id, "SLOW-NEWER", 1)
    clock.advance(60)
    await worker(uow_factory, impatient, clock, "second").run_pass()
    await until_every_create_ran(sandbox, impatient)
    assert await bills_in_xero(sandbox, slow) == Counter(slow)

    # A create that landed with its answer lost.
    late = approved_bills(uow_factory, company_id, "LATE", 3)
    await arm(sandbox, "late")
    await worker(uow_factory, impatient, clock, "second").run_pass()
    newer = approved_bills(uow_factory, company_id, "NEWER", 1)
    clock.advance(60)
    await worker(uow_factory, impatient, clock, "third").drain()

    everything = slow + late + newer
    assert await bills_in_xero(sandbox, everything) == Counter(everything)
    assert sent(uow_factory, company_id, clock) == len(everything)
