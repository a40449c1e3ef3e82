"""The client's own cost per call, against raw httpx making the same calls to the sandbox.

Both make identical calls, interleaved in one run, in-process (ASGI) and over a socket; the
client adds token handling, rate limiting, idempotency keys, error mapping, exact-decimal
parsing and typed models. Prints one JSON line per call kind and transport:

    python -m bench.client_overhead [--calls 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
from tests.client.sandbox.consent import read_form

from xero_client import (
    Contact,
    InMemoryRateLimiter,
    InMemoryTokenStore,
    OAuth2Client,
    OAuthTokenSource,
    TokenSet,
    XeroClient,
    XeroEndpoints,
    XeroLimits,
)
from xero_sandbox import DEMO_TENANT_ID, SandboxClock, SandboxConfig, create_app, serve_in_thread

# Limits off, and budgets so large the limit headers never report a spent minute or day.
CONFIG = SandboxConfig(
    seed="demo", limits="off", minute_limit=10**9, daily_limit=10**9, app_minute_limit=10**9
)
REDIRECT_URI = "http://localhost:8765/cb"

Call = Callable[[int], Awaitable[Any]]


async def connect(http: httpx.AsyncClient, endpoints: XeroEndpoints) -> TokenSet:
    """Connects through the consent page (its form has the fields to send)."""
    oauth = OAuth2Client(
        "sandbox-client", "sandbox-secret", REDIRECT_URI, http, endpoints=endpoints
    )
    request = oauth.authorization_request()
    page = await http.get(request.url)
    answer = await http.post(endpoints.authorize_url, data=read_form(page.text).submission("allow"))
    code = httpx.URL(answer.headers["location"]).params["code"]
    return await oauth.exchange_code(code, request.code_verifier)


def pairs(
    http: httpx.AsyncClient, client: XeroClient, access: str, api: str
) -> dict[str, tuple[Call, Call]]:
    headers = {
        "Authorization": f"Bearer {access}",
        "xero-tenant-id": DEMO_TENANT_ID,
        "Accept": "application/json",
    }

    async def raw_org(n: int) -> Any:
        response = await http.get(f"{api}/Organisation", headers=headers)
        response.raise_for_status()
        return response.json()

    async def raw_contacts(n: int) -> Any:
        response = await http.get(
            f"{api}/Contacts", params={"page": 1, "pageSize": 100}, headers=headers
        )
        response.raise_for_status()
        return response.json()["Contacts"]

    async def raw_create(n: int) -> Any:
        body = {"Contacts": [{"Name": f"Raw {n}-{i}"} for i in range(50)]}
        response = await http.put(
            f"{api}/Contacts",
            params={"summarizeErrors": "false"},
            json=body,
            headers={**headers, "Idempotency-Key": f"raw-{n}"},
        )
        response.raise_for_status()
        return response.json()

    async def client_org(n: int) -> Any:
        return await client.get_organisation()

    async def client_contacts(n: int) -> Any:
        found = []
        async for contact in client.iter_contacts(page_size=100):
            found.append(contact)
            if len(found) == 100:
                break
        return found

    async def client_create(n: int) -> Any:
        return await client.create_contacts(
            [Contact(name=f"Client {n}-{i}") for i in range(50)], idempotency_key=f"client-{n}"
        )

    return {
        "GET /Organisation": (raw_org, client_org),
        "GET /Contacts (100 a page)": (raw_contacts, client_contacts),
        "PUT /Contacts (50 a batch)": (raw_create, client_create),
    }


async def measure(transport: str, http: httpx.AsyncClient, root: str, calls: int) -> None:
    endpoints = XeroEndpoints.at_root(root)
    tokens = await connect(http, endpoints)
    oauth = OAuth2Client(
        "sandbox-client", "sandbox-secret", REDIRECT_URI, http, endpoints=endpoints
    )
    source = OAuthTokenSource(InMemoryTokenStore(tokens), oauth)
    # Xero's in-flight limit, but budgets no run can spend: the limiter's cost without waits.
    unbounded = XeroLimits(per_minute=10**9, per_day=10**9, app_per_minute=10**9)
    limiter = InMemoryRateLimiter(limits=unbounded)
    client = XeroClient(DEMO_TENANT_ID, source, limiter, http, api_url=endpoints.api_url)
    for name, (raw, typed) in pairs(http, client, tokens.access_token, endpoints.api_url).items():
        count = calls if name.startswith("GET") else max(10, calls // 10)
        await raw(-1)
        await typed(-1)  # warm both paths
        spent = {"raw": 0.0, "client": 0.0}
        for n in range(count):
            for label, call in (("raw", raw), ("client", typed)):
                started = time.perf_counter()
                await call(n)
                spent[label] += time.perf_counter() - started
        raw_ms = spent["raw"] / count * 1000
        client_ms = spent["client"] / count * 1000
        print(json.dumps({
            "bench": "client_overhead", "call": name, "transport": transport, "calls": count,
            "raw_ms_per_call": round(raw_ms, 3), "client_ms_per_call": round(client_ms, 3),
            "overhead_ms_per_call": round(client_ms - raw_ms, 3),
            "ratio": round(client_ms / raw_ms, 3),
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }), flush=True)  # fmt: skip


async def main(calls: int) -> None:
    app = create_app(CONFIG, SandboxClock())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
        await measure("asgi", http, "http://sandbox.bench", calls)
    with serve_in_thread(CONFIG, SandboxClock()) as running:
        async with httpx.AsyncClient(timeout=30) as http:
            await measure("socket", http, running.base_url, calls)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--calls", type=int, default=200, help="GET calls per kind (writes: a tenth)"
    )
    asyncio.run(main(parser.parse_args().calls))
