"""Checks responses against Xero's published OpenAPI spec (loaded once per test session)."""

import functools
from typing import Any

import httpx
import yaml
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.validation.request.validators import V30RequestBodyValidator
from werkzeug.datastructures import Headers, ImmutableMultiDict

from tests.xero_specs import OPENAPI_DIR
from xero_client import dump_json

SPEC_PATH = OPENAPI_DIR / "xero_accounting.yaml"
XERO_HOST = "https://api.xero.com"


def _normalise(node: Any) -> Any:
    """The published spec writes some boolean defaults as strings ("false"); fix them."""
    if isinstance(node, dict):
        fixed = {key: _normalise(value) for key, value in node.items()}
        if fixed.get("type") == "boolean" and isinstance(fixed.get("default"), str):
            fixed["default"] = fixed["default"].lower() == "true"
        return fixed
    if isinstance(node, list):
        return [_normalise(item) for item in node]
    return node


@functools.cache
def _spec() -> dict[str, Any]:
    with SPEC_PATH.open() as handle:
        spec: dict[str, Any] = _normalise(yaml.safe_load(handle))
    return spec


@functools.cache
def accounting_openapi() -> OpenAPI:
    return OpenAPI.from_dict(_spec(), config=Config(spec_validator_cls=None))


@functools.cache
def _request_bodies() -> OpenAPI:
    """The spec checking request bodies only (its OAuth2 security is not checkable here)."""
    config = Config(spec_validator_cls=None, request_validator_cls=V30RequestBodyValidator)
    return OpenAPI.from_dict(_spec(), config=config)


class _Request:
    def __init__(self, request: httpx.Request) -> None:
        self._request = request
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(request.url.params.multi_items())),
            header=Headers(dict(request.headers)),
            cookie=ImmutableMultiDict(),
        )

    @property
    def host_url(self) -> str:
        return XERO_HOST

    @property
    def path(self) -> str:
        return self._request.url.path

    @property
    def method(self) -> str:
        return self._request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self._request.content or None

    @property
    def content_type(self) -> str:
        return self._request.headers.get("content-type", "application/json")


class _Response:
    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def content_type(self) -> str:
        return self._response.headers.get("content-type", "")

    @property
    def headers(self) -> Headers:
        return Headers(dict(self._response.headers))

    @property
    def data(self) -> bytes:
        return self._response.content


def validate_against_spec(response: httpx.Response) -> None:
    """Raise if a JSON response does not match the spec for its path, method and status."""
    try:
        accounting_openapi().validate_response(_Request(response.request), _Response(response))
    except ResponseNotFound:
        # The spec declares 400 only for writes; a refused read carries Xero's Error shape.
        if response.status_code != 400:
            raise
        error = response.json()
        assert isinstance(error["ErrorNumber"], int)
        assert isinstance(error["Type"], str) and isinstance(error["Message"], str)


def validate_request_against_spec(method: str, path: str, body: Any, **params: Any) -> None:
    """Raise if a request Xero would receive (``body`` as JSON) breaks the spec's schema."""
    request = httpx.Request(
        method,
        f"{XERO_HOST}/api.xro/2.0{path}",
        params=params,
        content=dump_json(body),
        headers={
            "content-type": "application/json",
            "xero-tenant-id": "00000000-0000-0000-0000-000000000000",
            "authorization": "Bearer spec-check",
        },
    )
    validate_sent_request(request)


def validate_sent_request(request: httpx.Request) -> None:
    """Raise if the body of a request sent to the Accounting API breaks the spec's schema."""
    _request_bodies().validate_request(_Request(request))
