from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest

from xero_client import (
    MAX_BATCH_BYTES,
    Contact,
    InvalidRequest,
    Invoice,
    LineItem,
    RateLimited,
    load_json,
)
from xero_client._batch import plan_chunks

from .conftest import Rig, xero_json

BAD = {7, 23, 41}


def invoices(count: int, description: str = "Consulting") -> list[Invoice]:
    return [
        Invoice(
            type="ACCREC",
            reference=f"ref-{i}",
            contact=Contact(name="Acme" if i not in BAD else ""),
            line_items=(
                LineItem(
                    description=description, quantity=Decimal(1), unit_amount=Decimal("10.00")
                ),
            ),
        )
        for i in range(count)
    ]


def fake_invoices_endpoint(
    calls: list[dict[str, Any]],
) -> Callable[[httpx.Request], httpx.Response]:
    """Creates invoices like Xero with summarizeErrors=false: an element with no contact
    name fails, the others get an id; order is kept."""

    def handle(request: httpx.Request) -> httpx.Response:
        body = load_json(request.content)
        calls.append(
            {
                "key": request.headers.get("Idempotency-Key"),
                "params": dict(request.url.params),
                "count": len(body["Invoices"]),
                "bytes": len(request.content),
            }
        )
        out = []
        for element in body["Invoices"]:
            ref = element["Reference"]
            if not element["Contact"]["Name"]:
                out.append(
                    {
                        **element,
                        "InvoiceID": "00000000-0000-0000-0000-000000000000",
                        "HasErrors": True,
                        "StatusAttributeString": "ERROR",
                        "ValidationErrors": [
                            {
                                "Message": "The Contact must contain at least 1 of "
                                "the following elements to identify the contact: "
                                "Name, ContactID, ContactNumber"
                            }
                        ],
                    }
                )
            else:
                out.append(
                    {
                        **element,
                        "InvoiceID": f"id-{ref}",
                        "Status": "DRAFT",
                        "StatusAttributeString": "OK",
                        "Total": Decimal("10.00"),
                    }
                )
        return xero_json({"Invoices": out})

    return handle


async def test_a_batch_of_50_with_3_bad_records_47_ids_and_3_errors(
    rig_factory: Callable[..., Rig],
) -> None:
    calls: list[dict[str, Any]] = []
    rig = rig_factory(fake_invoices_endpoint(calls))
    results = await rig.client.create_invoices(invoices(50), idempotency_key="export-9")
    assert [r.index for r in results] == list(range(50))
    assert [r.index for r in results if not r.ok] == sorted(BAD)
    for result in results:
        if result.index in BAD:
            assert result.id is None
            assert "must contain at least 1" in result.errors[0]
        else:
            assert result.id == f"id-ref-{result.index}"
            assert result.element is not None and result.element.total == Decimal("10.00")
    assert calls == [
        {
            "key": "export-9:0",
            "params": {"summarizeErrors": "false"},
            "count": 50,
            "bytes": calls[0]["bytes"],
        }
    ]


async def test_more_than_50_elements_are_sent_in_chunks_with_derived_keys(
    rig_factory: Callable[..., Rig],
) -> None:
    calls: list[dict[str, Any]] = []
    rig = rig_factory(fake_invoices_endpoint(calls))
    results = await rig.client.create_invoices(invoices(120), idempotency_key="export-10")
    assert [c["count"] for c in calls] == [50, 50, 20]
    assert [c["key"] for c in calls] == ["export-10:0", "export-10:1", "export-10:2"]
    assert [r.index for r in results] == list(range(120))
    assert results[119].id == "id-ref-119"
    assert sum(r.ok for r in results) == 120 - len(BAD)


async def test_without_a_key_one_is_derived_once_for_the_whole_call(
    rig_factory: Callable[..., Rig],
) -> None:
    calls: list[dict[str, Any]] = []
    rig = rig_factory(fake_invoices_endpoint(calls), keys=["logical-1", "logical-2"])
    await rig.client.create_invoices(invoices(60))
    assert [c["key"] for c in calls] == ["logical-1:0", "logical-1:1"]


async def test_chunks_stay_under_3_5_megabytes(rig_factory: Callable[..., Rig]) -> None:
    calls: list[dict[str, Any]] = []
    rig = rig_factory(fake_invoices_endpoint(calls))
    big = invoices(20, description="x" * 400_000)
    results = await rig.client.create_invoices(big)
    assert [c["count"] for c in calls] == [8, 8, 4]
    assert all(c["bytes"] <= MAX_BATCH_BYTES for c in calls)
    assert len(results) == 20


async def test_an_element_too_big_for_any_request_is_refused_before_sending(
    rig_factory: Callable[..., Rig],
) -> None:
    rig = rig_factory(fake_invoices_endpoint([]))
    elements = invoices(3)
    elements[1] = invoices(1, description="x" * MAX_BATCH_BYTES)[0]
    with pytest.raises(InvalidRequest, match=r"element 1 of Invoices is \d+ bytes"):
        await rig.client.create_invoices(elements)
    assert rig.api_requests() == []


async def test_a_refused_chunk_aligns_xeros_messages_to_the_elements(
    rig_factory: Callable[..., Rig],
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return xero_json(
            {
                "ErrorNumber": 10,
                "Type": "ValidationException",
                "Message": "A validation exception occurred",
                "Elements": [
                    {"ValidationErrors": []},
                    {"ValidationErrors": [{"Message": "Account code '999' is not a valid code"}]},
                    {"ValidationErrors": []},
                ],
            },
            400,
        )

    rig = rig_factory(refuse)
    results = await rig.client.create_invoices(invoices(3))
    assert [r.ok for r in results] == [False, False, False]
    assert results[1].errors == ("Account code '999' is not a valid code",)
    assert "another element failed" in results[0].errors[0]


async def test_ids_of_saved_chunks_survive_a_later_chunk_that_cannot_be_sent(
    rig_factory: Callable[..., Rig],
) -> None:
    calls: list[dict[str, Any]] = []
    create = fake_invoices_endpoint(calls)

    def handle(request: httpx.Request) -> httpx.Response:
        if calls:
            return httpx.Response(
                429, headers={"Retry-After": "40000", "X-Rate-Limit-Problem": "day"}
            )
        return create(request)

    rig = rig_factory(handle)
    results = await rig.client.create_invoices(invoices(70), idempotency_key="k")
    assert len(results) == 70
    assert sum(r.ok for r in results[:50]) == 47
    assert all(isinstance(r.error, RateLimited) and not r.ok for r in results[50:])
    assert results[50].error is not None and results[50].error.limit == "day"  # type: ignore[attr-defined]


async def test_a_first_chunk_that_cannot_be_sent_raises(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(
        lambda r: httpx.Response(
            429, headers={"Retry-After": "9999", "X-Rate-Limit-Problem": "day"}
        )
    )
    with pytest.raises(RateLimited):
        await rig.client.create_invoices(invoices(2))


async def test_an_answer_with_a_different_count_is_fatal(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(lambda r: xero_json({"Invoices": [{"InvoiceID": "only-one"}]}))
    with pytest.raises(Exception, match="returned 1 Invoices for 2 sent"):
        await rig.client.create_invoices(invoices(2))


async def test_an_empty_batch_sends_nothing(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(fake_invoices_endpoint([]))
    assert await rig.client.create_invoices([]) == []
    assert rig.api_requests() == []


@pytest.mark.parametrize(
    ("sizes", "max_elements", "max_bytes", "expected"),
    [
        ([10] * 5, 2, 1000, [range(0, 2), range(2, 4), range(4, 5)]),
        ([40, 40, 40], 50, 100, [range(0, 2), range(2, 3)]),
        ([], 50, 100, []),
    ],
    ids=["by-count", "by-bytes-with-envelope", "empty"],
)
def test_plan_chunks(
    sizes: list[int], max_elements: int, max_bytes: int, expected: list[range]
) -> None:
    bodies = [b"x" * size for size in sizes]
    assert (
        plan_chunks(bodies, collection="Bills", max_elements=max_elements, max_bytes=max_bytes)
        == expected
    )


async def test_a_refusal_listing_only_the_failed_elements_is_aligned_by_their_text(
    rig_factory: Callable[..., Rig],
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        sent = load_json(request.content)["Invoices"]
        failed = [
            {**e, "ValidationErrors": [{"Message": f"{e['Reference']} has no contact"}]}
            for e in sent
            if not e["Contact"]["Name"]
        ]
        return xero_json(
            {
                "Type": "ValidationException",
                "Message": "A validation exception occurred",
                "Elements": failed,
            },
            400,
        )

    rig = rig_factory(refuse)
    results = await rig.client.create_invoices(invoices(25))
    for result in results:
        if result.index in BAD:
            assert result.errors == (f"ref-{result.index} has no contact",)
        else:
            assert "another element failed" in result.errors[0]


async def test_a_refusal_xero_does_not_tie_to_elements_is_given_to_all(
    rig_factory: Callable[..., Rig],
) -> None:
    rig = rig_factory(
        lambda r: xero_json(
            {
                "Type": "ValidationException",
                "Message": "Lock date",
                "Elements": [{"ValidationErrors": [{"Message": "Period is locked"}]}],
            },
            400,
        )
    )
    results = await rig.client.create_invoices(invoices(3))
    assert [r.errors for r in results] == [("Period is locked",)] * 3
