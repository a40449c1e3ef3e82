"""A tiny webhook receiver on a real socket, answering with the statuses a test scripts."""

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SANDBOX_WEBHOOK_KEY = "sandbox-webhook-key"


@dataclass
class Delivery:
    body: bytes
    signature: str


@dataclass
class Receiver:
    url: str
    answer: Callable[[Delivery], int]
    deliveries: list[Delivery] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Delivery]:
        """Block until `count` posts have arrived (or fail after `timeout`)."""
        with self.arrived:
            ok = self.arrived.wait_for(lambda: len(self.deliveries) >= count, timeout)
        assert ok, f"expected {count} webhook posts, got {len(self.deliveries)}"
        return list(self.deliveries)

    def wait_for_events(self, count: int, timeout: float = 10.0) -> list[dict[str, object]]:
        """Block until the posts hold `count` events in all (batches may group them)."""

        def events() -> list[dict[str, object]]:
            return [e for d in self.deliveries for e in json.loads(d.body)["events"]]

        with self.arrived:
            ok = self.arrived.wait_for(lambda: len(events()) >= count, timeout)
            found = events()
        assert ok, f"expected {count} webhook events, got {len(found)}"
        return found


def signs_correctly(key: str) -> Callable[[Delivery], int]:
    """A receiver that checks `x-xero-signature` the way Xero asks: 200 or 401."""

    def answer(delivery: Delivery) -> int:
        digest = hmac.new(key.encode(), delivery.body, hashlib.sha256).digest()
        expected = base64.b64encode(digest).decode()
        return 200 if hmac.compare_digest(expected, delivery.signature) else 401

    return answer


@contextmanager
def receiver(answer: Callable[[Delivery], int]) -> Iterator[Receiver]:
    """Run a receiver until the block ends."""
    state = Receiver(url="", answer=answer)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            delivery = Delivery(self.rfile.read(length), self.headers.get("x-xero-signature", ""))
            status = state.answer(delivery)
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()
            with state.arrived:
                state.deliveries.append(delivery)
                state.arrived.notify_all()

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/webhooks/xero"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
