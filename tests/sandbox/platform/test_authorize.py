"""The consent page and the authorization-code exchange, over a real socket."""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from xero_sandbox import DEMO_TENANT_ID, EMPTY_TENANT_ID, RunningSandbox, SandboxClock

from ..conftest import (
    CLIENT_SECRET,
    REDIRECT_URI,
    Launcher,
    OAuthApp,
    consent_form,
    pkce_pair,
)


def _redirect_query(response: httpx.Response) -> dict[str, list[str]]:
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI)
    return parse_qs(urlsplit(location).query)


def test_consent_page_names_the_app_the_scopes_and_the_organisations(oauth: OAuthApp) -> None:
    _, challenge = pkce_pair()
    page = oauth.consent(oauth.authorize_params(challenge))
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "Sandbox App" in html
    for scope in ("offline_access", "accounting.settings", "accounting.contacts"):
        assert scope in html
    assert "Demo Company (Sandbox)" in html and "Empty Company (Sandbox)" in html
    assert "Allow access" in html and "Cancel" in html
    form = consent_form(html)
    assert form.checkboxes == 2
    assert form.tenants == form.checked == [DEMO_TENANT_ID, EMPTY_TENANT_ID]


@pytest.fixture
def one_organisation(launch: Launcher) -> Iterator[OAuthApp]:
    """An app on Xero's default consent page: the person picks one organisation."""
    sandbox = launch(multi_organisation_consent=False)
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as http:
        yield OAuthApp(http)


def test_the_default_consent_page_picks_one_organisation_the_first_preselected(
    one_organisation: OAuthApp,
) -> None:
    page = one_organisation.consent(one_organisation.authorize_params(None))
    form = consent_form(page.text)
    assert (form.radios, form.checkboxes) == (2, 0)
    assert form.tenants == [DEMO_TENANT_ID, EMPTY_TENANT_ID]
    assert form.checked == [DEMO_TENANT_ID]


def test_allow_as_a_browser_submits_it_connects_the_preselected_organisation(
    one_organisation: OAuthApp,
) -> None:
    tokens = one_organisation.connect()
    listed = one_organisation.http.get(
        "/connections", headers={"authorization": f"Bearer {tokens.access_token}"}
    )
    assert [c["tenantId"] for c in listed.json()] == [DEMO_TENANT_ID]


def test_the_default_consent_page_refuses_several_organisations(
    one_organisation: OAuthApp,
) -> None:
    page = one_organisation.consent(one_organisation.authorize_params(None))
    response = one_organisation.decide(page, tenants=[DEMO_TENANT_ID, EMPTY_TENANT_ID])
    assert response.status_code == 400
    assert "Choose one organisation" in response.text
    assert consent_form(response.text).radios == 2


def test_consent_page_escapes_what_the_app_sent(oauth: OAuthApp) -> None:
    page = oauth.consent(oauth.authorize_params(None, state='"><script>x</script>'))
    assert page.status_code == 200
    assert "<script>x</script>" not in page.text
    assert consent_form(page.text).hidden["state"] == '"><script>x</script>'


def test_allow_redirects_with_code_and_state_and_the_code_gives_tokens(oauth: OAuthApp) -> None:
    verifier, challenge = pkce_pair()
    params = oauth.authorize_params(challenge, state="abc123")
    redirect = oauth.decide(oauth.consent(params))
    query = _redirect_query(redirect)
    assert query["state"] == ["abc123"]
    response = oauth.exchange(query["code"][0], verifier)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 1800
    assert body["scope"].split() == params["scope"].split()
    assert body["refresh_token"]
    assert body["access_token"].count(".") == 2  # JWT-shaped
    assert response.headers["cache-control"] == "no-store"


def test_cancel_redirects_with_access_denied(oauth: OAuthApp) -> None:
    _, challenge = pkce_pair()
    redirect = oauth.decide(oauth.consent(oauth.authorize_params(challenge)), action="cancel")
    query = _redirect_query(redirect)
    assert query["error"] == ["access_denied"]
    assert query["state"] == ["st4te"]
    assert "code" not in query


def test_allow_without_an_organisation_shows_the_page_again(oauth: OAuthApp) -> None:
    _, challenge = pkce_pair()
    response = oauth.decide(oauth.consent(oauth.authorize_params(challenge)), tenants=[])
    assert response.status_code == 400
    assert "Choose at least one organisation" in response.text


@pytest.mark.parametrize(
    ("change", "error", "fragment"),
    [
        ({"scope": "openid accounting.everything"}, "invalid_scope", "accounting.everything"),
        ({"scope": ""}, "invalid_scope", "scope is required"),
        ({"state": ""}, "invalid_request", "state is required"),
        ({"response_type": "token"}, "unsupported_response_type", "code"),
        ({"code_challenge_method": "plain"}, "invalid_request", "S256"),
        ({"code_challenge": "short"}, "invalid_request", "43-character"),
    ],
    ids=["unknown-scope", "no-scope", "no-state", "implicit-flow", "plain-pkce", "bad-challenge"],
)
def test_bad_requests_go_back_to_the_app_with_an_error(
    oauth: OAuthApp, change: dict[str, str], error: str, fragment: str
) -> None:
    _, challenge = pkce_pair()
    params = {**oauth.authorize_params(challenge), **change}
    params = {k: v for k, v in params.items() if v}
    query = _redirect_query(oauth.consent(params))
    assert query["error"] == [error]
    assert fragment in query["error_description"][0]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"client_id": "someone-else"}, "Unknown client_id"),
        ({"redirect_uri": "https://evil.example.com/callback"}, "redirect_uri"),
        ({"redirect_uri": ""}, "redirect_uri"),
    ],
    ids=["unknown-client", "foreign-redirect", "no-redirect"],
)
def test_bad_client_or_redirect_is_shown_not_redirected(
    oauth: OAuthApp, change: dict[str, str], fragment: str
) -> None:
    params = {**oauth.authorize_params(None), **change}
    response = oauth.consent(params)
    assert response.status_code == 400
    assert "location" not in response.headers
    assert fragment in response.text


@pytest.mark.parametrize(
    "redirect_uri",
    ["http://127.0.0.1:5000/cb", "http://localhost/", "http://localhost:9999/a/b?x=1"],
    ids=["ip-and-port", "bare-localhost", "with-query"],
)
def test_any_local_redirect_uri_is_accepted(oauth: OAuthApp, redirect_uri: str) -> None:
    verifier, challenge = pkce_pair()
    params = oauth.authorize_params(challenge, redirect_uri=redirect_uri)
    redirect = oauth.decide(oauth.consent(params))
    assert redirect.status_code == 302
    location = redirect.headers["location"]
    assert location.startswith(redirect_uri.split("?")[0])
    code = parse_qs(urlsplit(location).query)["code"][0]
    assert oauth.exchange(code, verifier, redirect_uri=redirect_uri).status_code == 200


def test_pkce_verifier_must_match_the_challenge(oauth: OAuthApp) -> None:
    _, challenge = pkce_pair()
    other_verifier, _ = pkce_pair()
    code = oauth.code(oauth.authorize_params(challenge))
    response = oauth.exchange(code, other_verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert "code_verifier" in response.json()["error_description"]


def test_pkce_code_needs_its_verifier_even_with_the_secret(oauth: OAuthApp) -> None:
    _, challenge = pkce_pair()
    code = oauth.code(oauth.authorize_params(challenge))
    response = oauth.exchange(code, None, secret=CLIENT_SECRET)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_without_pkce_the_client_secret_is_required(oauth: OAuthApp) -> None:
    code = oauth.code(oauth.authorize_params(None))
    refused = oauth.exchange(code, None)
    assert refused.json()["error"] == "invalid_client"
    code = oauth.code(oauth.authorize_params(None))
    assert oauth.exchange(code, None, secret=CLIENT_SECRET).status_code == 200


def test_a_code_works_once(oauth: OAuthApp) -> None:
    verifier, challenge = pkce_pair()
    code = oauth.code(oauth.authorize_params(challenge))
    assert oauth.exchange(code, verifier).status_code == 200
    again = oauth.exchange(code, verifier)
    assert again.status_code == 400
    assert again.json() == {
        "error": "invalid_grant",
        "error_description": "The authorization code has already been used",
    }


def test_a_code_expires_after_five_minutes(oauth: OAuthApp, clock: SandboxClock) -> None:
    verifier, challenge = pkce_pair()
    code = oauth.code(oauth.authorize_params(challenge))
    clock.advance(5 * 60)
    response = oauth.exchange(code, verifier)
    assert response.status_code == 400
    assert "expired" in response.json()["error_description"]


def test_the_redirect_uri_must_match_at_exchange(oauth: OAuthApp) -> None:
    verifier, challenge = pkce_pair()
    code = oauth.code(oauth.authorize_params(challenge))
    response = oauth.exchange(code, verifier, redirect_uri="http://localhost:8000/other")
    assert response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("auth", "form"),
    [
        (("sandbox-client", "wrong"), {}),
        (("someone", "sandbox-secret"), {}),
        (None, {"client_id": "someone"}),
        (None, {"client_id": "sandbox-client", "client_secret": "wrong"}),
    ],
    ids=["basic-wrong-secret", "basic-unknown-client", "form-unknown-client", "form-wrong-secret"],
)
def test_wrong_client_is_invalid_client(
    http: httpx.Client, auth: tuple[str, str] | None, form: dict[str, str]
) -> None:
    data = {"grant_type": "client_credentials", **form}
    response = http.post("/connect/token", data=data, auth=auth)
    assert response.status_code in (400, 401)
    assert response.json()["error"] == "invalid_client"


def test_unknown_grant_type_is_refused(http: httpx.Client) -> None:
    response = http.post(
        "/connect/token", data={"grant_type": "password"}, auth=("sandbox-client", CLIENT_SECRET)
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_choosing_one_organisation_connects_only_that_one(
    oauth: OAuthApp, sandbox: RunningSandbox
) -> None:
    tokens = oauth.connect(tenants=[EMPTY_TENANT_ID])
    assert oauth.api(tokens, "/Organisation", tenant=EMPTY_TENANT_ID).status_code == 200
    assert oauth.api(tokens, "/Organisation", tenant=DEMO_TENANT_ID).status_code == 403


@pytest.mark.parametrize(
    ("form", "fragment"),
    [
        ({"grant_type": "authorization_code", "redirect_uri": REDIRECT_URI}, "code is required"),
        ({"grant_type": "authorization_code", "code": "x"}, "redirect_uri is required"),
        ({"grant_type": "refresh_token"}, "refresh_token is required"),
    ],
    ids=["no-code", "no-redirect-uri", "no-refresh-token"],
)
def test_missing_token_fields_are_named(
    http: httpx.Client, form: dict[str, str], fragment: str
) -> None:
    response = http.post("/connect/token", data=form, auth=("sandbox-client", CLIENT_SECRET))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert fragment in response.json()["error_description"]
