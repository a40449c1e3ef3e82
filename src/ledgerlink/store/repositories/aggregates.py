"""The base of every repository of domain aggregates (parties, items, documents, payments).

A repository remembers each aggregate it loads or adds, with the version it had then. On
`save_changes()` it writes back those whose version moved, guarded by that loaded version
(optimistic concurrency), and the unit of work collects their events for the outbox.
"""

import builtins
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, Generic, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, Executable, Result, Select, Table, func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ledgerlink.domain.aggregate import Aggregate
from ledgerlink.domain.errors import InvalidValue
from ledgerlink.store.errors import (
    ConcurrentUpdate,
    DuplicateRecord,
    MissingValue,
    UnknownReference,
)
from ledgerlink.store.integrity import Violation, violation
from ledgerlink.store.repositories._rows import among, rowcount

A = TypeVar("A", bound=Aggregate)

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100


def check_page(limit: int, offset: int) -> None:
    """Refuse page sizes and offsets a caller cannot have meant."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidValue("limit", f"use a whole number from 1 to {MAX_PAGE_SIZE}, got {limit!r}")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise InvalidValue("offset", f"use a whole number of 0 or more, got {offset!r}")


class AggregateRepository(ABC, Generic[A]):
    """Load, add and list one kind of aggregate, always within one company."""

    table: ClassVar[Table]
    label: ClassVar[str]
    # Columns unique within a company, reported by name when an insert collides.
    unique_fields: ClassVar[tuple[str, ...]] = ()
    # Columns that refer to another record of the same company: column -> (table, label).
    references: ClassVar[dict[str, tuple[Table, str]]] = {}

    def __init__(self, session: Session) -> None:
        self._session = session
        self._seen: dict[UUID, tuple[A, int]] = {}

    # -- mapping, per aggregate -----------------------------------------------------

    @abstractmethod
    def _to_row(self, aggregate: A) -> dict[str, Any]:
        """The columns of `aggregate` except id, company_id and version."""

    @abstractmethod
    def _from_row(self, row: RowMapping) -> A:
        """The aggregate stored in `row`, with no pending events."""

    def _status_condition(self, status: str) -> ColumnElement[bool]:
        return self.table.c.status == status

    def _order(self) -> tuple[ColumnElement[Any], ...]:
        return (self.table.c.id,)

    # -- reading ----------------------------------------------------------------------

    def get(self, company_id: UUID, aggregate_id: UUID, *, lock: bool = False) -> A | None:
        """The aggregate, or None when it does not exist in this company.

        ``lock``: hold its row until the transaction ends (PostgreSQL's ``FOR UPDATE``), so
        another transaction changing it waits and then reads it as this one left it;
        SQLite's writers run one at a time already.
        """
        known = self._seen.get(aggregate_id)
        if known is not None:
            return known[0] if known[0].company_id == company_id else None
        query = self._select(company_id).where(self.table.c.id == aggregate_id)
        return self._first(query.with_for_update(of=self.table) if lock else query)

    def get_many(self, company_id: UUID, aggregate_ids: Iterable[UUID]) -> dict[UUID, A]:
        """The aggregates among `aggregate_ids` that exist in this company, by id."""
        wanted = set(aggregate_ids)
        found = {
            aggregate_id: self._seen[aggregate_id][0]
            for aggregate_id in wanted
            if aggregate_id in self._seen and self._seen[aggregate_id][0].company_id == company_id
        }
        missing = wanted - set(found) - set(self._seen)
        if missing:
            query = self._select(company_id).where(among(self._session, self.table.c.id, missing))
            found.update((aggregate.id, aggregate) for aggregate in self._all(query))
        return found

    def list(
        self,
        company_id: UUID,
        *,
        status: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
    ) -> list[A]:
        """One page of the company's aggregates, optionally of one status."""
        check_page(limit, offset)
        query = self._filtered(company_id, status).order_by(*self._order())
        return self._all(query.limit(limit).offset(offset))

    def count(self, company_id: UUID, *, status: str | None = None) -> int:
        """How many aggregates `list` would page through."""
        query = self._filtered(company_id, status).with_only_columns(func.count())
        return int(self._session.execute(query.order_by(None)).scalar_one())

    def _select(self, company_id: UUID) -> Select[Any]:
        return select(self.table).where(self.table.c.company_id == company_id)

    def _filtered(self, company_id: UUID, status: str | None) -> Select[Any]:
        query = self._select(company_id)
        if status is not None:
            query = query.where(self._status_condition(status))
        return query

    def _first(self, query: Select[Any]) -> A | None:
        found = self._all(query.limit(1))
        return found[0] if found else None

    def _all(self, query: Select[Any]) -> builtins.list[A]:
        rows = builtins.list(self._session.execute(query).mappings())
        self._prefetch([row for row in rows if row["id"] not in self._seen])
        return [self._track(row) for row in rows]

    def _prefetch(self, rows: builtins.list[RowMapping]) -> None:
        """Load what `_from_row` needs besides the rows (e.g. child rows), in one go."""

    def _track(self, row: RowMapping) -> A:
        known = self._seen.get(row["id"])
        if known is not None:
            return known[0]
        aggregate = self._from_row(row)
        self._seen[aggregate.id] = (aggregate, aggregate.version)
        return aggregate

    # -- writing ----------------------------------------------------------------------

    def add(self, aggregate: A) -> None:
        """Store a new aggregate; its events reach the outbox on commit.

        Raises:
            DuplicateRecord: its id or a unique field (code, number) is taken.
            MissingValue: a required column would be empty.
            UnknownReference: it refers to a record that is not in its company.
        """
        values = {
            "id": aggregate.id,
            "company_id": aggregate.company_id,
            "version": aggregate.version,
            **self._to_row(aggregate),
        }
        self._check(aggregate)
        self._write(values, self.table.insert().values(values))
        self._write_children(aggregate)
        self._seen[aggregate.id] = (aggregate, aggregate.version)

    def _write_children(self, aggregate: A) -> None:
        """Store rows that belong to `aggregate` in other tables (after insert or update)."""

    def _check(self, aggregate: A) -> None:
        """Refuse `aggregate` before it is written (e.g. a name another record has)."""

    def _write(self, values: dict[str, Any], statement: Executable) -> Result[Any]:
        """Run an INSERT/UPDATE in a savepoint, turning integrity errors into clear ones."""
        try:
            with self._session.begin_nested():
                return self._session.execute(statement)
        except IntegrityError as error:
            explained = self._explain(values, violation(error))
            if explained is None:
                raise
            raise explained from error

    def _explain(self, values: dict[str, Any], refused: Violation) -> Exception | None:
        """The store error for what the database refused; None when it is none of ours."""
        if refused.kind == "not_null":
            column = refused.columns[0] if refused.columns else "a required field"
            return MissingValue(self.label, column)
        if refused.kind == "unique":
            return self._duplicate(values, refused.columns)
        if refused.kind == "foreign_key":
            return self._unknown_reference(values)
        return None

    def _duplicate(self, values: dict[str, Any], columns: tuple[str, ...]) -> Exception | None:
        company_id = values["company_id"]
        for column in self.unique_fields:
            if values.get(column) is None:
                continue
            taken = self._session.execute(
                select(self.table.c.id).where(
                    self.table.c.company_id == company_id,
                    self.table.c[column] == values[column],
                    self.table.c.id != values["id"],
                )
            ).first()
            if taken is not None:
                return DuplicateRecord(self.label, column, values[column])
        named = tuple(column for column in columns if column != "company_id")
        if not named or named == ("id",):
            return DuplicateRecord(self.label, "id", values["id"])
        return None

    def _unknown_reference(self, values: dict[str, Any]) -> Exception | None:
        company_id = values["company_id"]
        for column, (target, label) in self.references.items():
            if values.get(column) is None:
                continue
            found = self._session.execute(
                select(target.c.id).where(
                    target.c.company_id == company_id, target.c.id == values[column]
                )
            ).first()
            if found is None:
                return UnknownReference(column, label, values[column])
        return None

    def forget(self) -> None:
        """Stop tracking every aggregate (after a rollback: their rows may be gone)."""
        self._seen.clear()

    def seen(self) -> Iterator[A]:
        """Every aggregate loaded or added through this repository."""
        return (aggregate for aggregate, _ in self._seen.values())

    def save_changes(self) -> None:
        """Write back every aggregate whose version moved since it was loaded.

        Raises:
            ConcurrentUpdate: someone else saved the same aggregate in the meantime.
        """
        for aggregate_id, (aggregate, loaded_version) in list(self._seen.items()):
            if aggregate.version == loaded_version:
                continue
            self._check(aggregate)
            columns = self._to_row(aggregate)
            values = {"id": aggregate.id, "company_id": aggregate.company_id, **columns}
            result = self._write(
                values,
                self.table.update()
                .where(
                    self.table.c.id == aggregate.id,
                    self.table.c.company_id == aggregate.company_id,
                    self.table.c.version == loaded_version,
                )
                .values(version=aggregate.version, **columns),
            )
            if rowcount(result) != 1:
                raise ConcurrentUpdate(self.label, aggregate.id, loaded_version)
            self._write_children(aggregate)
            self._seen[aggregate_id] = (aggregate, aggregate.version)
