"""Changes of customers, items, sales invoices, credit notes and payments are sent now.

Revision 0410 settled their rows as ``not_sent`` (no kind sent them then). The exporter
sends these kinds now, so the changes that reach Xero wait for the worker again: a
customer, item, invoice, credit note or payment recorded before the upgrade reaches Xero
after it, as the README always said it would. Steps that stay local stay ``not_sent``.

Revision ID: 0730
Revises: 0700
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0730"
down_revision: str | Sequence[str] | None = "0700"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The kinds this revision starts sending, and the events of theirs that reach Xero.
NEWLY_SENT = {
    "customer": ("PartyChanged",),
    "item": ("ItemChanged",),
    "sales_invoice": ("DocumentApproved", "DocumentEdited", "DocumentCancelled"),
    "credit_note": ("DocumentApproved", "DocumentEdited", "DocumentCancelled"),
    "payment": ("PaymentRecorded", "DocumentCancelled"),
}

outbox = sa.table(
    "outbox",
    sa.column("kind", sa.String),
    sa.column("event_type", sa.String),
    sa.column("state", sa.String),
    sa.column("reaches_xero", sa.Boolean),
)


def upgrade() -> None:
    bind = op.get_bind()
    for kind, events in NEWLY_SENT.items():
        bind.execute(
            outbox.update()
            .where(
                outbox.c.state == "not_sent",
                outbox.c.kind == kind,
                outbox.c.event_type.in_(events),
            )
            .values(state="pending", reaches_xero=True)
        )


def downgrade() -> None:
    op.get_bind().execute(
        outbox.update()
        .where(outbox.c.state == "pending", outbox.c.kind.in_(tuple(NEWLY_SENT)))
        .values(state="not_sent", reaches_xero=False)
    )
