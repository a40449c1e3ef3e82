"""`/identity/connect/authorize`: validate the request, show consent, redirect with a code.

Errors about the client or the redirect URI are shown on a page (redirecting would hand the
user to an unverified site); every other error goes back to the redirect URI as
`error=...&state=...`, as RFC 6749 section 4.1.2.1 says.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from xero_sandbox.config import SandboxConfig
from xero_sandbox.identity.consent import consent_page, error_page
from xero_sandbox.identity.pkce import challenge_problem
from xero_sandbox.identity.records import AuthorizationCode
from xero_sandbox.identity.scopes import parse_scopes, unknown_scopes
from xero_sandbox.identity.store import CODE_LIFETIME
from xero_sandbox.sandbox_of import sandbox_of

_LOCAL_HOSTS = ("localhost", "127.0.0.1")
_FIELDS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
)


@dataclass(frozen=True)
class AuthorizeRequest:
    """A validated authorization request."""

    client_id: str
    redirect_uri: str
    scopes: list[str]
    state: str
    code_challenge: str | None
    fields: dict[str, str]


class Refused(Exception):
    """The request is refused; `response` says so to the user."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def redirect_with(redirect_uri: str, params: dict[str, str]) -> RedirectResponse:
    """A 302 to the app's redirect URI with extra query parameters."""
    joiner = "&" if urlsplit(redirect_uri).query else "?"
    return RedirectResponse(redirect_uri + joiner + urlencode(params), status_code=302)


def _redirect_uri_allowed(uri: str, config: SandboxConfig) -> bool:
    parts = urlsplit(uri)
    hosts = (*_LOCAL_HOSTS, *config.extra_redirect_hosts)
    return parts.scheme in ("http", "https") and parts.hostname in hosts and not parts.fragment


def validate(params: Mapping[str, str], config: SandboxConfig) -> AuthorizeRequest:
    """Check an authorization request; raise `Refused` with the page or redirect to answer."""
    client_id = params.get("client_id", "")
    if client_id != config.client_id:
        raise Refused(
            HTMLResponse(
                error_page(
                    "unauthorized_client",
                    f"Unknown client_id {client_id!r}: use the app's client id "
                    f"(the sandbox's is {config.client_id!r})",
                ),
                status_code=400,
            )
        )
    redirect_uri = params.get("redirect_uri", "")
    if not _redirect_uri_allowed(redirect_uri, config):
        raise Refused(
            HTMLResponse(
                error_page(
                    "Invalid redirect_uri",
                    f"redirect_uri {redirect_uri!r} is not registered: use an http://localhost "
                    "or http://127.0.0.1 address (any port and path)",
                ),
                status_code=400,
            )
        )
    state = params.get("state", "")

    def refuse(error: str, description: str) -> Refused:
        query = {"error": error, "error_description": description}
        if state:
            query["state"] = state
        return Refused(redirect_with(redirect_uri, query))

    if params.get("response_type") != "code":
        raise refuse("unsupported_response_type", "response_type must be code")
    scopes = parse_scopes(params.get("scope", ""))
    if not scopes:
        raise refuse("invalid_scope", "scope is required, e.g. 'openid offline_access ...'")
    unknown = unknown_scopes(scopes)
    if unknown:
        raise refuse("invalid_scope", f"unknown scope(s): {' '.join(unknown)}")
    if not state:
        raise refuse("invalid_request", "state is required: send a random value and check it")
    challenge = params.get("code_challenge") or None
    method = params.get("code_challenge_method", "")
    if challenge is not None:
        problem = challenge_problem(challenge, method or "plain")
        if problem:
            raise refuse("invalid_request", problem)
    elif method:
        raise refuse("invalid_request", "code_challenge_method was sent without code_challenge")
    fields = {name: params[name] for name in _FIELDS if params.get(name)}
    return AuthorizeRequest(client_id, redirect_uri, scopes, state, challenge, fields)


def _choice_problem(chosen: list[str], names: Mapping[str, str], *, several: bool) -> str | None:
    """What is wrong with the organisations ticked on the consent page, if anything."""
    if not chosen or any(tenant not in names for tenant in chosen):
        return "Choose at least one organisation to connect"
    if len(chosen) > 1 and not several:
        return "Choose one organisation to connect"
    return None


async def authorize_page(request: Request) -> Response:
    """GET: the consent page."""
    sandbox = sandbox_of(request)
    try:
        valid = validate(request.query_params, sandbox.config)
    except Refused as refused:
        return refused.response
    config = sandbox.config
    html = consent_page(
        config.app_name,
        valid.scopes,
        sandbox.tenant_names(),
        valid.fields,
        several=config.multi_organisation_consent,
    )
    return HTMLResponse(html)


async def authorize_decision(request: Request) -> Response:
    """POST: "Allow access" (redirect with a code) or "Cancel" (`error=access_denied`)."""
    sandbox = sandbox_of(request)
    form = await request.form()
    params = {key: value for key, value in form.items() if isinstance(value, str)}
    try:
        valid = validate(params, sandbox.config)
    except Refused as refused:
        return refused.response
    if params.get("action") != "allow":
        return redirect_with(
            valid.redirect_uri,
            {
                "error": "access_denied",
                "error_description": "The user cancelled",
                "state": valid.state,
            },
        )
    names = sandbox.tenant_names()
    chosen = [str(value) for value in form.getlist("tenant")]
    several = sandbox.config.multi_organisation_consent
    problem = _choice_problem(chosen, names, several=several)
    if problem:
        html = consent_page(
            sandbox.config.app_name, valid.scopes, names, valid.fields, problem, several=several
        )
        return HTMLResponse(html, status_code=400)
    now = sandbox.clock.now()
    auth_event_id = str(uuid.uuid4())
    sandbox.identity.connect(
        valid.client_id, {tenant: names[tenant] for tenant in chosen}, auth_event_id, now
    )
    code = sandbox.identity.issue_code(
        AuthorizationCode(
            client_id=valid.client_id,
            redirect_uri=valid.redirect_uri,
            scopes=valid.scopes,
            tenant_ids=chosen,
            auth_event_id=auth_event_id,
            code_challenge=valid.code_challenge,
            expires_at=now + CODE_LIFETIME,
        )
    )
    sandbox.changed()
    return redirect_with(valid.redirect_uri, {"code": code, "state": valid.state})
