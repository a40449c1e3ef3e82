from collections.abc import Callable

import httpx
import pytest

from xero_client import (
    FatalError,
    InvalidRequest,
    RateLimited,
    RetryPolicy,
    ServerError,
    ValidationFailed,
    XeroConnectionError,
    XeroTimeout,
)

from .conftest import Rig, xero_json

CREATED = {"Contacts": [{"ContactID": "c-1", "Name": "Acme"}]}
BODY = {"Contacts": [{"Name": "Acme"}]}


def scripted(*steps: httpx.Response | Exception) -> Callable[[httpx.Request], httpx.Response]:
    """Answers each call with the next step; an exception step is raised by the transport."""
    remaining = list(steps)

    def handle(request: httpx.Request) -> httpx.Response:
        step = remaining.pop(0)
        if isinstance(step, Exception):
            raise step
        return step

    return handle


def keys(rig: Rig) -> list[str | None]:
    return [r.headers.get("Idempotency-Key") for r in rig.api_requests()]


async def test_a_read_answered_503_503_200_is_retried(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(
        scripted(
            httpx.Response(503, text="Service Unavailable"), httpx.Response(503), xero_json(CREATED)
        )
    )
    body = await rig.client.request("GET", "/Contacts")
    assert body == CREATED
    assert len(rig.api_requests()) == 3
    assert rig.clock.sleeps == [0.5, 1.0]  # jitter drew the ceilings 0.5 * 2**n


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize("method", ["PUT", "POST"])
async def test_a_write_answered_5xx_is_raised_at_once_as_it_may_have_been_saved(
    rig_factory: Callable[..., Rig], method: str, status: int
) -> None:
    rig = rig_factory(scripted(httpx.Response(status), xero_json(CREATED)))
    with pytest.raises(ServerError) as raised:
        await rig.client.request(method, "/Contacts", json=BODY, idempotency_key="c-1")
    assert raised.value.status == status
    assert keys(rig) == ["c-1"] and rig.clock.sleeps == []


async def test_the_callers_key_is_sent_on_every_attempt(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(scripted(httpx.ReadTimeout("slow"), xero_json(CREATED)))
    await rig.client.request("PUT", "/Contacts", json=BODY, idempotency_key="contact-42-v1")
    assert keys(rig) == ["contact-42-v1", "contact-42-v1"]


async def test_each_logical_write_gets_its_own_key(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(lambda r: xero_json(CREATED), keys=["k-1", "k-2"])
    await rig.client.request("PUT", "/Contacts", json=BODY)
    await rig.client.request("PUT", "/Contacts", json=BODY)
    assert keys(rig) == ["k-1", "k-2"]


async def test_reads_carry_no_idempotency_key(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(lambda r: xero_json({"Contacts": []}))
    await rig.client.request("GET", "/Contacts")
    assert keys(rig) == [None]


async def test_a_timeout_is_retried_with_the_same_key(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(scripted(httpx.ReadTimeout("slow"), xero_json(CREATED)))
    assert await rig.client.request("PUT", "/Contacts", json=BODY) == CREATED
    sent = keys(rig)
    assert len(sent) == 2 and sent[0] == sent[1]


async def test_429_waits_exactly_retry_after(rig_factory: Callable[..., Rig]) -> None:
    limited = httpx.Response(429, headers={"Retry-After": "7", "X-Rate-Limit-Problem": "minute"})
    rig = rig_factory(scripted(limited, xero_json(CREATED)))
    await rig.client.request("PUT", "/Contacts", json=BODY)
    assert rig.clock.sleeps == [7]
    assert len(set(keys(rig))) == 1


async def test_429_with_a_long_wait_is_raised_for_the_caller(
    rig_factory: Callable[..., Rig],
) -> None:
    limited = httpx.Response(429, headers={"Retry-After": "3600", "X-Rate-Limit-Problem": "minute"})
    rig = rig_factory(scripted(limited))
    with pytest.raises(RateLimited) as caught:
        await rig.client.request("GET", "/Contacts")
    assert (caught.value.limit, caught.value.retry_after, caught.value.status) == (
        "minute",
        3600,
        429,
    )
    assert rig.clock.sleeps == []


async def test_a_daily_429_is_raised_at_once(rig_factory: Callable[..., Rig]) -> None:
    limited = httpx.Response(429, headers={"Retry-After": "20", "X-Rate-Limit-Problem": "day"})
    rig = rig_factory(scripted(limited))
    with pytest.raises(RateLimited) as caught:
        await rig.client.request("GET", "/Contacts")
    assert caught.value.limit == "day"
    assert rig.clock.sleeps == []


async def test_a_daily_429_parks_the_organisation(rig_factory: Callable[..., Rig]) -> None:
    limited = httpx.Response(429, headers={"Retry-After": "5000", "X-Rate-Limit-Problem": "day"})
    rig = rig_factory(scripted(limited))
    with pytest.raises(RateLimited):
        await rig.client.request("GET", "/Contacts")
    with pytest.raises(RateLimited, match="day rate limit"):
        await rig.client.request("GET", "/Contacts")  # refused locally, nothing sent
    assert len(rig.api_requests()) == 1


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        (httpx.Response(500), ServerError),
        (httpx.ConnectError("refused"), XeroConnectionError),
        (httpx.ReadTimeout("slow"), XeroTimeout),
    ],
    ids=["5xx", "connect", "timeout"],
)
async def test_retries_are_bounded(
    rig_factory: Callable[..., Rig], failure: httpx.Response | Exception, error: type[Exception]
) -> None:
    rig = rig_factory(scripted(*[failure] * 3), retry=RetryPolicy(max_attempts=3, max_delay=0.75))
    method = "GET" if error is ServerError else "PUT"
    with pytest.raises(error):
        await rig.client.request(method, "/Contacts", json=BODY if method == "PUT" else None)
    assert len(rig.api_requests()) == 3
    assert rig.clock.sleeps == [0.5, 0.75]  # capped at max_delay


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (
            xero_json(
                {
                    "Type": "ValidationException",
                    "Message": "A validation exception occurred",
                    "Elements": [{"ValidationErrors": [{"Message": "Name is required"}]}],
                },
                400,
            ),
            ValidationFailed,
        ),
        (
            xero_json({"Type": "PostDataInvalidException", "Message": "JSON is broken"}, 400),
            FatalError,
        ),
    ],
    ids=["validation", "bad-request"],
)
async def test_client_errors_are_not_retried(
    rig_factory: Callable[..., Rig], response: httpx.Response, error: type[Exception]
) -> None:
    rig = rig_factory(scripted(response))
    with pytest.raises(error):
        await rig.client.request("PUT", "/Contacts", json=BODY)
    assert len(rig.api_requests()) == 1 and rig.clock.sleeps == []


async def test_limits_reported_by_xero_are_respected_on_the_next_call(
    rig_factory: Callable[..., Rig],
) -> None:
    spent = xero_json(
        {"Contacts": []}, headers={"X-MinLimit-Remaining": "0", "X-DayLimit-Remaining": "10"}
    )
    rig = rig_factory(scripted(spent, xero_json({"Contacts": []})))
    await rig.client.request("GET", "/Contacts")
    await rig.client.request("GET", "/Contacts")
    assert rig.clock.sleeps == [60]


@pytest.mark.parametrize(
    ("key", "message"),
    [("", None), ("x" * 129, "at most 128"), ("clé", "printable ASCII")],
    ids=["empty-means-derived", "too-long", "non-ascii"],
)
async def test_caller_keys_are_checked(
    rig_factory: Callable[..., Rig], key: str, message: str | None
) -> None:
    rig = rig_factory(lambda r: xero_json(CREATED))
    if message is None:
        await rig.client.request("PUT", "/Contacts", json=BODY, idempotency_key=key)
        assert keys(rig)[0]
    else:
        with pytest.raises(InvalidRequest, match=message):
            await rig.client.request("PUT", "/Contacts", json=BODY, idempotency_key=key)


def test_a_policy_without_attempts_is_refused() -> None:
    with pytest.raises(InvalidRequest, match="max_attempts"):
        RetryPolicy(max_attempts=0)


async def test_a_409_for_a_key_still_in_progress_is_retried(
    rig_factory: Callable[..., Rig],
) -> None:
    busy = xero_json(
        {"Type": "ValidationException", "Message": "still being processed", "Elements": []}, 409
    )
    rig = rig_factory(scripted(busy, xero_json(CREATED)))
    assert await rig.client.request("PUT", "/Contacts", json=BODY, idempotency_key="k") == CREATED
    assert keys(rig) == ["k", "k"]
