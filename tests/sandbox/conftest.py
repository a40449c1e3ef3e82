"""A real sandbox over HTTP for the platform and SDK tests, and an OAuth app that drives it."""

import base64
import hashlib
import secrets
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from xero_sandbox import DEMO_TENANT_ID, RunningSandbox, SandboxClock, SandboxConfig
from xero_sandbox import serve_in_thread as _serve_in_thread

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
REDIRECT_URI = "http://localhost:8000/xero/callback"
SCOPES = (
    "openid profile email offline_access "
    "accounting.settings accounting.contacts accounting.transactions accounting.attachments"
)
CLIENT_ID = "sandbox-client"
CLIENT_SECRET = "sandbox-secret"


def pkce_pair() -> tuple[str, str]:
    """A fresh (code_verifier, S256 code_challenge)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.tenants: list[str] = []
        self.checked: list[str] = []
        self.checkboxes = 0
        self.radios = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "input":
            return
        values = {k: v or "" for k, v in attrs}
        if values.get("name") == "tenant":
            self.tenants.append(values["value"])
            self.checkboxes += values.get("type") == "checkbox"
            self.radios += values.get("type") == "radio"
            if "checked" in values or values.get("type") == "hidden":
                self.checked.append(values["value"])
        elif values.get("type") == "hidden":
            self.hidden[values["name"]] = values["value"]


def consent_form(html: str) -> _FormParser:
    """The hidden fields and organisation choices of a consent page (`checked`: what a
    browser sends when "Allow access" is pressed without changing anything)."""
    parser = _FormParser()
    parser.feed(html)
    return parser


@dataclass
class Tokens:
    access_token: str
    refresh_token: str | None
    body: dict[str, Any]


class OAuthApp:
    """What an app does to connect: consent page, "Allow access", code exchange, refresh."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def authorize_params(
        self, challenge: str | None, state: str = "st4te", **extra: str
    ) -> dict[str, str]:
        params = {
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT_URI,
            "scope": SCOPES,
            "state": state,
        }
        if challenge is not None:
            params.update(code_challenge=challenge, code_challenge_method="S256")
        params.update(extra)
        return {k: v for k, v in params.items() if v != ""}

    def consent(self, params: dict[str, str]) -> httpx.Response:
        return self.http.get("/identity/connect/authorize", params=params)

    def decide(
        self, page: httpx.Response, tenants: list[str] | None = None, action: str = "allow"
    ) -> httpx.Response:
        form = consent_form(page.text)
        data: dict[str, Any] = {**form.hidden, "action": action}
        data["tenant"] = form.checked if tenants is None else tenants
        return self.http.post("/identity/connect/authorize", data=data)

    def code(self, params: dict[str, str], tenants: list[str] | None = None) -> str:
        page = self.consent(params)
        assert page.status_code == 200, page.text
        redirect = self.decide(page, tenants)
        assert redirect.status_code == 302, redirect.text
        query = parse_qs(urlsplit(redirect.headers["location"]).query)
        assert query["state"] == [params["state"]]
        return query["code"][0]

    def exchange(
        self,
        code: str,
        verifier: str | None,
        secret: str | None = None,
        redirect_uri: str = REDIRECT_URI,
    ) -> httpx.Response:
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if verifier is not None:
            data["code_verifier"] = verifier
        auth = (CLIENT_ID, secret) if secret is not None else None
        if auth is None:
            data["client_id"] = CLIENT_ID
        return self.http.post("/connect/token", data=data, auth=auth)

    def connect(self, tenants: list[str] | None = None) -> Tokens:
        verifier, challenge = pkce_pair()
        code = self.code(self.authorize_params(challenge), tenants)
        response = self.exchange(code, verifier)
        assert response.status_code == 200, response.text
        body = response.json()
        return Tokens(body["access_token"], body.get("refresh_token"), body)

    def refresh(self, refresh_token: str) -> httpx.Response:
        return self.http.post(
            "/connect/token",
            data={"grant_type": "refresh_token", "refresh_token": refresh_token},
            auth=(CLIENT_ID, CLIENT_SECRET),
        )

    def api(
        self,
        tokens: Tokens | str,
        path: str,
        method: str = "GET",
        tenant: str | None = DEMO_TENANT_ID,
        **kwargs: Any,
    ) -> httpx.Response:
        access = tokens if isinstance(tokens, str) else tokens.access_token
        headers = {"authorization": f"Bearer {access}", **kwargs.pop("headers", {})}
        if tenant is not None:
            headers["xero-tenant-id"] = tenant
        return self.http.request(method, "/api.xro/2.0" + path, headers=headers, **kwargs)


Launcher = Callable[..., RunningSandbox]
Connector = Callable[..., tuple[RunningSandbox, OAuthApp, Tokens]]


@pytest.fixture
def clock() -> SandboxClock:
    return SandboxClock.manual(START)


@pytest.fixture
def stack() -> Iterator[ExitStack]:
    with ExitStack() as stack:
        yield stack


@pytest.fixture
def launch(clock: SandboxClock, stack: ExitStack) -> Launcher:
    """Start sandboxes with chosen settings; all stop when the test ends.

    The app connects both organisations in one consent unless a test asks for Xero's
    default consent page (`multi_organisation_consent=False`, one organisation).
    """

    def start(**settings: Any) -> RunningSandbox:
        use_clock = settings.pop("clock", clock)
        settings.setdefault("multi_organisation_consent", True)
        return stack.enter_context(_serve_in_thread(SandboxConfig(**settings), use_clock))

    return start


@pytest.fixture
def connect_to(launch: Launcher, stack: ExitStack) -> Connector:
    """Start a sandbox with chosen settings and connect an app to both organisations."""

    def start(**settings: Any) -> tuple[RunningSandbox, OAuthApp, Tokens]:
        sandbox = launch(**settings)
        client = stack.enter_context(httpx.Client(base_url=sandbox.base_url, timeout=10))
        oauth = OAuthApp(client)
        return sandbox, oauth, oauth.connect()

    return start


@pytest.fixture
def sandbox(launch: Launcher) -> RunningSandbox:
    return launch()


@pytest.fixture
def http(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as client:
        yield client


@pytest.fixture
def oauth(http: httpx.Client) -> OAuthApp:
    return OAuthApp(http)


@pytest.fixture
def tokens(oauth: OAuthApp) -> Tokens:
    return oauth.connect()
