"""Console sessions are kept server-side: a copy of the cookie ends with the session.

Whoever copied a signed-in cookie (a shared machine, a leaked log) is signed out with
its owner: by signing out, by a new password, or by being taken out of a company.
"""

import base64
import hashlib
import json
from uuid import UUID

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ledgerlink.bootstrap import Container
from ledgerlink.cli.users import set_password
from ledgerlink.store.records import Role
from ledgerlink.store.tables import console_sessions
from ledgerlink.web.session import COOKIE_NAME
from tests.integration.web.conftest import add_person, post_form, sign_in


def _copy(browser: TestClient) -> str:
    return str(browser.cookies[COOKIE_NAME])


def _with_cookie(browser: TestClient, value: str, page: str) -> int:
    """What `page` answers a browser holding the cookie `value` (200 or off to sign in)."""
    browser.cookies.set(COOKIE_NAME, value, domain="127.0.0.1")
    return browser.get(page, follow_redirects=False).status_code


def _sessions(container: Container) -> int:
    with container.uow() as uow:
        return int(
            uow.session.execute(select(func.count()).select_from(console_sessions)).scalar_one()
        )


def test_a_copied_cookie_stops_working_when_its_owner_signs_out(
    container: Container, browser: TestClient, acme: str
) -> None:
    sign_in(browser, "admin@acme.test")
    stolen = _copy(browser)
    assert _sessions(container) == 1

    post_form(browser, f"/companies/{acme}", "/sign-out", {})

    assert _sessions(container) == 0
    assert _with_cookie(browser, stolen, f"/companies/{acme}") == 303


def test_signing_out_ends_only_that_session(
    container: Container, browser: TestClient, acme: str
) -> None:
    sign_in(browser, "admin@acme.test")
    kept = _copy(browser)
    sign_in(browser, "admin@acme.test")  # a second session, as from another machine
    assert _sessions(container) == 2

    post_form(browser, f"/companies/{acme}", "/sign-out", {})

    assert _with_cookie(browser, kept, f"/companies/{acme}") == 200


def test_a_new_password_ends_every_session_of_that_person(
    container: Container, browser: TestClient, acme: str
) -> None:
    sign_in(browser, "member@acme.test")
    stolen = _copy(browser)
    sign_in(browser, "admin@acme.test")
    admins = _copy(browser)

    set_password(container, "member@acme.test", "a brand new password")

    assert _with_cookie(browser, stolen, f"/companies/{acme}") == 303
    assert _with_cookie(browser, admins, f"/companies/{acme}") == 200


def test_taking_a_person_out_of_a_company_ends_their_sessions(
    container: Container, browser: TestClient, acme: str, globex: str
) -> None:
    add_person(container, "Globex Corp", "member@acme.test", Role.MEMBER)
    sign_in(browser, "member@acme.test")
    stolen = _copy(browser)
    assert _with_cookie(browser, stolen, f"/companies/{globex}") == 200
    with container.uow() as uow:
        member = uow.users.get_by_email("member@acme.test")
        assert member is not None
    sign_in(browser, "admin@acme.test")

    page = f"/companies/{acme}/users"
    removed = post_form(browser, page, f"{page}/{member.id}/remove", {})

    assert removed.status_code == 303  # type: ignore[attr-defined]
    # Still a member of Globex, but the session begun before the removal is over.
    assert _with_cookie(browser, stolen, f"/companies/{globex}") == 303


def test_a_change_of_role_keeps_the_session(
    container: Container, browser: TestClient, acme: str
) -> None:
    sign_in(browser, "member@acme.test")
    members = _copy(browser)
    with container.uow() as uow:
        member = uow.users.get_by_email("member@acme.test")
        assert member is not None
        uow.users.grant(member.id, UUID(acme), Role.ADMIN)
        uow.commit()

    assert _with_cookie(browser, members, f"/companies/{acme}/users") == 200


def test_the_store_keeps_a_digest_of_the_session_id_not_the_id(
    container: Container, browser: TestClient, acme: str
) -> None:
    sign_in(browser, "admin@acme.test")
    payload = _copy(browser).split(".")[0]
    session_id = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["s"]
    with container.uow() as uow:
        stored = uow.session.execute(select(console_sessions.c.id_hash)).scalars().all()
    assert stored == [hashlib.sha256(session_id.encode()).hexdigest()]
