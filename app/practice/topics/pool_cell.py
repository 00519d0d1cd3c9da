"""The value of one max or average pooling cell: padding, count_include_pad, ceil_mode's overhang."""

import numpy as np

from ...core.pool import pool2d, pool_frames
from ..exercise import Exercise, Line, factor, join_terms, math, num
from ._draw import first_valid, ints, pick

TOPIC = "pool_cell"
LEVELS = (1, 2, 3)
AVG_TOLERANCE = 0.01  # averages are given to two decimals


def _body(rng: np.random.Generator, level: int) -> dict:
    if level == 1:
        h, w = pick(rng, (4, 6)), pick(rng, (4, 6))
        return {"input": ints(rng, 0, 9, (h, w)), "mode": "max", "kernel_size": 2, "stride": 2}
    mode = pick(rng, ("max", "avg"))
    if level == 2:
        n = int(rng.integers(5, 8))
        body = {"input": ints(rng, 0, 9, (n, n)), "mode": mode, "kernel_size": 3, "stride": 2, "padding": 1}
    else:
        n, k = int(rng.integers(5, 9)), pick(rng, (2, 3))
        body = {
            "input": ints(rng, 0, 9, (n, n)),
            "mode": mode,
            "kernel_size": k,
            "stride": pick(rng, (2, 3)),
            "padding": int(rng.integers(0, k // 2 + 1)),
            "ceil_mode": True,
        }
    if mode == "avg":
        body["count_include_pad"] = bool(rng.integers(2))
    return body


def compute(body: dict):
    """The engine's answer for a pool2d request body."""
    return pool2d(
        np.asarray(body["input"], dtype=np.float64),
        body.get("mode", "max"),
        body.get("kernel_size", 2),
        body.get("stride"),
        body.get("padding", 0),
        ceil_mode=body.get("ceil_mode", False),
        count_include_pad=body.get("count_include_pad", True),
    )


def _draw(rng: np.random.Generator, level: int):
    body = _body(rng, level)
    return body, compute(body)


def generate(rng: np.random.Generator, level: int, seed: int) -> Exercise:
    body, result = first_valid(rng, lambda r: _draw(r, level))
    _, out_h, out_w = result.output.shape
    if level == 3 and rng.integers(2):  # the last row or column: where ceil_mode's overhang shows
        i, j = out_h - 1, int(rng.integers(out_w))
    else:
        i, j = int(rng.integers(out_h)), int(rng.integers(out_w))
    step = i * out_w + j
    frame = {key: (None if value is None else value[0]) for key, value in pool_frames(result, step, step + 1).items()}
    cell = f"output[0][{i}][{j}]"
    avg = result.mode == "avg"
    return Exercise(
        topic=TOPIC,
        level=level,
        seed=seed,
        prompt=Line("q.pool_cell.avg" if avg else "q.pool_cell.max", {"cell": cell}),
        answer_kind="number",
        endpoint="/api/v1/pool2d",
        body=body,
        target={
            "out": [0, i, j],
            "output_shape": [1, out_h, out_w],
            "padding": [result.padding[0]] * 2 + [result.padding[1]] * 2,
        },
        expected=float(result.output[0, i, j]),
        solution=tuple(_solution(result, frame, i, j, cell, body.get("count_include_pad", True))),
        lab={"kind": "matrix", "mode": "pool", "step": step},
        tolerance=AVG_TOLERANCE if avg else 0.0,
    )


def _solution(result, frame: dict, i: int, j: int, cell: str, count_pad: bool) -> list[Line]:
    top, left = int(frame["origin"][0]), int(frame["origin"][1])
    (sh, sw), (kh, kw) = result.stride, result.kernel
    lines = [
        Line(
            "sol.pool.window",
            {"cell": cell, "top": top, "left": left, "row": f"{i}×{sh}", "col": f"{j}×{sw}", "kh": kh, "kw": kw},
        )
    ]
    cells = frame["window"].ravel()
    padded = int(np.isnan(cells).sum())
    if result.mode == "max":
        terms = ["−∞" if np.isnan(x) else factor(x) for x in cells]
        lines.append(math(f"max({join_terms(terms, ', ')}) = {num(frame['value'])}"))
        if padded:
            lines.append(Line("sol.pool.max_padding"))
    else:
        real = [factor(x) for x in cells if not np.isnan(x)]
        lines.append(math(f"({join_terms(real, ' + ')}) ÷ {num(frame['divisor'])} = {num(frame['value'])}"))
        if padded:
            key = "sol.pool.avg_counts_pad" if count_pad else "sol.pool.avg_skips_pad"
            lines.append(Line(key, {"d": num(frame["divisor"]), "p": padded}))
    height, width = result.input.shape[1:]
    ph, pw = result.padding
    overhang = top + kh > height + 2 * ph or left + kw > width + 2 * pw
    if overhang:
        lines.append(Line("sol.pool.overhang"))
    return lines
