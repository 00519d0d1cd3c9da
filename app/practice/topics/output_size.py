"""Output sizes: the formula and its floor, a layer's C×H×W, and ceil_mode's dropped last window."""

import numpy as np

from ...core.network import Layer, run_network
from ..exercise import Exercise, Line, math
from . import conv_cell, pool_cell
from ._draw import first_valid, ints, pick

TOPIC = "output_size"
LEVELS = (1, 2, 3)
NETWORK_INPUT = [3, 32, 32]  # the Network lab's input, so the lab opens in the same state


def _conv(rng: np.random.Generator):
    n, k = int(rng.integers(5, 13)), pick(rng, (2, 3, 4, 5))
    body = {
        "input": ints(rng, 0, 9, (n, n)),
        "kernel": ints(rng, -1, 1, (k, k)),
        "stride": pick(rng, (1, 2, 3)),
        "padding": int(rng.integers(0, 3)),
    }
    return body, conv_cell.compute(body)


def _layer(rng: np.random.Generator):
    spec = {
        "type": "conv",
        "out_channels": pick(rng, (8, 16, 32, 64)),
        "kernel_size": pick(rng, (3, 5, 7)),
        "stride": pick(rng, (1, 2)),
        "padding": int(rng.integers(0, 4)),
        "dilation": pick(rng, (1, 1, 2)),
    }
    body = {"input_shape": NETWORK_INPUT, "layers": [spec]}
    return body, network(body)


def _pool(rng: np.random.Generator):
    k = pick(rng, (2, 3))
    body = {
        "input": ints(rng, 0, 9, (int(rng.integers(5, 12)),) * 2),
        "mode": "max",
        "kernel_size": k,
        "stride": pick(rng, (2, 3)),
        "padding": int(rng.integers(0, k // 2 + 1)),
        "ceil_mode": True,
    }
    return body, pool_cell.compute(body)


def network(body: dict):
    """The engine's shapes for a /network body (layers given as request dicts)."""
    layers = [
        Layer(**{key: tuple(v) if isinstance(v, list) else v for key, v in spec.items()}) for spec in body["layers"]
    ]
    return run_network(layers, input_shape=tuple(body["input_shape"]))


def generate(rng: np.random.Generator, level: int, seed: int) -> Exercise:
    if level == 2:
        body, result = first_valid(rng, _layer)
        step = result.layers[0]
        shape = [int(v) for v in step.out_shape]
        height = step.axes[0]
        spec = body["layers"][0]
        return Exercise(
            topic=TOPIC,
            level=level,
            seed=seed,
            prompt=Line("q.output_size.shape", {"shape": "×".join(map(str, NETWORK_INPUT))}),
            answer_kind="shape",
            endpoint="/api/v1/network",
            body=body,
            target={"layer": 0},
            expected=shape,
            solution=(
                math(height.formula),
                Line("sol.size.square"),
                Line("sol.size.channels", {"c": spec["out_channels"], "shape": "×".join(map(str, shape))}),
            ),
            lab={"kind": "network", "layers": body["layers"]},
            shape_order="C×H×W",
        )
    body, result = first_valid(rng, _conv if level == 1 else _pool)
    axis = result.height
    floor_like = axis.formula.split(";")[0]
    solution = [math(floor_like)]
    if ";" in axis.formula:
        solution.append(Line("sol.size.dropped", {"size": axis.size}))
    return Exercise(
        topic=TOPIC,
        level=level,
        seed=seed,
        prompt=Line("q.output_size.conv" if level == 1 else "q.output_size.pool"),
        answer_kind="number",
        endpoint="/api/v1/conv2d" if level == 1 else "/api/v1/pool2d",
        body=body,
        target={"axis": "height"},
        expected=int(result.output.shape[1]),
        solution=tuple(solution),
        lab={"kind": "matrix", "mode": "conv" if level == 1 else "pool", "step": 0},
    )
