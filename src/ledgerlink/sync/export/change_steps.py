"""Changing documents already in Xero: updates, cancellations, finished orders."""

from __future__ import annotations

from ledgerlink.sync.export.base import ExportBase, Job, document_key
from ledgerlink.sync.export.kinds import PURCHASE_ORDERS, DocumentKind, status_change
from ledgerlink.sync.export.outcome import Outcome
from ledgerlink.sync.export.results import stop_for
from xero_client import (
    RateLimited,
    XeroError,
)


class ChangeSteps(ExportBase):
    """Edits, withdrawals and BILLED marks."""

    async def _update(self, kind: DocumentKind, job: Job) -> Outcome:
        snap = self._snap
        results = self._results()
        link = snap.link(kind.kind, job.document.id)
        assert link is not None
        state = snap.state(kind.kind, job.document.id)
        summary = kind.summary(job.document)
        element = kind.to_xero(
            job.document,
            contact_id=self._contact_for(job) or "",
            status=None,
            settings=snap.settings,
            defaults=snap.defaults,
            xero_id=link.xero_id,
        )
        try:
            answer = await kind.update(
                self.client,
                element,
                document_key(kind.kind, "update", job.document),
                snap.settings.unit_price_dp,
            )
        except RateLimited as error:
            raise stop_for(error, self.clock()) from None
        except XeroError as error:
            return results.failed(
                state,
                action="update",
                summary=summary,
                error=error,
                row_ids=job.row_ids,
                in_flight_key=None,
            )
        xero_id, status, total = kind.facts(answer)
        return results.sent(
            state,
            version=job.document.version,
            action="update",
            summary=summary,
            xero_id=xero_id or link.xero_id,
            xero_status=status,
            number=None,
            total_ours=job.document.total,
            total_xero=total,
            row_ids=job.row_ids,
            disposition=self._keep(job),
        )

    async def _cancel(self, kind: DocumentKind, job: Job) -> Outcome:
        snap = self._snap
        results = self._results()
        link = snap.link(kind.kind, job.document.id)
        assert link is not None
        state = snap.state(kind.kind, job.document.id)
        summary = kind.summary(job.document)
        try:
            withdrawal = await kind.withdrawal(self.client, link.xero_id)
            if withdrawal.refusal is not None:
                return results.refused(
                    state,
                    action="cancel",
                    summary=summary,
                    messages=(withdrawal.refusal,),
                    row_ids=job.row_ids,
                    fix=withdrawal.fix,
                )
            if withdrawal.status is None:
                return results.done(
                    state,
                    row_ids=job.row_ids,
                    action="cancel",
                    summary=summary,
                    answer="already deleted or voided in Xero",
                    new_state="sent",
                )
            answer = await kind.update(
                self.client,
                status_change(kind.kind, link.xero_id, withdrawal.status),
                document_key(kind.kind, "cancel", job.document),
                snap.settings.unit_price_dp,
            )
        except RateLimited as error:
            raise stop_for(error, self.clock()) from None
        except XeroError as error:
            return results.failed(
                state,
                action="cancel",
                summary=summary,
                error=error,
                row_ids=job.row_ids,
                in_flight_key=None,
            )
        _, status, _ = kind.facts(answer)
        return results.sent(
            state,
            version=job.document.version,
            action="cancel",
            summary=summary,
            xero_id=link.xero_id,
            xero_status=status,
            number=None,
            total_ours=None,
            total_xero=None,
            row_ids=job.row_ids,
        )

    async def _mark_billed(self, orders: list[Job]) -> None:
        """Finished orders whose bills went out: AUTHORISED → BILLED in Xero."""
        snap = self._snap
        results = self._results()
        outcomes: list[Outcome] = []
        for job in orders:
            state = snap.state("purchase_order", job.document.id)
            if state.state != "sent" or (job.kind, job.document.id) in self._settled:
                continue
            summary = PURCHASE_ORDERS.summary(job.document)
            answer = None
            if state.xero_status == "AUTHORISED" and state.xero_id:
                try:
                    element = await PURCHASE_ORDERS.update(
                        self.client,
                        status_change("purchase_order", state.xero_id, "BILLED"),
                        document_key("purchase_order", "billed", job.document),
                        2,
                    )
                    answer = "marked BILLED in Xero"
                    state = state.but(xero_status=PURCHASE_ORDERS.facts(element)[1])
                except RateLimited as error:
                    raise stop_for(error, self.clock()) from None
                except XeroError as error:
                    answer = f"not marked BILLED: {error}"
            outcomes.append(
                results.done(
                    state,
                    row_ids=job.row_ids,
                    action="finish",
                    summary=summary,
                    answer=answer or "finished; its bill follows under the bill settings",
                )
            )
        self._record(outcomes)
