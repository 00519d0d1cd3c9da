"""At shutdown, wait until the kernel has sent what the responses wrote.

uvicorn lets every response in flight finish, but a finished response is in the kernel's send buffer, not yet
at the client: a slow reader (a paused download, a phone on shared Wi-Fi) can be megabytes behind. In a
container the network namespace goes with the last process, and the unsent bytes with it, so a stream cut by
`docker compose down` arrived truncated. The app's last shutdown step therefore waits, for a bounded time,
until no TCP socket on the server's port has unsent data (Linux: the tx_queue column of /proc/net/tcp[6]).
"""

import asyncio
import time
from pathlib import Path

TABLES = (Path("/proc/net/tcp"), Path("/proc/net/tcp6"))


def unsent_bytes(port: int, tables: tuple[Path, ...] = TABLES) -> int:
    """Bytes the kernel still holds to send on sockets whose local port is `port` (0 where /proc is absent)."""
    total = 0
    for table in tables:
        try:
            lines = table.read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) < 5:
                continue
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            tx_queue = int(fields[4].split(":", 1)[0], 16)
            if local_port == port:
                total += tx_queue
    return total


async def wait_until_sent(port: int, seconds: float, tables: tuple[Path, ...] = TABLES) -> float:
    """Poll until nothing is left to send on `port` or `seconds` pass; returns the seconds waited."""
    started = time.monotonic()
    while unsent_bytes(port, tables) and time.monotonic() - started < seconds:
        await asyncio.sleep(0.05)
    return time.monotonic() - started
