"""Graceful shutdown: a request in flight when the server is told to stop (SIGTERM, as `docker stop` sends) completes.

The slow request is the JSON Lines trace of a big layer, read slowly, so it is surely mid-stream at the signal.
"""

import json
import signal
import subprocess
import time

import httpx
import pytest

from .conftest import start_convscope

SIZE = 150
BODY = {"input": [[(i * j) % 7 for j in range(SIZE)] for i in range(SIZE)], "kernel": [[1, 0, -1]] * 3}
FRAMES = (SIZE - 2) ** 2


def serve(workers: int) -> tuple[subprocess.Popen, str]:
    """`convscope serve` as the Dockerfile runs it (the CLI sets uvicorn's graceful-shutdown timeout)."""
    server = start_convscope(workers=workers, clean=True, seconds=60)
    return server.process, server.url


@pytest.mark.parametrize("workers", [1, 2], ids=["one-worker", "several-workers"])
def test_a_trace_streaming_at_sigterm_is_delivered_whole(workers):
    process, url = serve(workers)
    try:
        with httpx.stream("POST", f"{url}/api/v1/conv2d/frames", json=BODY, timeout=60) as response:
            assert response.status_code == 200
            lines = response.iter_lines()
            frames = [next(lines)]
            process.send_signal(signal.SIGTERM)
            time.sleep(1.0)  # the server is shutting down while this response is still being sent
            frames += [line for line in lines if line]
        assert len(frames) == FRAMES
        assert [json.loads(line)["step"] for line in (frames[0], frames[-1])] == [0, FRAMES - 1]
        # uvicorn re-raises the signal once it has shut down gracefully, so "killed by SIGTERM" is a clean exit too.
        assert process.wait(timeout=30) in (0, -signal.SIGTERM)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
