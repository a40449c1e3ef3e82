"""History & Notes: `PUT /{Collection}/{id}/History` adds a note, `GET` lists the history.

Xero keeps a record's history (what changed, when, by whom); the API can read it and add
notes (`Changes` is `Note`). Uploading a file adds an `Attachment` entry, as in Xero.
History lives on its record under `_History`.
"""

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.context import BadRequest, ledger_of, now_of, parse_elements
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.wire import bad_request, envelope, not_found, validation_exception

HISTORY = "_History"
#: Who the sandbox names as the author of what an app adds.
API_USER = "Xero Sandbox API"
#: The collections with History & Notes and attachments, and their id fields.
COLLECTIONS: dict[str, str] = {
    "Invoices": "InvoiceID",
    "CreditNotes": "CreditNoteID",
    "PurchaseOrders": "PurchaseOrderID",
    "BankTransactions": "BankTransactionID",
    "Contacts": "ContactID",
}


def find_record(ledger: Ledger, collection: str, record_id: str) -> Record | None:
    """The record of `collection` with this id (ids are matched case-insensitively)."""
    return ledger.tables[collection].get(record_id.strip().lower())


def add_history(record: Record, changes: str, details: str, now: datetime) -> Record:
    """Append one history entry to a record."""
    entry = {"Changes": changes, "DateUTC": now, "User": API_USER, "Details": details}
    record.setdefault(HISTORY, []).append(entry)
    return entry


def history_of(record: Record) -> list[Record]:
    """A record's history, oldest first."""
    entries: list[Record] = record.get(HISTORY, [])
    return entries


def _note_problems(element: dict[str, Any]) -> list[str]:
    details = element.get("Details")
    if not isinstance(details, str) or not details.strip():
        return ["Details is required: send the note's text in Details"]
    return []


def _routes_for(collection: str, id_field: str) -> list[Route]:
    path = f"/{collection}/{{{id_field}}}/History"

    def record_of(request: Request) -> Record | None:
        return find_record(ledger_of(request), collection, request.path_params[id_field])

    async def list_history(request: Request) -> Response:
        record = record_of(request)
        if record is None:
            return not_found()
        return envelope("HistoryRecords", history_of(record), now_of(request))

    async def add_notes(request: Request) -> Response:
        body = await request.body()
        record = record_of(request)
        if record is None:
            return not_found()
        try:
            elements = parse_elements(body, "HistoryRecords")
        except BadRequest as error:
            return bad_request(str(error))
        refused = [
            {"ValidationErrors": [{"Message": m} for m in problems]}
            for problems in map(_note_problems, elements)
            if problems
        ]
        if refused:
            return validation_exception(refused)
        now = now_of(request)
        added = [add_history(record, "Note", e["Details"].strip(), now) for e in elements]
        return envelope("HistoryRecords", added, now)

    return [
        Route(path, list_history, methods=["GET"]),
        Route(path, add_notes, methods=["PUT"]),
    ]


def routes() -> list[Route]:
    """The history routes of every collection that has them."""
    return [
        route
        for collection, id_field in COLLECTIONS.items()
        for route in _routes_for(collection, id_field)
    ]
