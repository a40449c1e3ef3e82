"""Attachments and History & Notes on the records that have them, as Xero serves them."""

from typing import Any

import pytest

from xero_sandbox.accounting import Ledger
from xero_sandbox.accounting.attachments import MAX_ATTACHMENT_BYTES

from .builders import bill, sale
from .conftest import API, XeroApi

PDF = b"%PDF-1.4 scanned supplier invoice\n" + bytes(range(256))


async def _created(api: XeroApi, collection: str, body: dict[str, Any]) -> tuple[str, str]:
    response = await api.put(f"/{collection}", {collection: [body]})
    assert response.status_code == 200, response.text
    record = response.json()[collection][0]
    id_field = {"Invoices": "InvoiceID", "PurchaseOrders": "PurchaseOrderID",
                "CreditNotes": "CreditNoteID", "Contacts": "ContactID",
                "BankTransactions": "BankTransactionID"}[collection]  # fmt: skip
    return f"/{collection}/{record[id_field]}", record[id_field]


async def _upload(
    api: XeroApi, path: str, name: str, content: bytes, mime: str = "application/pdf", **params: Any
) -> Any:
    return await api.call(
        "PUT",
        f"{path}/Attachments/{name}",
        content=content,
        headers={"content-type": mime},
        params=params,
    )


RECORDS = {
    "Invoices": bill(),
    "PurchaseOrders": {"Contact": {"Name": "ABC Furniture"}, "Date": "2026-03-02",
                       "LineItems": [{"Description": "Desk", "Quantity": 1,
                                      "UnitAmount": "320.00", "AccountCode": "630"}]},
    "CreditNotes": {"Type": "ACCPAYCREDIT", "Contact": {"Name": "ABC Furniture"},
                    "Date": "2026-03-02", "LineItems": [{"Description": "Refund", "Quantity": 1,
                                                         "UnitAmount": "10.00",
                                                         "AccountCode": "300"}]},
    "Contacts": {"Name": "Files Ltd"},
}  # fmt: skip


@pytest.mark.parametrize("collection", sorted(RECORDS))
async def test_upload_list_and_download(api: XeroApi, collection: str) -> None:
    path, record_id = await _created(api, collection, RECORDS[collection])
    uploaded = await _upload(api, path, "scan 1.pdf", PDF)
    assert uploaded.status_code == 200, uploaded.text
    (attachment,) = uploaded.json()["Attachments"]
    assert (attachment["FileName"], attachment["MimeType"], attachment["ContentLength"]) == (
        "scan 1.pdf", "application/pdf", len(PDF))  # fmt: skip
    assert attachment["Url"].endswith(f"/{collection}/{record_id}/Attachments/scan%201.pdf")
    listed = (await api.get(f"{path}/Attachments")).json()["Attachments"]
    assert [a["AttachmentID"] for a in listed] == [attachment["AttachmentID"]]
    by_id = await api.get(f"{path}/Attachments/{attachment['AttachmentID']}")
    by_name = await api.get(f"{path}/Attachments/scan 1.pdf")
    assert by_id.content == by_name.content == PDF
    assert by_id.headers["content-type"] == "application/pdf"
    record = (await api.get(path)).json()[collection][0]
    assert record["HasAttachments"] is True


async def test_a_file_with_the_same_name_replaces_the_first(api: XeroApi) -> None:
    path, _ = await _created(api, "Invoices", bill())
    first = (await _upload(api, path, "scan.pdf", PDF)).json()["Attachments"][0]
    second = (await _upload(api, path, "SCAN.pdf", b"new bytes")).json()["Attachments"][0]
    assert second["AttachmentID"] == first["AttachmentID"]
    (listed,) = (await api.get(f"{path}/Attachments")).json()["Attachments"]
    assert listed["ContentLength"] == len(b"new bytes")


async def test_include_online_only_on_sales_invoices(api: XeroApi) -> None:
    sale_path, _ = await _created(api, "Invoices", sale())
    bill_path, _ = await _created(api, "Invoices", bill())
    online = await _upload(api, sale_path, "terms.pdf", PDF, IncludeOnline="true")
    on_bill = await _upload(api, bill_path, "terms.pdf", PDF, IncludeOnline="true")
    assert online.json()["Attachments"][0]["IncludeOnline"] is True
    assert on_bill.json()["Attachments"][0]["IncludeOnline"] is False


async def test_at_most_ten_files_a_record(api: XeroApi, ledger: Ledger) -> None:
    path, _ = await _created(api, "Invoices", bill())
    for number in range(10):
        assert (await _upload(api, path, f"page-{number}.pdf", PDF)).status_code == 200
    refused = await _upload(api, path, "page-10.pdf", PDF)
    assert refused.status_code == 400
    message = refused.json()["Elements"][0]["ValidationErrors"][0]["Message"]
    assert message == "The maximum number of attachments (10) has been reached for this record"
    # Replacing one of the ten is still allowed.
    assert (await _upload(api, path, "page-3.pdf", b"again")).status_code == 200
    assert len((await api.get(f"{path}/Attachments")).json()["Attachments"]) == 10


async def test_a_file_over_ten_megabytes_is_refused(api: XeroApi) -> None:
    path, _ = await _created(api, "Invoices", bill())
    # Xero's front door answers this one (a platform problem, outside the accounting spec).
    refused = await api.client.put(
        f"{API}{path}/Attachments/big.pdf", content=b"x" * (MAX_ATTACHMENT_BYTES + 1)
    )
    assert refused.status_code == 413
    assert (refused.json()["Title"], refused.json()["Detail"]) == (
        "RequestEntityTooLarge", "PayloadTooLarge")  # fmt: skip
    assert (await _upload(api, path, "max.pdf", b"x" * MAX_ATTACHMENT_BYTES)).status_code == 200


@pytest.mark.parametrize("name", ["setup.exe", "noextension", "empty.pdf"])
async def test_refused_files(api: XeroApi, name: str) -> None:
    path, _ = await _created(api, "Invoices", bill())
    refused = await _upload(api, path, name, b"" if name == "empty.pdf" else PDF)
    assert refused.status_code == 400
    assert name in refused.json()["Elements"][0]["ValidationErrors"][0]["Message"]
    assert (await api.get(f"{path}/Attachments")).json()["Attachments"] == []


async def test_unknown_record_or_file_is_not_found(api: XeroApi) -> None:
    missing = "/Invoices/00000000-0000-0000-0000-000000000001"
    assert (await _upload(api, missing, "a.pdf", PDF)).status_code == 404
    assert (await api.get(f"{missing}/Attachments")).status_code == 404
    path, _ = await _created(api, "Invoices", bill())
    assert (await api.get(f"{path}/Attachments/nothing.pdf")).status_code == 404


async def test_notes_are_added_and_listed_with_the_attachment_entry(api: XeroApi) -> None:
    path, _ = await _created(api, "PurchaseOrders", RECORDS["PurchaseOrders"])
    added = await api.put(f"{path}/History", {"HistoryRecords": [{"Details": "Deliver to bay 2"}]})
    assert added.status_code == 200, added.text
    assert added.json()["HistoryRecords"][0]["Changes"] == "Note"
    await _upload(api, path, "quote.pdf", PDF)
    history = (await api.get(f"{path}/History")).json()["HistoryRecords"]
    assert [(h["Changes"], h["Details"]) for h in history] == [
        ("Note", "Deliver to bay 2"),
        ("Attachment", "Attached the file quote.pdf through the API"),
    ]


async def test_a_note_without_details_is_refused(api: XeroApi) -> None:
    path, _ = await _created(api, "Invoices", bill())
    refused = await api.put(f"{path}/History", {"HistoryRecords": [{"Details": " "}]})
    assert refused.status_code == 400
    message = refused.json()["Elements"][0]["ValidationErrors"][0]["Message"]
    assert message == "Details is required: send the note's text in Details"
    assert (await api.get(f"{path}/History")).json()["HistoryRecords"] == []


async def test_an_upload_and_a_note_are_undone_with_their_write(
    api: XeroApi, ledger: Ledger
) -> None:
    # The platform takes a checkpoint before every write and rolls back to it when the write
    # fails; files and notes live on their record, so they go back with it.
    path, invoice_id = await _created(api, "Invoices", bill())
    checkpoint = ledger.checkpoint()
    assert (await _upload(api, path, "scan.pdf", PDF)).status_code == 200
    await api.put(f"{path}/History", {"HistoryRecords": [{"Details": "Undone"}]})
    ledger.roll_back(checkpoint)
    ledger.settle()
    assert (await api.get(f"{path}/Attachments")).json()["Attachments"] == []
    assert (await api.get(f"{path}/History")).json()["HistoryRecords"] == []
    assert ledger.invoices[invoice_id]["HasAttachments"] is False
