"""How long a whole animation takes to render and encode, per format (best of several runs).

Run: .venv/bin/python bench/bench_render.py
"""

import time

import numpy as np

from app.core.conv import conv2d
from app.core.pool import pool2d
from app.render import RenderOptions, animation, conv_scene, pool_scene, still

REPEATS = 5


def best_ms(work, *args) -> tuple[float, int]:
    """Best wall time of `work(*args)` in ms (the whole job: engine, scene, drawing, encoding) and its size."""
    times, size = [], 0
    for _ in range(REPEATS):
        start = time.perf_counter()
        size = len(work(*args))
        times.append(time.perf_counter() - start)
    return 1000 * min(times), size


def render(build, options: RenderOptions, fmt: str) -> bytes:
    return animation(build(), options, fmt, 500, limit=400)


def main() -> None:
    rng = np.random.default_rng(0)
    x7 = rng.integers(-4, 5, (7, 7)).astype(float)
    k3 = rng.integers(-2, 3, (3, 3)).astype(float)
    x3 = rng.normal(size=(3, 16, 16))
    k4 = rng.normal(size=(4, 3, 3, 3))
    pooled = rng.integers(0, 9, (8, 8))
    cases = {  # name: (scene builder, cell size)
        "conv 7×7 / 3×3 (25 frames)": (lambda: conv_scene(conv2d(x7, k3)), 48),
        "conv 7×7 / 3×3 pad 1 (49 frames)": (lambda: conv_scene(conv2d(x7, k3, padding=1)), 48),
        "conv 3×16×16 / 4×3×3×3, 24 px (first 400 of 784)": (lambda: conv_scene(conv2d(x3, k4)), 24),
        "max pool 8×8 / 2×2 (16 frames)": (lambda: pool_scene(pool2d(pooled, "max", 2)), 48),
    }
    for name, (build, cell) in cases.items():
        for fmt in ("gif", "webp", "apng"):
            ms, size = best_ms(render, build, RenderOptions(cell_px=cell), fmt)
            print(f"{name:52} {fmt:5} {ms:8.1f} ms {size / 1024:8.1f} KB")
    ms, size = best_ms(lambda: still(conv_scene(conv2d(x7, k3)), RenderOptions(), "final"))
    print(f"{'conv 7×7 / 3×3 final still':52} {'png':5} {ms:8.1f} ms {size / 1024:8.1f} KB")


if __name__ == "__main__":
    main()
