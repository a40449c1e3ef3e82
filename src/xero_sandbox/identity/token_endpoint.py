"""`POST /connect/token` and `POST /connect/revocation`."""

import base64
import binascii
import hmac
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import Response

from xero_sandbox import problems
from xero_sandbox.identity.scopes import parse_scopes
from xero_sandbox.identity.store import GrantError
from xero_sandbox.sandbox_of import sandbox_of
from xero_sandbox.tenants import DEMO_TENANT_ID


def _client_credentials(request: Request, form: dict[str, str]) -> tuple[str, str | None]:
    """(client_id, client_secret or None) from Basic auth or the form."""
    header = request.headers.get("authorization", "")
    if header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as error:
            raise GrantError(
                "invalid_client", "The Basic authorization header is malformed"
            ) from error
        client_id, _, secret = decoded.partition(":")
        return unquote(client_id), unquote(secret)
    return form.get("client_id", ""), form.get("client_secret")


_REQUIRED: dict[str, tuple[tuple[str, str], ...]] = {
    "authorization_code": (
        ("code", "the code from the redirect after consent"),
        ("redirect_uri", "the redirect_uri sent to the authorize endpoint"),
    ),
    "refresh_token": (("refresh_token", "the latest refresh token"),),
}


def _require(form: dict[str, str], fields: tuple[tuple[str, str], ...]) -> None:
    for name, what in fields:
        if not form.get(name):
            raise GrantError("invalid_request", f"{name} is required: send {what}")


async def token(request: Request) -> Response:
    """Issue tokens for `authorization_code`, `refresh_token` or `client_credentials`."""
    sandbox = sandbox_of(request)
    config = sandbox.config
    form = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    now = sandbox.clock.now()
    try:
        client_id, secret = _client_credentials(request, form)
        if client_id != config.client_id:
            raise GrantError("invalid_client", f"Unknown client_id {client_id!r}")
        authenticated = secret is not None and hmac.compare_digest(
            secret.encode(), config.client_secret.encode()
        )
        if secret is not None and not authenticated:
            raise GrantError("invalid_client", "The client secret is wrong")
        grant_type = form.get("grant_type", "")
        _require(form, _REQUIRED.get(grant_type, ()))
        if grant_type == "authorization_code":
            tokens = sandbox.identity.redeem_code(
                form.get("code", ""),
                client_id,
                form.get("redirect_uri", ""),
                form.get("code_verifier"),
                authenticated,
                now,
                config.token_ttl,
            )
        elif grant_type == "refresh_token":
            scopes = parse_scopes(form.get("scope", "")) or None
            tokens = sandbox.identity.refresh(
                form.get("refresh_token", ""), client_id, scopes, now, config.token_ttl
            )
        elif grant_type == "client_credentials":
            if not authenticated:
                raise GrantError("invalid_client", "client_credentials needs the client secret")
            scopes = parse_scopes(form.get("scope", "")) or [
                "accounting.transactions",
                "accounting.contacts",
                "accounting.settings",
                "accounting.attachments",
            ]
            tokens = sandbox.identity.client_credentials(
                client_id, DEMO_TENANT_ID, scopes, now, config.token_ttl
            )
        else:
            raise GrantError(
                "unsupported_grant_type",
                "grant_type must be authorization_code, refresh_token or client_credentials",
            )
    except GrantError as error:
        status = (
            401 if error.error == "invalid_client" and "authorization" in request.headers else 400
        )
        return problems.oauth_error(error.error, error.description, status)
    sandbox.changed()
    return problems.json_response(tokens.to_public(), headers={"Cache-Control": "no-store"})


async def revocation(request: Request) -> Response:
    """Revoke a refresh token with its access tokens and connections (always 200)."""
    sandbox = sandbox_of(request)
    form = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    try:
        client_id, secret = _client_credentials(request, form)
    except GrantError as error:
        return problems.oauth_error(error.error, error.description)
    if client_id != sandbox.config.client_id or (
        secret is not None and not hmac.compare_digest(secret, sandbox.config.client_secret)
    ):
        return problems.oauth_error("invalid_client", "Unknown client or wrong secret")
    if not form.get("token"):
        return problems.oauth_error("invalid_request", "token is required (the refresh token)")
    if sandbox.identity.revoke(form["token"], client_id):
        sandbox.changed()
    return Response(status_code=200)
