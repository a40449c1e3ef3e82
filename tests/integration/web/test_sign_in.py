"""Signing in to the console: passwords, the session cookie, CSRF, sign-out, slowing down."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from fastapi.testclient import TestClient

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.web.session import COOKIE_NAME, SessionSigner, new_session
from tests.integration.web.conftest import PASSWORD, Sleeps, csrf_of, post_form, sign_in


def _try(browser: TestClient, email: str, password: str) -> int:
    token = csrf_of(browser.get("/sign-in").text)
    answer = browser.post(
        "/sign-in",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return answer.status_code


def test_a_page_asks_to_sign_in_first_and_comes_back_after(browser: TestClient, acme: str) -> None:
    answer = browser.get(f"/companies/{acme}/documents?sync=failed", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == (
        f"/sign-in?next=/companies/{acme}/documents%3Fsync%3Dfailed"
    )
    page = browser.get(answer.headers["location"])
    token = csrf_of(page.text)
    signed_in = browser.post(
        "/sign-in",
        data={
            "email": "Admin@Acme.test ",
            "password": PASSWORD,
            "csrf_token": token,
            "next": f"/companies/{acme}/documents?sync=failed",
        },
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == f"/companies/{acme}/documents?sync=failed"


def test_the_right_password_opens_the_company_home(browser: TestClient, acme: str) -> None:
    sign_in(browser, "admin@acme.test")
    home = browser.get("/")
    assert home.status_code == 200
    assert str(home.url).endswith(f"/companies/{acme}")
    assert "Acme Ltd" in home.text
    assert "admin@acme.test" in home.text


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(
    browser: TestClient, acme: str
) -> None:
    assert _try(browser, "admin@acme.test", "not the password") == 400
    assert _try(browser, "nobody@acme.test", PASSWORD) == 400
    wrong = browser.get(f"/companies/{acme}", follow_redirects=False)
    assert wrong.status_code == 303  # still nobody signed in


def test_the_session_cookie_is_httponly_and_samesite_lax(browser: TestClient, acme: str) -> None:
    sign_in(browser, "admin@acme.test")
    cookie = browser.get("/sign-in").headers.get("set-cookie") or ""
    token = csrf_of(browser.get(f"/companies/{acme}").text)
    answer = browser.post(
        "/sign-in",
        data={"email": "admin@acme.test", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # development serves plain http on 127.0.0.1


def test_outside_development_the_session_cookie_is_secure(container: Container) -> None:
    settings = Settings(
        database_url=container.settings.database_url,
        var_dir=container.settings.var_dir,
        environment="production",
        secret_key="a-production-secret-key-of-enough-length",
    )
    production = Container(settings)
    try:
        with TestClient(production.api(), base_url="https://console.example") as client:
            answer = client.get("/sign-in")
    finally:
        production.close()
    cookie = answer.headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_a_form_posted_without_its_csrf_token_is_refused(browser: TestClient, acme: str) -> None:
    browser.get("/sign-in")  # the browser has a session, but the form lacks its token
    refused = browser.post(
        "/sign-in",
        data={"email": "admin@acme.test", "password": PASSWORD},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert "Form expired" in refused.text
    sign_in(browser, "admin@acme.test")
    still = browser.post("/sign-out", data={}, follow_redirects=False)
    assert still.status_code == 403
    assert browser.get(f"/companies/{acme}", follow_redirects=False).status_code == 200


def test_a_csrf_token_of_another_browser_is_refused(
    container: Container, browser: TestClient, acme: str
) -> None:
    with TestClient(container.api(), base_url="http://127.0.0.1:8000") as other:
        foreign = csrf_of(other.get("/sign-in").text)
    browser.get("/sign-in")
    refused = browser.post(
        "/sign-in",
        data={"email": "admin@acme.test", "password": PASSWORD, "csrf_token": foreign},
        follow_redirects=False,
    )
    assert refused.status_code == 403


def test_signing_out_ends_the_session(browser: TestClient, acme: str) -> None:
    sign_in(browser, "admin@acme.test")
    out = post_form(browser, f"/companies/{acme}", "/sign-out", {})
    assert out.status_code == 303  # type: ignore[attr-defined]
    assert browser.get(f"/companies/{acme}", follow_redirects=False).status_code == 303
    assert "You are signed out." in browser.get("/sign-in?done=signed-out").text


def test_a_forged_or_expired_cookie_is_no_session(
    container: Container, browser: TestClient, acme: str
) -> None:
    sign_in(browser, "admin@acme.test")
    genuine = browser.cookies[COOKIE_NAME]
    payload, signature = genuine.split(".")
    browser.cookies.set(COOKIE_NAME, f"{payload}.{signature[:-2]}AA", domain="127.0.0.1")
    assert browser.get(f"/companies/{acme}", follow_redirects=False).status_code == 303
    browser.cookies.set(COOKIE_NAME, genuine, domain="127.0.0.1")
    assert browser.get(f"/companies/{acme}", follow_redirects=False).status_code == 200
    later = container.clock() + timedelta(hours=13)
    browser.app.state.clock = lambda: later  # type: ignore[attr-defined]
    assert browser.get(f"/companies/{acme}", follow_redirects=False).status_code == 303


def test_a_new_password_ends_the_sessions_begun_with_the_old(
    container: Container, browser: TestClient, acme: str
) -> None:
    sign_in(browser, "admin@acme.test")
    with container.uow() as uow:
        user = uow.users.get_by_email("admin@acme.test")
        assert user is not None
        uow.users.set_password(user.id, "a brand new password")
        uow.commit()
    assert browser.get(f"/companies/{acme}", follow_redirects=False).status_code == 303


def test_failed_sign_ins_in_a_row_wait_longer_and_longer(
    browser: TestClient, acme: str, sleeps: Sleeps
) -> None:
    for _ in range(6):
        assert _try(browser, "admin@acme.test", "guess") == 400
    assert _try(browser, "admin@acme.test", PASSWORD) == 303
    assert _try(browser, "admin@acme.test", PASSWORD) == 303
    assert sleeps.seconds == [0, 0, 0, 1, 2, 4, 8, 0]


def test_guessing_at_an_unknown_email_slows_down_too(
    browser: TestClient, acme: str, sleeps: Sleeps
) -> None:
    for _ in range(5):
        _try(browser, "ghost@acme.test", "guess")
    assert sleeps.seconds == [0, 0, 0, 1, 2]


def test_the_next_page_never_leads_off_the_site(browser: TestClient, acme: str) -> None:
    token = csrf_of(browser.get("/sign-in").text)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        answer = browser.post(
            "/sign-in",
            data={
                "email": "admin@acme.test",
                "password": PASSWORD,
                "csrf_token": token,
                "next": target,
            },
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/", target
        token = csrf_of(browser.get(f"/companies/{acme}").text)


def test_a_session_outlives_a_change_of_secret_key_listed_with_the_old_one() -> None:
    now = datetime.now(UTC)
    session = new_session(now).signed_in(uuid4(), "stamp", now)
    old = SessionSigner("old-key-of-enough-length-here").dump(session)
    assert (
        SessionSigner("new-key-of-enough-length-here,old-key-of-enough-length-here").load(old, now)
        == session
    )
    assert SessionSigner("new-key-of-enough-length-here").load(old, now) is None
