"""`POST /xero/webhooks` refuses a body over 1 MB with 413, before reading it all."""

import socket
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from ledgerlink.api.routes.xero_webhooks import MAX_BODY_BYTES
from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.store.migrate import upgrade
from tests.integration.api.conftest import Tenant
from tests.integration.inbound.conftest import batch, connect, event, sign, stored
from tests.integration.sync.harness import serve_api

TENANT = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
INVOICE = "9b2e6f7a-0000-4000-8000-000000000001"
URL = "/xero/webhooks"


@pytest.fixture
def company(container: Container, admin: Tenant) -> UUID:
    with container.uow() as uow:
        connect(uow, UUID(admin.company_id), TENANT)
    return UUID(admin.company_id)


def padded(size: int) -> bytes:
    """A signed-able batch of one event whose `entropy` makes the body `size` bytes long."""
    empty = batch(event(TENANT, INVOICE), entropy="")
    return batch(event(TENANT, INVOICE), entropy="A" * (size - len(empty)))


def test_a_body_at_the_limit_is_taken_and_one_over_it_refused_with_413(
    client: TestClient, container: Container, company: UUID
) -> None:
    over = padded(MAX_BODY_BYTES + 1)
    answer = client.post(URL, content=over, headers={"x-xero-signature": sign(over)})
    assert (answer.status_code, answer.content) == (413, b"")
    with container.uow() as uow:
        assert stored(uow) == []
    at = padded(MAX_BODY_BYTES)
    assert len(at) == MAX_BODY_BYTES
    assert client.post(URL, content=at, headers={"x-xero-signature": sign(at)}).status_code == 200
    with container.uow() as uow:
        assert len(stored(uow)) == 1


def test_a_streamed_body_without_a_length_is_refused_once_it_passes_the_limit(
    client: TestClient, container: Container, company: UUID
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"events": [], "entropy": "'
        for _ in range(3):
            yield b"A" * MAX_BODY_BYTES
        yield b'"}'

    answer = client.post(URL, content=chunks(), headers={"x-xero-signature": "x"})
    assert answer.status_code == 413


def test_a_declared_length_over_the_limit_is_answered_before_the_body_is_sent(
    tmp_path: Path,
) -> None:
    database_url = f"sqlite:///{tmp_path / 'ledgerlink.db'}"
    upgrade(database_url)
    container = Container(Settings(database_url=database_url))
    try:
        for root in serve_api(container):
            host, port = root.removeprefix("http://").split(":")
            with socket.create_connection((host, int(port)), timeout=10) as raw:
                raw.sendall(
                    f"POST {URL} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {50 * MAX_BODY_BYTES}\r\nx-xero-signature: x\r\n\r\n"
                    '{"events": ['.encode()
                )  # and nothing more: a server that waits for the body never answers
                answer = raw.recv(200).decode()
            assert answer.startswith("HTTP/1.1 413"), answer
    finally:
        container.close()
