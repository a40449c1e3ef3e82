"""Requests per second the sandbox answers with limits off (simple calls over keep-alive).

The sandbox runs in its own process (the `xero-sandbox` command); this process drives it
from a pool of threads, each with one keep-alive connection (stdlib `http.client`, the
cheapest client, so the figure is the server's). Prints one JSON line per call:

    python -m bench.sandbox_throughput [--requests 5000] [--threads 4]
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from xero_sandbox import DEMO_TENANT_ID

CALLS = [
    ("GET", "/api.xro/2.0/Organisation"),
    ("GET", "/api.xro/2.0/Currencies"),
    ("GET", "/api.xro/2.0/Contacts?page=1"),
    ("GET", "/connections"),
    ("PUT", "/api.xro/2.0/Contacts"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _start_sandbox(port: int) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", "from xero_sandbox.cli import main; main()"]
    flags = ["--port", str(port), "--limits", "off"]
    process = subprocess.Popen([*command, *flags], stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    process.stderr.readline()  # the banner: the app is built, uvicorn is starting
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("xero-sandbox did not start")


def _token(port: int) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    body = urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": "sandbox-client",
            "client_secret": "sandbox-secret",
        }
    )
    headers = {"content-type": "application/x-www-form-urlencoded"}
    connection.request("POST", "/connect/token", body, headers)
    token: str = json.loads(connection.getresponse().read())["access_token"]
    connection.close()
    return token


def _worker(port: int, method: str, path: str, headers: dict[str, str], count: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    ok = 0
    for _ in range(count):
        body = None
        if method == "PUT":
            # A new contact each time: Xero refuses duplicate names.
            body = json.dumps({"Contacts": [{"Name": f"Bench {uuid.uuid4()}"}]})
        connection.request(method, path, body, headers=headers)
        response = connection.getresponse()
        response.read()
        ok += response.status == 200
    connection.close()
    return ok


def measure(
    port: int, method: str, path: str, token: str, requests: int, threads: int
) -> dict[str, object]:
    headers = {
        "authorization": f"Bearer {token}",
        "xero-tenant-id": DEMO_TENANT_ID,
        "content-type": "application/json",
    }
    per_thread = requests // threads
    _worker(port, method, path, headers, 50)  # warm up
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        counts = pool.map(
            lambda _: _worker(port, method, path, headers, per_thread), range(threads)
        )
        ok = sum(counts)
    seconds = time.perf_counter() - started
    total = per_thread * threads
    return {
        "bench": "sandbox_rps",
        "method": method,
        "path": path,
        "rps": round(total / seconds, 1),
        "requests": total,
        "ok": ok,
        "threads": threads,
        "seconds": round(seconds, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    port = _free_port()
    process = _start_sandbox(port)
    try:
        token = _token(port)
        for method, path in CALLS:
            figure = measure(port, method, path, token, args.requests, args.threads)
            print(json.dumps(figure), flush=True)
    finally:
        process.terminate()
        process.wait(timeout=20)
        if process.stderr is not None:
            process.stderr.close()


if __name__ == "__main__":
    main()
