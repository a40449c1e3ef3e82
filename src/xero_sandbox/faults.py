"""Injected faults: the next N API calls matching a method and a path pattern misbehave.

Kinds: `error` answers 500, 503 or 429 without running the call; `delay` takes in the call,
holds it for `delay_ms` of real time (it stays in flight) and then runs it, even if the client
gave up meanwhile; `drop` runs the call, so its
change is committed, and then drops the connection before any response body is sent;
`error_after_commit` runs the call, so its change is committed, and then answers `status`
(500, 502, 503 or 504) instead of its answer, as a server failing after saving does;
`late` runs the call, so its change is committed (and its `Idempotency-Key` answer stored),
then holds the answer for `delay_ms` of real time before sending it, as an answer stuck in
the network past the client's timeout would be.
"""

import fnmatch
import itertools
from dataclasses import dataclass
from typing import Any

FAULT_KINDS = ("error", "delay", "drop", "error_after_commit", "late")
#: Kinds that wait `delay_ms` of real time (before the call, or before its answer).
TIMED_KINDS = ("delay", "late")
FAULT_STATUSES = (429, 500, 503)
AFTER_COMMIT_STATUSES = (500, 502, 503, 504)
MAX_DELAY_MS = 60_000


class FaultSpecError(ValueError):
    """A fault request that cannot be understood; names the field and the fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass
class Fault:
    """One armed fault."""

    id: int
    kind: str
    method: str
    path: str
    remaining: int
    status: int = 500
    delay_ms: int = 0
    retry_after: int = 1

    def matches(self, method: str, path: str) -> bool:
        """True when this fault applies to a call (path is a case-insensitive glob)."""
        if self.method != "*" and self.method != method:
            return False
        return fnmatch.fnmatchcase(path.lower(), self.path.lower())

    def to_public(self) -> dict[str, Any]:
        """The fault as JSON."""
        body: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "method": self.method,
            "path": self.path,
            "remaining": self.remaining,
        }
        if self.kind in ("error", "error_after_commit"):
            body["status"] = self.status
            if self.status == 429:
                body["retry_after"] = self.retry_after
        if self.kind in TIMED_KINDS:
            body["delay_ms"] = self.delay_ms
        return body


def _int_field(spec: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = spec.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise FaultSpecError(name, f"must be a whole number from {low} to {high}, not {value!r}")
    return value


class FaultBook:
    """The armed faults, consumed in the order they were added."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)

    def add(self, spec: dict[str, Any]) -> Fault:
        """Arm a fault from its JSON description (see the module docstring)."""
        kind = spec.get("kind")
        if kind not in FAULT_KINDS:
            raise FaultSpecError("kind", f"must be one of {', '.join(FAULT_KINDS)}, not {kind!r}")
        method = spec.get("method", "*")
        if not isinstance(method, str) or not method:
            raise FaultSpecError("method", "must be an HTTP method such as PUT, or '*'")
        path = spec.get("path", "*")
        if not isinstance(path, str) or not path:
            raise FaultSpecError("path", "must be a glob such as /api.xro/2.0/Invoices*")
        fault = Fault(
            id=next(self._ids),
            kind=kind,
            method=method.upper(),
            path=path if path.startswith(("/", "*")) else f"*{path}",
            remaining=_int_field(spec, "times", 1, 1, 1_000_000),
        )
        if kind == "error":
            fault.status = _int_field(spec, "status", 500, 0, 999)
            if fault.status not in FAULT_STATUSES:
                raise FaultSpecError("status", "must be 429, 500 or 503")
            fault.retry_after = _int_field(spec, "retry_after", 1, 0, 86_400)
        if kind == "error_after_commit":
            fault.status = _int_field(spec, "status", 500, 0, 999)
            if fault.status not in AFTER_COMMIT_STATUSES:
                raise FaultSpecError("status", "must be 500, 502, 503 or 504")
        if kind in TIMED_KINDS:
            fault.delay_ms = _int_field(spec, "delay_ms", -1, 0, MAX_DELAY_MS)
        self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The first armed fault for this call, counted as used; None when there is none."""
        if not self._faults:
            return None
        for fault in self._faults:
            if fault.matches(method, path):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def armed(self) -> list[Fault]:
        """Faults not yet used up."""
        return list(self._faults)

    def clear(self) -> None:
        """Disarm every fault."""
        self._faults.clear()
