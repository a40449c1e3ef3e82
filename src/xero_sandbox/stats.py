"""Call counts by organisation, method, path and status, for `/_sandbox/stats`."""

import re
from collections import Counter
from typing import Any

_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def path_template(path: str) -> str:
    """The path with ids replaced by `{id}`, so calls on different records add up."""
    return _GUID.sub("{id}", path) if "-" in path else path


class CallStats:
    """Counts every API call the sandbox answered."""

    def __init__(self) -> None:
        self._calls: Counter[tuple[str, str, str, int]] = Counter()
        self._limited: Counter[tuple[str, str]] = Counter()

    def record(self, tenant_id: str, method: str, path: str, status: int) -> None:
        """Count one answered call."""
        self._calls[(tenant_id, method, path_template(path), status)] += 1

    def record_limited(self, tenant_id: str, problem: str) -> None:
        """Count one call refused by a rate limit."""
        self._limited[(tenant_id, problem)] += 1

    def to_public(self, tenant_names: dict[str, str]) -> dict[str, Any]:
        """Totals and rows, grouped the way a person would read them."""
        by_tenant: dict[str, dict[str, Any]] = {}
        for (tenant, method, path, status), count in sorted(self._calls.items()):
            entry = by_tenant.setdefault(
                tenant, {"tenantId": tenant, "tenantName": tenant_names.get(tenant), "total": 0}
            )
            entry["total"] += count
            entry.setdefault("calls", []).append(
                {"method": method, "path": path, "status": status, "count": count}
            )
        by_status: Counter[str] = Counter()
        for (_, _, _, status), count in self._calls.items():
            by_status[str(status)] += count
        limited: dict[str, int] = {}
        for (_, problem), count in self._limited.items():
            limited[problem] = limited.get(problem, 0) + count
        return {
            "total": sum(self._calls.values()),
            "byStatus": dict(sorted(by_status.items())),
            "rateLimited": sum(self._limited.values()),
            "rateLimitedByProblem": limited,
            "organisations": list(by_tenant.values()),
        }

    def clear(self) -> None:
        """Start counting from zero."""
        self._calls.clear()
        self._limited.clear()
