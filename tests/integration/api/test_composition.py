"""The app reaches Xero only through the parts bootstrap hands it."""

from pathlib import Path

from fastapi.testclient import TestClient

from ledgerlink.api.app import create_app
from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.records import Role
from tests.integration.api.conftest import Tenant, make_tenant, problem


def test_the_routes_use_the_containers_one_gateway_and_runner(
    database_url: str, tmp_path: Path
) -> None:
    upgrade(database_url)
    container = Container(Settings(database_url=database_url, var_dir=tmp_path / "var"))
    admin = make_tenant(container, "Acme Ltd", "admin@acme.test", Role.ADMIN)
    client = TestClient(container.api())
    parts = client.app.state.xero  # type: ignore[attr-defined]

    assert parts.gateway() is container.xero_gateway
    status = client.get(admin.url("/xero"), headers=admin.headers)
    assert status.status_code == 200, status.text
    assert status.json()["connected"] is False
    container.close()


def test_an_app_built_without_xero_says_so(container: Container, admin: Tenant) -> None:
    with TestClient(create_app(container.uow)) as bare:
        body = problem(bare.get(admin.url("/xero/connect"), headers=admin.headers), 503)

    assert "bootstrap" in body["detail"]
