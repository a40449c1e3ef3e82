"""What the payments of a pass need from the store, read in the pass's one short read: the
payments, the kind and Xero link of every document they pay, their own links, elements and
sync states."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from uuid import UUID

from ledgerlink.store.clock import Clock
from ledgerlink.store.repositories.sync_links import links_for
from ledgerlink.store.repositories.sync_states import SyncStateRepository
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.kinds import DOCUMENT_KINDS, PAYMENT_KINDS
from ledgerlink.sync.export.payment_plan import ELEMENT, PaymentSnapshot, element_key
from ledgerlink.xero.outbound.settings import ExportSettings


def load_payment_snapshot(
    uow: SqlUnitOfWork,
    clock: Clock,
    company_id: UUID,
    settings: ExportSettings,
    wanted: Mapping[str, Iterable[UUID]],
) -> PaymentSnapshot:
    """Read the payments among ``wanted`` (ids by kind) and what they pay."""
    snapshot = PaymentSnapshot()
    states = SyncStateRepository(uow.session, clock)
    for name, kind in PAYMENT_KINDS.items():
        payments = dict(kind.load(uow, company_id, set(wanted.get(name, ()))))
        snapshot.payments[name] = payments
        if not payments:
            continue
        paid = {a.document_id for p in payments.values() for a in p.allocations}
        for target in kind.targets:
            documents = DOCUMENT_KINDS.get(target)
            left = paid - set(snapshot.target_kinds)
            if documents is None or not documents.sends(settings) or not left:
                continue
            found = documents.load(uow, company_id, left)
            snapshot.target_kinds.update({document_id: target for document_id in found})
            for entity_id, link in links_for(uow.session, company_id, target, found).items():
                snapshot.links[(target, entity_id)] = link
        for entity_id, link in links_for(uow.session, company_id, name, payments).items():
            snapshot.links[(name, entity_id)] = link
        keys = {
            element_key(p.id, i): (p.id, i)
            for p in payments.values()
            for i in range(len(p.allocations))
        }
        for entity_id, link in links_for(uow.session, company_id, ELEMENT, keys).items():
            snapshot.links[(ELEMENT, entity_id)] = link
            snapshot.elements[keys[entity_id]] = link.xero_id
        for payment_id, state in states.get_many(company_id, name, payments).items():
            snapshot.states[(name, payment_id)] = state
    return snapshot
