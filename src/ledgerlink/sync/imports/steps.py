"""One import job's work: read its records from Xero, write them in batches from its cursor.

Each batch commits the records with the job's counts and cursor; a batch that fails leaves
the job as it was before it, so the job can be run again from its cursor.
"""

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from ledgerlink.domain.catalogue import Account, TaxRate, TrackingCategory
from ledgerlink.domain.errors import DomainError
from ledgerlink.store.errors import StoreError
from ledgerlink.store.repositories.import_jobs import (
    ImportJob,
    ImportJobRepository,
    RefreshMark,
    RefreshMarkRepository,
    linked_records,
    party_names_taken,
)
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.imports.fetch import (
    BULK_PAGE_SIZE,
    IDS_PER_CALL,
    contact_filter,
    read_all,
    read_contacts,
)
from ledgerlink.sync.imports.kinds import ALL, REFRESH, SELECTED, ImportKind
from ledgerlink.sync.imports.offload import in_thread
from ledgerlink.sync.imports.records import (
    OVER_LIMIT,
    identity,
    searchable,
    translate,
    updated_at,
    within_active_limit,
)
from ledgerlink.sync.imports.writers import (
    ImportTarget,
    Outcome,
    retire_missing,
    write_account,
    write_item,
    write_party,
    write_tax_rate,
    write_tracking_category,
)
from ledgerlink.xero.inbound import ImportedContact, ImportedItem, SkipRecord
from xero_client import XeroClient

UowFactory = Callable[[], SqlUnitOfWork]
Clock = Callable[[], datetime]
Progress = Callable[[ImportJob], None]

#: A job is held by one runner this long past its last renewal (then others may resume).
LEASE_SECONDS = 120
#: How often a running job's runner renews its lease.
HEARTBEAT_SECONDS = 30.0
#: Records of a whole-list kind (accounts, items...) written per transaction.
BATCH_SIZE = 200


class LeaseLost(Exception):
    """Another runner took the job over (this one stalled past its lease); stop here."""

    def __init__(self, job_id: UUID) -> None:
        super().__init__(f"import job {job_id} was taken over by another runner")


class JobSteps:
    """Reads and writes one job's records; the runner around it handles pauses and failures."""

    def __init__(
        self, uow_factory: UowFactory, clock: Clock, page_size: int, notify: Progress
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._page_size = page_size
        self._notify = notify

    async def run(self, job: ImportJob, client: XeroClient) -> None:
        """Import the job's records from where its cursor stands; raises what Xero raised."""
        kind = ImportKind(job.kind)
        mark = await in_thread(self._mark, job.company_id, kind)
        if kind.is_party:
            high_water = await self._import_contacts(job, client, kind, mark)
        else:
            high_water = await self._import_list(job, client, kind, mark)
        await in_thread(self._save_mark, job, kind, mark, high_water)

    def _mark(self, company_id: UUID, kind: ImportKind) -> RefreshMark | None:
        with self._uow_factory() as uow:
            return RefreshMarkRepository(uow.session).get(company_id, kind.value)

    async def _import_list(
        self, job: ImportJob, client: XeroClient, kind: ImportKind, mark: RefreshMark | None
    ) -> datetime | None:
        since = mark.modified_after if job.mode == REFRESH and mark and kind.incremental else None
        answer = await read_all(client, kind, modified_since=since)
        raw = answer.records
        job.api_calls += 1
        present = {ident for ident, _ in map(lambda r: identity(kind, r), raw) if ident}
        entries, missing = _picked(kind, raw, job.xero_ids) if job.mode == SELECTED else (raw, [])
        if job.search:
            needle = job.search.casefold()
            entries = [record for record in entries if needle in searchable(record)]
        extra: list[tuple[str | None, str | None, str]] = [
            (ident, None, "not found in Xero") for ident in missing
        ]
        if kind is ImportKind.TRACKING_CATEGORIES:
            entries, over = within_active_limit(entries)
            extra += [(*identity(kind, r), OVER_LIMIT) for r in over]
        if kind is ImportKind.ITEMS and job.mode == REFRESH and (mark is None or mark.scope != ALL):
            entries = await in_thread(self._linked_only, job, kind, entries)
        job.total = len(entries) + len(extra)
        start = int(job.cursor.get("index", 0))
        if start == 0 and extra:

            def skip_extra(_target: ImportTarget) -> None:
                for skip in extra:
                    job.skip(*skip)

            await self._batch(job, skip_extra)
        for offset in range(start, len(entries), BATCH_SIZE):
            chunk = entries[offset : offset + BATCH_SIZE]

            def write(target: ImportTarget, chunk: list[Any] = chunk, end: int = offset) -> None:
                linked = self._links(target, kind, chunk)
                for record in chunk:
                    self._write_one(job, target, kind, record, linked)
                job.cursor["index"] = end + len(chunk)

            await self._batch(job, write)
        whole = job.mode in (ALL, REFRESH) and since is None and not job.search
        if whole and (kind.picked_whole or (kind is ImportKind.ITEMS and job.mode == ALL)):

            def retire(target: ImportTarget) -> None:
                job.updated += retire_missing(target, kind.value, present)

            await self._batch(job, retire)
        return answer.served_at or _latest(updated_at(record) for record in raw)

    async def _import_contacts(
        self, job: ImportJob, client: XeroClient, kind: ImportKind, mark: RefreshMark | None
    ) -> datetime | None:
        if job.mode == SELECTED:
            job.total = len(job.xero_ids)
            start = int(job.cursor.get("index", 0))
            for offset in range(start, len(job.xero_ids), IDS_PER_CALL):
                ids = job.xero_ids[offset : offset + IDS_PER_CALL]
                page = await read_contacts(client, page=1, page_size=BULK_PAGE_SIZE, ids=ids)
                job.api_calls += 1
                found, missing = _picked(kind, page.records, ids)

                def write_found(
                    target: ImportTarget,
                    found: list[Any] = found,
                    missing: list[str] = missing,
                    end: int = offset + len(ids),
                ) -> None:
                    linked = self._links(target, kind, found)
                    for record in found:
                        self._write_one(job, target, kind, record, linked)
                    for ident in missing:
                        job.skip(ident, None, "not found in Xero")
                    job.cursor["index"] = end

                await self._batch(job, write_found)
            return None
        since = mark.modified_after if job.mode == REFRESH and mark else None
        linked_only = job.mode == REFRESH and (mark is None or mark.scope != ALL)
        number = int(job.cursor.get("page", 1))
        while True:
            page = await read_contacts(
                client,
                page=number,
                page_size=self._page_size,
                where=None if linked_only else contact_filter(kind),
                search=job.search,
                modified_since=since,
            )
            job.api_calls += 1
            if page.item_count is not None and not linked_only:
                job.total = page.item_count
            if "served_at" not in job.cursor:
                served = page.served_at or _latest(updated_at(r) for r in page.records)
                job.cursor["served_at"] = served.isoformat() if served else None

            def write_page(
                target: ImportTarget, records: list[Any] = page.records, after: int = number + 1
            ) -> None:
                linked = self._links(target, kind, records)
                for record in records:
                    if linked_only and identity(kind, record)[0] not in linked:
                        continue
                    self._write_one(job, target, kind, record, linked)
                job.cursor["page"] = after

            await self._batch(job, write_page)
            if not page.has_more:
                served_at = job.cursor.get("served_at")
                return datetime.fromisoformat(served_at) if served_at else None
            number += 1

    def _write_one(
        self,
        job: ImportJob,
        target: ImportTarget,
        kind: ImportKind,
        record: Any,
        linked: dict[str, str],
    ) -> None:
        ident, name = identity(kind, record)
        try:
            job.count(_write(target, kind, translate(kind, record), linked))
        except SkipRecord as skip:
            job.skip(ident, name, skip.reason)
        except (DomainError, StoreError) as error:
            job.skip(ident, name, str(error))

    # -- bookkeeping ------------------------------------------------------------------

    def _links(self, target: ImportTarget, kind: ImportKind, records: list[Any]) -> dict[str, str]:
        if not (kind.is_party or kind is ImportKind.ITEMS):
            return {}
        if kind.is_party:
            names = [name for _, name in (identity(kind, record) for record in records) if name]
            target.names_here = party_names_taken(
                target.uow.session, target.company_id, kind.party_kind, names
            )
        link_kind = kind.party_kind if kind.is_party else "item"
        ids = [ident for ident, _ in (identity(kind, record) for record in records) if ident]
        linked = linked_records(target.uow.session, target.company_id, link_kind, ids)
        if kind.is_party:
            parties = [UUID(entity_id) for entity_id in linked.values()]
            target.details_here = target.details.get_many(target.company_id, link_kind, parties)
        return linked

    def _linked_only(self, job: ImportJob, kind: ImportKind, records: list[Any]) -> list[Any]:
        with self._uow_factory() as uow:
            target = ImportTarget(uow, job.company_id, "", self._clock())
            linked = self._links(target, kind, records)
        return [record for record in records if identity(kind, record)[0] in linked]

    async def _batch(self, job: ImportJob, write: Callable[[ImportTarget], Any]) -> None:
        """Write one batch and the job's progress in one transaction (or neither)."""
        await in_thread(self._write_batch, job, write)
        self._notify(job)

    def _write_batch(self, job: ImportJob, write: Callable[[ImportTarget], Any]) -> None:
        before = dataclasses.replace(
            job, cursor=dict(job.cursor), skips=list(job.skips), errors=list(job.errors)
        )
        now = self._clock()
        try:
            with self._uow_factory() as uow:
                tenant_id = self._tenant_of(job)
                target = ImportTarget(uow, job.company_id, tenant_id, now)
                write(target)
                target.flush()
                job.lease_until = now + timedelta(seconds=LEASE_SECONDS)
                if not ImportJobRepository(uow.session).save(job, now, owner=job.lease_owner):
                    raise LeaseLost(job.id)
                uow.commit()
        except BaseException:
            for field in dataclasses.fields(ImportJob):
                setattr(job, field.name, getattr(before, field.name))
            raise

    def _tenant_of(self, job: ImportJob) -> str:
        tenant: str = job.cursor.get("tenant_id", "")
        return tenant

    def _save_mark(
        self, job: ImportJob, kind: ImportKind, mark: RefreshMark | None, high: datetime | None
    ) -> None:
        if job.search:
            return  # a search reads part of the list: it says nothing of the rest
        scope = (
            ALL
            if job.mode == ALL or kind.picked_whole or (mark and mark.scope == ALL)
            else ("linked")
        )
        previous = mark.modified_after if mark else None
        after = previous if job.mode == SELECTED else _latest([previous, high])
        with self._uow_factory() as uow:
            RefreshMarkRepository(uow.session).save(
                RefreshMark(job.company_id, kind.value, scope, after, self._clock())
            )
            uow.commit()


def _write(target: ImportTarget, kind: ImportKind, value: Any, linked: dict[str, str]) -> Outcome:
    if isinstance(value, Account):
        return write_account(target, value)
    if isinstance(value, TaxRate):
        return write_tax_rate(target, value)
    if isinstance(value, TrackingCategory):
        return write_tracking_category(target, value)
    if isinstance(value, ImportedItem):
        return write_item(target, value, linked.get(value.xero_id))
    if isinstance(value, ImportedContact):
        return write_party(target, kind.party_kind, value, linked.get(value.xero_id))
    raise TypeError(f"cannot import {type(value).__name__}")


def _picked(
    kind: ImportKind, records: list[Any], wanted: Sequence[str]
) -> tuple[list[Any], list[str]]:
    by_id = {identity(kind, record)[0]: record for record in records}
    found = [by_id[ident] for ident in wanted if ident in by_id]
    return found, [ident for ident in wanted if ident not in by_id]


def _latest(values: Iterable[datetime | None]) -> datetime | None:
    present = [value for value in values if value is not None]
    return max(present) if present else None
