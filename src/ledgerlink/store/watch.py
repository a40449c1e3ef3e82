"""What an operator reads from the database: the outbox's depth and the bound organisations."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledgerlink.store.tables.outbox import outbox
from ledgerlink.store.tables.xero_connections import xero_connections

WAITING_STATES = ("pending", "claimed", "failed")


def outbox_depth(session: Session) -> list[tuple[str, str, int]]:
    """``(state, kind, rows)`` of the rows for Xero not yet done, across companies."""
    rows = session.execute(
        select(outbox.c.state, outbox.c.kind, func.count())
        .where(outbox.c.reaches_xero.is_(True), outbox.c.state.in_(WAITING_STATES))
        .group_by(outbox.c.state, outbox.c.kind)
    )
    return [(state, kind, int(count)) for state, kind, count in rows]


def bound_organisations(session: Session) -> list[str]:
    """The tenant ids of the Xero organisations companies are bound to."""
    rows = session.execute(
        select(xero_connections.c.tenant_id).where(xero_connections.c.tenant_id.is_not(None))
    )
    return sorted(tenant for (tenant,) in rows)
