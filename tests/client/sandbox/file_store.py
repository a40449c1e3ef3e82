"""A token store shared by processes on one machine: a JSON file guarded by ``fcntl.flock``.

ledgerlink keeps tokens in its database; this store exists to prove, in tests, that
refreshing is single-flight across processes and not only across tasks.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from pathlib import Path

from xero_client import TokenSet


class FileTokenStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock_path = path.with_suffix(".lock")
        self._local = asyncio.Lock()

    async def load(self) -> TokenSet | None:
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return None
        return TokenSet(
            access_token=data["access_token"],
            refresh_token=data["refresh_token"],
            expires_at=datetime.fromisoformat(data["expires_at"]),
            scope=tuple(data["scope"]),
        )

    async def save(self, tokens: TokenSet) -> None:
        data = {
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "expires_at": tokens.expires_at.isoformat(),
            "scope": list(tokens.scope),
        }
        temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data))
        temporary.replace(self.path)

    @asynccontextmanager
    async def _locked(self) -> AsyncIterator[None]:
        async with self._local:  # one task of this process at a time ...
            with self._lock_path.open("a") as handle:  # ... and one process at a time
                await asyncio.to_thread(fcntl.flock, handle.fileno(), fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def lock(self) -> AbstractAsyncContextManager[None]:
        return self._locked()
