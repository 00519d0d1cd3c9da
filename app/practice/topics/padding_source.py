"""Which input cell a reflect, replicate or circular padded cell copies (answered by clicking it)."""

import numpy as np

from ...core.padding import source_indices
from ..exercise import Exercise, Line, math, num
from . import conv_cell
from ._draw import first_valid, pick

TOPIC = "padding_source"
LEVELS = (1, 2, 3)


def _draw(rng: np.random.Generator, level: int):
    if level == 1:
        mode, h, w, p = "replicate", *(int(rng.integers(3, 5)),) * 2, 1
    elif level == 2:
        mode, h, w, p = "reflect", *(int(rng.integers(4, 6)),) * 2, pick(rng, (1, 2))
    else:
        mode, h, w, p = (
            pick(rng, ("circular", "reflect", "replicate")),
            int(rng.integers(3, 6)),
            int(rng.integers(3, 6)),
            2,
        )
    values = (rng.permutation(h * w) + 1).reshape(h, w).tolist()  # distinct: each value names its cell
    body = {"input": values, "kernel": [[1]], "padding": p, "padding_mode": mode}
    return body, conv_cell.compute(body)


def generate(rng: np.random.Generator, level: int, seed: int) -> Exercise:
    body, result = first_valid(rng, lambda r: _draw(r, level))
    mode, h, w = body["padding_mode"], len(body["input"]), len(body["input"][0])
    top, bottom, left, right = result.padding
    hp, wp = h + top + bottom, w + left + right
    while True:  # a cell of the padding ring, never of the input itself
        r, c = int(rng.integers(hp)), int(rng.integers(wp))
        if not (top <= r < top + h and left <= c < left + w):
            break
    rows, cols = source_indices(h, top, bottom, mode), source_indices(w, left, right, mode)
    sr, sc = int(rows[r]), int(cols[c])
    value = float(result.padded[0, r, c])
    return Exercise(
        topic=TOPIC,
        level=level,
        seed=seed,
        prompt=Line("q.padding_source", {"cell": f"padded[{r}][{c}]", "mode": mode}),
        answer_kind="cell",
        endpoint="/api/v1/conv2d",
        body=body,
        target={"padded": [r, c], "padded_shape": [hp, wp], "padding": [top, bottom, left, right]},
        expected=[sr, sc],
        solution=(
            _axis_line("row", r, r - top, h, sr, mode),
            _axis_line("col", c, c - left, w, sc, mode),
            math(f"padded[{r}][{c}] = input[{sr}][{sc}] = {num(value)}"),
        ),
        lab={"kind": "matrix", "mode": "conv", "step": r * wp + c},
    )


def _axis_line(axis: str, padded: int, q: int, n: int, source: int, mode: str) -> Line:
    params = {"p": padded, "q": str(q).replace("-", "−"), "last": n - 1, "n": n, "src": source}
    if 0 <= q < n:
        return Line(f"sol.source.{axis}.inside", params)
    return Line(f"sol.source.{axis}.{mode}", params)
