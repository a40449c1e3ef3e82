"""Store credit sent to Xero as an overpayment (``overpayments: xero_overpayment``).

The rest of a payment sent as a ``RECEIVE-OVERPAYMENT`` bank transaction is linked under
the record that sent it (``credit_use``, raised with ``OverpaymentRecorded`` by
``StoreCredit.send_as_overpayment``), not under the store credit; that record's outbox
event names the store credit. Reconciliation compares each such overpayment with its store
credit (amount, what is left), as ``reconcile_credits.credit_drift`` does any credit.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ledgerlink.domain.events import CREDIT_USE, OverpaymentRecorded
from ledgerlink.store.tables import outbox, xero_links

#: The kind reconciliation lists them under: a store credit, compared with an overpayment.
SENT_OVERPAYMENT = "sent_overpayment"
_EVENT = OverpaymentRecorded.__name__


def sent_overpayments(
    session: Session, company_id: UUID, tenant_id: str
) -> list[tuple[str, str, str]]:
    """(``SENT_OVERPAYMENT``, store credit id, Xero overpayment id) of the company's store
    credit sent to Xero as an overpayment and linked in `tenant_id`, one per store credit."""
    rows = session.execute(
        select(xero_links.c.entity_id, xero_links.c.xero_id, outbox.c.payload)
        .join(
            outbox,
            and_(
                outbox.c.company_id == xero_links.c.company_id,
                outbox.c.kind == xero_links.c.kind,
                outbox.c.document_id == xero_links.c.entity_id,
            ),
        )
        .where(
            xero_links.c.company_id == company_id,
            xero_links.c.tenant_id == tenant_id,
            xero_links.c.kind == CREDIT_USE,
            outbox.c.event_type == _EVENT,
        )
        .order_by(xero_links.c.entity_id, outbox.c.id)
    )
    found: dict[str, str] = {}
    for _, xero_id, payload in rows:
        credit_id = (payload or {}).get("credit_id")
        if credit_id:
            found.setdefault(str(credit_id), xero_id.lower())
    return [(SENT_OVERPAYMENT, credit_id, xero_id) for credit_id, xero_id in found.items()]
