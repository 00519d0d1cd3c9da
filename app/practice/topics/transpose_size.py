"""The output size of a transposed convolution, output_padding included."""

import numpy as np

from ...core.transpose import conv_transpose2d
from ..exercise import Exercise, Line, math
from ._draw import first_valid, ints, pick

TOPIC = "transpose_size"
LEVELS = (1, 2, 3)


def compute(body: dict):
    """The engine's answer for a conv_transpose2d request body."""
    return conv_transpose2d(
        np.asarray(body["input"], dtype=np.float64),
        np.asarray(body["kernel"], dtype=np.float64),
        body.get("bias", 0.0),
        stride=body.get("stride", 1),
        padding=body.get("padding", 0),
        output_padding=body.get("output_padding", 0),
        dilation=body.get("dilation", 1),
    )


def _draw(rng: np.random.Generator, level: int):
    n, k, s = int(rng.integers(2, 6)), pick(rng, (2, 3, 4)), pick(rng, (1, 2, 3))
    body = {"input": ints(rng, 0, 3, (n, n)), "kernel": ints(rng, -1, 1, (k, k)), "stride": s}
    if level >= 2:
        body["stride"] = pick(rng, (2, 3))
        body["padding"] = int(rng.integers(0, k))
    if level == 3:
        body["dilation"] = pick(rng, (1, 2))
        body["output_padding"] = int(rng.integers(1, max(body["stride"], body["dilation"])))
    return body, compute(body)


def generate(rng: np.random.Generator, level: int, seed: int) -> Exercise:
    body, result = first_valid(rng, lambda r: _draw(r, level))
    return Exercise(
        topic=TOPIC,
        level=level,
        seed=seed,
        prompt=Line("q.transpose_size"),
        answer_kind="number",
        endpoint="/api/v1/conv_transpose2d",
        body=body,
        target={"axis": "height"},
        expected=int(result.output.shape[1]),
        solution=(Line("sol.transpose.formula"), math(result.height.formula)),
        lab={"kind": "network_transpose"},
    )
