"""Files and notes on documents, and the limits Xero puts on them.

Xero takes at most 10 files a record and 10 MB a file, of the types its web app accepts
(https://developer.xero.com/documentation/api/accounting/attachments). A file is refused
here, before it is stored, when Xero would refuse it later: a document never holds a file
that cannot follow it.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterable

from ledgerlink.domain.errors import InvalidDocument, InvalidValue

MAX_FILES_PER_DOCUMENT = 10
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILE_NAME_LENGTH = 255
#: Our own cap on a note's length, so a note is one readable entry in Xero's History.
MAX_NOTE_LENGTH = 2000
#: The file types Xero takes as attachments.
ALLOWED_EXTENSIONS = frozenset(
    ("7z", "bmp", "csv", "doc", "docx", "eml", "gif", "jpeg", "jpg", "keynote", "msg",
     "numbers", "odf", "ods", "odt", "pages", "pdf", "png", "ppt", "pptx", "rar", "rtf",
     "tif", "tiff", "txt", "xls", "xlsx", "zip")
)  # fmt: skip
#: The kinds of document that carry files and notes.
DOCUMENT_KINDS = ("purchase_order", "bill", "sales_invoice", "credit_note")


def content_hash(content: bytes) -> str:
    """The SHA-256 of a file's bytes, in hex: its identity here and towards Xero."""
    return hashlib.sha256(content).hexdigest()


def mime_type_of(declared: str | None, file_name: str) -> str:
    """The file's type: as the sender declared it, else guessed from its name."""
    cleaned = (declared or "").split(";", 1)[0].strip().lower()
    if cleaned and cleaned != "application/octet-stream" and cleaned.isprintable():
        return cleaned[:255]
    guessed, _ = mimetypes.guess_type(file_name)
    return guessed or "application/octet-stream"


def check_file_name(name: str | None) -> str:
    """A file name Xero takes (its extension among the allowed types), trimmed."""
    cleaned = (name or "").strip()
    if not cleaned:
        raise InvalidValue("file", "the file has no name; send it with its file name")
    if len(cleaned) > MAX_FILE_NAME_LENGTH:
        raise InvalidValue(
            "file",
            f"the file name is {len(cleaned)} characters; shorten it to at most "
            f"{MAX_FILE_NAME_LENGTH}",
        )
    if any(c in cleaned for c in "/\\") or not cleaned.isprintable():
        raise InvalidValue(
            "file", f"the file name {cleaned!r} has a slash or a control character; rename it"
        )
    extension = cleaned.rsplit(".", 1)[-1].lower() if "." in cleaned else ""
    if extension not in ALLOWED_EXTENSIONS:
        shown = f"'.{extension}'" if extension else "no extension"
        raise InvalidValue(
            "file",
            f"{cleaned!r} has {shown}; Xero takes only these file types: "
            + ", ".join(sorted(ALLOWED_EXTENSIONS))
            + " (convert the file, e.g. to PDF)",
        )
    return cleaned


def check_file_size(size: int) -> None:
    """A file Xero takes: not empty, at most 10 MB."""
    if size == 0:
        raise InvalidValue("file", "the file is empty; send the file's content")
    if size > MAX_FILE_BYTES:
        raise InvalidValue(
            "file",
            f"the file is larger than Xero's limit of {MAX_FILE_BYTES} bytes (10 MB) a file; "
            "compress it or split it into several files",
        )


def check_room(existing_names: Iterable[str], name: str) -> None:
    """Room for one more file named `name` on a document that has `existing_names`."""
    names = [n.lower() for n in existing_names]
    if name.lower() in names:
        raise InvalidDocument(
            "file",
            f"the document already has a file named {name!r} (Xero tells files apart by "
            "name); rename the file, or delete the other one first",
        )
    if len(names) >= MAX_FILES_PER_DOCUMENT:
        raise InvalidDocument(
            "file",
            f"the document already has {len(names)} files, Xero's limit is "
            f"{MAX_FILES_PER_DOCUMENT} a document; delete one or merge files into one PDF",
        )


def check_note(text: str | None) -> str:
    """A note's text, trimmed: not empty, at most `MAX_NOTE_LENGTH` characters."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidValue("text", "the note is empty; write the note's text")
    if len(cleaned) > MAX_NOTE_LENGTH:
        raise InvalidValue(
            "text",
            f"the note is {len(cleaned)} characters; shorten it to at most {MAX_NOTE_LENGTH} "
            "or split it into several notes",
        )
    return cleaned
