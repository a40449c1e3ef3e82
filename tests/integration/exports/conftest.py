"""The sandbox over HTTP and an app whose company is connected to it through the gateway,
as the import tests have them, for one-time exports."""

import asyncio
from typing import Any

import httpx
from fastapi import FastAPI

from tests.integration.api.conftest import Tenant
from tests.integration.imports.conftest import (
    admin,
    api,
    app,
    clients,
    connected,
    container,
    sandbox,
    sandbox_clock,
    sandbox_config,
    settings,
    xero,
)

__all__ = [
    "admin",
    "api",
    "app",
    "clients",
    "connected",
    "container",
    "sandbox",
    "sandbox_clock",
    "sandbox_config",
    "settings",
    "xero",
]


async def export(api: httpx.AsyncClient, app: FastAPI, tenant: Tenant, kind: str) -> dict[str, Any]:
    """Start an export over REST, let it finish, and read the job as a person would."""
    started = await api.post(
        tenant.url("/xero/exports"), json={"kind": kind}, headers=tenant.headers
    )
    assert started.status_code == 202, started.text
    await asyncio.gather(*app.state.export_tasks)
    job = await api.get(started.json()["url"], headers=tenant.headers)
    assert job.status_code == 200, job.text
    found: dict[str, Any] = job.json()
    return found


async def post(api: httpx.AsyncClient, tenant: Tenant, path: str, body: Any) -> dict[str, Any]:
    answer = await api.post(tenant.url(path), json=body, headers=tenant.headers)
    assert answer.status_code == 201, answer.text
    made: dict[str, Any] = answer.json()
    return made
