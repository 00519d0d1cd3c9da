"""The padding that keeps the size ("same") for a kernel and a dilation, odd split included."""

import numpy as np

from ..exercise import Exercise, Line, math
from . import conv_cell
from ._draw import first_valid, ints, pick

TOPIC = "same_padding"
LEVELS = (1, 2, 3)


def _draw(rng: np.random.Generator, level: int):
    if level == 1:
        k, d = pick(rng, (3, 5, 7)), 1
    elif level == 2:
        k, d = pick(rng, (3, 5)), pick(rng, (2, 3))
    else:
        k, d = pick(rng, (2, 4, 6)), pick(rng, (1, 1, 2, 3))
    n = int(rng.integers(6, 9))
    body = {"input": ints(rng, 0, 9, (n, n)), "kernel": ints(rng, -1, 1, (k, k)), "padding": "same", "dilation": d}
    return body, conv_cell.compute(body)


def generate(rng: np.random.Generator, level: int, seed: int) -> Exercise:
    body, result = first_valid(rng, lambda r: _draw(r, level))
    k, d = len(body["kernel"]), body["dilation"]
    top, bottom = result.padding[0], result.padding[1]
    side = pick(rng, ("top", "bottom", "bottom")) if level == 3 else "top"
    total = d * (k - 1)
    return Exercise(
        topic=TOPIC,
        level=level,
        seed=seed,
        prompt=Line(f"q.same_padding.{side}", {"k": k, "d": d}),
        answer_kind="number",
        endpoint="/api/v1/conv2d",
        body=body,
        target={"side": side},
        expected=int(bottom if side == "bottom" else top),
        solution=(
            Line("sol.same.total", {"text": f"{d}×({k}−1) = {total}"}),
            math(f"top = {total} // 2 = {top}; bottom = {total} − {top} = {bottom}"),
            Line("sol.same.split") if top != bottom else Line("sol.same.even"),
        ),
        lab={"kind": "matrix", "mode": "conv", "step": 0},
    )
