"""Attachments and History & Notes through the typed client, against the sandbox."""

import pytest

from xero_client import (
    MAX_ATTACHMENT_BYTES,
    FatalError,
    InvalidRequest,
    NotFound,
    ValidationFailed,
    XeroClient,
)

from .conftest import Connected
from .test_documents import bill, supplier

SCAN = b"%PDF-1.4 scanned bill\n" + bytes(range(256))


async def _bill(client: XeroClient) -> str:
    (created,) = await client.create_invoices([bill(await supplier(client), "ATT-1", "100.00")])
    assert created.id is not None
    return created.id


async def test_upload_list_download_a_file(in_process: Connected) -> None:
    client = in_process.client()
    bill_id = await _bill(client)
    saved = await client.upload_attachment(
        "Invoices", bill_id, "scan (1).pdf", SCAN, mime_type="application/pdf"
    )
    assert (saved.file_name, saved.mime_type, saved.content_length) == (
        "scan (1).pdf", "application/pdf", len(SCAN))  # fmt: skip
    assert [a.attachment_id for a in await client.list_attachments("Invoices", bill_id)] == [
        saved.attachment_id
    ]
    assert saved.attachment_id is not None
    assert await client.download_attachment("Invoices", bill_id, saved.attachment_id) == SCAN
    assert await client.download_attachment("Invoices", bill_id, "scan (1).pdf") == SCAN


async def test_an_upload_carries_its_idempotency_key(in_process: Connected) -> None:
    client = in_process.client()
    bill_id = await _bill(client)
    for _ in range(2):
        await client.upload_attachment("Invoices", bill_id, "a.pdf", SCAN, idempotency_key="h-1")
    (first, second) = in_process.writes("/Attachments/a.pdf")
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"] == "h-1"
    assert first.headers["Content-Type"] == "application/octet-stream"
    assert first.content == SCAN


async def test_a_file_over_ten_megabytes_is_refused_before_sending(in_process: Connected) -> None:
    client = in_process.client()
    bill_id = await _bill(client)
    with pytest.raises(InvalidRequest, match="at most 10485760 bytes"):
        await client.upload_attachment(
            "Invoices", bill_id, "big.pdf", b"x" * (MAX_ATTACHMENT_BYTES + 1)
        )
    assert in_process.writes("/Attachments/big.pdf") == []


async def test_xeros_refusals_reach_the_caller(in_process: Connected) -> None:
    client = in_process.client()
    bill_id = await _bill(client)
    with pytest.raises(ValidationFailed) as refused:
        await client.upload_attachment("Invoices", bill_id, "setup.exe", SCAN)
    (element,) = refused.value.elements
    assert "The file type '.exe' of 'setup.exe' is not supported" in element.messages[0]
    with pytest.raises(NotFound):
        await client.list_attachments("Invoices", "00000000-0000-0000-0000-000000000009")
    with pytest.raises(InvalidRequest, match="collection 'Payments' has no attachments"):
        await client.list_attachments("Payments", bill_id)  # type: ignore[arg-type]


async def test_a_413_is_fatal(in_process: Connected) -> None:
    # The client's own check is bypassed to see how Xero's front door answer is read.
    client = in_process.client()
    bill_id = await _bill(client)
    with pytest.raises(FatalError) as refused:
        await client.request_raw(
            "PUT",
            f"/Invoices/{bill_id}/Attachments/big.pdf",
            content=b"x" * (MAX_ATTACHMENT_BYTES + 1),
            mime_type="application/pdf",
        )
    assert refused.value.status == 413


async def test_notes_are_added_and_listed(in_process: Connected) -> None:
    client = in_process.client()
    bill_id = await _bill(client)
    added = await client.add_notes("Invoices", bill_id, ["Checked by Sam", "Paid by card"])
    assert [n.changes for n in added] == ["Note", "Note"]
    history = await client.list_history("Invoices", bill_id)
    assert [(h.changes, h.details) for h in history] == [
        ("Note", "Checked by Sam"),
        ("Note", "Paid by card"),
    ]
    assert history[0].date_utc is not None and history[0].date_utc.tzinfo is not None
    with pytest.raises(InvalidRequest):
        await client.add_notes("Invoices", bill_id, [" "])
