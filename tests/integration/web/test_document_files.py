"""The console's document page with files and notes, and sales invoices and credit notes
listed with their sync state like the other documents."""

from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from ledgerlink.bootstrap import Container
from ledgerlink.domain.attachments import MAX_FILES_PER_DOCUMENT
from ledgerlink.store.repositories.attachments import REFUSED
from tests.integration.api.company_records import CompanyRecords, act, make_records
from tests.integration.api.conftest import Tenant
from tests.integration.web.conftest import csrf_of, sign_in

SCAN = b"%PDF-1.4 a scanned receipt\n" + bytes(range(256))


@pytest.fixture
def records(browser: TestClient, container: Container, acme: str) -> CompanyRecords:
    with container.uow() as uow:
        user = uow.users.get_by_email("admin@acme.test")
        assert user is not None
        issued = uow.tokens.issue(user.id, "tests")
        uow.commit()
    return make_records(browser, Tenant(acme, issued.secret), "Acme")


def _page(acme: str, kind: str, document: str) -> str:
    return f"/companies/{acme}/documents/{kind}/{document}"


def _upload(browser: TestClient, page: str, name: str, content: bytes = SCAN) -> Response:
    token = csrf_of(browser.get(page).text)
    return browser.post(
        f"{page}/files",
        data={"csrf_token": token},
        files={"file": (name, content, "application/pdf")},
        follow_redirects=False,
    )


def _note(browser: TestClient, page: str, text: str) -> Response:
    token = csrf_of(browser.get(page).text)
    return browser.post(
        f"{page}/notes", data={"csrf_token": token, "text": text}, follow_redirects=False
    )


def test_credit_notes_and_sales_invoices_are_listed_with_their_sync_state(
    browser: TestClient, acme: str, records: CompanyRecords
) -> None:
    sign_in(browser, "admin@acme.test")
    kinds = browser.get(f"/companies/{acme}/documents").text
    assert 'value="credit_note"' in kinds and 'value="sales_invoice"' in kinds
    notes = browser.get(f"/companies/{acme}/documents?kind=credit_note").text
    assert "Acme Supplies" in notes and "Acme Buyers" in notes  # each by its own party
    assert "not sent" in notes
    invoices = browser.get(f"/companies/{acme}/documents?kind=sales_invoice&sync=pending").text
    assert f"/documents/sales_invoice/{records.invoice}" in invoices  # issued: pending
    assert f"/documents/sales_invoice/{records.draft_invoice}" not in invoices
    shown = browser.get(_page(acme, "credit_note", records.sales_credit_note)).text
    assert "Acme Buyers" in shown and "are not sent to Xero yet" not in shown


def test_an_approved_credit_note_is_pending_on_the_documents_page(
    browser: TestClient, container: Container, acme: str, records: CompanyRecords
) -> None:
    with container.uow() as uow:
        user = uow.users.get_by_email("admin@acme.test")
        assert user is not None
        tenant = Tenant(acme, uow.tokens.issue(user.id, "tests").secret)
        uow.commit()
    act(browser, tenant, f"/credit-notes/{records.sales_credit_note}", "approve")
    sign_in(browser, "admin@acme.test")
    pending = browser.get(f"/companies/{acme}/documents?kind=credit_note&sync=pending").text
    assert f"/documents/credit_note/{records.sales_credit_note}" in pending
    assert f"/documents/credit_note/{records.purchase_credit_note}" not in pending


def test_an_admin_uploads_a_file_and_adds_a_note_and_a_member_downloads_it(
    browser: TestClient, acme: str, records: CompanyRecords
) -> None:
    page = _page(acme, "bill", records.bill)
    sign_in(browser, "admin@acme.test")
    assert "No files." in browser.get(page).text
    added = _upload(browser, page, "receipt 1.pdf")
    assert added.status_code == 303, added.text
    noted = _note(browser, page, "  Checked against the delivery docket.  ")
    assert noted.status_code == 303
    shown = browser.get(f"{page}?done=file-added").text
    assert "File added" in shown
    assert "receipt 1.pdf" in shown and "application/pdf" in shown
    assert f"{len(SCAN)} bytes" in shown
    assert "follows once its document is in Xero" in shown  # the bill is not in Xero yet
    assert "Checked against the delivery docket." in shown and "admin@acme.test" in shown

    sign_in(browser, "member@acme.test")
    seen = browser.get(page).text
    assert "receipt 1.pdf" in seen and "Checked against the delivery docket." in seen
    assert 'name="file"' not in seen and 'name="text"' not in seen  # no forms for members
    link = seen.split("download>receipt 1.pdf", 1)[0].rsplit('href="', 1)[1].rstrip('" ')
    download = browser.get(link)
    assert download.status_code == 200
    assert download.content == SCAN
    assert download.headers["content-type"] == "application/pdf"
    assert "receipt%201.pdf" in download.headers["content-disposition"]


def test_a_member_may_not_upload_a_file_or_add_a_note(
    browser: TestClient, container: Container, acme: str, records: CompanyRecords
) -> None:
    page = _page(acme, "bill", records.bill)
    sign_in(browser, "member@acme.test")
    assert _upload(browser, page, "receipt.pdf").status_code == 403
    assert _note(browser, page, "mine").status_code == 403
    with container.uow() as uow:
        company, bill = UUID(acme), UUID(records.bill)
        assert uow.files.files(company, "bill", bill) == []
        assert uow.files.notes(company, "bill", bill) == []


def test_an_upload_or_note_without_the_csrf_token_is_refused(
    browser: TestClient, container: Container, acme: str, records: CompanyRecords
) -> None:
    page = _page(acme, "bill", records.bill)
    sign_in(browser, "admin@acme.test")
    upload = browser.post(
        f"{page}/files",
        data={"csrf_token": "forged"},
        files={"file": ("receipt.pdf", SCAN, "application/pdf")},
    )
    assert upload.status_code == 403 and "Form expired" in upload.text
    note = browser.post(f"{page}/notes", data={"text": "a note"})
    assert note.status_code == 403
    with container.uow() as uow:
        company, bill = UUID(acme), UUID(records.bill)
        assert uow.files.files(company, "bill", bill) == []
        assert uow.files.notes(company, "bill", bill) == []


def test_files_xero_refuses_are_refused_with_the_apis_message(
    browser: TestClient, container: Container, acme: str, records: CompanyRecords
) -> None:
    page = _page(acme, "purchase_order", records.purchase_order)
    sign_in(browser, "admin@acme.test")
    wrong = _upload(browser, page, "tool.exe")
    assert wrong.status_code == 422
    assert "Xero takes only these file types" in wrong.text
    empty = _upload(browser, page, "empty.pdf", b"")
    assert "the file is empty" in empty.text
    for number in range(MAX_FILES_PER_DOCUMENT):
        assert _upload(browser, page, f"page {number}.pdf").status_code == 303
    eleventh = _upload(browser, page, "one more.pdf")
    assert eleventh.status_code == 422
    assert "limit is 10 a document; delete one" in eleventh.text
    blank = _note(browser, page, "   ")
    assert blank.status_code == 422 and "the note is empty" in blank.text
    with container.uow() as uow:
        company, order = UUID(acme), UUID(records.purchase_order)
        names = [f.file_name for f in uow.files.files(company, "purchase_order", order)]
        assert "tool.exe" not in names and "one more.pdf" not in names
        assert len(names) == MAX_FILES_PER_DOCUMENT
        assert uow.files.notes(company, "purchase_order", order) == []


def test_a_file_xero_refused_says_why_on_the_page(
    browser: TestClient, container: Container, acme: str, records: CompanyRecords
) -> None:
    page = _page(acme, "sales_invoice", records.invoice)
    sign_in(browser, "admin@acme.test")
    assert _upload(browser, page, "terms.pdf").status_code == 303
    with container.uow() as uow:
        company, invoice = UUID(acme), UUID(records.invoice)
        [file] = uow.files.files(company, "sales_invoice", invoice)
        uow.files.mark_files([file.id], REFUSED, error="The file is password protected")
        uow.commit()
    shown = browser.get(page).text
    assert "refused by Xero: The file is password protected" in shown


def test_another_companys_file_is_not_found(
    browser: TestClient, acme: str, globex: str, records: CompanyRecords
) -> None:
    page = _page(acme, "bill", records.bill)
    sign_in(browser, "admin@acme.test")
    _upload(browser, page, "receipt.pdf")
    link = browser.get(page).text.split("download>receipt.pdf", 1)[0].rsplit('href="', 1)[1]
    file_id = link.strip('" ').rsplit("/", 1)[1]
    assert browser.get(f"{page}/files/{file_id}").status_code == 200
    sign_in(browser, "admin@globex.test")
    assert browser.get(f"{page}/files/{file_id}").status_code == 404
    other = _page(globex, "bill", records.bill)
    assert browser.get(f"{other}/files/{file_id}").status_code == 404
