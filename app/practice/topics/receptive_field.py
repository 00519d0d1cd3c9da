"""The receptive field (size and jump) of a unit after a small stack of layers."""

import numpy as np

from ..exercise import Exercise, Line
from ._draw import first_valid, pick
from .output_size import NETWORK_INPUT, network

TOPIC = "receptive_field"
LEVELS = (1, 2, 3)


def _conv(rng: np.random.Generator, k: int, stride: int = 1, dilation: int = 1) -> dict:
    return {
        "type": "conv",
        "out_channels": pick(rng, (8, 16)),
        "kernel_size": k,
        "stride": stride,
        "padding": dilation * (k - 1) // 2,
        "dilation": dilation,
    }


def _pool(k: int) -> dict:
    return {"type": "max_pool", "kernel_size": k, "stride": k}


def _layers(rng: np.random.Generator, level: int) -> list[dict]:
    if level == 1:
        return [_conv(rng, pick(rng, (3, 3, 5))) for _ in range(int(rng.integers(2, 4)))]
    if level == 2:
        first, second = _conv(rng, 3), _conv(rng, pick(rng, (3, 5)))
        return [first, {"type": "relu"}, _pool(2), second][:4] + ([_conv(rng, 3)] if rng.integers(2) else [])
    layers = []
    for _ in range(int(rng.integers(3, 5))):
        kind = pick(rng, ("conv", "strided", "dilated", "pool"))
        if kind == "conv":
            layers.append(_conv(rng, pick(rng, (3, 5))))
        elif kind == "strided":
            layers.append(_conv(rng, 3, stride=2))
        elif kind == "dilated":
            layers.append(_conv(rng, 3, dilation=2))
        else:
            layers.append(_pool(2))
    return layers


def _draw(rng: np.random.Generator, level: int):
    body = {"input_shape": NETWORK_INPUT, "layers": _layers(rng, level)}
    return body, network(body)


def name(spec: dict) -> str:
    """A layer as PyTorch would name it: the same words in every language."""
    if spec["type"] == "conv":
        extra = "".join(f", {key[0]}={spec[key]}" for key in ("stride", "dilation") if spec.get(key, 1) != 1)
        return f"Conv2d(k={spec['kernel_size']}{extra})"
    if spec["type"] in ("max_pool", "avg_pool"):
        title = "MaxPool2d" if spec["type"] == "max_pool" else "AvgPool2d"
        return f"{title}(k={spec['kernel_size']}, s={spec.get('stride') or spec['kernel_size']})"
    return {"relu": "ReLU", "flatten": "Flatten", "global_avg_pool": "AdaptiveAvgPool2d(1)"}.get(
        spec["type"], spec["type"]
    )


def generate(rng: np.random.Generator, level: int, seed: int) -> Exercise:
    body, result = first_valid(rng, lambda r: _draw(r, level))
    ask = "jump" if level == 3 and rng.integers(2) else "size"
    last = result.layers[-1].rf[0]
    solution = [Line("sol.rf.start")]
    for step, spec in zip(result.layers, body["layers"]):
        formula = step.rf[0].formula.split("; start")[0]
        solution.append(Line("sol.rf.layer", {"n": step.index + 1, "name": name(spec), "formula": formula}))
    solution.append(Line(f"sol.rf.{ask}", {"rf": last.rf, "jump": last.jump}))
    return Exercise(
        topic=TOPIC,
        level=level,
        seed=seed,
        prompt=Line(f"q.receptive_field.{ask}", {"n": len(body["layers"])}),
        answer_kind="number",
        endpoint="/api/v1/network",
        body=body,
        target={"layer": len(body["layers"]) - 1, "ask": ask},
        expected=int(last.rf if ask == "size" else last.jump),
        solution=tuple(solution),
        lab={"kind": "network", "layers": body["layers"]},
    )
