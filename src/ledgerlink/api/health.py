"""For operators: `/healthz` (the process answers), `/readyz` (it can serve) and `/metrics`."""

import asyncio
from datetime import timedelta
from typing import Any

from alembic.runtime.migration import MigrationContext
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import select

from ledgerlink.api.problems import PROBLEM_JSON
from ledgerlink.api.xero_parts import XeroParts
from ledgerlink.observability.metrics import exposition
from ledgerlink.store.crypto import SecretKeyError
from ledgerlink.store.heartbeats import last_seen
from ledgerlink.store.migrate import head_revision
from ledgerlink.store.rate_budget import DatabaseRateLimiter
from ledgerlink.store.watch import bound_organisations, outbox_depth

# A worker not seen for this long is taken for gone.
WORKER_SEEN_WITHIN = timedelta(minutes=1)

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Alive: the process answers (the database is not asked)."""
    return {"status": "ok"}


def _not_ready(request: Request) -> list[str]:
    state = request.app.state
    try:
        with state.uow_factory() as uow:
            uow.session.execute(select(1))
            revision = MigrationContext.configure(uow.session.connection()).get_current_revision()
            head = head_revision()
            if revision != head:
                return [
                    f"the database is at migration {revision}, not {head}: "
                    "run ledgerlink db upgrade"
                ]
            seen = last_seen(uow.session)
    except Exception as error:  # any failure to reach the database means not ready
        return [f"the database cannot be reached ({type(error).__name__})"]
    now = state.clock()
    if seen is None:
        return ["no worker has ever run: start one with ledgerlink worker"]
    if now - seen > WORKER_SEEN_WITHIN:
        ago = int((now - seen).total_seconds())
        return [f"no worker seen for {ago}s: start one with ledgerlink worker"]
    return []


@router.get("/readyz")
def readyz(request: Request) -> Response:
    """Ready: database reachable, migrations at head, a worker seen in the last minute."""
    reasons = _not_ready(request)
    if not reasons:
        return JSONResponse({"status": "ready"})
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": "Not ready",
        "status": 503,
        "detail": "; ".join(reasons),
        "reasons": reasons,
    }
    return JSONResponse(body, status_code=503, media_type=PROBLEM_JSON)


def _read_now(request: Request) -> list[Metric]:
    state = request.app.state
    depth = GaugeMetricFamily(
        "ledgerlink_outbox_rows",
        "Outbox rows for Xero not yet done, by state and kind",
        labels=["state", "kind"],
    )
    with state.uow_factory() as uow:
        for row_state, kind, count in outbox_depth(uow.session):
            depth.add_metric([row_state, kind], count)
        organisations = bound_organisations(uow.session)
    found: list[Metric] = [depth]
    parts: XeroParts = state.xero
    try:
        sessions = parts.gateway().sessions
    except SecretKeyError:
        return found
    limiter = DatabaseRateLimiter(sessions, clock=state.clock)
    minute = GaugeMetricFamily(
        "ledgerlink_xero_minute_budget_remaining",
        "Calls left in this minute, per organisation",
        labels=["organisation"],
    )
    day = GaugeMetricFamily(
        "ledgerlink_xero_day_budget_remaining",
        "Calls left today, per organisation",
        labels=["organisation"],
    )
    for tenant_id in organisations:
        budget = limiter.budget(tenant_id)
        minute.add_metric([tenant_id], budget.minute_remaining)
        day.add_metric([tenant_id], budget.day_remaining)
    return [*found, minute, day]


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """Prometheus' text format: this process's counters and the database's gauges."""
    read_now = await asyncio.to_thread(_read_now, request)
    return Response(exposition(read_now), media_type=CONTENT_TYPE_LATEST)
