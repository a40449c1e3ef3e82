"""Step one of a pass: every supplier used has a Xero contact (linked, by name, or new)."""

from __future__ import annotations

from uuid import UUID

from ledgerlink.domain.parties import Supplier
from ledgerlink.sync.export.base import ExportBase, Job, batch_key, document_key
from ledgerlink.sync.export.contacts import create_contacts
from ledgerlink.sync.export.outcome import Outcome
from ledgerlink.sync.export.results import (
    is_ambiguous,
    messages_of,
    stop_for,
)
from ledgerlink.xero.outbound.contacts import contact_of
from xero_client import (
    RateLimited,
    XeroError,
)


class ContactSteps(ExportBase):
    """Contacts before documents."""

    async def _contacts(self, supplier_rows: dict[UUID, tuple[int, ...]], jobs: list[Job]) -> None:
        snap = self._snap
        results = self._results()
        wanted: dict[UUID, Supplier] = {}
        for supplier_id in supplier_rows:
            if supplier_id in snap.suppliers:
                wanted[supplier_id] = snap.suppliers[supplier_id]
        for job in jobs:
            used = getattr(job.document, "supplier_id", None)
            if isinstance(used, UUID) and used in snap.suppliers:
                wanted[used] = snap.suppliers[used]
        outcomes: list[Outcome] = []
        for supplier_id, rows in supplier_rows.items():
            if supplier_id not in snap.suppliers:
                state = snap.state("supplier", supplier_id)
                outcomes.append(results.done(state, row_ids=rows, save_state=False))
        new: list[Supplier] = []
        for supplier in wanted.values():
            link = snap.link("supplier", supplier.id)
            if link is None:
                new.append(supplier)
                continue
            self._contact_ids[supplier.id] = link.xero_id
            if supplier.id in supplier_rows and (link.synced_version or 0) < supplier.version:
                outcomes.append(await self._update_contact(supplier, link.xero_id, supplier_rows))
            elif supplier.id in supplier_rows:
                tracked = ("supplier", supplier.id) in snap.states
                state = snap.state("supplier", supplier.id)
                outcomes.append(
                    results.done(state, row_ids=supplier_rows[supplier.id], save_state=tracked)
                )
        self._record(outcomes)
        for start in range(0, len(new), self.policy.batch_size):
            chunk = new[start : start + self.policy.batch_size]
            await self._create_contacts(chunk, supplier_rows)

    async def _update_contact(
        self, supplier: Supplier, contact_id: str, supplier_rows: dict[UUID, tuple[int, ...]]
    ) -> Outcome:
        results = self._results()
        state = self._snap.state("supplier", supplier.id)
        rows = supplier_rows[supplier.id]
        summary = f"supplier {supplier.name} v{supplier.version}"
        try:
            await self.client.update_contact(
                contact_of(supplier, contact_id=contact_id),
                idempotency_key=document_key("supplier", "update", supplier),
            )
        except RateLimited as error:
            raise stop_for(error, self.clock()) from None
        except XeroError as error:
            if is_ambiguous(error) or not messages_of(error):
                return results.again(
                    state,
                    action="update",
                    summary=summary,
                    error=error,
                    row_ids=rows,
                    in_flight_key=None,
                )
            return results.refused(
                state, action="update", summary=summary, messages=messages_of(error), row_ids=rows
            )
        return results.sent(
            state,
            version=supplier.version,
            action="update",
            summary=summary,
            xero_id=contact_id,
            xero_status="ACTIVE",
            number=None,
            total_ours=None,
            total_xero=None,
            row_ids=rows,
        )

    async def _create_contacts(
        self, suppliers: list[Supplier], supplier_rows: dict[UUID, tuple[int, ...]]
    ) -> None:
        results = self._results()
        key = batch_key("supplier", "create", [(s.id, s.version) for s in suppliers])
        try:
            created = await create_contacts(self.client, suppliers, key)
        except RateLimited as error:
            raise stop_for(error, self.clock()) from None
        except XeroError as error:
            for supplier in suppliers:
                self._contact_problems[supplier.id] = (f"contact not created: {error}",)
            self._record(
                [
                    results.again(
                        self._snap.state("supplier", s.id),
                        action="create",
                        summary=f"supplier {s.name}",
                        error=error,
                        row_ids=supplier_rows[s.id],
                        in_flight_key=None,
                    )
                    for s in suppliers
                    if s.id in supplier_rows
                ]
            )
            return
        outcomes = []
        for supplier in suppliers:
            state = self._snap.state("supplier", supplier.id)
            rows = supplier_rows.get(supplier.id, ())
            summary = f"supplier {supplier.name} v{supplier.version}"
            contact_id = created.contact_ids.get(supplier.id)
            if contact_id is not None:
                self._contact_ids[supplier.id] = contact_id
                note = "matched by name" if supplier.id in created.matched_by_name else None
                outcomes.append(
                    results.sent(
                        state,
                        version=supplier.version,
                        action="create",
                        summary=summary,
                        xero_id=contact_id,
                        xero_status="ACTIVE",
                        number=None,
                        total_ours=None,
                        total_xero=None,
                        row_ids=rows,
                        note=note,
                    )
                )
                continue
            refused = created.refused.get(supplier.id)
            if refused:
                self._contact_problems[supplier.id] = refused
                outcomes.append(
                    results.refused(
                        state, action="create", summary=summary, messages=refused, row_ids=rows
                    )
                )
            else:
                problem = f"contact not created: {created.error}"
                self._contact_problems[supplier.id] = (problem,)
                outcomes.append(
                    results.again(
                        state,
                        action="create",
                        summary=summary,
                        error=problem,
                        row_ids=rows,
                        in_flight_key=None,
                    )
                )
        self._record(outcomes)
