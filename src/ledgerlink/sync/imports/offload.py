"""Imports' database work runs on threads of its own, never on the event loop.

A unit of work on SQLite may wait up to the busy timeout for the write lock; run on the
event loop, that wait would stop every other coroutine of the process, including the one
holding the lock. A few threads are enough: SQLite writes one transaction at a time.
"""

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_THREADS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="ledgerlink-imports")


async def in_thread(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run blocking ``work`` on an import thread and wait for it without blocking the loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_THREADS, functools.partial(work, *args, **kwargs))
