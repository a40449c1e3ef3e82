"""Files uploaded at the same moment by two requests (a real server, two threads): each
answer is a 201 or a clear 4xx, never a 500, and the document ends as one of them alone
would have left it."""

import threading
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ledgerlink.bootstrap import Container
from ledgerlink.store.tables import document_files, file_contents
from tests.integration.api.company_records import CompanyRecords, make_records
from tests.integration.api.conftest import Tenant
from tests.integration.sync.harness import serve_api

ROUNDS = 6


@pytest.fixture
def records(client: TestClient, admin: Tenant) -> CompanyRecords:
    return make_records(client, admin, "Acme")


@pytest.fixture
def api_url(container: Container, records: CompanyRecords) -> Iterator[str]:
    yield from serve_api(container)


def at_once(api_url: str, tenant: Tenant, uploads: list[tuple[str, str, bytes]]) -> list[int]:
    """POST each (document path, file name, bytes) in its own thread, all released together."""
    barrier = threading.Barrier(len(uploads))
    codes: list[Any] = [None] * len(uploads)

    def send(index: int, path: str, name: str, content: bytes) -> None:
        with httpx.Client(base_url=api_url, timeout=30) as http:
            barrier.wait()
            answer = http.post(
                tenant.url(f"{path}/attachments"),
                files={"file": (name, content, "application/pdf")},
                headers=tenant.headers,
            )
            codes[index] = (answer.status_code, answer.text[:300])

    threads = [
        threading.Thread(target=send, args=(index, *upload)) for index, upload in enumerate(uploads)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(code < 500 for code, _ in codes), codes
    return [code for code, _ in codes]


def counts(container: Container) -> tuple[int, int]:
    with container.uow() as uow:
        live = select(func.count()).where(document_files.c.deleted_at.is_(None))
        files = uow.session.execute(live).scalar_one()
        blobs = uow.session.execute(select(func.count()).select_from(file_contents)).scalar_one()
    return int(files), int(blobs)


def test_the_same_file_on_two_documents_at_once_is_stored_once_and_both_201(
    api_url: str, container: Container, admin: Tenant, records: CompanyRecords
) -> None:
    for round_ in range(ROUNDS):
        content = b"%PDF-1.4 the same scan " + str(round_).encode()
        codes = at_once(api_url, admin, [
            (f"/bills/{records.bill}", f"scan {round_}.pdf", content),
            (f"/invoices/{records.invoice}", f"scan {round_}.pdf", content),
        ])  # fmt: skip
        assert codes == [201, 201]
        assert counts(container) == (2 * (round_ + 1), round_ + 1)


def test_two_files_of_one_name_on_one_document_at_once_keep_one(
    api_url: str, container: Container, admin: Tenant, records: CompanyRecords
) -> None:
    for round_ in range(ROUNDS):
        name = f"invoice {round_}.pdf"
        codes = at_once(api_url, admin, [
            (f"/bills/{records.bill}", name, b"%PDF-1.4 first " + name.encode()),
            (f"/bills/{records.bill}", name.upper(), b"%PDF-1.4 second " + name.encode()),
        ])  # fmt: skip
        assert sorted(codes) == [201, 422]
        assert counts(container) == (round_ + 1, round_ + 1)


def test_a_file_deleted_while_the_same_bytes_are_uploaded_elsewhere_keeps_the_bytes(
    client: TestClient, container: Container, admin: Tenant, records: CompanyRecords
) -> None:
    content = b"%PDF-1.4 shared scan"
    first = client.post(
        admin.url(f"/bills/{records.bill}/attachments"),
        files={"file": ("scan.pdf", content, "application/pdf")},
        headers=admin.headers,
    )
    assert first.status_code == 201, first.text
    company = UUID(admin.company_id)
    with container.uow() as uow:
        (kind,) = uow.session.execute(select(document_files.c.kind)).one()
        old = uow.files.get_file(company, kind, UUID(records.bill), UUID(first.json()["id"]))
        assert old is not None
    uploading = container.uow()
    with uploading:
        invoice_kind = "invoice"
        added = uploading.files.add_file(
            company, invoice_kind, UUID(records.invoice), "scan.pdf", "application/pdf", content
        )

        def delete_the_first() -> None:
            with container.uow() as deleting:
                deleting.files.delete_file(old)
                deleting.commit()

        deleter = threading.Thread(target=delete_the_first)
        deleter.start()
        deleter.join(timeout=1)  # it waits for the upload (on SQLite, for the write lock)
        uploading.commit()
    deleter.join(timeout=30)
    assert not deleter.is_alive()
    with container.uow() as uow:
        assert uow.files.content(company, added.sha256) == content
    assert counts(container) == (1, 1)
