"""Benchmark the engine and the API, side by side, in one run.

Run: `make bench` (or `.venv/bin/python bench/bench.py`). It starts its own uvicorn on a
free loopback port. Prints:
1. conv2d engine vs a naive Python loop vs numpy's best (sliding_window_view + tensordot);
2. API latency (p50/p99) of a 7×7 toy conv request against the same server's /healthz;
3. time and bytes per frame for a 5,000-frame page of a 3×64×64 input with two 3×3×3 filters.
"""

import statistics
import sys
import time
from pathlib import Path

import httpx
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.conv import conv2d  # noqa: E402
from tests.reference import conv2d as naive_conv2d  # noqa: E402
from tests.support.servers import start_server, stop_server  # noqa: E402


def best_of(fn, *args, repeat: int = 20) -> float:
    """Fastest wall time of `repeat` calls of `fn(*args)`, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def numpy_best(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    windows = sliding_window_view(x, w.shape[2:], axis=(1, 2))  # C×Ho×Wo×kh×kw
    return np.tensordot(w, windows, axes=([1, 2, 3], [0, 3, 4]))


def engine_section() -> None:
    rng = np.random.default_rng(0)
    print("1. conv2d, stride 1, no padding (best of 20; naive best of 3)")
    print(f"   {'input':>12} {'filters':>10} {'engine ms':>10} {'numpy best':>11} {'naive loop':>11}")
    for shape, filters in [((1, 32, 32), 1), ((3, 32, 32), 2), ((3, 64, 64), 8), ((3, 128, 128), 8)]:
        x = rng.integers(0, 256, shape).astype(float)
        w = rng.integers(-2, 3, (filters, shape[0], 3, 3)).astype(float)
        engine = best_of(conv2d, x, w)
        fast = best_of(numpy_best, x, w)
        assert np.allclose(conv2d(x, w).output, numpy_best(x, w))
        if shape[1] <= 32:
            args = (x, w, np.zeros(filters), (1, 1), (1, 1), (0, 0, 0, 0))
            naive = f"{best_of(naive_conv2d, *args, repeat=3):10.1f}"
        else:
            naive = "       (skip)"
        label = "×".join(map(str, shape))
        print(f"   {label:>12} {filters:>10} {engine:10.2f} {fast:11.2f} {naive:>11}")


def percentile(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1]


def latency(http: httpx.Client, method: str, path: str, body: dict | None, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        response = http.request(method, path, json=body)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.text
    return samples


def api_section(url: str) -> None:
    toy = {"input": np.arange(49).reshape(7, 7).tolist(), "kernel": [[1, 0, -1], [2, 0, -2], [1, 0, -1]]}
    with httpx.Client(base_url=url, timeout=30) as http:
        latency(http, "GET", "/healthz", None, 200)  # warm up
        latency(http, "POST", "/api/v1/conv2d", toy, 200)
        health = latency(http, "GET", "/healthz", None, 2000)
        conv = latency(http, "POST", "/api/v1/conv2d", toy, 2000)
    h50, h99 = statistics.median(health), percentile(health, 99)
    c50, c99 = statistics.median(conv), percentile(conv, 99)
    print("\n2. API latency over loopback, one client, keep-alive (2,000 requests each)")
    print(f"   {'request':<34} {'p50 ms':>8} {'p99 ms':>8}")
    print(f"   {'GET /healthz':<34} {h50:8.3f} {h99:8.3f}")
    print(f"   {'POST /api/v1/conv2d 7×7, 3×3 (25 frames)':<34} {c50:8.3f} {c99:8.3f}")
    print(f"   toy / healthz at p50: {c50 / h50:.2f}×")


def frames_section(url: str) -> None:
    rng = np.random.default_rng(1)
    body = {
        "input": rng.integers(0, 256, (3, 64, 64)).tolist(),
        "kernel": rng.integers(-2, 3, (2, 3, 3, 3)).tolist(),
        "frame_limit": 5000,
    }
    with httpx.Client(base_url=url, timeout=30) as http:
        http.post("/api/v1/conv2d", json=body)
        times, size = [], 0
        for _ in range(20):
            start = time.perf_counter()
            response = http.post("/api/v1/conv2d", json=body)
            times.append((time.perf_counter() - start) * 1000)
            size = len(response.content)
        frames = response.json()["frames"]
        assert len(frames) == 5000
        empty = len(http.post("/api/v1/conv2d", json=body | {"frame_limit": 0}).content)
    per_frame = (size - empty) / len(frames)
    print("\n3. One page of 5,000 frames, 3×64×64 input, two 3×3×3 filters (20 requests)")
    print(f"   request p50 {statistics.median(times):.1f} ms, min {min(times):.1f} ms (whole request, incl. upload)")
    print(f"   response {size:,} bytes; frames {size - empty:,} bytes = {per_frame:.0f} bytes per frame")


def main() -> None:
    engine_section()
    server = start_server()
    try:
        api_section(server.url)
        frames_section(server.url)
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
