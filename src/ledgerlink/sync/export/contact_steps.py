"""Step one of a pass: every supplier used has a Xero contact (linked, by name, or new)."""

from __future__ import annotations

from uuid import UUID

from ledgerlink.domain.parties import Supplier
from ledgerlink.store.repositories.sync_links import link_holders
from ledgerlink.sync.export.base import ExportBase, Job, batch_key, document_key
from ledgerlink.sync.export.contacts import ContactProblem, create_contacts
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
                self._contact_problems[supplier.id] = ContactProblem(
                    (f"contact not created: {error}",), passing=True
                )
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
        twins = self._twins(suppliers, created.contact_ids)
        for supplier in suppliers:
            state = self._snap.state("supplier", supplier.id)
            rows = supplier_rows.get(supplier.id, ())
            summary = f"supplier {supplier.name} v{supplier.version}"
            contact_id = created.contact_ids.get(supplier.id)
            if supplier.id in twins:
                message, fix = twins[supplier.id]
                self._contact_problems[supplier.id] = ContactProblem((message,), fix=fix)
                outcomes.append(
                    results.refused(
                        state,
                        action="create",
                        summary=summary,
                        messages=(message,),
                        fix=fix,
                        row_ids=rows,
                    )
                )
                continue
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
                self._contact_problems[supplier.id] = ContactProblem(refused)
                outcomes.append(
                    results.refused(
                        state, action="create", summary=summary, messages=refused, row_ids=rows
                    )
                )
            else:
                problem = f"contact not created: {created.error}"
                self._contact_problems[supplier.id] = ContactProblem((problem,), passing=True)
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
        for written in self._record(outcomes):
            if written.log and written.log[-1].action == "link":
                # Its contact is another supplier's: its documents must not go to it.
                supplier_id = written.state.document_id
                self._contact_ids.pop(supplier_id, None)
                self._contact_problems[supplier_id] = ContactProblem(
                    (written.error or "contact taken",), fix=written.state.fix
                )

    def _twins(
        self, suppliers: list[Supplier], contact_ids: dict[UUID, str]
    ) -> dict[UUID, tuple[str, str]]:
        """Suppliers given a Xero contact another record already holds (Xero matched them by
        a name that differs only in letter case): each with its problem and fix."""
        with self.uow_factory() as uow:
            stored = link_holders(
                uow.session, self.client.tenant_id, "supplier", contact_ids.values()
            )
        held = {contact.lower(): supplier for supplier, contact in self._contact_ids.items()}
        twins: dict[UUID, tuple[str, str]] = {}
        for supplier in suppliers:
            contact_id = contact_ids.get(supplier.id)
            if contact_id is None:
                continue
            holder = stored.get(contact_id.lower())
            here = held.get(contact_id.lower())
            if here is None and holder is not None and holder.company_id == self.company_id:
                here = UUID(holder.entity_id)
            if here == supplier.id or (here is None and holder is None):
                held[contact_id.lower()] = supplier.id
                continue
            twins[supplier.id] = self._twin_problem(supplier, here)
        return twins

    def _twin_problem(self, supplier: Supplier, holder_id: UUID | None) -> tuple[str, str]:
        holder = self._snap.suppliers.get(holder_id) if holder_id is not None else None
        if holder is None and holder_id is not None:
            with self.uow_factory() as uow:
                holder = uow.suppliers.get(self.company_id, holder_id)
        if holder is None:
            return (
                f"Xero's contact named {supplier.name!r} already belongs to a supplier of "
                "another company connected to this Xero organisation",
                f"supplier {supplier.name} has the same name as a contact another company "
                "uses in Xero; rename the supplier",
            )
        return (
            f"Xero's contact names are unique whatever their letter case: {supplier.name!r} "
            f"is the contact of supplier {holder.name!r}",
            f"supplier {supplier.name} has the same name as supplier {holder.name} in Xero; "
            "rename one or merge them",
        )
