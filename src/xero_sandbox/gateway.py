"""The platform layer in front of every `/api.xro/2.0/...` call.

In order: bearer token (401), `xero-tenant-id` (403), scopes (401), rate limits (429), faults,
`Idempotency-Key` replay (unless the sandbox is told to ignore keys), then the accounting
route with `request.state.ledger` and `request.state.now` set. A write is all or nothing: if
its route raises (even while rendering the answer), the ledger goes back to where it was
before the call. On the way out it adds the rate-limit headers, counts the call, and hands
the ledger's new events to the webhook dispatcher. Written as plain ASGI: it is on the path
of every call and must stay cheap.
"""

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xero_sandbox import problems
from xero_sandbox.accounting import Ledger
from xero_sandbox.asgi_body import read_body, replay_body
from xero_sandbox.fault_layer import ConnectionDropped, HeldAnswer, fault_response, wait_with_body
from xero_sandbox.faults import Fault
from xero_sandbox.idempotency import (
    MAX_KEY_LENGTH,
    Fresh,
    InProgress,
    Mismatch,
    StoredResponse,
    body_hash,
)
from xero_sandbox.identity.scope_rules import resource_of, scopes_allow
from xero_sandbox.state import SandboxState

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Faults that run the call (its change stands) and then spoil its answer.
AFTER_COMMIT = frozenset({"drop", "error_after_commit"})
NO_TENANT = "-"


class ApiGateway:
    """ASGI app wrapping the accounting router."""

    def __init__(self, sandbox: SandboxState, router: ASGIApp) -> None:
        self.sandbox = sandbox
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.router(scope, receive, send)
            return
        sandbox = self.sandbox
        method: str = scope["method"]
        path: str = scope["path"]
        headers = _headers(scope)
        now = sandbox.clock.now()
        caller = None
        authorization = headers.get("authorization", "")
        if authorization[:7].lower() == "bearer ":
            caller = sandbox.identity.authenticate(authorization[7:].strip(), now)
        tenant_id = headers.get("xero-tenant-id", "").strip().lower()
        if caller is None:
            await self._answer(problems.unauthorized(), NO_TENANT, scope, send)
            return
        if not tenant_id and caller.custom_tenant_id is not None:
            tenant_id = caller.custom_tenant_id
        ledger = sandbox.ledgers.get(tenant_id)
        if ledger is None or not sandbox.identity.covers(caller, tenant_id):
            await self._answer(problems.forbidden(), tenant_id or NO_TENANT, scope, send)
            return
        resource = resource_of(path[len(scope.get("root_path", "")) :])
        if not scopes_allow(caller.scopes, method, resource):
            await self._answer(problems.scope_missing(), tenant_id, scope, send)
            return
        limiter = sandbox.limiter
        refusal = limiter.admit(tenant_id, now.timestamp())
        if refusal is not None:
            sandbox.stats.record_limited(tenant_id, refusal.problem)
            response = problems.too_many_requests(refusal.problem, refusal.retry_after)
            await self._answer(response, tenant_id, scope, send, limits=True)
            return
        fault = None
        held = HeldAnswer(send)
        try:
            fault = sandbox.faults.take(method, path)
            if fault is not None and fault.kind == "error":
                await self._answer(fault_response(fault), tenant_id, scope, send, limits=True)
                return
            if fault is not None and fault.kind == "delay":
                receive = await wait_with_body(receive, fault.delay_ms)
            if fault is not None and fault.kind == "late":
                send = held.hold
            scope["state"] = {**scope.get("state", {}), "ledger": ledger, "now": now}
            honoured = sandbox.honour_idempotency_keys and method in _WRITE_METHODS
            key = headers.get("idempotency-key") if honoured else None
            after = fault if fault is not None and fault.kind in AFTER_COMMIT else None
            if key is not None:
                await self._idempotent(
                    key, caller.client_id, tenant_id, scope, receive, send, after
                )
            else:
                await self._run(tenant_id, scope, receive, send, after)
        finally:
            limiter.release(tenant_id)
            events = ledger.drain_events()
            if events:
                sandbox.webhooks.enqueue(tenant_id, events)
            if method != "GET":
                sandbox.changed()
        if fault is not None and fault.kind == "late":
            # Committed and its key's answer stored; the answer itself arrives late.
            await held.release_after(fault.delay_ms / 1000)

    async def _idempotent(
        self,
        key: str,
        client_id: str,
        tenant_id: str,
        scope: Scope,
        receive: Receive,
        send: Send,
        after: Fault | None,
    ) -> None:
        if not key or len(key) > MAX_KEY_LENGTH:
            response = problems.idempotency_conflict(
                f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters long"
            )
            await self._answer(response, tenant_id, scope, send, limits=True)
            return
        body = await read_body(receive)
        store = self.sandbox.idempotency
        slot = (client_id, tenant_id, key)
        outcome = store.begin(
            slot, scope["method"], scope["path"], body_hash(body), self.sandbox.clock.now()
        )
        if isinstance(outcome, Mismatch):
            response = problems.idempotency_conflict(outcome.message)
            await self._answer(response, tenant_id, scope, send, limits=True)
            return
        if isinstance(outcome, InProgress):
            response = problems.idempotency_conflict(
                f"A request with the Idempotency-Key '{key}' is still being processed; "
                "retry when it has finished",
                status=409,
            )
            await self._answer(response, tenant_id, scope, send, limits=True)
            return
        if not isinstance(outcome, Fresh):
            stored = outcome.response
            replayed = [*stored.headers, (b"idempotent-replayed", b"true")]
            await self._send_stored(
                StoredResponse(stored.status, replayed, stored.body), tenant_id, scope, send
            )
            return
        captured: list[Message] = []
        try:
            await self._run(tenant_id, scope, replay_body(body, receive), send, after, captured)
        except BaseException:
            if not _complete(captured):
                store.abandon(slot)
                raise
            store.finish(slot, _stored(captured))
            raise
        if _complete(captured) and _stored(captured).status < 500:
            store.finish(slot, _stored(captured))
        else:
            store.abandon(slot)

    async def _run(
        self,
        tenant_id: str,
        scope: Scope,
        receive: Receive,
        send: Send,
        after: Fault | None,
        captured: list[Message] | None = None,
    ) -> None:
        """Run the route; `after` (a fault) lets its change stand but spoils the answer."""
        limiter = self.sandbox.limiter
        status = 500
        started = False
        held: list[Message] = []

        async def send_out(message: Message) -> None:
            nonlocal status, started
            started = True
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message["headers"], *limiter.headers(tenant_id)]}
            if captured is not None:
                captured.append(message)
            if drop:
                held.append(message)
                return
            await send(message)

        async def discard(message: Message) -> None:
            nonlocal started
            started = True

        drop = after is not None and after.kind == "drop"
        spoil = after is not None and after.kind == "error_after_commit"
        ledger: Ledger = scope["state"]["ledger"]
        checkpoint = None
        if scope["method"] in _WRITE_METHODS:
            # The body is read first: from the checkpoint to the answer nothing awaits, so
            # no other call's change can fall between them and be undone with this one.
            receive = replay_body(await read_body(receive), receive)
            checkpoint = ledger.checkpoint()
        try:
            try:
                await self.router(scope, receive, discard if spoil else send_out)
            except BaseException:
                if checkpoint is not None and not started:
                    ledger.roll_back(checkpoint)
                raise
            finally:
                if checkpoint is not None:
                    ledger.settle()
            if after is not None and spoil:
                await fault_response(after)(scope, _no_body, send_out)
        finally:
            self.sandbox.stats.record(tenant_id, scope["method"], scope["path"], status)
        if drop:
            if held:
                # Start the response, then fail: the server closes the connection mid-answer.
                await send(held[0])
            raise ConnectionDropped(f"{scope['method']} {scope['path']}: dropped after commit")

    async def _send_stored(
        self, stored: StoredResponse, tenant_id: str, scope: Scope, send: Send
    ) -> None:
        headers = [*stored.headers, *self.sandbox.limiter.headers(tenant_id)]
        await send({"type": "http.response.start", "status": stored.status, "headers": headers})
        await send({"type": "http.response.body", "body": stored.body})
        self.sandbox.stats.record(tenant_id, scope["method"], scope["path"], stored.status)

    async def _answer(
        self,
        response: Response,
        tenant_id: str,
        scope: Scope,
        send: Send,
        limits: bool = False,
    ) -> None:
        if limits:
            response.raw_headers.extend(self.sandbox.limiter.headers(tenant_id))
        self.sandbox.stats.record(tenant_id, scope["method"], scope["path"], response.status_code)
        await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


def _headers(scope: Scope) -> dict[str, str]:
    wanted = {b"authorization", b"xero-tenant-id", b"idempotency-key"}
    return {
        name.decode("latin-1"): value.decode("latin-1")
        for name, value in scope["headers"]
        if name in wanted
    }


def _complete(captured: list[Message]) -> bool:
    return any(
        m["type"] == "http.response.body" and not m.get("more_body", False) for m in captured
    )


def _stored(captured: list[Message]) -> StoredResponse:
    start: Message = next(m for m in captured if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in captured if m["type"] == "http.response.body")
    headers = [
        (name, value)
        for name, value in start["headers"]
        if not name.lower().endswith(b"limit-remaining")
    ]
    return StoredResponse(start["status"], headers, body)
