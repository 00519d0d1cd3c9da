"""Run small computations inline and large ones in the thread pool.

A toy 7×7 request costs less than a thread hop, so it runs on the event loop; anything
that could take milliseconds moves off it, so one big request never stalls the others.
"""

from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

T = TypeVar("T")
INLINE_WORK = 100_000  # rough multiply-adds below which a thread hop costs more than the work


async def run(fn: Callable[..., T], *args: object, work: int) -> T:
    if work <= INLINE_WORK:
        return fn(*args)
    return await run_in_threadpool(fn, *args)
