"""Import jobs: start one, run it to the end, pause on Xero's rate limits, resume.

The job row is the truth. Each batch of records commits together with the job's counts
and cursor, so a job stopped anywhere (a restart, a daily limit) resumes from its cursor
and a record is never half-imported. Upserts are idempotent, so a batch read twice
changes nothing the second time.
"""

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from ledgerlink.domain.catalogue import (
    Account,
    TaxRate,
    TrackingCategory,
)
from ledgerlink.domain.errors import DomainError, InvalidValue
from ledgerlink.store.clock import utc_now
from ledgerlink.store.errors import StoreError
from ledgerlink.store.repositories.import_jobs import (
    DONE,
    FAILED,
    NEEDS_RECONNECT,
    RUNNING,
    WAITING,
    ImportJob,
    ImportJobRepository,
    RefreshMark,
    RefreshMarkRepository,
    linked_records,
    party_names_taken,
)
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.gateway import NeedsReconnect, NotConnected
from ledgerlink.sync.imports.clients import XeroClients
from ledgerlink.sync.imports.fetch import (
    BULK_PAGE_SIZE,
    IDS_PER_CALL,
    contact_filter,
    read_all,
    read_contacts,
)
from ledgerlink.sync.imports.kinds import ALL, REFRESH, SELECTED, ImportKind, parse_kind
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
from xero_client import AuthError, RateLimited, XeroClient, XeroError

logger = logging.getLogger(__name__)

UowFactory = Callable[[], SqlUnitOfWork]
Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]
Progress = Callable[[ImportJob], None]
ReconnectNeeded = Callable[[UUID, str], None]

#: A job is held by one process this long past its last progress (then others may resume).
LEASE_SECONDS = 300
#: Records of a whole-list kind (accounts, items...) written per transaction.
BATCH_SIZE = 200
MAX_PICKED = 1000
#: The company setting (in ``CompanySettings.options``) for scheduled refreshes.
REFRESH_SETTING = "xero_refresh_minutes"


class ImportRunner:
    """Starts and runs import jobs for any company.

    Args:
        uow_factory: makes units of work on the database.
        clients: hands out a Xero client per company (the gateway).
        clock: the current time (UTC).
        sleep: waits out a rate limit (tests pass one that moves the sandbox's clock).
        on_progress: called with the job after every committed batch.
        on_reconnect_needed: called with the company and Xero's message on a refused token.
        page_size: contacts per call for "import all" and refreshes (Xero's most is 1000).
    """

    def __init__(
        self,
        uow_factory: UowFactory,
        clients: XeroClients,
        *,
        clock: Clock = utc_now,
        sleep: Sleep = asyncio.sleep,
        on_progress: Progress | None = None,
        on_reconnect_needed: ReconnectNeeded | None = None,
        page_size: int = BULK_PAGE_SIZE,
    ) -> None:
        self._uow_factory = uow_factory
        self._clients = clients
        self._clock = clock
        self._sleep = sleep
        self._on_progress = on_progress
        self._on_reconnect_needed = on_reconnect_needed
        self._page_size = page_size

    # -- starting -------------------------------------------------------------------

    def start(
        self,
        company_id: UUID,
        kind: ImportKind | str,
        *,
        xero_ids: Sequence[str] = (),
        import_all: bool = False,
        search: str | None = None,
        refresh: bool = False,
    ) -> ImportJob:
        """Record a new job (queued); ``run`` does the work.

        Raises:
            InvalidValue: an unknown kind, no records picked, or ids that are not text.
        """
        kind = parse_kind(kind) if isinstance(kind, str) else kind
        ids = _check_ids(xero_ids, kind)
        search = search.strip() if search and search.strip() else None
        if refresh:
            mode = REFRESH
        elif ids:
            if import_all:
                raise InvalidValue("all", "pick records (xero_ids) or import all, not both")
            mode = SELECTED
        elif import_all or search or kind.picked_whole:
            mode = ALL
        else:
            raise InvalidValue(
                "xero_ids",
                f"pick the {kind.value} to import by their Xero ids, "
                'or import them all with "all": true',
            )
        now = self._clock()
        job = ImportJob(
            company_id=company_id,
            kind=kind.value,
            mode=mode,
            created_at=now,
            xero_ids=ids,
            search=search,
        )
        with self._uow_factory() as uow:
            if uow.companies.get(company_id) is None:
                raise InvalidValue("company", f"no company {company_id}")
            ImportJobRepository(uow.session).add(job)
            uow.commit()
        return job

    # -- running --------------------------------------------------------------------

    async def run(self, job_id: UUID) -> ImportJob:
        """Run the job to its end (done, failed or needing a reconnect) and return it.

        A job another process holds is returned as it stands.
        """
        now = self._clock()
        with self._uow_factory() as uow:
            jobs = ImportJobRepository(uow.session)
            claimed = jobs.claim(job_id, now, now + timedelta(seconds=LEASE_SECONDS))
            uow.commit()
            job = jobs.get_any(job_id)
        if job is None:
            raise InvalidValue("job_id", f"no import job {job_id}")
        if not claimed:
            return job
        job.state, job.message, job.resume_at = RUNNING, None, None
        job.started_at = job.started_at or now
        self._save(job)
        try:
            async with self._clients.client(job.company_id) as client:
                await self._run_with_pauses(job, client)
        except (AuthError, NeedsReconnect) as error:
            job.state = NEEDS_RECONNECT
            job.message = (
                f"Xero refused the connection ({error}); connect the company to Xero "
                "again, then run the import again"
            )
            if self._on_reconnect_needed is not None:
                self._on_reconnect_needed(job.company_id, str(error))
        except NotConnected as error:
            job.state = FAILED
            job.message = error.message
            job.errors.append(error.message)
        except (XeroError, DomainError, StoreError) as error:
            job.state = FAILED
            job.message = f"the import stopped: {error}"
            job.errors.append(str(error))
        except Exception as error:
            # A fault of ours: the job says so instead of being retried forever.
            logger.exception("import job %s failed", job.id)
            job.state = FAILED
            job.message = f"the import stopped on an unexpected error: {error!r}"
            job.errors.append(repr(error))
        if job.state in (NEEDS_RECONNECT, FAILED):
            job.finished_at = self._clock()
        job.lease_until = None
        self._save(job)
        return job

    async def resume_due(self, now: datetime) -> list[ImportJob]:
        """Run every unfinished job nobody holds whose wait is over (the worker calls this)."""
        with self._uow_factory() as uow:
            due = ImportJobRepository(uow.session).resumable(now)
        return [await self.run(job.id) for job in due]

    async def run_due_refreshes(self, now: datetime) -> list[ImportJob]:
        """Refresh, incrementally, each kind a company imported whose interval has passed.

        The interval is the company setting ``xero_refresh_minutes`` (in
        ``CompanySettings.options``); companies without it are refreshed on demand only.
        """
        started: list[ImportJob] = []
        with self._uow_factory() as uow:
            jobs = ImportJobRepository(uow.session)
            marks = RefreshMarkRepository(uow.session)
            for company in _all_companies(uow):
                minutes = company.settings.options.get(REFRESH_SETTING)
                if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
                    continue
                for mark in marks.list(company.id):
                    if mark.refreshed_at + timedelta(minutes=minutes) > now:
                        continue
                    if jobs.unfinished(company.id, mark.kind) is not None:
                        continue
                    job = ImportJob(
                        company_id=company.id, kind=mark.kind, mode=REFRESH, created_at=now
                    )
                    jobs.add(job)
                    started.append(job)
            uow.commit()
        return [await self.run(job.id) for job in started]

    async def _run_with_pauses(self, job: ImportJob, client: XeroClient) -> None:
        # Links name the organisation the records came from.
        job.cursor["tenant_id"] = client.tenant_id
        while True:
            try:
                await self._import(job, client)
            except RateLimited as limited:
                await self._pause(job, limited)
                continue
            job.state = DONE
            job.finished_at = self._clock()
            job.total = job.processed if job.total is None else job.total
            job.message = (
                f"{job.created} created, {job.updated} updated, {job.unchanged} unchanged, "
                f"{job.skipped} skipped"
            )
            return

    async def _pause(self, job: ImportJob, limited: RateLimited) -> None:
        wait = max(float(limited.retry_after), 1.0)
        resume_at = self._clock() + timedelta(seconds=wait)
        job.state, job.resume_at = WAITING, resume_at
        # Held past the wait, so no worker takes it over while this process waits.
        job.lease_until = resume_at + timedelta(seconds=LEASE_SECONDS)
        job.message = (
            f"waiting for Xero's rate limit ({limited.limit}), resumes at "
            f"{resume_at:%Y-%m-%d %H:%M:%S} UTC"
        )
        self._save(job)
        self._notify(job)
        await self._sleep(wait)
        job.state, job.message, job.resume_at = RUNNING, None, None
        self._save(job)

    # -- one job ----------------------------------------------------------------------

    async def _import(self, job: ImportJob, client: XeroClient) -> None:
        kind = ImportKind(job.kind)
        with self._uow_factory() as uow:
            mark = RefreshMarkRepository(uow.session).get(job.company_id, kind.value)
        if kind.is_party:
            high_water = await self._import_contacts(job, client, kind, mark)
        else:
            high_water = await self._import_list(job, client, kind, mark)
        self._save_mark(job, kind, mark, high_water)

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
            entries = self._linked_only(job, kind, entries)
        job.total = len(entries) + len(extra)
        start = int(job.cursor.get("index", 0))
        if start == 0 and extra:

            def skip_extra(_target: ImportTarget) -> None:
                for skip in extra:
                    job.skip(*skip)

            self._batch(job, skip_extra)
        for offset in range(start, len(entries), BATCH_SIZE):
            chunk = entries[offset : offset + BATCH_SIZE]

            def write(target: ImportTarget, chunk: list[Any] = chunk, end: int = offset) -> None:
                linked = self._links(target, kind, chunk)
                for record in chunk:
                    self._write_one(job, target, kind, record, linked)
                job.cursor["index"] = end + len(chunk)

            self._batch(job, write)
        whole = job.mode in (ALL, REFRESH) and since is None and not job.search
        if whole and kind.picked_whole:

            def retire(target: ImportTarget) -> None:
                job.updated += retire_missing(target, kind.value, present)

            self._batch(job, retire)
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

                self._batch(job, write_found)
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

            self._batch(job, write_page)
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
        return linked_records(target.uow.session, target.company_id, link_kind, ids)

    def _linked_only(self, job: ImportJob, kind: ImportKind, records: list[Any]) -> list[Any]:
        with self._uow_factory() as uow:
            target = ImportTarget(uow, job.company_id, "")
            linked = self._links(target, kind, records)
        return [record for record in records if identity(kind, record)[0] in linked]

    def _batch(self, job: ImportJob, write: Callable[[ImportTarget], Any]) -> None:
        """Write one batch and the job's progress in one transaction (or neither)."""
        before = dataclasses.replace(
            job, cursor=dict(job.cursor), skips=list(job.skips), errors=list(job.errors)
        )
        now = self._clock()
        try:
            with self._uow_factory() as uow:
                tenant_id = self._tenant_of(job)
                write(ImportTarget(uow, job.company_id, tenant_id))
                job.lease_until = now + timedelta(seconds=LEASE_SECONDS)
                ImportJobRepository(uow.session).save(job, now)
                uow.commit()
        except BaseException:
            for field in dataclasses.fields(ImportJob):
                setattr(job, field.name, getattr(before, field.name))
            raise
        self._notify(job)

    def _tenant_of(self, job: ImportJob) -> str:
        tenant: str = job.cursor.get("tenant_id", "")
        return tenant

    def _save(self, job: ImportJob) -> None:
        with self._uow_factory() as uow:
            ImportJobRepository(uow.session).save(job, self._clock())
            uow.commit()

    def _notify(self, job: ImportJob) -> None:
        if self._on_progress is not None:
            self._on_progress(job)

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


def _check_ids(xero_ids: Sequence[str], kind: ImportKind) -> list[str]:
    if isinstance(xero_ids, str) or len(xero_ids) > MAX_PICKED:
        raise InvalidValue("xero_ids", f"give a list of at most {MAX_PICKED} Xero ids")
    ids: list[str] = []
    for index, value in enumerate(xero_ids):
        if not isinstance(value, str) or not value.strip() or len(value) > 64:
            raise InvalidValue(f"xero_ids[{index}]", f"{value!r} is not a Xero id")
        clean = value.strip() if kind is ImportKind.TAX_RATES else value.strip().lower()
        if clean not in ids:
            ids.append(clean)
    return ids


def _picked(
    kind: ImportKind, records: list[Any], wanted: Sequence[str]
) -> tuple[list[Any], list[str]]:
    by_id = {identity(kind, record)[0]: record for record in records}
    found = [by_id[ident] for ident in wanted if ident in by_id]
    return found, [ident for ident in wanted if ident not in by_id]


def _latest(values: Iterable[datetime | None]) -> datetime | None:
    present = [value for value in values if value is not None]
    return max(present) if present else None


def _all_companies(uow: SqlUnitOfWork) -> list[Any]:
    found: list[Any] = []
    while True:
        page = uow.companies.list(limit=500, offset=len(found))
        found.extend(page)
        if len(page) < 500:
            return found
