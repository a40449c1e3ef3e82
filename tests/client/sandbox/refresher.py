"""One worker process: waits for its cue, then calls the sandbox with the shared tokens.

Run as ``python -m tests.client.sandbox.refresher ROOT TOKENS_FILE CUE_DIR ROUNDS TENANT``; prints
one JSON line with its refresh count, calls made and errors seen.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

import httpx

from xero_client import OAuth2Client, OAuthTokenSource, XeroClient, XeroEndpoints, XeroError

from .file_store import FileTokenStore


def wait_for(path: Path, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"no cue {path.name} within {seconds} s")
        time.sleep(0.01)


async def main(root: str, tokens_file: Path, cues: Path, rounds: int, tenant: str) -> None:
    endpoints = XeroEndpoints.at_root(root)
    errors: list[str] = []
    calls = 0
    async with httpx.AsyncClient(timeout=30) as http:
        oauth = OAuth2Client(
            "sandbox-client", "sandbox-secret", "http://localhost/cb", http, endpoints=endpoints
        )
        source = OAuthTokenSource(FileTokenStore(tokens_file), oauth)
        client = XeroClient(tenant, source, http=http, api_url=endpoints.api_url)
        for n in range(rounds):
            await asyncio.to_thread(wait_for, cues / f"go-{n}")
            try:
                await asyncio.gather(*(client.get_organisation() for _ in range(3)))
                calls += 3
            except XeroError as error:
                errors.append(f"{type(error).__name__}: {error}")
            (cues / f"done-{n}-{os.getpid()}").touch()
    print(json.dumps({"refreshes": source.refresh_count, "calls": calls, "errors": errors}))


if __name__ == "__main__":
    asyncio.run(
        main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    )
