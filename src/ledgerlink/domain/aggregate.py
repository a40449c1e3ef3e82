"""What every stored domain object shares: identity, company, version and events."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar
from uuid import UUID, uuid4

from ledgerlink.domain._values import article
from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.events import DomainEvent


@dataclass(kw_only=True, eq=False)
class Aggregate:
    """Base of documents, parties and items.

    ``version`` starts at 1 and grows by one on every change; ``events`` collects
    the domain events of changes not yet saved (the unit of work drains it).
    Two aggregates are equal when they are the same object by ``id``.
    """

    KIND: ClassVar[str] = "aggregate"
    LABEL: ClassVar[str] = "object"

    company_id: UUID
    id: UUID = field(default_factory=uuid4)
    version: int = 1
    events: list[DomainEvent] = field(default_factory=list, repr=False)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and isinstance(other, Aggregate) and other.id == self.id

    def __hash__(self) -> int:
        return hash((type(self), self.id))

    def pull_events(self) -> list[DomainEvent]:
        """Return and forget the events raised since the last call."""
        events, self.events = self.events, []
        return events

    def _bump(self, event: type[DomainEvent] | None = None, /, **extra: Any) -> DomainEvent | None:
        """Count one change; record ``event`` (with the new version) when given."""
        self.version += 1
        if event is None:
            return None
        raised = event(
            kind=self.KIND,
            document_id=self.id,
            company_id=self.company_id,
            version=self.version,
            **extra,
        )
        self.events.append(raised)
        return raised

    def _apply_changes(
        self,
        changes: Mapping[str, Any],
        editable: frozenset[str],
        *,
        check: Callable[[Any], None] | None = None,
    ) -> bool:
        """Set the ``changes`` (validated as a whole, then by ``check``); say if any changed."""
        unknown = sorted(set(changes) - editable)
        if unknown:
            raise InvalidValue(
                unknown[0],
                f"cannot be edited on {article(self.LABEL)} {self.LABEL}; "
                f"editable fields: {', '.join(sorted(editable))}",
            )
        candidate = dataclasses.replace(self, **changes)
        if check is not None:
            check(candidate)
        changed = False
        for name in changes:
            new = getattr(candidate, name)
            if getattr(self, name) != new:
                setattr(self, name, new)
                changed = True
        return changed
