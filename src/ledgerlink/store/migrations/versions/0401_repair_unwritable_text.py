"""Repair lone surrogates and NULs stored before text was checked where it enters.

Revision ID: 0401
Revises: 0400
"""

from collections.abc import Sequence

from alembic import op

from ledgerlink.store.text_repair import repair_unwritable_text

revision: str = "0401"
down_revision: str | Sequence[str] | None = "0400"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    repair_unwritable_text(op.get_bind())


def downgrade() -> None:
    """The bad characters are not put back."""
