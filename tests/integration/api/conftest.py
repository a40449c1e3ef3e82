"""An API over a freshly migrated database, and helpers to call it as a user would."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.records import Role


@dataclass
class Tenant:
    """A company and an API token of one of its users."""

    company_id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def url(self, path: str) -> str:
        return f"/api/v1/companies/{self.company_id}{path}"


@pytest.fixture
def container(database_url: str) -> Iterator[Container]:
    upgrade(database_url)
    built = Container(Settings(database_url=database_url))
    yield built
    built.close()


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(container.api()) as test_client:
        yield test_client


def make_tenant(container: Container, company: str, email: str, role: Role) -> Tenant:
    with container.uow() as uow:
        found = uow.companies.get_by_name(company)
        company_record = found or uow.companies.add(company)
        user = uow.users.get_by_email(email) or uow.users.add(email)
        uow.users.grant(user.id, company_record.id, role)
        issued = uow.tokens.issue(user.id, "tests")
        uow.commit()
    return Tenant(str(company_record.id), issued.secret)


@pytest.fixture
def admin(container: Container) -> Tenant:
    return make_tenant(container, "Acme Ltd", "admin@acme.test", Role.ADMIN)


@pytest.fixture
def member(container: Container, admin: Tenant) -> Tenant:
    return make_tenant(container, "Acme Ltd", "member@acme.test", Role.MEMBER)


@pytest.fixture
def other(container: Container) -> Tenant:
    return make_tenant(container, "Globex Corp", "admin@globex.test", Role.ADMIN)


def problem(response: Any, status: int) -> dict[str, Any]:
    """Assert `response` is a problem+json of `status` and return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body
