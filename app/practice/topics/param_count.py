"""Parameter counts of a layer or a stack: the fully connected layers' share, GAP in their place."""

import numpy as np

from ..exercise import Exercise, Line, math
from ._draw import first_valid, pick
from .output_size import NETWORK_INPUT, network
from .receptive_field import name

TOPIC = "param_count"
LEVELS = (1, 2, 3)


def _conv(rng: np.random.Generator, k: int | None = None, bias: bool = True) -> dict:
    return {
        "type": "conv",
        "out_channels": pick(rng, (8, 16, 32, 64)),
        "kernel_size": k or pick(rng, (1, 3, 5)),
        "padding": (k or 3) // 2,
        **({} if bias else {"bias": False}),
    }


def _features(rng: np.random.Generator) -> list[dict]:
    layers = []
    for _ in range(int(rng.integers(1, 3))):
        layers += [_conv(rng, 3), {"type": "relu"}, {"type": "max_pool", "kernel_size": 2}]
    return layers


def _layers(rng: np.random.Generator, level: int) -> tuple[list[dict], str]:
    if level == 1:
        return [_conv(rng, bias=bool(rng.integers(2)))], "total"
    head_fc = [{"type": "flatten"}, {"type": "linear", "out_features": pick(rng, (10, 32, 64))}]
    if level == 2:
        return _features(rng) + head_fc, "total"
    if rng.integers(2):
        return _features(rng) + head_fc + [{"type": "relu"}, {"type": "linear", "out_features": 10}], "linear"
    gap_head = [{"type": "global_avg_pool"}, {"type": "flatten"}, {"type": "linear", "out_features": 10}]
    return _features(rng) + gap_head, "total"


def _draw(rng: np.random.Generator, level: int):
    layers, ask = _layers(rng, level)
    body = {"input_shape": NETWORK_INPUT, "layers": layers}
    return body, ask, network(body)


def _formula(step, spec: dict) -> str:
    if spec["type"] == "conv":
        cin, (kh, kw) = step.in_shape[0], (spec["kernel_size"],) * 2
        bias = f" + {step.bias_count}" if step.bias_count else ""
        return f"{spec['out_channels']}×({cin}×{kh}×{kw}){bias} = {step.param_count}"
    return f"{spec['out_features']}×{step.in_shape[0]} + {step.bias_count} = {step.param_count}"


def generate(rng: np.random.Generator, level: int, seed: int) -> Exercise:
    body, ask, result = first_valid(rng, lambda r: _draw(r, level))
    counted = [
        (step, spec)
        for step, spec in zip(result.layers, body["layers"])
        if step.param_count and (ask == "total" or spec["type"] == "linear")
    ]
    expected = sum(step.param_count for step, _ in counted)
    solution = [
        Line(
            "sol.params.layer",
            {
                "n": s.index + 1,
                "name": name(spec) if spec["type"] != "linear" else f"Linear({s.in_shape[0]}→{spec['out_features']})",
                "formula": _formula(s, spec),
            },
        )
        for s, spec in counted
    ]
    if len(counted) > 1:
        solution.append(math(" + ".join(f"{s.param_count}" for s, _ in counted) + f" = {expected}"))
    if ask == "linear":
        solution.append(
            Line(
                "sol.params.share", {"share": f"{100 * expected / result.param_count:.1f}", "total": result.param_count}
            )
        )
    gap = any(spec["type"] == "global_avg_pool" for spec in body["layers"])
    if gap:
        solution.append(Line("sol.params.gap"))
    return Exercise(
        topic=TOPIC,
        level=level,
        seed=seed,
        prompt=Line(f"q.param_count.{ask}", {"shape": "×".join(map(str, NETWORK_INPUT))}),
        answer_kind="number",
        endpoint="/api/v1/network",
        body=body,
        target={"ask": ask},
        expected=int(expected),
        solution=tuple(solution),
        lab={"kind": "network", "layers": body["layers"]},
    )
