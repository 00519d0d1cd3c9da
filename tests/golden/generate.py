"""Generate ConvScope's golden reference vectors with PyTorch.

The JSON files next to this script (conv2d.json, pool2d.json,
conv_transpose2d.json, pad.json) pin the exact results PyTorch produces for
2-D convolution, pooling, transposed convolution and padding.  Each case holds
a ``request`` that is exactly a JSON body of ConvScope's REST API and either
the ``expected`` response data or, for inputs PyTorch refuses, the ``error``
message PyTorch raised (the API must refuse those with a 4xx).

The app and its tests never need torch; only this script does.  Run it from
the repository root in a throwaway environment:

    python3 -m venv /tmp/torchenv
    /tmp/torchenv/bin/pip install torch==2.13.0 numpy
    /tmp/torchenv/bin/python tests/golden/generate.py

Output is deterministic (fixed seed, float64 everywhere).
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

TORCH_VERSION = "2.13.0"
SEED = 20240611
OUT_DIR = Path(__file__).resolve().parent
GENERATOR = "tests/golden/generate.py"
DTYPE = torch.float64
LEAKY_SLOPE = 0.01  # torch.nn.functional.leaky_relu's default negative_slope

RNG = np.random.default_rng(SEED)

Case = dict[str, Any]


# --------------------------------------------------------------------------
# Value helpers
# --------------------------------------------------------------------------


def ints(*shape: int) -> list:
    """Random small integers in [-4, 4] (results stay exact in float64)."""
    return RNG.integers(-4, 5, size=shape).tolist()


def floats(*shape: int) -> list:
    """Random floats in [-2, 2] rounded to 3 decimals."""
    return np.round(RNG.uniform(-2.0, 2.0, size=shape), 3).tolist()


def arange(c: int, h: int, w: int, start: int = 1) -> list:
    """Distinct increasing integers, handy for reading padding/pooling."""
    return np.arange(start, start + c * h * w).reshape(c, h, w).tolist()


def tensor(values: Any) -> torch.Tensor:
    return torch.tensor(values, dtype=DTYPE)


def to_json(t: torch.Tensor) -> Any:
    """Nested lists; -inf becomes None (JSON null) and -0.0 becomes 0.0."""

    def clean(v: Any) -> Any:
        if isinstance(v, list):
            return [clean(item) for item in v]
        if isinstance(v, float):
            if math.isinf(v) and v < 0:
                return None
            if math.isnan(v) or math.isinf(v):
                raise ValueError(f"unexpected non-finite value {v}")
            return v + 0.0
        return v

    return clean(t.tolist())


def pair(v: int | list[int]) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else (v[0], v[1])


def torch_pad_mode(mode: str) -> str:
    return "constant" if mode == "zeros" else mode


def assert_close(a: torch.Tensor, b: torch.Tensor, what: str) -> None:
    if a.shape != b.shape or not torch.allclose(a, b, rtol=1e-12, atol=1e-12):
        raise AssertionError(f"cross-check failed: {what}")


# --------------------------------------------------------------------------
# Reference computations (one per endpoint); each returns the "expected" dict
# or raises the exception torch raised.
# --------------------------------------------------------------------------


def conv_padding_4(padding: Any, kernel_hw: tuple[int, int], dilation: tuple[int, int]) -> list[int]:
    """Resolve the API's padding field to [top, bottom, left, right]."""
    if padding == "valid":
        return [0, 0, 0, 0]
    if padding == "same":
        # Same rule as torch.nn.Conv2d(padding="same"): total = d * (k - 1),
        # the smaller half before, the rest after.
        sides = []
        for k, d in zip(kernel_hw, dilation, strict=True):
            total = d * (k - 1)
            sides += [total // 2, total - total // 2]
        return sides
    if isinstance(padding, int):
        return [padding] * 4
    if len(padding) == 2:
        return [padding[0], padding[0], padding[1], padding[1]]
    return list(padding)


def activate(y: torch.Tensor, activation: str) -> torch.Tensor:
    if activation == "none":
        return y
    if activation == "relu":
        return F.relu(y)
    if activation == "leaky_relu":
        return F.leaky_relu(y, LEAKY_SLOPE)
    if activation == "sigmoid":
        return torch.sigmoid(y)
    if activation == "tanh":
        return torch.tanh(y)
    raise ValueError(activation)


def conv2d_reference(req: dict) -> dict:
    x = tensor(req["input"]).unsqueeze(0)
    w = tensor(req["kernel"])
    b = tensor(req["bias"])
    if req["flip_kernel"]:
        w = torch.flip(w, [2, 3])
    stride, dilation = pair(req["stride"]), pair(req["dilation"])
    groups, padding, mode = req["groups"], req["padding"], req["padding_mode"]
    four_sided = isinstance(padding, list) and len(padding) == 4

    # torch.nn.Conv2d semantics: zeros mode passes padding to F.conv2d (which
    # also validates "same"/negative padding); other modes (and 4-sided
    # padding, which Conv2d can only express through F.pad) pad explicitly.
    direct = None
    if padding == "same" or (mode == "zeros" and not four_sided):
        conv_padding = padding if isinstance(padding, (int, str)) else tuple(padding)
        direct = F.conv2d(x, w, b, stride, conv_padding, dilation, groups)

    top, bottom, left, right = conv_padding_4(padding, tuple(w.shape[2:]), dilation)
    padded = F.pad(x, (left, right, top, bottom), mode=torch_pad_mode(mode))
    y = F.conv2d(padded, w, b, stride, 0, dilation, groups)

    if direct is not None and mode == "zeros":
        assert_close(direct, y, "F.conv2d padding vs explicit F.pad")
    if not four_sided:
        module = torch.nn.Conv2d(
            x.shape[1],
            w.shape[0],
            tuple(w.shape[2:]),
            stride=stride,
            padding=padding if isinstance(padding, (int, str)) else tuple(padding),
            dilation=dilation,
            groups=groups,
            padding_mode=mode,
            dtype=DTYPE,
        )
        with torch.no_grad():
            module.weight.copy_(w)
            module.bias.copy_(b)
            assert_close(module(x), y, "nn.Conv2d vs explicit F.pad")

    out = activate(y, req["activation"])[0]
    return {
        "output": to_json(out),
        "output_shape": list(out.shape),
        "padded_input": to_json(padded[0]),
        "padding": [top, bottom, left, right],
    }


def pool2d_reference(req: dict) -> dict:
    x = tensor(req["input"]).unsqueeze(0)
    is_max = req["mode"] == "max"
    indices = None
    if req.get("global", False):
        if is_max:
            out, indices = F.adaptive_max_pool2d(x, 1, return_indices=True)
        else:
            out = F.adaptive_avg_pool2d(x, 1)
    else:
        kernel = pair(req["kernel_size"])
        stride = pair(req["stride"]) if "stride" in req else None
        padding = pair(req["padding"])
        ceil_mode = req["ceil_mode"]
        if is_max:
            dilation = pair(req["dilation"])
            args = (x, kernel, stride, padding, dilation, ceil_mode)
            # Both code paths (with and without indices) must agree.
            try:
                plain = F.max_pool2d(*args)
            except RuntimeError:
                plain = None
            try:
                out, indices = F.max_pool2d(*args, return_indices=True)
            except RuntimeError:
                if plain is not None:
                    raise AssertionError("max_pool2d paths disagree") from None
                raise
            if plain is None or not torch.equal(plain, out):
                raise AssertionError("max_pool2d paths disagree")
        else:
            out = F.avg_pool2d(
                x,
                kernel,
                stride,
                padding,
                ceil_mode,
                req["count_include_pad"],
                req.get("divisor_override"),
            )
    expected = {"output": to_json(out[0]), "output_shape": list(out.shape[1:])}
    if indices is not None:
        expected["indices"] = indices[0].tolist()
    return expected


def conv_transpose2d_reference(req: dict) -> dict:
    x = tensor(req["input"]).unsqueeze(0)
    out = F.conv_transpose2d(
        x,
        tensor(req["kernel"]),
        tensor(req["bias"]),
        pair(req["stride"]),
        pair(req["padding"]),
        pair(req["output_padding"]),
        req["groups"],
        pair(req["dilation"]),
    )[0]
    return {"output": to_json(out), "output_shape": list(out.shape)}


def pad_reference(req: dict) -> dict:
    top, bottom, left, right = req["padding"]
    x = tensor(req["input"]).unsqueeze(0)
    out = F.pad(x, (left, right, top, bottom), mode=torch_pad_mode(req["mode"]))[0]
    return {"output": to_json(out), "output_shape": list(out.shape)}


def make_case(reference: Callable[[dict], dict], name: str, request: dict, error: bool) -> Case:
    """Run torch on the request; error=True asserts that torch refuses it."""
    try:
        expected = reference(request)
    except (RuntimeError, ValueError) as exc:
        if not error:
            raise AssertionError(f"{name}: torch raised {exc!r}") from exc
        return {"name": name, "request": request, "error": str(exc)}
    if error:
        raise AssertionError(f"{name}: expected torch to raise, it did not")
    return {"name": name, "request": request, "expected": expected}


# --------------------------------------------------------------------------
# conv2d cases
# --------------------------------------------------------------------------


def conv2d(
    name: str,
    x: list,
    kernel: list,
    bias: list | None = None,
    *,
    stride: Any = 1,
    padding: Any = 0,
    padding_mode: str = "zeros",
    dilation: Any = 1,
    groups: int = 1,
    flip_kernel: bool = False,
    activation: str = "none",
    error: bool = False,
) -> Case:
    if bias is None:
        bias = [0] * len(kernel)
    request = {
        "input": x,
        "kernel": kernel,
        "bias": bias,
        "stride": stride,
        "padding": padding,
        "padding_mode": padding_mode,
        "dilation": dilation,
        "groups": groups,
        "flip_kernel": flip_kernel,
        "activation": activation,
    }
    return make_case(conv2d_reference, name, request, error)


def conv2d_cases() -> list[Case]:
    asym_k = [[[[1, 2, 0], [0, -1, 3], [-2, 0, 4]]]]  # no symmetry: shows flips
    c = conv2d
    return [
        # --- basics: channels, filters, bias -------------------------------
        c("single_channel_3x3_valid", ints(1, 5, 5), ints(1, 1, 3, 3)),
        c("single_channel_zero_padding_1_keeps_size", ints(1, 5, 5), asym_k, padding=1),
        c("multi_channel_sums_over_channels", ints(3, 4, 4), ints(1, 3, 3, 3)),
        c("multiple_filters_with_bias", ints(2, 5, 5), ints(3, 2, 3, 3), ints(3)),
        c("bias_added_per_filter", ints(1, 3, 4), ints(2, 1, 2, 2), [3, -2]),
        c("kernel_1x1_mixes_channels", ints(3, 4, 5), ints(2, 3, 1, 1), ints(2)),
        c("kernel_equals_input_fully_connected", ints(3, 3, 3), ints(4, 3, 3, 3)),
        c("kernel_equals_input_non_square", ints(2, 2, 4), ints(3, 2, 2, 4), ints(3)),
        # --- stride and output-size floors ---------------------------------
        c("stride_2_floor_drops_last_row_col", ints(1, 6, 6), ints(1, 1, 3, 3), stride=2),
        c("stride_2_exact_fit", ints(1, 7, 7), ints(1, 1, 3, 3), stride=2),
        c("stride_3_kernel_2", ints(1, 8, 8), ints(1, 1, 2, 2), stride=3),
        c("stride_3_floor_non_square", ints(1, 7, 9), ints(1, 1, 3, 3), stride=3),
        c("stride_asymmetric_1x2", ints(1, 5, 6), ints(1, 1, 3, 3), stride=[1, 2]),
        c(
            "stride_asymmetric_2x1_padding_1",
            ints(2, 5, 4),
            ints(2, 2, 3, 3),
            stride=[2, 1],
            padding=1,
        ),
        c("stride_2_output_floors_to_1", ints(1, 4, 4), ints(1, 1, 3, 3), stride=2),
        # --- dilation ------------------------------------------------------
        c("dilation_2", ints(1, 7, 7), ints(1, 1, 3, 3), dilation=2),
        c("dilation_2_padding_2_keeps_size", ints(1, 5, 5), asym_k, padding=2, dilation=2),
        c("dilation_asymmetric_2x1", ints(1, 6, 5), ints(1, 1, 3, 3), dilation=[2, 1]),
        c("dilation_2_stride_2", ints(1, 9, 9), ints(1, 1, 3, 3), stride=2, dilation=2),
        # --- groups --------------------------------------------------------
        c("groups_2", ints(4, 4, 4), ints(2, 2, 3, 3), ints(2), groups=2),
        c("groups_2_two_filters_per_group", ints(2, 4, 4), ints(4, 1, 3, 3), groups=2),
        c("depthwise_groups_equals_channels", ints(3, 5, 5), ints(3, 1, 3, 3), ints(3), groups=3),
        c(
            "depthwise_channel_multiplier_2_padding_1",
            ints(3, 4, 4),
            ints(6, 1, 3, 3),
            ints(6),
            padding=1,
            groups=3,
        ),
        # --- explicit zero padding -----------------------------------------
        c("padding_pair_1x2", ints(1, 4, 4), ints(1, 1, 3, 3), padding=[1, 2]),
        c("padding_4_sided_zeros", ints(1, 4, 4), ints(1, 1, 3, 3), padding=[1, 0, 2, 1]),
        c(
            "padding_4_sided_zeros_stride_2",
            ints(2, 5, 5),
            ints(1, 2, 3, 3),
            stride=2,
            padding=[0, 2, 1, 0],
        ),
        # --- padding modes -------------------------------------------------
        c("reflect_padding_1", arange(1, 4, 4), asym_k, padding=1, padding_mode="reflect"),
        c(
            "reflect_padding_2x2_stride2",
            ints(1, 5, 5),
            ints(1, 1, 3, 3),
            stride=2,
            padding=2,
            padding_mode="reflect",
        ),
        c(
            "reflect_padding_equals_size_minus_1",
            arange(1, 3, 3),
            ints(1, 1, 3, 3),
            padding=2,
            padding_mode="reflect",
        ),
        c(
            "reflect_padding_4_sided_asymmetric",
            arange(1, 3, 4),
            ints(1, 1, 2, 2),
            padding=[0, 2, 1, 0],
            padding_mode="reflect",
        ),
        c("replicate_padding_1", ints(2, 4, 4), ints(1, 2, 3, 3), padding=1, padding_mode="replicate"),
        c(
            "replicate_padding_larger_than_input",
            arange(1, 2, 2),
            ints(1, 1, 3, 3),
            padding=3,
            padding_mode="replicate",
        ),
        c(
            "replicate_padding_4_sided",
            arange(1, 3, 3),
            ints(1, 1, 2, 2),
            padding=[2, 0, 0, 1],
            padding_mode="replicate",
        ),
        c("circular_padding_1", arange(1, 4, 4), asym_k, padding=1, padding_mode="circular"),
        c(
            "circular_padding_equals_size",
            arange(1, 3, 3),
            ints(1, 1, 3, 3),
            padding=3,
            padding_mode="circular",
        ),
        c(
            "circular_padding_4_sided",
            arange(1, 3, 4),
            ints(1, 1, 3, 2),
            padding=[1, 2, 0, 1],
            padding_mode="circular",
        ),
        c(
            "circular_padding_pair_non_square",
            ints(1, 3, 5),
            ints(2, 1, 3, 3),
            padding=[1, 2],
            padding_mode="circular",
        ),
        # --- "same" and "valid" --------------------------------------------
        c("same_3x3_zeros", ints(1, 5, 5), asym_k, padding="same"),
        c("same_5x5_non_square_input", ints(1, 4, 6), ints(1, 1, 5, 5), padding="same"),
        c("same_even_2x2_pads_bottom_right", arange(1, 4, 4), ints(1, 1, 2, 2), padding="same"),
        c("same_even_4x4_zeros", ints(2, 5, 5), ints(2, 2, 4, 4), padding="same"),
        c(
            "same_even_2x2_reflect",
            arange(1, 4, 4),
            ints(1, 1, 2, 2),
            padding="same",
            padding_mode="reflect",
        ),
        c(
            "same_even_4x4_circular",
            ints(1, 5, 5),
            ints(1, 1, 4, 4),
            padding="same",
            padding_mode="circular",
        ),
        c("same_dilation_2", ints(1, 6, 6), ints(1, 1, 3, 3), padding="same", dilation=2),
        c(
            "same_even_kernel_2x3_dilation_3x1",
            ints(1, 6, 5),
            ints(1, 1, 2, 3),
            padding="same",
            dilation=[3, 1],
        ),
        c(
            "same_kernel_2x3_replicate",
            arange(1, 3, 4),
            ints(1, 1, 2, 3),
            padding="same",
            padding_mode="replicate",
        ),
        c("same_kernel_larger_than_input_zeros", ints(1, 2, 2), ints(1, 1, 5, 5), padding="same"),
        c("valid_equals_no_padding", ints(1, 5, 4), ints(1, 1, 2, 3), padding="valid"),
        c("valid_stride_2", ints(2, 6, 5), ints(2, 2, 3, 3), stride=2, padding="valid"),
        # --- flip_kernel (true convolution) --------------------------------
        c("flip_kernel_asymmetric_3x3", arange(1, 4, 4), asym_k, flip_kernel=True),
        c(
            "flip_kernel_multi_channel_bias_padding",
            ints(2, 4, 4),
            ints(2, 2, 3, 3),
            ints(2),
            padding=1,
            flip_kernel=True,
        ),
        c("flip_kernel_non_square_2x3", ints(1, 4, 5), ints(1, 1, 2, 3), flip_kernel=True),
        c(
            "flip_kernel_groups_2_stride_2",
            ints(2, 5, 5),
            ints(2, 1, 3, 3),
            stride=2,
            groups=2,
            flip_kernel=True,
        ),
        # --- activations ---------------------------------------------------
        c("activation_relu", ints(1, 4, 4), ints(2, 1, 3, 3), [1, -1], activation="relu"),
        c(
            "activation_relu_negative_bias_zeroes_output",
            ints(1, 3, 3),
            [[[[0, 0], [0, 0]]]],
            [-3],
            activation="relu",
        ),
        c("activation_leaky_relu", ints(1, 4, 4), ints(2, 1, 3, 3), [1, -1], activation="leaky_relu"),
        c("activation_sigmoid", ints(1, 4, 4), ints(1, 1, 2, 2), [1], activation="sigmoid"),
        c("activation_tanh", ints(1, 4, 4), ints(1, 1, 2, 2), [-1], padding=1, activation="tanh"),
        # --- non-square inputs and kernels ---------------------------------
        c("non_square_input_and_kernel", ints(2, 5, 7), ints(2, 2, 2, 4), ints(2)),
        c("row_kernel_1x3", ints(1, 4, 6), ints(1, 1, 1, 3)),
        c("column_kernel_3x1_padding_pair", ints(1, 4, 6), ints(1, 1, 3, 1), padding=[1, 0]),
        # --- random floats (3 decimals) ------------------------------------
        c("floats_multi_filter_bias", floats(2, 5, 5), floats(3, 2, 3, 3), floats(3)),
        c(
            "floats_reflect_same_tanh",
            floats(1, 5, 6),
            floats(2, 1, 3, 3),
            floats(2),
            padding="same",
            padding_mode="reflect",
            activation="tanh",
        ),
        c(
            "floats_groups_2_dilation_2",
            floats(4, 6, 6),
            floats(4, 2, 2, 2),
            floats(4),
            padding=1,
            dilation=2,
            groups=2,
        ),
        c(
            "floats_circular_stride_2_leaky_relu",
            floats(2, 5, 5),
            floats(2, 2, 3, 3),
            floats(2),
            stride=2,
            padding=1,
            padding_mode="circular",
            activation="leaky_relu",
        ),
        c(
            "floats_everything_combined",
            floats(4, 7, 6),
            floats(4, 2, 3, 2),
            floats(4),
            stride=[2, 1],
            padding=[1, 0, 2, 1],
            padding_mode="replicate",
            dilation=[1, 2],
            groups=2,
            flip_kernel=True,
            activation="sigmoid",
        ),
        # --- errors torch raises -------------------------------------------
        c("error_kernel_larger_than_input", ints(1, 3, 3), ints(1, 1, 4, 4), error=True),
        c(
            "error_kernel_larger_than_padded_input",
            ints(1, 2, 2),
            ints(1, 1, 5, 5),
            padding=1,
            error=True,
        ),
        c("error_kernel_wider_than_input", ints(1, 5, 3), ints(1, 1, 3, 4), error=True),
        c(
            "error_dilated_kernel_larger_than_input",
            ints(1, 4, 4),
            ints(1, 1, 3, 3),
            dilation=2,
            error=True,
        ),
        c("error_groups_not_dividing_channels", ints(3, 3, 3), ints(2, 1, 1, 1), groups=2, error=True),
        c("error_groups_not_dividing_filters", ints(2, 3, 3), ints(3, 1, 1, 1), groups=2, error=True),
        c("error_wrong_kernel_channel_count", ints(2, 3, 3), ints(1, 3, 3, 3), error=True),
        c(
            "error_wrong_kernel_channel_count_groups_2",
            ints(4, 3, 3),
            ints(2, 1, 3, 3),
            groups=2,
            error=True,
        ),
        c("error_same_with_stride_2", ints(1, 5, 5), ints(1, 1, 3, 3), stride=2, padding="same", error=True),
        c(
            "error_same_with_stride_1x2_reflect",
            ints(1, 5, 5),
            ints(1, 1, 3, 3),
            stride=[1, 2],
            padding="same",
            padding_mode="reflect",
            error=True,
        ),
        c(
            "error_reflect_padding_equals_size",
            ints(1, 3, 3),
            ints(1, 1, 3, 3),
            padding=3,
            padding_mode="reflect",
            error=True,
        ),
        c(
            "error_reflect_4_sided_top_equals_height",
            ints(1, 2, 4),
            ints(1, 1, 2, 2),
            padding=[2, 0, 0, 0],
            padding_mode="reflect",
            error=True,
        ),
        c(
            "error_reflect_same_kernel_larger_than_input",
            ints(1, 2, 2),
            ints(1, 1, 5, 5),
            padding="same",
            padding_mode="reflect",
            error=True,
        ),
        c(
            "error_circular_padding_greater_than_size",
            ints(1, 3, 3),
            ints(1, 1, 3, 3),
            padding=4,
            padding_mode="circular",
            error=True,
        ),
        c("error_bias_length_mismatch", ints(1, 3, 3), ints(2, 1, 2, 2), [1, 2, 3], error=True),
        c("error_stride_zero", ints(1, 3, 3), ints(1, 1, 2, 2), stride=0, error=True),
        c("error_dilation_zero", ints(1, 3, 3), ints(1, 1, 2, 2), dilation=0, error=True),
        c("error_groups_zero", ints(1, 3, 3), ints(1, 1, 2, 2), groups=0, error=True),
        c("error_negative_padding", ints(1, 3, 3), ints(1, 1, 2, 2), padding=-1, error=True),
    ]


# --------------------------------------------------------------------------
# pool2d cases
# --------------------------------------------------------------------------

NO_STRIDE = object()  # omit "stride" from the request (torch default: kernel)


def pool2d(
    name: str,
    x: list,
    mode: str,
    kernel_size: Any = None,
    *,
    stride: Any = NO_STRIDE,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
    global_: bool = False,
    error: bool = False,
) -> Case:
    request: dict[str, Any] = {"input": x, "mode": mode}
    if global_:
        request["global"] = True
    else:
        request["kernel_size"] = kernel_size
        if stride is not NO_STRIDE:
            request["stride"] = stride
        request["padding"] = padding
        if mode == "max":
            request["dilation"] = dilation
        request["ceil_mode"] = ceil_mode
        if mode == "avg":
            request["count_include_pad"] = count_include_pad
            if divisor_override is not None:
                request["divisor_override"] = divisor_override
        request["global"] = False
    return make_case(pool2d_reference, name, request, error)


def pool2d_cases() -> list[Case]:
    p = pool2d
    neg = (-np.arange(1, 26).reshape(1, 5, 5)).tolist()  # all negative
    ties = [[[1, 3, 3, 0], [3, 2, 1, 3], [0, 0, 2, 2], [1, 1, 2, 2]]]
    cases = [
        # --- max pooling ---------------------------------------------------
        p("max_2x2_default_stride_is_kernel", ints(1, 4, 4), "max", 2),
        p("max_3x3_stride_1", ints(2, 4, 5), "max", 3, stride=1),
        p("max_stride_2_floor", arange(1, 5, 5), "max", 2, stride=2),
        p("max_ceil_mode_adds_partial_window", arange(1, 5, 5), "max", 2, stride=2, ceil_mode=True),
        p(
            "max_ceil_mode_last_window_in_padding_dropped_n5_k2_s2_p1",
            ints(1, 5, 5),
            "max",
            2,
            stride=2,
            padding=1,
            ceil_mode=True,
        ),
        p("max_ceil_mode_no_effect_when_exact", ints(1, 6, 6), "max", 2, stride=2, ceil_mode=True),
        p("max_padding_never_wins_negative_input", neg, "max", 3, stride=2, padding=1),
        p("max_padding_1_k3_s2_multi_channel", ints(3, 5, 6), "max", 3, stride=2, padding=1),
        p("max_ties_all_equal_first_wins", [[[2] * 4] * 4], "max", 2, stride=1),
        p("max_ties_first_in_row_major_wins", ties, "max", 2, stride=2),
        p("max_ties_overlapping_windows", ties, "max", 3, stride=1, padding=1),
        p("max_dilation_2", arange(1, 6, 6), "max", 2, stride=1, dilation=2),
        p("max_dilation_2x1_non_square", ints(1, 6, 5), "max", [2, 3], stride=[1, 2], dilation=[2, 1]),
        p(
            "max_dilation_2_padding_ceil_mode",
            ints(2, 7, 7),
            "max",
            3,
            stride=2,
            padding=1,
            dilation=2,
            ceil_mode=True,
        ),
        # Windows made only of padding give -inf (null here); torch's index
        # then points at the first dilated tap after the padding, which can lie
        # outside the input (1 for a 1x1 input, 6 for a 2x2 input).
        p(
            "max_dilated_window_only_padding_gives_neg_inf_1x1",
            [[[-1]]],
            "max",
            [1, 2],
            stride=1,
            padding=[0, 1],
            dilation=[1, 2],
        ),
        p(
            "max_dilated_window_only_padding_gives_neg_inf_2x2",
            [[[1, 2], [3, 4]]],
            "max",
            2,
            stride=2,
            padding=1,
            dilation=3,
            ceil_mode=True,
        ),
        p(
            "max_dilated_some_windows_only_padding",
            [[[5, -1, 2]]],
            "max",
            [1, 2],
            stride=1,
            padding=[0, 1],
            dilation=[1, 3],
            ceil_mode=True,
        ),
        p("max_non_square_kernel_2x3_stride_1x2", ints(1, 5, 7), "max", [2, 3], stride=[1, 2]),
        p("max_non_square_padding_pair", neg, "max", [3, 2], stride=[2, 1], padding=[1, 0]),
        p("max_kernel_equals_input", ints(2, 3, 4), "max", [3, 4]),
        p("max_floats", floats(2, 5, 5), "max", 3, stride=2, padding=1),
        # --- global pooling ------------------------------------------------
        p("max_global_multi_channel", ints(3, 4, 5), "max", global_=True),
        p("max_global_ties_first_wins", [[[1, 4, 4], [4, 0, 4]]], "max", global_=True),
        p("max_global_negative", neg, "max", global_=True),
        p("avg_global_multi_channel", ints(3, 4, 5), "avg", global_=True),
        p("avg_global_floats_non_square", floats(2, 3, 7), "avg", global_=True),
        # --- average pooling -----------------------------------------------
        p("avg_2x2_default_stride_is_kernel", ints(1, 4, 4), "avg", 2),
        p("avg_3x3_stride_1_fractional", ints(2, 4, 5), "avg", 3, stride=1),
        p("avg_non_square_kernel_stride", ints(1, 5, 7), "avg", [2, 3], stride=[2, 1]),
        p("avg_floats", floats(2, 5, 5), "avg", 2, stride=1),
        p(
            "avg_ceil_mode_last_window_in_padding_dropped_n5_k2_s2_p1_include_pad",
            arange(1, 5, 5),
            "avg",
            2,
            stride=2,
            padding=1,
            ceil_mode=True,
        ),
        p(
            "avg_ceil_mode_last_window_in_padding_dropped_n5_k2_s2_p1_exclude_pad",
            arange(1, 5, 5),
            "avg",
            2,
            stride=2,
            padding=1,
            ceil_mode=True,
            count_include_pad=False,
        ),
        p(
            "avg_ceil_mode_window_clipped_to_padded_edge",
            [[[9]]],
            "avg",
            4,
            padding=1,
            ceil_mode=True,
        ),
        p("avg_divisor_override_2", arange(1, 4, 4), "avg", 2, divisor_override=2),
        p(
            "avg_divisor_override_beats_exclude_pad",
            arange(1, 4, 4),
            "avg",
            3,
            stride=2,
            padding=1,
            count_include_pad=False,
            divisor_override=4,
        ),
        p(
            "avg_divisor_override_with_ceil_mode",
            arange(1, 5, 5),
            "avg",
            2,
            stride=2,
            ceil_mode=True,
            divisor_override=3,
        ),
        p(
            "avg_padding_pair_non_square_exclude_pad",
            ints(1, 4, 6),
            "avg",
            [3, 2],
            stride=[1, 2],
            padding=[1, 1],
            count_include_pad=False,
        ),
    ]
    # count_include_pad x ceil_mode along n = 1..6 with k=3, s=2, p=1.
    for n in range(1, 7):
        for ceil_mode in (False, True):
            for include in (True, False):
                if not ceil_mode and n not in (4, 5):
                    continue
                tag = ("ceil" if ceil_mode else "floor") + ("_include_pad" if include else "_exclude_pad")
                cases.append(
                    p(
                        f"avg_k3_s2_p1_n{n}_{tag}",
                        arange(1, n, n),
                        "avg",
                        3,
                        stride=2,
                        padding=1,
                        ceil_mode=ceil_mode,
                        count_include_pad=include,
                    )
                )
    cases += [
        # --- errors torch raises -------------------------------------------
        p("error_max_padding_more_than_half_kernel", ints(1, 4, 4), "max", 2, padding=2, error=True),
        p("error_avg_padding_more_than_half_kernel", ints(1, 5, 5), "avg", 3, padding=2, error=True),
        p(
            "error_max_padding_limit_ignores_dilation",
            ints(1, 5, 5),
            "max",
            2,
            padding=2,
            dilation=3,
            error=True,
        ),
        p("error_max_padding_pair_width_too_big", ints(1, 5, 5), "max", 3, padding=[0, 2], error=True),
        p("error_max_kernel_larger_than_input", ints(1, 3, 3), "max", 5, error=True),
        p("error_avg_kernel_larger_than_padded_input", [[[9]]], "avg", 4, padding=1, error=True),
        p("error_max_dilated_kernel_larger_than_input", ints(1, 3, 3), "max", 2, dilation=3, error=True),
        p("error_max_stride_zero", ints(1, 3, 3), "max", 2, stride=0, error=True),
        p("error_avg_stride_zero", ints(1, 3, 3), "avg", 2, stride=0, error=True),
        p("error_max_dilation_zero", ints(1, 3, 3), "max", 2, dilation=0, error=True),
        p("error_avg_divisor_override_zero", ints(1, 4, 4), "avg", 2, divisor_override=0, error=True),
        p("error_avg_negative_padding", ints(1, 4, 4), "avg", 2, padding=-1, error=True),
    ]
    return cases


# --------------------------------------------------------------------------
# conv_transpose2d cases
# --------------------------------------------------------------------------


def conv_transpose2d(
    name: str,
    x: list,
    kernel: list,
    bias: list | None = None,
    *,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
    error: bool = False,
) -> Case:
    if bias is None:
        bias = [0] * (len(kernel[0]) * groups)
    request = {
        "input": x,
        "kernel": kernel,
        "bias": bias,
        "stride": stride,
        "padding": padding,
        "output_padding": output_padding,
        "dilation": dilation,
        "groups": groups,
    }
    return make_case(conv_transpose2d_reference, name, request, error)


def conv_transpose2d_cases() -> list[Case]:
    t = conv_transpose2d
    return [
        t("basic_stride_1_grows_by_k_minus_1", ints(1, 2, 2), ints(1, 1, 3, 3)),
        t("stride_2_k3", arange(1, 3, 3), ints(1, 1, 3, 3), stride=2),
        t(
            "n3_k3_s2_p1_output_padding_1_gives_6",
            ints(1, 3, 3),
            ints(1, 1, 3, 3),
            stride=2,
            padding=1,
            output_padding=1,
        ),
        t("n3_k3_s2_p1_gives_5", ints(1, 3, 3), ints(1, 1, 3, 3), stride=2, padding=1),
        t("stride_2_k2_exact_upsample", arange(1, 3, 3), ints(1, 1, 2, 2), stride=2),
        t("stride_3_k2_leaves_gaps", arange(1, 2, 3), ints(1, 1, 2, 2), stride=3),
        t("kernel_1x1_stride_2_inserts_zeros", arange(1, 3, 3), [[[[2]]]], stride=2),
        t("stride_asymmetric_1x2", ints(1, 3, 3), ints(1, 1, 2, 3), stride=[1, 2]),
        t("padding_pair_1x0", ints(1, 3, 4), ints(1, 1, 3, 3), padding=[1, 0]),
        t("padding_trims_output", ints(1, 3, 3), ints(1, 1, 3, 3), padding=2),
        t("padding_leaves_single_pixel", ints(1, 2, 2), ints(1, 1, 2, 2), padding=1),
        t(
            "output_padding_pair_1x0",
            ints(1, 3, 3),
            ints(1, 1, 3, 3),
            stride=2,
            padding=1,
            output_padding=[1, 0],
        ),
        t("dilation_2", ints(1, 3, 3), ints(1, 1, 3, 3), dilation=2),
        t(
            "output_padding_below_dilation_allowed_with_stride_1",
            ints(1, 2, 2),
            ints(1, 1, 2, 2),
            dilation=2,
            output_padding=1,
        ),
        t("multi_channel_in_out_bias", ints(2, 3, 3), ints(2, 3, 2, 2), ints(3), stride=2),
        t("groups_2", ints(2, 3, 3), ints(2, 1, 3, 3), ints(2), stride=2, groups=2),
        t("groups_2_two_outputs_per_group", ints(4, 2, 3), ints(4, 2, 2, 2), ints(4), groups=2),
        t("depthwise_groups_3", ints(3, 2, 2), ints(3, 1, 3, 3), stride=2, padding=1, groups=3),
        t("non_square_input_and_kernel", ints(1, 2, 4), ints(1, 2, 3, 2), ints(2), stride=[2, 3]),
        t(
            "floats_stride_2_padding_output_padding",
            floats(2, 3, 3),
            floats(2, 2, 3, 3),
            floats(2),
            stride=2,
            padding=1,
            output_padding=1,
        ),
        t(
            "floats_groups_2_dilation_2",
            floats(2, 3, 4),
            floats(2, 2, 2, 3),
            floats(4),
            stride=[2, 1],
            dilation=2,
            groups=2,
        ),
        # --- errors torch raises -------------------------------------------
        t(
            "error_output_padding_equals_stride",
            ints(1, 3, 3),
            ints(1, 1, 3, 3),
            stride=2,
            output_padding=2,
            error=True,
        ),
        t(
            "error_output_padding_with_stride_1_dilation_1",
            ints(1, 3, 3),
            ints(1, 1, 3, 3),
            output_padding=1,
            error=True,
        ),
        t(
            "error_output_padding_not_below_stride_or_dilation",
            ints(1, 3, 3),
            ints(1, 1, 3, 3),
            stride=2,
            dilation=2,
            output_padding=2,
            error=True,
        ),
        t(
            "error_output_padding_pair_width_too_big",
            ints(1, 3, 3),
            ints(1, 1, 3, 3),
            stride=2,
            output_padding=[0, 2],
            error=True,
        ),
        t("error_negative_output_padding", ints(1, 2, 2), ints(1, 1, 2, 2), stride=2, output_padding=-1, error=True),
        t("error_groups_not_dividing_in_channels", ints(3, 2, 2), ints(3, 1, 1, 1), groups=2, error=True),
        t("error_wrong_input_channel_count", ints(3, 2, 2), ints(2, 1, 1, 1), error=True),
        t("error_output_size_negative", ints(1, 1, 1), [[[[1]]]], padding=1, error=True),
        t("error_output_size_zero", ints(1, 2, 2), [[[[1]]]], padding=1, error=True),
        t("error_bias_length_mismatch", ints(1, 2, 2), ints(1, 2, 1, 1), [1, 2, 3], error=True),
        t("error_stride_zero", ints(1, 2, 2), ints(1, 1, 2, 2), stride=0, error=True),
    ]


# --------------------------------------------------------------------------
# pad cases
# --------------------------------------------------------------------------


def pad(name: str, x: list, padding: list[int], mode: str, *, error: bool = False) -> Case:
    request = {"input": x, "padding": padding, "mode": mode}
    return make_case(pad_reference, name, request, error)


def pad_cases() -> list[Case]:
    x34 = arange(1, 3, 4)
    return [
        pad("zeros_1_all_sides", x34, [1, 1, 1, 1], "zeros"),
        pad("zeros_asymmetric", x34, [1, 0, 2, 3], "zeros"),
        pad("zeros_larger_than_input", arange(1, 2, 2), [3, 2, 0, 4], "zeros"),
        pad("zeros_no_padding_is_identity", x34, [0, 0, 0, 0], "zeros"),
        pad("reflect_1_all_sides", x34, [1, 1, 1, 1], "reflect"),
        pad("reflect_asymmetric", x34, [2, 0, 0, 3], "reflect"),
        pad("reflect_size_minus_1_ok", x34, [2, 2, 3, 3], "reflect"),
        pad("reflect_zero_on_width_1_dim_ok", arange(1, 3, 1), [1, 2, 0, 0], "reflect"),
        pad("reflect_multi_channel", ints(2, 3, 3), [1, 2, 2, 1], "reflect"),
        pad("replicate_1_all_sides", x34, [1, 1, 1, 1], "replicate"),
        pad("replicate_larger_than_input", arange(1, 2, 2), [3, 0, 4, 1], "replicate"),
        pad("replicate_single_pixel", [[[7]]], [2, 1, 1, 2], "replicate"),
        pad("circular_1_all_sides", x34, [1, 1, 1, 1], "circular"),
        pad("circular_asymmetric", x34, [0, 2, 3, 1], "circular"),
        pad("circular_size_ok", x34, [3, 3, 4, 4], "circular"),
        pad("circular_multi_channel", ints(2, 2, 3), [1, 0, 0, 2], "circular"),
        pad("floats_reflect", floats(1, 3, 3), [1, 1, 2, 0], "reflect"),
        pad("error_reflect_width_pad_equals_size", x34, [0, 0, 4, 0], "reflect", error=True),
        pad("error_reflect_height_pad_equals_size", x34, [0, 3, 0, 0], "reflect", error=True),
        pad("error_reflect_width_1_dim", arange(1, 3, 1), [0, 0, 1, 0], "reflect", error=True),
        pad("error_circular_width_size_plus_1", x34, [0, 0, 0, 5], "circular", error=True),
        pad("error_circular_height_size_plus_1", x34, [4, 0, 0, 0], "circular", error=True),
    ]


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def write(filename: str, cases: list[Case]) -> None:
    names = [case["name"] for case in cases]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise AssertionError(f"{filename}: duplicate case names {duplicates}")
    header = {"generator": GENERATOR, "torch": TORCH_VERSION}
    lines = [json.dumps(header)[:-1] + ', "cases": [']
    lines += [json.dumps(case, allow_nan=False) + "," for case in cases]
    lines[-1] = lines[-1][:-1]
    lines.append("]}")
    path = OUT_DIR / filename
    path.write_text("\n".join(lines) + "\n")
    errors = sum("error" in case for case in cases)
    print(f"{path.name}: {len(cases)} cases ({errors} error cases)")


def main() -> None:
    installed = torch.__version__.split("+")[0]
    if installed != TORCH_VERSION:
        raise SystemExit(f"need torch {TORCH_VERSION}, found {torch.__version__}")
    torch.manual_seed(SEED)
    # padding="same" with an even kernel warns about an extra padded copy.
    warnings.filterwarnings("ignore", message="Using padding='same'")
    write("conv2d.json", conv2d_cases())
    write("pool2d.json", pool2d_cases())
    write("conv_transpose2d.json", conv_transpose2d_cases())
    write("pad.json", pad_cases())


if __name__ == "__main__":
    main()
