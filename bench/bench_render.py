"""How long a whole animation takes to render and encode, per format (best of several runs).

Run: .venv/bin/python bench/bench_render.py
"""

import time

import numpy as np

from app.api.schemas import Conv2dRequest, Pool2dRequest
from app.core.limits import Limits
from app.layers import conv, pool
from app.render import RenderOptions, animation, conv_scene, pool_scene, still

REPEATS = 5


def best_ms(work, *args) -> tuple[float, float, int]:
    """Best wall and CPU time of `work(*args)` in ms (engine, scene, drawing, encoding) and the file's size.

    CPU time is the figure to trust on a busy machine: it leaves out waiting for a core.
    """
    walls, cpus, size = [], [], 0
    for _ in range(REPEATS):
        wall, cpu = time.perf_counter(), time.process_time()
        size = len(work(*args))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return 1000 * min(walls), 1000 * min(cpus), size


LIMITS = Limits()


def conv_layer(x: np.ndarray, kernel: np.ndarray, **options) -> Conv2dRequest:
    """The request the API validates; the layer service computes it (as the animation route does)."""
    return Conv2dRequest.model_validate({"input": x.tolist(), "kernel": kernel.tolist(), **options})


def render(build, options: RenderOptions, fmt: str, limit: int) -> bytes:
    return animation(build(), options, fmt, 500, limit=limit)


def main() -> None:
    rng = np.random.default_rng(0)
    x7 = rng.integers(-4, 5, (7, 7)).astype(float)
    k3 = rng.integers(-2, 3, (3, 3)).astype(float)
    x3 = rng.normal(size=(3, 16, 16))
    k4 = rng.normal(size=(4, 3, 3, 3))
    pooled = rng.integers(0, 9, (8, 8))
    small, padded, deep = conv_layer(x7, k3), conv_layer(x7, k3, padding=1), conv_layer(x3, k4)
    pooling = Pool2dRequest.model_validate({"input": pooled.tolist(), "mode": "max", "kernel_size": 2})
    cases = {  # name: (scene builder, cell size, frames)
        "conv 7×7 / 3×3 (25 frames)": (lambda: conv_scene(conv.compute(small, LIMITS)), 48, 25),
        "conv 7×7 / 3×3 pad 1 (49 frames)": (lambda: conv_scene(conv.compute(padded, LIMITS)), 48, 49),
        "max pool 8×8 / 2×2 (16 frames)": (lambda: pool_scene(pool.compute(pooling, LIMITS)), 48, 16),
        "conv 3×16×16 / 4×3×3×3, 24 px (34 frames ≈ 40M px)": (lambda: conv_scene(conv.compute(deep, LIMITS)), 24, 34),
    }
    print(f"{'case':52} {'fmt':5} {'wall ms':>8} {'cpu ms':>8} {'KB':>8}")
    for name, (build, cell, frames) in cases.items():
        for fmt in ("gif", "webp", "apng"):
            wall, cpu, size = best_ms(render, build, RenderOptions(cell_px=cell), fmt, frames)
            print(f"{name:52} {fmt:5} {wall:8.1f} {cpu:8.1f} {size / 1024:8.1f}")
    wall, cpu, size = best_ms(lambda: still(conv_scene(conv.compute(small, LIMITS)), RenderOptions(), "final"))
    print(f"{'conv 7×7 / 3×3 final still':52} {'png':5} {wall:8.1f} {cpu:8.1f} {size / 1024:8.1f}")


if __name__ == "__main__":
    main()
