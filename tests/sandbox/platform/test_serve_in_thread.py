"""`serve_in_thread` and `create_app`, the way other packages' tests use them."""

import httpx

from xero_sandbox import (
    DEMO_TENANT_ID,
    SandboxClock,
    SandboxConfig,
    create_app,
    serve_in_thread,
)

from ..conftest import START


async def test_serves_async_tests_over_a_real_socket() -> None:
    clock = SandboxClock.manual(START)
    with serve_in_thread(SandboxConfig(), clock) as sandbox:
        assert sandbox.base_url.startswith("http://127.0.0.1:")
        assert sandbox.clock is clock
        assert DEMO_TENANT_ID in sandbox.state.ledgers
        async with httpx.AsyncClient(base_url=sandbox.base_url) as http:
            index = (await http.get("/")).json()
            moved = await http.post("/_sandbox/clock", json={"advance_seconds": 5})
        assert index["token"] == "/connect/token"
        assert moved.json()["now"] == "2026-03-02T09:30:05+00:00"


def test_two_sandboxes_run_side_by_side() -> None:
    with serve_in_thread() as first, serve_in_thread() as second:
        assert first.base_url != second.base_url
        httpx.post(first.base_url + "/_sandbox/tenants", json={"name": "Only In First"})
        names = [t["name"] for t in httpx.get(second.base_url + "/_sandbox/tenants").json()]
        assert "Only In First" not in names


async def test_create_app_runs_in_process_without_a_socket() -> None:
    app = create_app(SandboxConfig(), SandboxClock.manual(START))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as http:
        token = await http.post(
            "/connect/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox-client", "sandbox-secret"),
        )
        access = token.json()["access_token"]
        organisation = await http.get(
            "/api.xro/2.0/Organisation", headers={"authorization": f"Bearer {access}"}
        )
    assert organisation.status_code == 200
    assert organisation.headers["x-minlimit-remaining"] == "59"
