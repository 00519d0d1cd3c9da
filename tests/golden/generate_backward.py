"""Generate the backward-pass golden vectors with torch.autograd.

conv2d_backward.json, pool2d_backward.json and conv2d_fit.json pin what
``loss.backward()`` gives for ConvScope's /api/v1/conv2d/backward,
/api/v1/pool2d/backward and /api/v1/conv2d/fit bodies: each case's ``request``
is exactly such a JSON body, with either ``expected`` or, for what torch
refuses, ``error`` (torch's message; the API must answer 4xx).

The gradient arriving at the layer is ``grad_output`` (w.r.t. the activated
output), passed as ``y.backward(grad_output)``; when a request has none, torch
gets all ones (``y.sum().backward()``).  Padding modes run through ``F.pad`` so
gradients of reflected/replicated/circular copies flow back as nn.Conv2d's do.
Run from the repository root in a throwaway environment:

    python3 -m venv /tmp/torchenv
    /tmp/torchenv/bin/pip install torch==2.13.0 numpy
    /tmp/torchenv/bin/python tests/golden/generate_backward.py

Output is deterministic (fixed seed, float64 everywhere).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as g  # the forward generator's helpers: one meaning of every field

GENERATOR = "tests/golden/generate_backward.py"
SEED = 20261201
RNG = np.random.default_rng(SEED)
Case = dict[str, Any]


def ints(*shape: int) -> list:
    return RNG.integers(-4, 5, size=shape).tolist()


def floats(*shape: int) -> list:
    return np.round(RNG.uniform(-2.0, 2.0, size=shape), 3).tolist()


def leaf(values: Any) -> torch.Tensor:
    return g.tensor(values).requires_grad_(True)


def conv_forward(req: dict, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """nn.Conv2d's computation (F.pad for the padding, then F.conv2d), with the activation."""
    if req.get("flip_kernel", False):
        w = torch.flip(w, [2, 3])
    stride, dilation = g.pair(req.get("stride", 1)), g.pair(req.get("dilation", 1))
    padding, mode = req.get("padding", 0), req.get("padding_mode", "zeros")
    top, bottom, left, right = g.conv_padding_4(padding, tuple(w.shape[2:]), dilation)
    if padding == "same" and stride != (1, 1):
        F.conv2d(x, w, b, stride, "same", dilation, req.get("groups", 1))  # torch refuses
    padded = F.pad(x, (left, right, top, bottom), mode=g.torch_pad_mode(mode))
    y = F.conv2d(padded, w, b, stride, 0, dilation, req.get("groups", 1))
    return g.activate(y, req.get("activation", "none"))


def as_weight(kernel: list) -> list:
    a = np.array(kernel)
    return (a[None, None] if a.ndim == 2 else a[None] if a.ndim == 3 else a).tolist()


def conv_backward_reference(req: dict) -> dict:
    x = leaf(req["input"])
    x4 = x.unsqueeze(0) if x.dim() == 3 else x[None, None]
    w = leaf(as_weight(req["kernel"]))
    b = leaf(req["bias"])
    y = conv_forward(req, x4, w, b)[0]
    grad = torch.ones_like(y) if "grad_output" not in req else g.tensor(req["grad_output"])
    if grad.dim() == 2 and y.shape[0] == 1:
        grad = grad[None]  # the API's Ho×Wo form for one filter
    y.backward(grad)
    return {
        "output": g.to_json(y.detach()),
        "grad_input": g.to_json(x.grad.reshape(-1, *x.shape[-2:])),
        "grad_weight": g.to_json(w.grad),
        "grad_bias": g.to_json(b.grad),
    }


def pool_backward_reference(req: dict) -> dict:
    x = leaf(req["input"])
    x4 = x.unsqueeze(0)
    if req.get("global", False):
        y = F.adaptive_max_pool2d(x4, 1) if req["mode"] == "max" else F.adaptive_avg_pool2d(x4, 1)
    elif req["mode"] == "max":
        stride = g.pair(req["stride"]) if "stride" in req else None
        y = F.max_pool2d(
            x4,
            g.pair(req["kernel_size"]),
            stride,
            g.pair(req.get("padding", 0)),
            g.pair(req.get("dilation", 1)),
            req.get("ceil_mode", False),
        )
    else:
        stride = g.pair(req["stride"]) if "stride" in req else None
        y = F.avg_pool2d(
            x4,
            g.pair(req["kernel_size"]),
            stride,
            g.pair(req.get("padding", 0)),
            req.get("ceil_mode", False),
            req.get("count_include_pad", True),
            req.get("divisor_override"),
        )
    y = y[0]
    grad = torch.ones_like(y) if "grad_output" not in req else g.tensor(req["grad_output"])
    y.backward(grad)
    return {"output": g.to_json(y.detach()), "grad_input": g.to_json(x.grad)}


def fit_reference(req: dict) -> dict:
    """Plain gradient descent on the kernel: loss = mean squared error, w -= lr * dloss/dw."""
    x = g.tensor(req["input"])
    x4 = x.unsqueeze(0) if x.dim() == 3 else x[None, None]
    target = g.tensor(req["target"])
    w = leaf(as_weight(req["kernel"]))
    b = g.tensor(req.get("bias", 0.0)).reshape(-1).expand(w.shape[0]).clone()
    losses, kernels = [], []
    for _ in range(req["steps"]):
        y = conv_forward(req, x4, w, b)[0]
        loss = F.mse_loss(y, target.reshape(y.shape))
        losses.append(loss.item())
        w.grad = None
        loss.backward()
        with torch.no_grad():
            w -= req["learning_rate"] * w.grad
        kernels.append(g.to_json(w.detach()))
    y = conv_forward(req, x4, w, b)[0]
    return {
        "losses": losses,
        "kernels": kernels,
        "final_loss": F.mse_loss(y, target.reshape(y.shape)).item(),
        "final_output": g.to_json(y.detach()),
    }


def case(reference, name: str, request: dict, error: bool = False) -> Case:
    return g.make_case(reference, name, request, error)


def conv(name: str, x: list, kernel: list, bias: list | None = None, grad: Any = "random", error=False, **kw) -> Case:
    w = np.array(as_weight(kernel))
    request = {"input": x, "kernel": kernel, "bias": bias if bias is not None else [0] * w.shape[0], **kw}
    if grad == "random":
        # Shape from a dry forward pass, so every case gets an output gradient that is not all ones.
        try:
            with torch.no_grad():
                xt = g.tensor(x)
                y = conv_forward(
                    request,
                    xt.unsqueeze(0) if xt.dim() == 3 else xt[None, None],
                    g.tensor(w),
                    g.tensor(request["bias"]),
                )
            request["grad_output"] = floats(*y.shape[1:])
        except RuntimeError:
            request["grad_output"] = floats(1, 1, 1)
    elif grad is not None:
        request["grad_output"] = grad
    return case(conv_backward_reference, name, request, error)


def conv_cases() -> list[Case]:
    asym = [[[[1, 2, 0], [0, -1, 3], [-2, 0, 4]]]]
    return [
        conv("valid_3x3_default_grad_ones", ints(1, 5, 5), ints(1, 1, 3, 3), grad=None),
        conv("valid_3x3", ints(1, 5, 5), ints(1, 1, 3, 3)),
        conv("two_d_input_and_kernel", ints(4, 4), ints(2, 2), [1]),
        conv("two_d_grad_output_for_one_filter", ints(1, 4, 4), ints(1, 1, 3, 3), grad=floats(2, 2)),
        conv("multi_channel_multi_filter_bias", floats(3, 5, 5), floats(4, 3, 3, 3), floats(4)),
        conv("kernel_1x1", ints(3, 4, 5), ints(2, 3, 1, 1), ints(2)),
        conv("kernel_equals_input", ints(2, 3, 3), ints(3, 2, 3, 3)),
        conv("stride_2_leaves_holes", ints(1, 5, 5), asym, stride=2),
        conv("stride_2_floor_untouched_last_row", ints(1, 6, 6), ints(1, 1, 3, 3), stride=2),
        conv("stride_3_kernel_2", ints(1, 8, 8), ints(1, 1, 2, 2), stride=3),
        conv("stride_asymmetric_1x2", ints(2, 5, 6), ints(2, 2, 3, 3), stride=[1, 2]),
        conv("stride_larger_than_kernel", ints(1, 7, 7), ints(1, 1, 2, 2), stride=3, padding=1),
        conv("dilation_2", ints(1, 7, 7), asym, dilation=2),
        conv("dilation_2_stride_2_padding_2", ints(1, 9, 8), ints(1, 1, 3, 3), stride=2, padding=2, dilation=2),
        conv("dilation_asymmetric", ints(1, 6, 7), ints(1, 1, 2, 3), dilation=[2, 1], padding=[1, 2]),
        conv("groups_2", floats(4, 4, 4), floats(2, 2, 3, 3), floats(2), groups=2),
        conv("groups_2_two_filters_each", ints(2, 5, 5), ints(4, 1, 3, 3), groups=2, padding=1),
        conv("depthwise", ints(3, 5, 5), ints(3, 1, 3, 3), ints(3), groups=3, stride=2),
        conv("zeros_padding_1", ints(1, 4, 4), asym, padding=1),
        conv("zeros_padding_4_sided", ints(1, 4, 5), ints(1, 1, 3, 3), padding=[1, 0, 2, 1]),
        conv("padding_same_even_kernel", ints(1, 5, 5), ints(1, 1, 2, 2), padding="same"),
        conv("padding_same_dilation_2", ints(1, 6, 6), ints(1, 1, 3, 3), padding="same", dilation=2),
        conv("padding_valid", ints(1, 4, 4), ints(1, 1, 2, 2), padding="valid"),
        conv("reflect_copies_return_gradient", g.arange(1, 4, 4), asym, padding=1, padding_mode="reflect"),
        conv("reflect_pad_size_minus_1", ints(1, 3, 3), ints(1, 1, 3, 3), padding=2, padding_mode="reflect"),
        conv(
            "reflect_4_sided_stride_2",
            ints(2, 5, 6),
            ints(1, 2, 3, 3),
            padding=[0, 2, 1, 0],
            padding_mode="reflect",
            stride=2,
        ),
        conv("replicate_edge_collects", ints(1, 4, 4), asym, padding=1, padding_mode="replicate"),
        conv("replicate_pad_larger_than_input", ints(1, 2, 2), ints(1, 1, 3, 3), padding=3, padding_mode="replicate"),
        conv("replicate_dilation_2", ints(1, 5, 5), ints(1, 1, 3, 3), padding=2, padding_mode="replicate", dilation=2),
        conv("circular_wraps_around", ints(1, 4, 4), asym, padding=1, padding_mode="circular"),
        conv("circular_pad_equals_size", ints(1, 3, 3), ints(1, 1, 3, 3), padding=3, padding_mode="circular"),
        conv(
            "circular_4_sided_groups",
            ints(2, 3, 4),
            ints(2, 1, 3, 2),
            padding=[1, 2, 0, 1],
            padding_mode="circular",
            groups=2,
        ),
        conv("flip_kernel_gradient_as_sent", ints(1, 5, 5), asym, flip_kernel=True, padding=1),
        conv("flip_kernel_multi_filter_stride_2", floats(2, 5, 5), floats(3, 2, 2, 3), flip_kernel=True, stride=2),
        conv("relu_derivative_zero_at_zero", ints(1, 5, 5), [[[[1, 0], [0, -1]]]], [0], activation="relu"),
        conv("relu_with_bias", ints(2, 4, 4), ints(2, 2, 2, 2), [1, -1], activation="relu", padding=1),
        conv("leaky_relu_slope_at_zero", ints(1, 5, 5), [[[[1, 0], [0, -1]]]], [0], activation="leaky_relu"),
        conv("sigmoid", floats(1, 4, 4), floats(2, 1, 3, 3), floats(2), activation="sigmoid", padding=1),
        conv("tanh", floats(2, 4, 4), floats(1, 2, 2, 2), floats(1), activation="tanh", stride=2),
        conv(
            "tanh_reflect_dilation_groups",
            floats(2, 6, 6),
            floats(4, 1, 3, 3),
            floats(4),
            activation="tanh",
            padding=2,
            padding_mode="reflect",
            dilation=2,
            groups=2,
        ),
        conv(
            "everything_at_once",
            floats(4, 7, 6),
            floats(4, 2, 3, 2),
            floats(4),
            stride=[2, 1],
            padding=[1, 2, 0, 1],
            padding_mode="circular",
            dilation=[1, 2],
            groups=2,
            flip_kernel=True,
            activation="leaky_relu",
        ),
        # --- refusals: torch raises ------------------------------------------------
        conv("error_grad_output_wrong_shape", ints(1, 4, 4), ints(1, 1, 3, 3), grad=floats(1, 3, 3), error=True),
        conv("error_grad_output_wrong_filters", ints(1, 4, 4), ints(2, 1, 3, 3), grad=floats(1, 2, 2), error=True),
        conv("error_kernel_larger_than_input", ints(1, 2, 2), ints(1, 1, 3, 3), grad=None, error=True),
        conv(
            "error_same_with_stride_2", ints(1, 5, 5), ints(1, 1, 3, 3), grad=None, padding="same", stride=2, error=True
        ),
        conv(
            "error_reflect_pad_not_below_size",
            ints(1, 3, 3),
            ints(1, 1, 2, 2),
            grad=None,
            padding=3,
            padding_mode="reflect",
            error=True,
        ),
        conv("error_groups_do_not_divide", ints(3, 4, 4), ints(2, 1, 3, 3), grad=None, groups=2, error=True),
    ]


def pool(name: str, x: list, grad: Any = "random", error=False, **kw) -> Case:
    request = {"input": x, **kw}
    if grad == "random":
        try:
            out = pool_backward_reference(request)["output"]
            request["grad_output"] = floats(*np.array(out, dtype=float).shape)
        except RuntimeError:
            request["grad_output"] = floats(1, 1, 1)
    elif grad is not None:
        request["grad_output"] = grad
    return case(pool_backward_reference, name, request, error)


def pool_cases() -> list[Case]:
    ties = [[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 3, 3], [3, 3, 3, 3]]]
    return [
        pool("max_2x2_default_grad_ones", floats(1, 4, 4), None, mode="max", kernel_size=2),
        pool("max_2x2", floats(2, 4, 4), mode="max", kernel_size=2),
        pool("max_ties_first_in_row_major", ties, mode="max", kernel_size=2),
        pool("max_ties_overlapping_windows", ints(1, 5, 5), mode="max", kernel_size=3, stride=1),
        pool("max_all_equal", [[[2] * 4] * 4], mode="max", kernel_size=3, stride=1, padding=1),
        pool("max_overlap_winner_collects", g.arange(1, 5, 5), mode="max", kernel_size=3, stride=1),
        pool("max_stride_2_padding_1", floats(1, 5, 5), mode="max", kernel_size=3, stride=2, padding=1),
        pool("max_ceil_mode", floats(1, 5, 5), mode="max", kernel_size=2, stride=2, ceil_mode=True),
        pool("max_ceil_mode_padding", floats(1, 5, 6), mode="max", kernel_size=2, stride=2, padding=1, ceil_mode=True),
        pool("max_dilation_2", floats(1, 7, 7), mode="max", kernel_size=3, stride=2, dilation=2),
        pool(
            "max_negative_values_padding",
            [[[-5, -3, -4], [-2, -9, -1], [-7, -6, -8]]],
            mode="max",
            kernel_size=2,
            stride=1,
            padding=1,
        ),
        pool("max_non_square", floats(2, 5, 7), mode="max", kernel_size=[2, 3], stride=[2, 1]),
        pool("avg_2x2", floats(1, 4, 4), mode="avg", kernel_size=2),
        pool("avg_overlap_stride_1", floats(1, 4, 5), mode="avg", kernel_size=3, stride=1),
        pool("avg_padding_count_include_pad", floats(1, 5, 5), mode="avg", kernel_size=3, stride=2, padding=1),
        pool(
            "avg_padding_exclude_pad",
            floats(1, 5, 5),
            mode="avg",
            kernel_size=3,
            stride=2,
            padding=1,
            count_include_pad=False,
        ),
        pool(
            "avg_ceil_mode_overhang_not_counted",
            [[[1, 2, 3, 4, 5, 6]]],
            mode="avg",
            kernel_size=3,
            stride=2,
            padding=1,
            ceil_mode=True,
        ),
        pool(
            "avg_ceil_mode_exclude_pad",
            [[[1, 2, 3, 4, 5, 6]]],
            mode="avg",
            kernel_size=3,
            stride=2,
            padding=1,
            ceil_mode=True,
            count_include_pad=False,
        ),
        pool("avg_ceil_no_padding", floats(2, 5, 5), mode="avg", kernel_size=2, ceil_mode=True),
        pool("avg_divisor_override", floats(1, 4, 4), mode="avg", kernel_size=2, divisor_override=3),
        pool(
            "avg_divisor_override_padding_ceil",
            floats(1, 5, 5),
            mode="avg",
            kernel_size=3,
            stride=2,
            padding=1,
            ceil_mode=True,
            divisor_override=5,
        ),
        pool("avg_non_square", floats(1, 6, 5), mode="avg", kernel_size=[3, 2], stride=[1, 2], padding=[1, 0]),
        pool("global_max", floats(3, 4, 5), mode="max", **{"global": True}),
        pool("global_max_ties", [[[1, 3], [3, 2]]], mode="max", **{"global": True}),
        pool("global_avg", floats(2, 3, 4), mode="avg", **{"global": True}),
        pool("error_grad_output_wrong_shape", floats(1, 4, 4), [[[1, 2, 3]]], mode="max", kernel_size=2, error=True),
        pool(
            "error_padding_above_half_kernel", floats(1, 4, 4), None, mode="max", kernel_size=2, padding=2, error=True
        ),
        pool("error_kernel_larger_than_input", floats(1, 2, 2), None, mode="avg", kernel_size=3, error=True),
    ]


def fit(name: str, **request) -> Case:
    return case(fit_reference, name, request)


def sobel_target(x: np.ndarray, kernel: np.ndarray, padding: int = 0) -> list:
    with torch.no_grad():
        y = F.conv2d(F.pad(g.tensor(x)[None, None], (padding,) * 4), g.tensor(kernel)[None, None])
    return y[0].tolist()


def fit_cases() -> list[Case]:
    x = np.array(ints(8, 8), dtype=float)
    sobel = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=float)
    blur = np.full((3, 3), 1 / 9)
    zeros = np.zeros((3, 3)).tolist()
    return [
        fit(
            "recover_sobel", input=x.tolist(), target=sobel_target(x, sobel), kernel=zeros, learning_rate=0.02, steps=40
        ),
        fit(
            "recover_blur_padding_1",
            input=x.tolist(),
            target=sobel_target(x, blur, 1),
            kernel=zeros,
            padding=1,
            learning_rate=0.02,
            steps=25,
        ),
        fit(
            "relu_stride_2_bias",
            input=floats(1, 7, 7),
            target=floats(1, 3, 3),
            kernel=floats(1, 1, 3, 3),
            bias=0.5,
            stride=2,
            activation="relu",
            learning_rate=0.1,
            steps=10,
        ),
    ]


def main() -> None:
    if torch.__version__.split("+")[0] != g.TORCH_VERSION:
        raise SystemExit(f"need torch {g.TORCH_VERSION}, found {torch.__version__}")
    torch.manual_seed(SEED)
    warnings.filterwarnings("ignore", message="Using padding='same'")
    g.GENERATOR = GENERATOR
    g.write("conv2d_backward.json", conv_cases())
    g.write("pool2d_backward.json", pool_cases())
    g.write("conv2d_fit.json", fit_cases())


if __name__ == "__main__":
    main()
