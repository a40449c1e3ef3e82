"""Files and notes on documents, and the files' bytes, kept once per company and content.

`file_contents` holds each distinct file once (by its SHA-256): a file used on two documents
is stored once. Its bytes live in `content` (the default: every worker on every machine
reads them from the database) or, for SQLite installs that choose it, in a folder, and then
`content` is NULL. `document_files` and `document_notes` say which document has which file
or note and how far each has got towards Xero (`xero_state`); a deleted file keeps its
row (and hash) after its bytes are gone, so there is no foreign key to `file_contents`.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    Text,
    Uuid,
)

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import UtcDateTime

file_contents = Table(
    "file_contents",
    metadata,
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True),
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("content", LargeBinary, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)


def _towards_xero() -> list[Column[object]]:
    return [
        Column("xero_state", String(20), nullable=False),
        Column("sent_at", UtcDateTime, nullable=True),
        Column("error", Text, nullable=True),
    ]


document_files = Table(
    "document_files",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("document_id", Uuid, nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("mime_type", String(255), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime, nullable=True),
    Column("xero_attachment_id", String(64), nullable=True),
    *_towards_xero(),
    Index(None, "company_id", "kind", "document_id"),
    Index(None, "xero_state", "company_id"),
)

document_notes = Table(
    "document_notes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("document_id", Uuid, nullable=False),
    Column("text", Text, nullable=False),
    Column("author", String(320), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    *_towards_xero(),
    Index(None, "company_id", "kind", "document_id"),
    Index(None, "xero_state", "company_id"),
)
