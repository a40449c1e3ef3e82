"""The `status` filter of lists: either letter case is taken, lower case is documented."""

from typing import Annotated

from fastapi import Depends, Query

from ledgerlink.api.problems import Problem
from ledgerlink.domain.catalogue import ReferenceStatus

REFERENCE_STATUSES = tuple(status.value for status in ReferenceStatus)
_DOCUMENTED = [status.lower() for status in REFERENCE_STATUSES]


def stored_status(status: str | None, statuses: tuple[str, ...]) -> str | None:
    """The stored status `status` names in either letter case; 422 when it names none."""
    if status is None or not statuses:
        return status
    for stored in statuses:
        if stored.casefold() == status.casefold():
            return stored
    allowed = ", ".join(s.lower() for s in statuses)
    message = f"use one of {allowed}, got {status!r}"
    raise Problem(422, "Validation failed", f"status: {message}", [
        {"field": "status", "message": message}
    ])  # fmt: skip


def reference_status(
    status: str | None = Query(
        None,
        description="Only those of this status in Xero (either letter case).",
        json_schema_extra={"enum": _DOCUMENTED},
    ),
) -> str | None:
    return stored_status(status, REFERENCE_STATUSES)


ReferenceStatusDep = Annotated[str | None, Depends(reference_status)]
