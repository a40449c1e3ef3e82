from collections.abc import Callable

import httpx
import pytest

import xero_client
from xero_client import (
    AuthError,
    ConnectionRevoked,
    FatalError,
    Forbidden,
    InvalidRequest,
    NotConnected,
    NotFound,
    PagingError,
    RateLimited,
    RetriableError,
    ServerError,
    Unauthorized,
    ValidationFailed,
    XeroConnectionError,
    XeroError,
    XeroTimeout,
)
from xero_client._errors import __doc__ as TREE
from xero_client._responses import error_for

from .conftest import Rig

SECRET = "SECRET-"


def every_error_class() -> list[type[XeroError]]:
    return [
        obj
        for name in xero_client.__all__
        if isinstance(obj := getattr(xero_client, name), type) and issubclass(obj, XeroError)
    ]


@pytest.mark.parametrize("error", every_error_class(), ids=lambda e: e.__name__)
def test_the_module_docstring_draws_every_error(error: type[XeroError]) -> None:
    assert TREE is not None and f" {error.__name__} " in TREE


@pytest.mark.parametrize(
    ("response", "error", "group"),
    [
        (httpx.Response(500), ServerError, RetriableError),
        (httpx.Response(503, text="Service Unavailable"), ServerError, RetriableError),
        (
            httpx.Response(429, headers={"Retry-After": "3", "X-Rate-Limit-Problem": "concurrent"}),
            RateLimited,
            RateLimited,
        ),
        (httpx.Response(401, json={"Detail": "TokenExpired"}), Unauthorized, AuthError),
        (httpx.Response(403, json={"Detail": "AuthorizationUnsuccessful"}), Forbidden, AuthError),
        (
            httpx.Response(404, text="The resource you're looking for cannot be found"),
            NotFound,
            NotFound,
        ),
        (
            httpx.Response(
                400,
                json={
                    "Type": "ValidationException",
                    "Message": "A validation exception occurred",
                    "Elements": [],
                },
            ),
            ValidationFailed,
            ValidationFailed,
        ),
        (
            httpx.Response(400, json={"Type": "PostDataInvalidException", "Message": "bad JSON"}),
            FatalError,
            FatalError,
        ),
        (httpx.Response(412, text="<html>"), FatalError, FatalError),
    ],
    ids=["500", "503", "429", "401", "403", "404", "400-validation", "400-other", "412"],
)
def test_each_answer_maps_to_one_group(
    response: httpx.Response, error: type[XeroError], group: type[XeroError]
) -> None:
    mapped = error_for(response, "GET /Invoices")
    assert type(mapped) is error and isinstance(mapped, group)
    assert mapped.status == response.status_code and mapped.endpoint == "GET /Invoices"


def test_rate_limited_names_the_limit_and_wait() -> None:
    mapped = error_for(
        httpx.Response(429, headers={"Retry-After": "3", "X-Rate-Limit-Problem": "concurrent"}),
        "GET /x",
    )
    assert isinstance(mapped, RateLimited)
    assert (mapped.limit, mapped.retry_after) == ("concurrent", 3.0)


def test_validation_errors_carry_xeros_message_and_per_element_messages() -> None:
    mapped = error_for(
        httpx.Response(
            400,
            json={
                "Type": "ValidationException",
                "Message": "A validation exception occurred",
                "Elements": [
                    {"ValidationErrors": []},
                    {"ValidationErrors": [{"Message": "Email address must be valid."}]},
                ],
            },
        ),
        "PUT /Contacts",
    )
    assert isinstance(mapped, ValidationFailed)
    assert str(mapped) == (
        "A validation exception occurred (400 PUT /Contacts): "
        "element 1: Email address must be valid."
    )


def scripted(
    rig_steps: list[httpx.Response | Exception],
) -> Callable[[httpx.Request], httpx.Response]:
    def handle(request: httpx.Request) -> httpx.Response:
        step = rig_steps.pop(0) if rig_steps else httpx.Response(200, json={"Contacts": []})
        if isinstance(step, Exception):
            raise step
        return step

    return handle


FAILURES: list[tuple[str, list[httpx.Response | Exception]]] = [
    ("401-twice", [httpx.Response(401, json={"Detail": "TokenExpired"})] * 2),
    (
        "429",
        [httpx.Response(429, headers={"Retry-After": "999", "X-Rate-Limit-Problem": "minute"})],
    ),
    ("503", [httpx.Response(503)] * 5),
    ("timeout", [httpx.ReadTimeout("read timed out")] * 5),
    ("connect", [httpx.ConnectError("refused")] * 5),
    (
        "400",
        [
            httpx.Response(
                400,
                json={
                    "Type": "ValidationException",
                    "Message": "bad",
                    "Elements": [{"ValidationErrors": [{"Message": "Name missing"}]}],
                },
            )
        ],
    ),
    ("404", [httpx.Response(404, text="not here")]),
    ("403", [httpx.Response(403, json={"Detail": "AuthorizationUnsuccessful"})]),
]


@pytest.mark.parametrize(("name", "steps"), FAILURES, ids=[f[0] for f in FAILURES])
async def test_no_error_and_no_client_object_shows_a_token(
    rig_factory: Callable[..., Rig], name: str, steps: list[httpx.Response | Exception]
) -> None:
    rig = rig_factory(scripted(list(steps)), token_prefix=SECRET)
    with pytest.raises(XeroError) as caught:
        await rig.client.request("PUT", "/Contacts", json={"Contacts": [{"Name": "x"}]})
    shown = [
        str(caught.value),
        repr(caught.value),
        repr(rig.client),
        repr(rig.tokens),
        repr(rig.store),
        repr(await rig.store.load()),
        str(await rig.store.load()),
        repr(rig.client._auth),
    ]
    assert all(SECRET not in text for text in shown), shown


async def test_revoked_and_unconnected_errors_show_no_token(
    rig_factory: Callable[..., Rig],
) -> None:
    rig = rig_factory(scripted([]), token_prefix=SECRET)
    rig.clock.advance(3600)
    rig.identity.generation = 5
    with pytest.raises(ConnectionRevoked) as revoked:
        await rig.client.get_organisation()
    rig.store._tokens = None
    with pytest.raises(NotConnected) as unconnected:
        await rig.client.get_organisation()
    for error in (revoked.value, unconnected.value):
        assert SECRET not in str(error) + repr(error)


@pytest.mark.parametrize(
    "error",
    [InvalidRequest("x"), PagingError("x"), XeroTimeout("x"), XeroConnectionError("x")],
    ids=lambda e: type(e).__name__,
)
def test_groups_tell_the_caller_what_to_do(error: XeroError) -> None:
    retriable = isinstance(error, RetriableError)
    assert retriable == isinstance(error, XeroTimeout | XeroConnectionError)
    assert isinstance(error, FatalError) == (not retriable)
