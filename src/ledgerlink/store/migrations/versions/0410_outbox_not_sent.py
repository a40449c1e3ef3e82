"""Outbox rows of events that are not sent to Xero are settled as ``not_sent``.

Events that stay local, and events of kinds not sent to Xero yet (customers, items, sales
invoices, credit notes, payments, refunds, store credit), used to be written ``pending``
and wait forever. They are now written ``not_sent``; the rows already waiting are too.

Revision ID: 0410
Revises: 0500
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0410"
down_revision: str | Sequence[str] | None = "0500"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The kinds sent to Xero when this revision was written.
SENT_KINDS = ("supplier", "purchase_order", "bill")
OLD_STATES = "state IN ('pending', 'claimed', 'done', 'failed')"
NEW_STATES = "state IN ('pending', 'claimed', 'done', 'failed', 'not_sent')"

outbox = sa.table(
    "outbox",
    sa.column("kind", sa.String),
    sa.column("state", sa.String),
    sa.column("reaches_xero", sa.Boolean),
)


def _states(allowed: str) -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint(op.f("ck_outbox_state"), type_="check")
        batch.create_check_constraint(op.f("ck_outbox_state"), sa.text(allowed))


def upgrade() -> None:
    _states(NEW_STATES)
    op.get_bind().execute(
        outbox.update()
        .where(
            outbox.c.state == "pending",
            sa.or_(outbox.c.reaches_xero.is_(False), outbox.c.kind.not_in(SENT_KINDS)),
        )
        .values(state="not_sent", reaches_xero=False)
    )


def downgrade() -> None:
    # The rows keep their reaches_xero = false: an earlier release never claims them.
    op.get_bind().execute(
        outbox.update().where(outbox.c.state == "not_sent").values(state="pending")
    )
    _states(OLD_STATES)
