"""The backward engine against torch.autograd (tests/golden/generate_backward.py made the vectors)."""

import json
from pathlib import Path

import numpy as np
import pytest

from app.core.backward import backward_conv2d, gather_view, scatter_padded
from app.core.conv import conv2d
from app.core.errors import EngineError
from app.core.fit import fit_kernel
from app.core.pool_backward import backward_pool2d

GOLDEN = Path(__file__).parent / "golden"
TOLERANCE = {"rtol": 1e-9, "atol": 1e-9}


def cases(name: str) -> list[dict]:
    return json.loads((GOLDEN / f"{name}.json").read_text())["cases"]


def ids(items: list[dict]) -> list[str]:
    return [case["name"] for case in items]


CONV = cases("conv2d_backward")
POOL = cases("pool2d_backward")
FIT = cases("conv2d_fit")

CONV_FIELDS = ("stride", "padding", "padding_mode", "dilation", "groups", "flip_kernel", "activation")


def conv_backward(request: dict):
    options = {k: request[k] for k in CONV_FIELDS if k in request}
    return backward_conv2d(
        np.array(request["input"]),
        np.array(request["kernel"]),
        np.array(request["bias"]),
        None if "grad_output" not in request else np.array(request["grad_output"]),
        **options,
    )


def pool_backward(request: dict):
    return backward_pool2d(
        np.array(request["input"]),
        None if "grad_output" not in request else np.array(request["grad_output"]),
        request["mode"],
        request.get("kernel_size", 2),
        request.get("stride"),
        request.get("padding", 0),
        request.get("dilation", 1),
        request.get("ceil_mode", False),
        request.get("count_include_pad", True),
        request.get("divisor_override"),
        request.get("global", False),
    )


def test_goldens_cover_the_rules():
    names = " ".join(ids(CONV) + ids(POOL))
    for rule in (
        "reflect",
        "replicate",
        "circular",
        "stride",
        "dilation",
        "groups",
        "flip",
        "relu",
        "leaky",
        "sigmoid",
        "tanh",
        "ties",
        "ceil",
        "exclude_pad",
        "divisor_override",
        "global",
        "error",
    ):
        assert rule in names, rule


@pytest.mark.parametrize("case", CONV, ids=ids(CONV))
def test_conv2d_backward_matches_autograd(case):
    if "error" in case:
        with pytest.raises(EngineError):
            conv_backward(case["request"])
        return
    result, expected = conv_backward(case["request"]), case["expected"]
    np.testing.assert_allclose(result.forward.output, expected["output"], **TOLERANCE)
    np.testing.assert_allclose(result.grad_input, expected["grad_input"], **TOLERANCE)
    np.testing.assert_allclose(result.grad_weight, expected["grad_weight"], **TOLERANCE)
    np.testing.assert_allclose(result.grad_bias, expected["grad_bias"], **TOLERANCE)


@pytest.mark.parametrize("case", [c for c in CONV if "error" not in c], ids=ids([c for c in CONV if "error" not in c]))
def test_gather_view_convolution_equals_scatter(case):
    """The transposed-convolution view, computed as an ordinary convolution, gives the same gradient."""
    result = conv_backward(case["request"])
    view = gather_view(result)
    direct = conv2d(view.conv.padded, view.conv.weight, dilation=view.conv.dilation, groups=view.conv.groups)
    np.testing.assert_allclose(direct.output, result.grad_padded, **TOLERANCE)
    np.testing.assert_allclose(scatter_padded(result.forward, result.grad_pre_activation), result.grad_padded)


@pytest.mark.parametrize("case", POOL, ids=ids(POOL))
def test_pool2d_backward_matches_autograd(case):
    if "error" in case:
        with pytest.raises(EngineError):
            pool_backward(case["request"])
        return
    result, expected = pool_backward(case["request"]), case["expected"]
    np.testing.assert_allclose(result.forward.output, np.array(expected["output"], dtype=float), **TOLERANCE)
    np.testing.assert_allclose(result.grad_input, expected["grad_input"], **TOLERANCE)


@pytest.mark.parametrize("case", FIT, ids=ids(FIT))
def test_fit_matches_torch_gradient_descent(case):
    request, expected = case["request"], case["expected"]
    options = {k: request[k] for k in CONV_FIELDS if k in request}
    fit = fit_kernel(
        np.array(request["input"]),
        np.array(request["target"]),
        np.array(request["kernel"]),
        request.get("bias", 0.0),
        learning_rate=request["learning_rate"],
        steps=request["steps"],
        **options,
    )
    np.testing.assert_allclose(fit.losses, expected["losses"], **TOLERANCE)
    np.testing.assert_allclose(fit.kernels, expected["kernels"], **TOLERANCE)
    np.testing.assert_allclose(fit.final_loss, expected["final_loss"], **TOLERANCE)
    np.testing.assert_allclose(fit.final_output, expected["final_output"], **TOLERANCE)
