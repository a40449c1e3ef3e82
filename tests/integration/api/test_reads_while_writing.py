"""On SQLite a lookup over the API is a reader: it answers while another process holds the
database's one write lock (the worker recording a batch), instead of queueing behind it."""

import sqlite3

import pytest
from fastapi.testclient import TestClient

from tests.integration.api.conftest import Tenant


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_lookup_answers_while_another_process_holds_the_write_lock(
    client: TestClient, admin: Tenant, database_url: str
) -> None:
    made = client.post(admin.url("/suppliers"), json={"name": "Acme Paper"}, headers=admin.headers)
    assert made.status_code == 201, made.text  # the token's use is stamped: fresh for a minute
    writer = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # held as a worker's result transaction holds it
    try:
        listed = client.get(admin.url("/suppliers"), headers=admin.headers)
        found = client.get(admin.url(f"/suppliers/{made.json()['id']}"), headers=admin.headers)
    finally:
        writer.rollback()
        writer.close()

    assert listed.status_code == 200, listed.text
    assert [s["name"] for s in listed.json()["data"]] == ["Acme Paper"]
    assert found.status_code == 200, found.text
