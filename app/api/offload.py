"""One rule for where work runs: off the event loop, and heavy work one slot at a time.

Everything that parses, validates or computes runs in the thread pool (a hop costs about
0.1 ms), so `/healthz` and every other request on the worker keep answering while a big one
is worked on. Work estimated above HEAVY_WORK units (a unit is about one multiply-add or one
body byte) also holds one of the worker's `CONVSCOPE_HEAVY_REQUESTS` slots: each such request
may use up to the memory budget, so four of them queue instead of multiplying the memory.
Only a tiny JSON body (INLINE_BODY_BYTES) is parsed inline, where a thread hop would cost more.
"""

import asyncio
from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

T = TypeVar("T")
INLINE_BODY_BYTES = 4_096  # parsing and validating this much JSON takes well under 0.1 ms
HEAVY_WORK = 2_000_000  # above this, a request may need tens of megabytes: it takes a heavy slot
HEAVY = HEAVY_WORK + 1  # the work of requests that are always heavy (pictures: decoding, drawing, encoding)


class HeavyGate:
    """The worker's heavy-request slots (an asyncio semaphore, made lazily inside the running loop)."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._semaphore: asyncio.Semaphore | None = None

    @property
    def semaphore(self) -> asyncio.Semaphore:
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.slots)
        return self._semaphore


_gate = HeavyGate(2)


def configure(slots: int) -> None:
    """Size the heavy-request slots of this worker (create_app calls it with the settings)."""
    global _gate
    _gate = HeavyGate(slots)


def gate() -> HeavyGate:
    return _gate


async def run(fn: Callable[..., T], *args: object, work: int) -> T:
    """Run `fn(*args)` in the thread pool; above HEAVY_WORK, inside one of the worker's heavy slots."""
    if work <= HEAVY_WORK:
        return await run_in_threadpool(fn, *args)
    async with _gate.semaphore:
        return await run_in_threadpool(fn, *args)
