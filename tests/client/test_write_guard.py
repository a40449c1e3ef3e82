"""A write guard: checked before every attempt of every write, never before a read."""

from collections.abc import Awaitable, Callable

import httpx
import pytest

from xero_client import Contact

from .conftest import Rig, xero_json
from .test_retry import BODY, CREATED, scripted


class Lost(Exception):
    """What the guard raises once the writer may no longer write."""


def guard_allowing(times: int, calls: list[str]) -> Callable[[], Awaitable[None]]:
    async def guard() -> None:
        calls.append("checked")
        if len(calls) > times:
            raise Lost("no longer ours")

    return guard


async def test_a_retry_is_not_sent_once_the_guard_refuses(
    rig_factory: Callable[..., Rig],
) -> None:
    rig = rig_factory(scripted(httpx.ReadTimeout("slow"), xero_json(CREATED)))
    calls: list[str] = []
    rig.client.guard_writes(guard_allowing(1, calls))
    with pytest.raises(Lost):
        await rig.client.request("PUT", "/Contacts", json=BODY, idempotency_key="c-1")
    assert calls == ["checked", "checked"]
    assert len(rig.api_requests()) == 1  # the first attempt only


async def test_reads_are_not_guarded(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(lambda r: xero_json({"Contacts": []}))
    calls: list[str] = []
    rig.client.guard_writes(guard_allowing(0, calls))
    await rig.client.request("GET", "/Contacts")
    assert calls == [] and len(rig.api_requests()) == 1


async def test_a_batch_refused_by_the_guard_sends_nothing(
    rig_factory: Callable[..., Rig],
) -> None:
    rig = rig_factory(lambda r: xero_json(CREATED))
    calls: list[str] = []
    rig.client.guard_writes(guard_allowing(0, calls))
    with pytest.raises(Lost):
        await rig.client.create_contacts([Contact(name="Acme")], idempotency_key="c-1")
    assert rig.api_requests() == []
