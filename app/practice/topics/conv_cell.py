"""The value of one output cell of a convolution: padding modes, stride, dilation, channels, bias, ReLU."""

import numpy as np

from ...core.conv import conv2d, conv_frames
from ..exercise import Exercise, Line, factor, join_terms, math, num
from ._draw import first_valid, ints, pick

TOPIC = "conv_cell"
LEVELS = (1, 2, 3)


def _body(rng: np.random.Generator, level: int) -> dict:
    if level == 1:
        n, k = int(rng.integers(4, 6)), pick(rng, (2, 3))
        return {"input": ints(rng, 0, 9, (n, n)), "kernel": ints(rng, -2, 2, (k, k))}
    if level == 2:
        h, w, k = int(rng.integers(4, 7)), int(rng.integers(4, 7)), pick(rng, (2, 3))
        return {
            "input": ints(rng, 0, 9, (h, w)),
            "kernel": ints(rng, -2, 2, (k, k)),
            "stride": pick(rng, (1, 2)),
            "padding": pick(rng, (1, 1, 2)),
            "padding_mode": pick(rng, ("zeros", "reflect", "replicate", "circular")),
            "dilation": pick(rng, (1, 1, 2)),
        }
    n, k = int(rng.integers(4, 6)), pick(rng, (2, 3))
    return {
        "input": ints(rng, 0, 5, (2, n, n)),
        "kernel": ints(rng, -2, 2, (1, 2, k, k)),
        "bias": int(rng.integers(-8, 4)),
        "stride": pick(rng, (1, 2)),
        "padding": pick(rng, (0, 1)),
        "activation": "relu",
    }


def compute(body: dict):
    """The engine's answer for a conv2d request body."""
    return conv2d(
        np.asarray(body["input"], dtype=np.float64),
        np.asarray(body["kernel"], dtype=np.float64),
        body.get("bias", 0.0),
        stride=body.get("stride", 1),
        padding=body.get("padding", 0),
        padding_mode=body.get("padding_mode", "zeros"),
        dilation=body.get("dilation", 1),
        activation=body.get("activation", "none"),
    )


def _draw(rng: np.random.Generator, level: int):
    body = _body(rng, level)
    return body, compute(body)


def generate(rng: np.random.Generator, level: int, seed: int) -> Exercise:
    body, result = first_valid(rng, lambda r: _draw(r, level))
    filters, out_h, out_w = result.output.shape
    i, j = int(rng.integers(out_h)), int(rng.integers(out_w))
    step = i * out_w + j
    frame = {key: value[0] for key, value in conv_frames(result, step, step + 1).items()}
    cell = f"output[0][{i}][{j}]"
    activation = result.activation
    return Exercise(
        topic=TOPIC,
        level=level,
        seed=seed,
        prompt=Line("q.conv_cell.relu" if activation == "relu" else "q.conv_cell", {"cell": cell}),
        answer_kind="number",
        endpoint="/api/v1/conv2d",
        body=body,
        target={"out": [0, i, j], "output_shape": [filters, out_h, out_w], "padding": list(result.padding)},
        expected=float(result.output[0, i, j]),
        solution=tuple(_solution(result, frame, i, j, cell)),
        lab={"kind": "matrix", "mode": "conv", "step": step},
    )


def _solution(result, frame: dict, i: int, j: int, cell: str) -> list[Line]:
    (sh, sw), (dh, _dw) = result.stride, result.dilation
    top, left = int(frame["origin"][0]), int(frame["origin"][1])
    lines = [
        Line(
            "sol.conv.window",
            {"cell": cell, "top": top, "left": left, "row": f"{i}×{sh}", "col": f"{j}×{sw}", "d": dh},
        )
    ]
    weights = result.weight[0]
    terms = [
        [f"{factor(x)}×{factor(w)}" for x, w in zip(channel.ravel(), weights[c].ravel())]
        for c, channel in enumerate(frame["window"])
    ]
    bias = float(frame["bias"])
    value = float(frame["value"])
    sign = "−" if bias < 0 else "+"
    if len(terms) == 1:
        lines.append(
            Line(
                "sol.conv.sum",
                {"terms": join_terms(terms[0], " + "), "sign": sign, "bias": num(abs(bias)), "value": num(value)},
            )
        )
    else:
        for c, channel_terms in enumerate(terms):
            lines.append(
                Line(
                    "sol.conv.channel",
                    {"n": c + 1, "terms": join_terms(channel_terms, " + "), "value": num(frame["channel_sums"][c])},
                )
            )
        sums = " + ".join(num(s) for s in frame["channel_sums"])
        lines.append(Line("sol.conv.sum", {"terms": sums, "sign": sign, "bias": num(abs(bias)), "value": num(value)}))
    if result.activation == "relu":
        lines.append(math(f"ReLU({num(value)}) = {num(frame['activated'])}"))
    return lines
