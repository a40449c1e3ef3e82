"""Attachments on invoices, credit notes, purchase orders, bank transactions and contacts.

`PUT`/`POST /{Collection}/{id}/Attachments/{FileName}` takes the file's raw bytes with its
`Content-Type`; a file with a name already on the record replaces it (Xero matches on the
name, case-insensitively). `GET .../Attachments` lists them, `GET .../Attachments/{ref}`
answers the bytes of one by AttachmentID or FileName. Xero's limits: 10 files a record,
10 MB a file (an over-size upload is refused by Xero's front door with 413
`RequestEntityTooLarge`), and only the file types its web app takes. The wording of the count
and type refusals is the sandbox's own; Xero answers them as validation errors.

Files live on their record under `_Attachments` (the bytes base64-encoded, so `--data`
persistence and the all-or-nothing checkpoint handle them like any other field).
"""

import base64
import uuid
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.context import flag, ledger_of, now_of
from xero_sandbox.accounting.history import COLLECTIONS, add_history, find_record
from xero_sandbox.accounting.ledger import Record
from xero_sandbox.accounting.wire import envelope, json_response, not_found, validation_exception

MAX_ATTACHMENTS_PER_RECORD = 10
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
#: The file types Xero takes as attachments (its web app's list).
ALLOWED_EXTENSIONS = frozenset(
    ("7z", "bmp", "csv", "doc", "docx", "eml", "gif", "jpeg", "jpg", "keynote", "msg",
     "numbers", "odf", "ods", "odt", "pages", "pdf", "png", "ppt", "pptx", "rar", "rtf",
     "tif", "tiff", "txt", "xls", "xlsx", "zip")
)  # fmt: skip
_PUBLIC_FIELDS = ("AttachmentID", "FileName", "MimeType", "ContentLength", "IncludeOnline")
_CONTENT = "_Content"
ATTACHMENTS = "_Attachments"


def attachments_of(record: Record) -> list[Record]:
    """The record's attachments, oldest first."""
    files: list[Record] = record.get(ATTACHMENTS, [])
    return files


def content_of(attachment: Record) -> bytes:
    """The bytes of one stored attachment."""
    return base64.b64decode(attachment[_CONTENT])


def refusal(record: Record, file_name: str, size: int) -> Response | None:
    """Xero's answer to an upload it refuses, or None when the file may be stored."""
    if size > MAX_ATTACHMENT_BYTES:
        body: dict[str, object] = {
            "Type": None,
            "Title": "RequestEntityTooLarge",
            "Status": 413,
            "Detail": "PayloadTooLarge",
            "Instance": str(uuid.uuid4()),
            "Extensions": {},
        }
        return json_response(body, status_code=413)
    problems: list[str] = []
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension not in ALLOWED_EXTENSIONS:
        problems.append(
            f"The file type '.{extension}' of '{file_name}' is not supported; allowed types: "
            + ", ".join(sorted(ALLOWED_EXTENSIONS))
        )
    if size == 0:
        problems.append(f"The file '{file_name}' is empty")
    replaces = _named(record, file_name) is not None
    if not replaces and len(attachments_of(record)) >= MAX_ATTACHMENTS_PER_RECORD:
        problems.append(
            f"The maximum number of attachments ({MAX_ATTACHMENTS_PER_RECORD}) "
            "has been reached for this record"
        )
    if not problems:
        return None
    return validation_exception([{"ValidationErrors": [{"Message": m} for m in problems]}])


def _named(record: Record, file_name: str) -> Record | None:
    wanted = file_name.lower()
    return next((a for a in attachments_of(record) if a["FileName"].lower() == wanted), None)


def _find(record: Record, ref: str) -> Record | None:
    by_id = next((a for a in attachments_of(record) if a["AttachmentID"] == ref.lower()), None)
    return by_id or _named(record, ref)


def _shown(request: Request, collection: str, record_id: str, attachment: Record) -> Record:
    root = f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}"
    shown = {field: attachment[field] for field in _PUBLIC_FIELDS}
    file_name = quote(attachment["FileName"])
    shown["Url"] = f"{root}/{collection}/{record_id}/Attachments/{file_name}"
    return shown


def _routes_for(collection: str, id_field: str) -> list[Route]:
    base = f"/{collection}/{{{id_field}}}/Attachments"

    def record_of(request: Request) -> Record | None:
        return find_record(ledger_of(request), collection, request.path_params[id_field])

    async def list_attachments(request: Request) -> Response:
        record = record_of(request)
        if record is None:
            return not_found()
        record_id = record[id_field]
        shown = [_shown(request, collection, record_id, a) for a in attachments_of(record)]
        return envelope("Attachments", shown, now_of(request))

    async def get_attachment(request: Request) -> Response:
        record = record_of(request)
        attachment = None if record is None else _find(record, request.path_params["ref"])
        if attachment is None:
            return not_found()
        return Response(content_of(attachment), media_type=attachment["MimeType"])

    async def upload(request: Request) -> Response:
        content = await request.body()
        record = record_of(request)
        if record is None:
            return not_found()
        file_name = request.path_params["ref"].strip()
        refused = refusal(record, file_name, len(content))
        if refused is not None:
            return refused
        mime_type = request.headers.get("content-type") or "application/octet-stream"
        online = flag(request, "IncludeOnline", False) and _may_show_online(record)
        now = now_of(request)
        attachment = _named(record, file_name)
        if attachment is None:
            attachment = {"AttachmentID": str(uuid.uuid4())}
            record.setdefault(ATTACHMENTS, []).append(attachment)
        attachment.update(
            FileName=file_name,
            MimeType=mime_type,
            ContentLength=len(content),
            IncludeOnline=online,
        )
        attachment[_CONTENT] = base64.b64encode(content).decode("ascii")
        record["HasAttachments"] = True
        add_history(record, "Attachment", f"Attached the file {file_name} through the API", now)
        shown = _shown(request, collection, record[id_field], attachment)
        return envelope("Attachments", [shown], now)

    return [
        Route(base, list_attachments, methods=["GET"]),
        Route(f"{base}/{{ref:path}}", get_attachment, methods=["GET"]),
        Route(f"{base}/{{ref:path}}", upload, methods=["PUT", "POST"]),
    ]


def _may_show_online(record: Record) -> bool:
    """`IncludeOnline` applies to what a customer sees online: sales invoices and credits."""
    return record.get("Type") in ("ACCREC", "ACCRECCREDIT")


def routes() -> list[Route]:
    """The attachment routes of every collection that has them."""
    return [
        route
        for collection, id_field in COLLECTIONS.items()
        for route in _routes_for(collection, id_field)
    ]
