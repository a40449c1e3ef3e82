"""Files and notes on documents, and the files' bytes stored once per company and content.

Revision ID: 0710
Revises: 0600
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0710"
down_revision: str | Sequence[str] | None = "0600"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _towards_xero() -> list[sa.Column[object]]:
    return [
        sa.Column("xero_state", sa.String(length=20), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
    ]


def _company_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["company_id"],
        ["companies.id"],
        name=op.f(f"fk_{table}_company_id_companies"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "file_contents",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _company_key("file_contents"),
        sa.PrimaryKeyConstraint("company_id", "sha256", name=op.f("pk_file_contents")),
    )
    op.create_table(
        "document_files",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("mime_type", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("xero_attachment_id", sa.String(length=64), nullable=True),
        *_towards_xero(),
        _company_key("document_files"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_files")),
    )
    op.create_index(
        op.f("ix_document_files_company_id_kind_document_id"),
        "document_files",
        ["company_id", "kind", "document_id"],
    )
    op.create_index(
        op.f("ix_document_files_xero_state_company_id"),
        "document_files",
        ["xero_state", "company_id"],
    )
    op.create_table(
        "document_notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=320), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_towards_xero(),
        _company_key("document_notes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_notes")),
    )
    op.create_index(
        op.f("ix_document_notes_company_id_kind_document_id"),
        "document_notes",
        ["company_id", "kind", "document_id"],
    )
    op.create_index(
        op.f("ix_document_notes_xero_state_company_id"),
        "document_notes",
        ["xero_state", "company_id"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_document_notes_xero_state_company_id"), table_name="document_notes")
    op.drop_index(
        op.f("ix_document_notes_company_id_kind_document_id"), table_name="document_notes"
    )
    op.drop_table("document_notes")
    op.drop_index(op.f("ix_document_files_xero_state_company_id"), table_name="document_files")
    op.drop_index(
        op.f("ix_document_files_company_id_kind_document_id"), table_name="document_files"
    )
    op.drop_table("document_files")
    op.drop_table("file_contents")
