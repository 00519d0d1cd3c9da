"""Benchmark the backward pass against the forward pass, engine and API, and what a student feels.

Run: `.venv/bin/python bench/bench_backward.py`. It starts its own uvicorn on a free loopback
port. Prints:
1. engine: conv2d forward vs backward (all gradients) for the benchmark's layer, a 3×64×64 input
   with eight 3×3 filters (and with padding, stride and reflect padding), plus pooling;
2. API: POST /api/v1/conv2d vs /api/v1/conv2d/backward (no frames) for that layer, p50/p99;
3. the Backward lab in Chromium: a keystroke in an output-gradient cell → the new input gradient drawn.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads: one BLAS thread, as `convscope serve`

import statistics
import sys
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.backward import conv2d_backward, gather_view  # noqa: E402
from app.core.conv import conv2d  # noqa: E402
from app.core.pool import pool2d  # noqa: E402
from app.core.pool_backward import pool2d_backward  # noqa: E402
from tests.support.servers import CHROMIUM, start_server, stop_server  # noqa: E402


def best_of(fn, *args, repeat: int = 30, **kwargs) -> float:
    """Fastest wall time of `repeat` calls, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def engine_section() -> None:
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (3, 64, 64)).astype(float)
    w = rng.integers(-2, 3, (8, 3, 3, 3)).astype(float)
    print("1. Engine, 3×64×64 input, eight 3×3 filters (best of 30, ms)")
    print(f"   {'configuration':<34} {'forward':>8} {'backward':>9} {'ratio':>6} {'gather view':>12}")
    for label, options in [
        ("stride 1, no padding", {}),
        ("padding 1 (same size)", {"padding": 1}),
        (
            "stride 2, reflect padding 1, relu",
            {"stride": 2, "padding": 1, "padding_mode": "reflect", "activation": "relu"},
        ),
    ]:
        forward = conv2d(x, w, **options)
        grad = rng.uniform(-1, 1, forward.output.shape)
        mode = options.get("padding_mode", "zeros")

        def backward(forward=forward, grad=grad, mode=mode):
            return conv2d_backward(forward, grad, input_size=(64, 64), padding_mode=mode, flip_kernel=False)

        f_ms = best_of(conv2d, x, w, **options)
        b_ms = best_of(backward)
        g_ms = best_of(gather_view, backward())
        print(f"   {label:<34} {f_ms:8.2f} {b_ms:9.2f} {b_ms / f_ms:6.2f} {g_ms:12.2f}")
    for mode in ("max", "avg"):
        forward = pool2d(x, mode, 2)
        f_ms = best_of(pool2d, x, mode, 2)
        b_ms = best_of(pool2d_backward, forward, None)
        print(f"   {mode + ' pool 2×2':<34} {f_ms:8.2f} {b_ms:9.2f} {b_ms / f_ms:6.2f}")


def latency(http: httpx.Client, path: str, body: dict, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        response = http.post(path, json=body)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.text
    return samples


def api_section(url: str) -> None:
    rng = np.random.default_rng(1)
    body = {
        "input": rng.integers(0, 256, (3, 64, 64)).tolist(),
        "kernel": rng.integers(-2, 3, (8, 3, 3, 3)).tolist(),
        "frame_limit": 0,
    }
    print("\n2. API, same layer, no frames (100 requests each, ms)")
    with httpx.Client(base_url=url, timeout=60) as http:
        for path in ("/api/v1/conv2d", "/api/v1/conv2d/backward"):
            latency(http, path, body, 10)  # warm up
            samples = latency(http, path, body, 100)
            p50, p99 = statistics.median(samples), statistics.quantiles(samples, n=100)[98]
            print(f"   {path:<28} p50 {p50:7.2f}   p99 {p99:7.2f}")


def browser_section(url: str) -> None:
    from playwright.sync_api import sync_playwright

    print("\n3. Backward lab in Chromium: keystroke in an output-gradient cell → new ∂loss/∂input drawn")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{url}/backward")
        page.get_by_test_id("views-agree").wait_for()
        samples = []
        for n in range(12):
            before = page.locator("[data-testid=grad-input-0]").inner_text()
            page.get_by_test_id("grad-cell-0-1-1").click()
            page.keyboard.press("Control+A")
            start = time.perf_counter()
            page.keyboard.type(str(n + 2))
            page.wait_for_function(
                "before => document.querySelector('[data-testid=grad-input-0]').innerText !== before", arg=before
            )
            samples.append((time.perf_counter() - start) * 1000)
        browser.close()
    print(
        f"   keystroke → pixels: median {statistics.median(samples):.0f} ms, worst {max(samples):.0f} ms "
        "(includes the page's 200 ms typing debounce)"
    )


def main() -> None:
    engine_section()
    server = start_server(env={"OPENBLAS_NUM_THREADS": "1"})  # as `convscope serve` runs it
    try:
        api_section(server.url)
        browser_section(server.url)
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
