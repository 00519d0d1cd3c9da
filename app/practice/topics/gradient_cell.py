"""One cell of a convolution's gradient, as torch.autograd computes it: ∂L/∂w or ∂L/∂x for a given ∂L/∂y.

Level 1 asks a weight's gradient (the correlation of the input with the output gradient), level 2 an
input cell's gradient (every window that read the cell hands back grad × its weight, stride and
zero padding included), level 3 a weight's gradient through a ReLU (cells whose pre-activation is
not positive pass nothing back). Whole numbers throughout, so the answer is exact.
"""

import numpy as np

from ...core.backward import ConvBackward, backward_conv2d
from ...core.errors import EngineError
from ..exercise import Exercise, Line, factor, join_terms, num
from ._draw import first_valid, ints, pick

TOPIC = "gradient_cell"
LEVELS = (1, 2, 3)


def _body(rng: np.random.Generator, level: int) -> dict:
    k = pick(rng, (2, 3))
    if level == 1:
        n = k + int(rng.integers(1, 3))
        out = n - k + 1
        return {
            "input": ints(rng, 0, 5, (n, n)),
            "kernel": ints(rng, -2, 2, (k, k)),
            "grad_output": ints(rng, -2, 2, (out, out)),
            "view": "weight",
        }
    if level == 2:
        n, stride, padding = int(rng.integers(4, 6)), pick(rng, (1, 2)), pick(rng, (0, 1))
        out = (n + 2 * padding - k) // stride + 1
        return {
            "input": ints(rng, 0, 5, (n, n)),
            "kernel": ints(rng, -2, 2, (k, k)),
            "stride": stride,
            "padding": padding,
            "grad_output": ints(rng, -2, 2, (out, out)),
        }
    n = k + 2
    return {
        "input": ints(rng, 0, 4, (n, n)),
        "kernel": ints(rng, -2, 2, (k, k)),
        "bias": int(rng.integers(-4, 3)),
        "activation": "relu",
        "grad_output": ints(rng, -2, 2, (3, 3)),
        "view": "weight",
    }


def compute(body: dict) -> ConvBackward:
    """The engine's gradients for a /conv2d/backward request body."""
    return backward_conv2d(
        np.asarray(body["input"], dtype=np.float64),
        np.asarray(body["kernel"], dtype=np.float64),
        body.get("bias", 0.0),
        np.asarray(body["grad_output"], dtype=np.float64),
        stride=body.get("stride", 1),
        padding=body.get("padding", 0),
        activation=body.get("activation", "none"),
    )


def _draw(rng: np.random.Generator, level: int):
    body = _body(rng, level)
    result = compute(body)
    if level == 3 and not ((result.derivative == 0).any() and (result.derivative == 1).any()):
        # A ReLU question is only a question if some cells pass gradient and some don't.
        raise EngineError("body", "redraw", "draw again")
    return body, result


def generate(rng: np.random.Generator, level: int, seed: int) -> Exercise:
    body, result = first_valid(rng, lambda r: _draw(r, level))
    k = len(body["kernel"])
    n = len(body["input"])
    grad_shape = list(np.asarray(body["grad_output"]).shape)
    if level == 2:
        r, c = int(rng.integers(n)), int(rng.integers(n))
        cell = f"∂L/∂input[{r}][{c}]"
        target = {
            "grad_input": [0, r, c],
            "input_shape": [1, n, n],
            "grad_shape": grad_shape,
            "padding": list(result.forward.padding),
        }
        expected = float(result.grad_input[0, r, c])
        solution = _input_solution(result, body, r, c, cell)
    else:
        a, b = int(rng.integers(k)), int(rng.integers(k))
        cell = f"∂L/∂kernel[{a}][{b}]"
        target = {"grad_weight": [0, 0, a, b], "kernel_shape": [k, k], "grad_shape": grad_shape}
        expected = float(result.grad_weight[0, 0, a, b])
        solution = _weight_solution(result, a, b, cell)
    key = {1: "q.gradient_cell.weight", 2: "q.gradient_cell.input", 3: "q.gradient_cell.relu"}[level]
    return Exercise(
        topic=TOPIC,
        level=level,
        seed=seed,
        prompt=Line(key, {"cell": cell}),
        answer_kind="number",
        endpoint="/api/v1/conv2d/backward",
        body=body,
        target=target,
        expected=expected,
        solution=tuple(solution),
        lab={"kind": "backward", "mode": "conv", "step": 0},
    )


def _weight_solution(result: ConvBackward, a: int, b: int, cell: str) -> list[Line]:
    """∂L/∂w[a][b] = Σ ∂L/∂y[i][j] × x[i·s + a][j·s + b] over every output cell (stride 1 here)."""
    padded = result.forward.padded[0]
    grad = result.grad_pre_activation[0]
    ho, wo = grad.shape
    window = padded[a : a + ho, b : b + wo]
    lines = [Line("sol.grad.weight_window", {"cell": cell, "a": a, "b": b, "h": ho, "w": wo})]
    if result.forward.activation == "relu":
        pre = result.forward.pre_activation[0]
        passed = int((pre > 0).sum())
        lines.append(Line("sol.grad.relu", {"passed": passed, "total": pre.size}))
    passes = (result.derivative[0] != 0).ravel()  # every cell without an activation; ReLU's positive ones
    terms = [f"{factor(g)}×{factor(x)}" for g, x, p in zip(grad.ravel(), window.ravel(), passes) if p]
    value = float(result.grad_weight[0, 0, a, b])
    lines.append(Line("sol.grad.sum", {"terms": join_terms(terms, " + ") or "0", "value": num(value)}))
    return lines


def _input_solution(result: ConvBackward, body: dict, r: int, c: int, cell: str) -> list[Line]:
    """∂L/∂x[r][c] = Σ ∂L/∂y[i][j] × w[r + p − i·s][c + p − j·s] over the windows that read the cell."""
    stride, padding = body.get("stride", 1), body.get("padding", 0)
    weight = result.forward.weight[0, 0]
    grad = result.grad_pre_activation[0]
    k = weight.shape[0]
    terms, readers = [], []
    for i in range(grad.shape[0]):
        for j in range(grad.shape[1]):
            u, v = r + padding - i * stride, c + padding - j * stride
            if 0 <= u < k and 0 <= v < k:
                readers.append(f"y[{i}][{j}]")
                terms.append(f"{factor(grad[i, j])}×{factor(weight[u, v])}")
    value = float(result.grad_input[0, r, c])
    if not readers:
        return [Line("sol.grad.unread", {"cell": cell})]
    return [
        Line("sol.grad.readers", {"cell": cell, "readers": ", ".join(readers)}),
        Line("sol.grad.sum", {"terms": join_terms(terms, " + "), "value": num(value)}),
    ]
