"""A company poisoned by text stored before it was checked reads again after the upgrade."""

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.store.migrate import downgrade, upgrade
from ledgerlink.store.records import Role
from tests.integration.api.conftest import make_tenant


def test_a_lone_surrogate_and_a_nul_stored_by_an_earlier_release_are_repaired_on_upgrade(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'ledgerlink.db'}"
    upgrade(url)
    container = Container(Settings(database_url=url))
    admin = make_tenant(container, "Acme Ltd", "admin@acme.test", Role.ADMIN)
    with TestClient(container.api()) as client:
        supplier = client.post(
            admin.url("/suppliers"), json={"name": "Paper Co"}, headers=admin.headers
        )
        bill = client.post(
            admin.url("/bills"),
            json={
                "supplier_id": supplier.json()["id"],
                "date": "2026-11-02",
                "currency": "NZD",
                "lines": [{"description": "Paper", "unit_price": "9.99", "account_code": "400"}],
            },
            headers=admin.headers,
        ).json()
        # What an earlier release let through: the escape of a lone surrogate in the lines'
        # JSON, and a NUL in a text column.
        with container.engine.begin() as connection:
            connection.execute(
                text("UPDATE bills SET lines = replace(lines, 'Paper', 'Pa\\ud800per')")
            )
            connection.execute(text("UPDATE suppliers SET name = 'Paper' || char(0) || ' Co'"))
        container.engine.dispose()
        # Back to the release before the repair (today's code writes today's schema), then
        # the upgrade an operator runs.
        downgrade(url, "0400")
        upgrade(url)
        # SQLite's batch downgrades rebuild the users table, and its cascade takes the
        # tokens: the admin signs in again with a new one.
        admin = make_tenant(container, "Acme Ltd", "admin@acme.test", Role.ADMIN)
        listed = client.get(admin.url("/bills"), headers=admin.headers)
        assert listed.status_code == 200, listed.text
        fetched = client.get(admin.url(f"/bills/{bill['id']}"), headers=admin.headers).json()
        assert fetched["lines"][0]["description"] == "Pa\ufffdper"
        named = client.get(admin.url(f"/suppliers/{supplier.json()['id']}"), headers=admin.headers)
        assert named.json()["name"] == "Paper Co"
    container.close()
