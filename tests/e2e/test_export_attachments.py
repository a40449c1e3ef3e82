"""Files and notes follow their bill to the Xero sandbox, over HTTP: the REST API on one
side, the sandbox on the other, a worker between."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import httpx

from ledgerlink.sync.engine import Worker, WorkerConfig
from ledgerlink.sync.export.results import ExportPolicy
from tests.integration.sync.bills import bill_body, ready, supplier
from tests.integration.sync.conftest import ClientCredentials, SandboxClients
from tests.integration.sync.harness import ExportSetup, export_setup
from xero_client import XeroAuth, XeroClient
from xero_sandbox import DEMO_TENANT_ID

__all__ = ["export_setup", "ready"]

DOCKET = b"%PDF-1.4 delivery docket\n" + bytes(range(256)) * 8
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(reversed(range(256))) * 4


def upload(setup: ExportSetup, bill_id: str, name: str, content: bytes, mime: str) -> Any:
    answer = setup.api.post(
        setup.url(f"/bills/{bill_id}/attachments"), files={"file": (name, content, mime)}
    )
    return answer


async def xero_raw(setup: ExportSetup, path: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        token = await ClientCredentials(http, setup.sandbox.base_url).access_token()
        return await http.get(
            f"{setup.sandbox.base_url}/api.xro/2.0{path}",
            headers={"Authorization": f"Bearer {token}", "xero-tenant-id": DEMO_TENANT_ID},
        )


def uploads(clients: SandboxClients) -> list[str]:
    """The file names of every upload the clients sent."""
    return [
        r.url.path.rsplit("/", 1)[-1]
        for r in clients.sent
        if r.method == "PUT" and "/Attachments/" in r.url.path
    ]


def approved_bill(setup: ExportSetup, **extra: Any) -> str:
    created = setup.post("/bills", bill_body(supplier(setup), **extra), status=201)
    bill_id = str(created["id"])
    setup.approve(f"/bills/{bill_id}")
    return bill_id


def xero_id(setup: ExportSetup, bill_id: str) -> str:
    state = setup.get(f"/sync/bill/{bill_id}")
    assert state["state"] == "sent", state
    return str(state["xero_id"])


async def test_a_bill_with_two_files_and_a_note_arrives_with_both_and_the_note(
    ready: ExportSetup,
) -> None:
    created = ready.post("/bills", bill_body(supplier(ready)), status=201)
    bill_id = str(created["id"])
    assert upload(ready, bill_id, "docket.pdf", DOCKET, "application/pdf").status_code == 201
    assert upload(ready, bill_id, "photo.png", PHOTO, "image/png").status_code == 201
    ready.post(f"/bills/{bill_id}/notes", {"text": "Checked against the docket"}, status=201)
    ready.approve(f"/bills/{bill_id}")

    await ready.run_worker()

    in_xero = xero_id(ready, bill_id)
    listed = (await ready.xero(f"/Invoices/{in_xero}/Attachments"))["Attachments"]
    assert sorted((a["FileName"], a["MimeType"]) for a in listed) == [
        ("docket.pdf", "application/pdf"),
        ("photo.png", "image/png"),
    ]
    for name, content in (("docket.pdf", DOCKET), ("photo.png", PHOTO)):
        assert (await xero_raw(ready, f"/Invoices/{in_xero}/Attachments/{name}")).content == content
    history = (await ready.xero(f"/Invoices/{in_xero}/History"))["HistoryRecords"]
    assert [h["Details"] for h in history if h["Changes"] == "Note"] == [
        "Checked against the docket"
    ]
    files = ready.get(f"/bills/{bill_id}/attachments")["data"]
    assert {f["xero_state"] for f in files} == {"sent"}
    assert {f["xero_attachment_id"] for f in files} == {a["AttachmentID"] for a in listed}
    assert ready.get(f"/bills/{bill_id}/notes")["data"][0]["xero_state"] == "sent"
    log = ready.get(f"/sync/bill/{bill_id}")["log"]
    assert [(e["action"], e["outcome"]) for e in log if e["action"] in ("attach", "note")] == [
        ("attach", "sent"), ("attach", "sent"), ("note", "sent")]  # fmt: skip

    await ready.run_worker()
    assert sorted(uploads(ready.clients)) == ["docket.pdf", "photo.png"], "each file once"


async def test_a_file_added_after_the_bill_was_sent_goes_on_its_own(ready: ExportSetup) -> None:
    bill_id = approved_bill(ready)
    await ready.run_worker()
    sent_before = len(ready.clients.sent)

    assert upload(ready, bill_id, "late.pdf", DOCKET, "application/pdf").status_code == 201
    await ready.run_worker()

    later = ready.clients.sent[sent_before:]
    writes = [
        (r.method, r.url.path.rsplit("/", 2)[-2:])
        for r in later
        if r.method != "GET" and "/api.xro/" in r.url.path
    ]
    assert writes == [("PUT", ["Attachments", "late.pdf"])], "the file alone, not the bill"
    listed = (await ready.xero(f"/Invoices/{xero_id(ready, bill_id)}/Attachments"))["Attachments"]
    assert [a["FileName"] for a in listed] == ["late.pdf"]


async def test_a_deleted_file_stays_in_xero_and_the_log_says_so(ready: ExportSetup) -> None:
    bill_id = approved_bill(ready)
    file_id = upload(ready, bill_id, "kept.pdf", DOCKET, "application/pdf").json()["id"]
    await ready.run_worker()

    assert ready.api.delete(ready.url(f"/bills/{bill_id}/attachments/{file_id}")).status_code == 204
    await ready.run_worker()

    listed = (await ready.xero(f"/Invoices/{xero_id(ready, bill_id)}/Attachments"))["Attachments"]
    assert [a["FileName"] for a in listed] == ["kept.pdf"]
    (entry,) = [
        e for e in ready.get(f"/sync/bill/{bill_id}")["log"] if e["outcome"] == "left_in_xero"
    ]
    assert "'kept.pdf' deleted here; it stays on the bill in Xero" in entry["summary"]
    assert "remove the file from the bill in Xero by hand" in entry["fix"]

    # The same bytes under another name are another file, and go too.
    assert upload(ready, bill_id, "kept-again.pdf", DOCKET, "application/pdf").is_success
    await ready.run_worker()
    listed = (await ready.xero(f"/Invoices/{xero_id(ready, bill_id)}/Attachments"))["Attachments"]
    assert sorted(a["FileName"] for a in listed) == ["kept-again.pdf", "kept.pdf"]


async def test_limits_are_refused_before_storing_and_nothing_more_reaches_xero(
    ready: ExportSetup,
) -> None:
    bill_id = approved_bill(ready)
    for number in range(10):
        page = DOCKET + bytes([number])
        assert upload(ready, bill_id, f"page-{number}.pdf", page, "application/pdf").is_success
    eleventh = upload(ready, bill_id, "page-10.pdf", b"more", "application/pdf")
    assert eleventh.status_code == 422
    assert "Xero's limit is 10 a document" in eleventh.json()["errors"][0]["message"]
    too_big = upload(ready, bill_id, "huge.zip", b"x" * (10 * 1024 * 1024 + 1), "application/zip")
    assert too_big.status_code == 422
    await ready.run_worker()
    listed = (await ready.xero(f"/Invoices/{xero_id(ready, bill_id)}/Attachments"))["Attachments"]
    assert len(listed) == 10


async def test_a_worker_killed_between_upload_and_record_uploads_nothing_twice(
    ready: ExportSetup,
) -> None:
    # Only the lookup before a resend can save us: the sandbox ignores Idempotency-Key.
    await ready.control("POST", "/idempotency", {"honour_keys": False})
    created = ready.post("/bills", bill_body(supplier(ready)), status=201)
    bill_id = str(created["id"])
    upload(ready, bill_id, "a-docket.pdf", DOCKET, "application/pdf")
    upload(ready, bill_id, "b-photo.png", PHOTO, "image/png")
    ready.approve(f"/bills/{bill_id}")
    # The first upload is stored in Xero, then its connection drops: the worker that sent it
    # learns nothing (one attempt, as if it died there) and records nothing about it.
    fault = {"kind": "drop", "method": "PUT", "path": "*/Attachments/*", "times": 1}
    await ready.control("POST", "/faults", fault)
    dying = SandboxClients(ready.sandbox.base_url, attempts=1)
    config = WorkerConfig(name="dies", policy=ExportPolicy(backoff_base_seconds=0.05))
    await Worker(ready.container.uow, dying, config=config).run_pass()
    assert uploads(dying) == ["a-docket.pdf", "b-photo.png"]
    files = {
        f["file_name"]: f["xero_state"] for f in ready.get(f"/bills/{bill_id}/attachments")["data"]
    }
    assert files == {"a-docket.pdf": "sending", "b-photo.png": "sent"}

    await ready.run_worker()

    assert uploads(ready.clients) == [], "the dropped upload was found, not sent again"
    in_xero = xero_id(ready, bill_id)
    listed = (await ready.xero(f"/Invoices/{in_xero}/Attachments"))["Attachments"]
    assert sorted(a["FileName"] for a in listed) == ["a-docket.pdf", "b-photo.png"]
    assert (
        await xero_raw(ready, f"/Invoices/{in_xero}/Attachments/a-docket.pdf")
    ).content == DOCKET
    stats = await ready.control("GET", "/stats")
    (demo,) = [o for o in stats["organisations"] if o["tenantId"] == DEMO_TENANT_ID]
    puts = sum(
        c["count"] for c in demo["calls"] if c["method"] == "PUT" and "/Attachments/" in c["path"]
    )
    assert puts == 2, "one upload per file reached Xero"
    log = ready.get(f"/sync/bill/{bill_id}")["log"]
    assert any("found in Xero, not sent again" in e["summary"] for e in log)


class WithoutFiles(ClientCredentials):
    """A connection made before ledgerlink asked for `accounting.attachments`."""

    async def _fetch(self) -> str:
        answer = await self._http.post(
            f"{self._root}/connect/token",
            data={"grant_type": "client_credentials",
                  "scope": "accounting.transactions accounting.contacts accounting.settings"},
            auth=("sandbox-client", "sandbox-secret"),
        )  # fmt: skip
        answer.raise_for_status()
        self._token = str(answer.json()["access_token"])
        return self._token


class ClientsWithoutFiles(SandboxClients):
    @asynccontextmanager
    async def __call__(self, company_id: UUID) -> AsyncIterator[XeroClient]:
        async with super().__call__(company_id) as client, httpx.AsyncClient() as http:
            client._auth = XeroAuth(WithoutFiles(http, self.root))
            yield client


async def test_a_connection_without_file_access_says_so_once_and_waits(ready: ExportSetup) -> None:
    created = ready.post("/bills", bill_body(supplier(ready)), status=201)
    bill_id = str(created["id"])
    upload(ready, bill_id, "docket.pdf", DOCKET, "application/pdf")
    ready.approve(f"/bills/{bill_id}")
    clients = ClientsWithoutFiles(ready.sandbox.base_url)
    worker = Worker(ready.container.uow, clients, config=WorkerConfig(name="old-scopes"))
    await worker.run_pass()
    await worker.run_pass()  # paused: no second try at once

    # One try, sent twice: on a 401 the client refreshes its token and asks once more.
    assert uploads(clients) == ["docket.pdf", "docket.pdf"]
    (file,) = ready.get(f"/bills/{bill_id}/attachments")["data"]
    assert file["xero_state"] == "pending"
    assert "connect the company to Xero again" in file["error"]
    failed = [e for e in ready.get(f"/sync/bill/{bill_id}")["log"] if e["outcome"] == "failed"]
    assert [e["fix"] for e in failed] == [file["error"]]

    await ready.run_worker()  # a connection that allows files
    (file,) = ready.get(f"/bills/{bill_id}/attachments")["data"]
    assert (file["xero_state"], file["error"]) == ("sent", None)
