"""The console on a migrated database, driven with FastAPI's TestClient as a browser."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.store import passwords
from ledgerlink.store.records import Role

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True, scope="package")
def _light_password_hashing() -> Iterator[None]:
    """argon2id still, with its lightest cost: the default spends 64 MiB and tens of
    milliseconds of CPU on every hash on purpose, and these tests make hundreds."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        )
        yield


@dataclass
class Sleeps:
    """What the console asked to sleep, never slept."""

    seconds: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def container(engine: Engine, tmp_path: Path, sleeps: Sleeps) -> Iterator[Container]:
    settings = Settings(
        database_url=engine.url.render_as_string(hide_password=False),
        var_dir=tmp_path / "var",
    )
    built = Container(settings, sign_in_sleep=sleeps)
    yield built
    built.close()


@pytest.fixture
def browser(container: Container) -> Iterator[TestClient]:
    with TestClient(container.api(), base_url="http://127.0.0.1:8000") as client:
        yield client


def add_person(container: Container, company: str, email: str, role: Role) -> str:
    """The person, with `PASSWORD`, in `company`; returns the company's id."""
    with container.uow() as uow:
        record = uow.companies.get_by_name(company) or uow.companies.add(company)
        user = uow.users.get_by_email(email) or uow.users.add(email)
        uow.users.grant(user.id, record.id, role)
        uow.users.set_password(user.id, PASSWORD)
        uow.commit()
    return str(record.id)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found is not None, html
    return found.group(1)


def sign_in(browser: TestClient, email: str, password: str = PASSWORD) -> None:
    token = csrf_of(browser.get("/sign-in").text)
    answer = browser.post(
        "/sign-in",
        data={"email": email, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def post_form(browser: TestClient, page: str, action: str, data: dict[str, str]) -> object:
    """Send a form of `page` as the browser would, with that page's CSRF token."""
    token = csrf_of(browser.get(page).text)
    return browser.post(action, data={**data, "csrf_token": token}, follow_redirects=False)


@pytest.fixture
def acme(container: Container) -> str:
    company = add_person(container, "Acme Ltd", "admin@acme.test", Role.ADMIN)
    add_person(container, "Acme Ltd", "member@acme.test", Role.MEMBER)
    return company


@pytest.fixture
def globex(container: Container) -> str:
    return add_person(container, "Globex Corp", "admin@globex.test", Role.ADMIN)
