from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from xero_client import InvalidRequest, PagingError

from .conftest import Rig, xero_json


def contacts_endpoint(
    total: int, *, stuck_after: int | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    """Serves ``total`` contacts in pages; from page ``stuck_after`` on, repeats that page."""

    def handle(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        size = int(request.url.params["pageSize"])
        if stuck_after is not None:
            page = min(page, stuck_after)
        first = (page - 1) * size
        items = [
            {"ContactID": f"c-{i}", "Name": f"Supplier {i}"}
            for i in range(first, min(first + size, total))
        ]
        return xero_json(
            {"pagination": {"page": page, "pageSize": size, "itemCount": total}, "Contacts": items}
        )

    return handle


def pages_asked(rig: Rig) -> list[str]:
    return [r.url.params["page"] for r in rig.api_requests()]


@pytest.mark.parametrize(
    ("total", "page_size", "expected_pages"),
    [(250, 100, ["1", "2", "3"]), (200, 100, ["1", "2", "3"]), (0, 100, ["1"]), (7, 1000, ["1"])],
    ids=["short-last-page", "full-last-page-then-empty", "empty", "one-page"],
)
async def test_paging_stops_on_a_short_or_empty_page(
    rig_factory: Callable[..., Rig], total: int, page_size: int, expected_pages: list[str]
) -> None:
    rig = rig_factory(contacts_endpoint(total))
    names = [c.name async for c in rig.client.iter_contacts(page_size=page_size)]
    assert names == [f"Supplier {i}" for i in range(total)]
    assert pages_asked(rig) == expected_pages


async def test_a_repeated_page_is_refused(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(contacts_endpoint(1000, stuck_after=2))
    seen = []
    with pytest.raises(PagingError, match="page 3 repeats page 2"):
        async for contact in rig.client.iter_contacts(page_size=100):
            seen.append(contact.contact_id)
    assert len(seen) == 200


@pytest.mark.parametrize("size", [0, 1001], ids=["zero", "over-1000"])
async def test_page_size_outside_xeros_range_is_refused(
    rig_factory: Callable[..., Rig], size: int
) -> None:
    rig = rig_factory(contacts_endpoint(5))
    with pytest.raises(InvalidRequest, match=f"page_size is {size}; Xero serves 1 to 1000"):
        async for _ in rig.client.iter_contacts(page_size=size):
            pass


async def test_filters_and_if_modified_since_are_sent(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(lambda r: xero_json({"Invoices": []}))
    since = datetime(2026, 1, 2, 3, 4, 5, 999, tzinfo=UTC)
    found = [
        i
        async for i in rig.client.iter_invoices(
            modified_since=since,
            where='Type=="ACCPAY"',
            order="UpdatedDateUTC ASC",
            statuses=["AUTHORISED", "PAID"],
            ids=["a", "b"],
            page_size=500,
        )
    ]
    assert found == []
    (request,) = rig.api_requests()
    assert request.headers["If-Modified-Since"] == "2026-01-02T03:04:05"
    assert dict(request.url.params) == {
        "where": 'Type=="ACCPAY"',
        "order": "UpdatedDateUTC ASC",
        "IDs": "a,b",
        "Statuses": "AUTHORISED,PAID",
        "page": "1",
        "pageSize": "500",
    }


async def test_a_naive_modified_since_is_refused(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(lambda r: xero_json({"Payments": []}))
    with pytest.raises(InvalidRequest, match="modified_since has no time zone"):
        async for _ in rig.client.iter_payments(modified_since=datetime(2026, 1, 1)):  # noqa: DTZ001
            pass
