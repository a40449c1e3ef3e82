"""Files and notes on documents through the HTTP API: limits before storing, one copy of a
file used twice, roles, another company's documents, and a folder for SQLite installs."""

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.domain.attachments import MAX_FILE_BYTES
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.records import Role
from ledgerlink.store.tables import document_files, file_contents
from tests.integration.api.company_records import CompanyRecords, make_records
from tests.integration.api.conftest import Tenant, make_tenant, problem

SCAN = b"%PDF-1.4 supplier invoice\n" + bytes(range(256))


@pytest.fixture
def records(client: TestClient, admin: Tenant) -> CompanyRecords:
    return make_records(client, admin, "Acme")


def upload(
    client: TestClient, tenant: Tenant, path: str, name: str, content: bytes = SCAN,
    mime: str = "application/pdf",
) -> Any:  # fmt: skip
    return client.post(
        tenant.url(f"{path}/attachments"), files={"file": (name, content, mime)},
        headers=tenant.headers,
    )  # fmt: skip


def stored(container: Container) -> tuple[int, int]:
    with container.uow() as uow:
        files = uow.session.execute(select(func.count()).select_from(document_files)).scalar()
        blobs = uow.session.execute(select(func.count()).select_from(file_contents)).scalar()
    return int(files or 0), int(blobs or 0)


@pytest.mark.parametrize("documents", ["purchase-orders", "bills", "invoices", "credit-notes"])
def test_upload_list_download_delete_on_every_document(
    client: TestClient, admin: Tenant, records: CompanyRecords, documents: str
) -> None:
    document = {
        "purchase-orders": records.purchase_order,
        "bills": records.bill,
        "invoices": records.invoice,
        "credit-notes": records.sales_credit_note,
    }[documents]
    path = f"/{documents}/{document}"
    created = upload(client, admin, path, "scan 1.pdf")
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["file_name"], body["mime_type"], body["size"], body["xero_state"]) == (
        "scan 1.pdf", "application/pdf", len(SCAN), "pending")  # fmt: skip
    listed = client.get(admin.url(f"{path}/attachments"), headers=admin.headers).json()["data"]
    assert [f["id"] for f in listed] == [body["id"]]
    one = client.get(admin.url(f"{path}/attachments/{body['id']}"), headers=admin.headers)
    assert one.content == SCAN
    assert one.headers["content-type"] == "application/pdf"
    assert "scan%201.pdf" in one.headers["content-disposition"]
    gone = client.delete(admin.url(f"{path}/attachments/{body['id']}"), headers=admin.headers)
    assert gone.status_code == 204
    assert client.get(admin.url(f"{path}/attachments"), headers=admin.headers).json()["data"] == []
    problem(client.get(admin.url(f"{path}/attachments/{body['id']}"), headers=admin.headers), 404)


def test_one_copy_of_a_file_used_twice(
    client: TestClient, admin: Tenant, records: CompanyRecords, container: Container
) -> None:
    assert upload(client, admin, f"/bills/{records.bill}", "a.pdf").status_code == 201
    assert upload(client, admin, f"/purchase-orders/{records.purchase_order}", "b.pdf").is_success
    assert stored(container) == (2, 1)
    first = client.get(admin.url(f"/bills/{records.bill}/attachments"), headers=admin.headers)
    file_id = first.json()["data"][0]["id"]
    client.delete(admin.url(f"/bills/{records.bill}/attachments/{file_id}"), headers=admin.headers)
    assert stored(container) == (2, 1), "the other document still uses the bytes"
    order_files = admin.url(f"/purchase-orders/{records.purchase_order}/attachments")
    other_id = client.get(order_files, headers=admin.headers).json()["data"][0]["id"]
    assert client.get(f"{order_files}/{other_id}", headers=admin.headers).content == SCAN
    client.delete(f"{order_files}/{other_id}", headers=admin.headers)
    assert stored(container) == (2, 0), "the bytes go with the last file using them"


@pytest.mark.parametrize(
    ("name", "size", "says"),
    [
        ("virus.exe", 10, "Xero takes only these file types"),
        ("noextension", 10, "has no extension"),
        ("empty.pdf", 0, "the file is empty"),
        ("big.pdf", MAX_FILE_BYTES + 1, "larger than Xero's limit of 10485760 bytes"),
    ],
    ids=["type", "no-extension", "empty", "size"],
)
def test_files_xero_would_refuse_are_refused_before_storing(
    client: TestClient, admin: Tenant, records: CompanyRecords, container: Container,
    name: str, size: int, says: str,
) -> None:  # fmt: skip
    refused = upload(client, admin, f"/bills/{records.bill}", name, b"x" * size)
    body = problem(refused, 422)
    assert body["errors"][0]["field"] == "file"
    assert says in body["errors"][0]["message"]
    assert stored(container) == (0, 0)


def test_an_eleventh_file_or_a_repeated_name_is_refused(
    client: TestClient, admin: Tenant, records: CompanyRecords, container: Container
) -> None:
    path = f"/bills/{records.bill}"
    for number in range(10):
        assert upload(client, admin, path, f"page-{number}.pdf", SCAN + bytes([number])).is_success
    body = problem(upload(client, admin, path, "page-10.pdf", b"other"), 422)
    assert "Xero's limit is 10 a document" in body["errors"][0]["message"]
    assert stored(container) == (10, 10)
    assert upload(client, admin, f"/invoices/{records.invoice}", "a.pdf").status_code == 201
    again = problem(upload(client, admin, f"/invoices/{records.invoice}", "A.PDF"), 422)
    assert "already has a file named 'A.PDF'" in again["errors"][0]["message"]


def test_notes_are_added_and_listed(
    client: TestClient, admin: Tenant, member: Tenant, records: CompanyRecords
) -> None:
    url = admin.url(f"/bills/{records.bill}/notes")
    added = client.post(url, json={"text": "  Checked against the docket  "}, headers=admin.headers)
    assert added.status_code == 201, added.text
    assert (added.json()["text"], added.json()["author"]) == (
        "Checked against the docket", "admin@acme.test")  # fmt: skip
    listed = client.get(url, headers=member.headers).json()["data"]
    assert [n["text"] for n in listed] == ["Checked against the docket"]
    assert (
        problem(client.post(url, json={"text": " "}, headers=admin.headers), 422)["errors"][0][
            "field"
        ]
        == "text"
    )


def test_members_read_admins_write(
    client: TestClient, admin: Tenant, member: Tenant, records: CompanyRecords
) -> None:
    path = f"/bills/{records.bill}"
    problem(upload(client, member, path, "a.pdf"), 403)
    problem(client.post(member.url(f"{path}/notes"), json={"text": "x"}, headers=member.headers),
            403)  # fmt: skip
    file_id = upload(client, admin, path, "a.pdf").json()["id"]
    assert client.get(
        member.url(f"{path}/attachments/{file_id}"), headers=member.headers
    ).is_success
    problem(client.delete(member.url(f"{path}/attachments/{file_id}"), headers=member.headers), 403)


def test_another_companys_documents_are_not_found(
    client: TestClient, admin: Tenant, other: Tenant, records: CompanyRecords
) -> None:
    file_id = upload(client, admin, f"/bills/{records.bill}", "a.pdf").json()["id"]
    # Their own company id with our document id: not theirs, so not found.
    problem(upload(client, other, f"/bills/{records.bill}", "b.pdf"), 404)
    problem(client.get(other.url(f"/bills/{records.bill}/attachments/{file_id}"),
                       headers=other.headers), 404)  # fmt: skip
    # A file of one document asked for under another document of the same company.
    problem(client.get(admin.url(f"/bills/{records.draft_bill}/attachments/{file_id}"),
                       headers=admin.headers), 404)  # fmt: skip
    # A bill's id under invoices.
    problem(upload(client, admin, f"/invoices/{records.bill}", "c.pdf"), 404)


def test_files_in_a_folder_for_sqlite_installs(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'ledgerlink.db'}"
    upgrade(database_url)
    folder = tmp_path / "files"
    container = Container(Settings(database_url=database_url, attachments_dir=folder))
    try:
        admin = make_tenant(container, "Acme Ltd", "admin@acme.test", Role.ADMIN)
        with TestClient(container.api()) as client:
            records = make_records(client, admin, "Acme")
            created = upload(client, admin, f"/bills/{records.bill}", "a.pdf").json()
            on_disk = [p for p in folder.rglob("*") if p.is_file()]
            assert [p.read_bytes() for p in on_disk] == [SCAN]
            assert on_disk[0].name == created["sha256"]
            with container.uow() as uow:
                (content,) = uow.session.execute(select(file_contents.c.content)).scalars()
            assert content is None, "the bytes are in the folder, not the database"
            url = admin.url(f"/bills/{records.bill}/attachments/{created['id']}")
            assert client.get(url, headers=admin.headers).content == SCAN
            client.delete(url, headers=admin.headers)
            assert [p for p in folder.rglob("*") if p.is_file()] == []
    finally:
        container.close()


def test_a_folder_is_refused_with_postgresql() -> None:
    with pytest.raises(ValueError, match="LEDGERLINK_ATTACHMENTS_DIR is for SQLite installs"):
        Settings(database_url="postgresql://db/ledgerlink", attachments_dir=Path("files"))
