"""Batched writes and paged reads against the sandbox."""

from datetime import timedelta

import pytest

from xero_client import Contact, ValidationFailed
from xero_sandbox import DEMO_TENANT_ID

from .conftest import Connected

BAD = {4, 20, 33}


def suppliers(count: int, prefix: str = "Supplier") -> list[Contact]:
    return [
        Contact(name="" if i in BAD else f"{prefix} {i:03d}", is_supplier=True)
        for i in range(count)
    ]


async def test_a_batch_of_50_with_3_bad_records_47_ids_and_3_errors(in_process: Connected) -> None:
    results = await in_process.client().create_contacts(suppliers(50), idempotency_key="import-1")
    assert [r.index for r in results] == list(range(50))
    good = [r for r in results if r.ok]
    bad = [r for r in results if not r.ok]
    assert len(good) == 47 and {r.index for r in bad} == BAD
    assert all(r.errors and "Name must not be blank" in r.errors[0] for r in bad)
    assert len({r.id for r in good}) == 47
    stored = {c.contact_id: c.name async for c in in_process.client().iter_contacts(page_size=100)}
    assert {r.id for r in good} == set(stored)
    assert all(stored[r.id] == f"Supplier {r.index:03d}" for r in good)
    assert [r.url.params["summarizeErrors"] for r in in_process.writes("/Contacts")] == ["false"]


async def test_sending_the_same_batch_again_with_its_key_creates_nothing_new(
    in_process: Connected,
) -> None:
    client = in_process.client()
    first = await client.create_contacts(suppliers(60), idempotency_key="import-2")
    again = await client.create_contacts(suppliers(60), idempotency_key="import-2")
    assert [r.id for r in again] == [r.id for r in first]
    assert len([c async for c in client.iter_contacts(page_size=1000)]) == 60 - len(BAD)


async def test_120_contacts_go_in_three_chunks(in_process: Connected) -> None:
    results = await in_process.client().create_contacts(suppliers(120, "Bulk"))
    assert sum(r.ok for r in results) == 120 - len(BAD)
    puts = in_process.writes("/Contacts")
    assert len(puts) == 3
    assert [p.headers["Idempotency-Key"].rsplit(":", 1)[1] for p in puts] == ["0", "1", "2"]


async def test_an_update_refused_by_xero_names_the_reason(in_process: Connected) -> None:
    client = in_process.client()
    (_, second) = await client.create_contacts([Contact(name="Alpha"), Contact(name="Beta")])
    assert second.id is not None
    with pytest.raises(ValidationFailed, match="Alpha") as caught:
        await client.update_contact(Contact(contact_id=second.id, name="Alpha"))
    assert caught.value.elements[0].index == 0


async def test_paging_reads_every_contact_once(in_process: Connected) -> None:
    await in_process.control("POST", "/seed", {"tenant": DEMO_TENANT_ID, "contacts": 250})
    client = in_process.client()
    ids = [c.contact_id async for c in client.iter_contacts(page_size=100)]
    assert len(ids) == len(set(ids)) >= 250
    pages = [r.url.params["page"] for r in in_process.sent if r.url.path.endswith("/Contacts")]
    assert pages == [str(n) for n in range(1, len(ids) // 100 + 2)]


async def test_if_modified_since_returns_only_later_changes(in_process: Connected) -> None:
    client = in_process.client()
    (old,) = await client.create_contacts([Contact(name="Old Supplies")])
    in_process.clock.advance(3600)
    since = in_process.clock.now()
    in_process.clock.advance(60)
    (new,) = await client.create_contacts([Contact(name="New Supplies")])
    assert old.ok and new.ok
    changed = [c.name async for c in client.iter_contacts(modified_since=since)]
    assert changed == ["New Supplies"]
    everything = [
        c.name async for c in client.iter_contacts(modified_since=since - timedelta(days=1))
    ]
    assert sorted(everything) == ["New Supplies", "Old Supplies"]


async def test_where_and_search_filters_reach_the_sandbox(in_process: Connected) -> None:
    client = in_process.client()
    await client.create_contacts(
        [Contact(name="Paper Co", is_supplier=True), Contact(name="Ink Ltd")]
    )
    found = [c.name async for c in client.iter_contacts(search_term="paper")]
    assert found == ["Paper Co"]
