"""A short class in the suite: 20 students for 5 s against a 2-worker server, and not one failed request.

The full run (60 students, 60 s, memory over 10,000 requests) is `bench/load.py`; this keeps CI fast.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from bench.load import run_load

from .conftest import start_server, stop_server


def test_twenty_students_for_five_seconds_get_no_errors():
    server = start_server(workers=2)
    try:
        load = run_load(server.url, students=20, seconds=5, server_pid=server.process.pid)
        # A thread of its own: Playwright's sync API may already run an event loop in this one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            report = pool.submit(asyncio.run, load).result()
    finally:
        stop_server(server)
    assert report.errors == 0, report.error_samples
    assert report.requests >= 20  # every student at least opened the page and asked for a layer
