"""Backward-pass invariants over random layers (hypothesis): the two views agree, and finite
differences of the forward pass agree with the analytic gradients."""

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.core.backward import backward_conv2d, gather_view, scatter_frames, scatter_padded, weight_frames
from app.core.conv import conv2d
from app.core.errors import EngineError
from app.core.pool import pool2d
from app.core.pool_backward import backward_pool2d, routing_frames

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
STEP = 1e-6


@st.composite
def conv_layers(draw):
    groups = draw(st.sampled_from([1, 2]))
    channels, filters = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    height, width = draw(st.integers(2, 6)), draw(st.integers(2, 6))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return {
        "x": rng.uniform(-2, 2, (channels, height, width)),
        "kernel": rng.uniform(-2, 2, (filters, channels // groups, kh, kw)),
        "bias": rng.uniform(-1, 1, filters),
        "options": {
            "stride": (draw(st.integers(1, 3)), draw(st.integers(1, 3))),
            "dilation": (draw(st.integers(1, 2)), draw(st.integers(1, 2))),
            "padding": tuple(draw(st.integers(0, 2)) for _ in range(4)),
            "padding_mode": draw(st.sampled_from(["zeros", "reflect", "replicate", "circular"])),
            "groups": groups,
            "flip_kernel": draw(st.booleans()),
            "activation": draw(st.sampled_from(["none", "sigmoid", "tanh"])),  # smooth: differences apply
        },
        "seed": rng.integers(2**32),
    }


def backward_or_skip(layer, grad=None):
    try:
        return backward_conv2d(layer["x"], layer["kernel"], layer["bias"], grad, **layer["options"])
    except EngineError:
        assume(False)


def loss(layer, grad, x=None, kernel=None, bias=None):
    """The scalar whose gradient the backward pass computes: sum(grad_output × output)."""
    out = conv2d(
        layer["x"] if x is None else x,
        layer["kernel"] if kernel is None else kernel,
        layer["bias"] if bias is None else bias,
        **layer["options"],
    ).output
    return float(np.sum(grad * out))


def central_differences(f, a: np.ndarray) -> np.ndarray:
    grad = np.zeros_like(a)
    for index in np.ndindex(a.shape):
        up, down = a.copy(), a.copy()
        up[index] += STEP
        down[index] -= STEP
        grad[index] = (f(up) - f(down)) / (2 * STEP)
    return grad


@SETTINGS
@given(conv_layers())
def test_scatter_view_equals_gather_view(layer):
    result = backward_or_skip(layer)
    grad = np.random.default_rng(layer["seed"]).uniform(-1, 1, result.grad_output.shape)
    result = backward_conv2d(layer["x"], layer["kernel"], layer["bias"], grad, **layer["options"])
    view = gather_view(result)
    gathered = conv2d(view.conv.padded, view.conv.weight, dilation=view.conv.dilation, groups=view.conv.groups)
    np.testing.assert_allclose(gathered.output, scatter_padded(result.forward, result.grad_pre_activation), atol=1e-9)
    # Frame by frame: the scatter stamps add up to the same padded gradient.
    frames = scatter_frames(result, 0, result.scatter_frame_count)
    stamped = np.zeros_like(result.grad_padded)
    kh, kw = result.forward.weight.shape[2:]
    (dh, dw) = result.forward.dilation
    for (r, c), channels, stamp in zip(frames["origin"], frames["channels"], frames["stamp"]):
        rows, cols = r + dh * np.arange(kh), c + dw * np.arange(kw)
        stamped[np.ix_(channels, rows, cols)] += stamp
    np.testing.assert_allclose(stamped, result.grad_padded, atol=1e-9)


@SETTINGS
@given(conv_layers())
def test_finite_differences_agree_with_conv_gradients(layer):
    result = backward_or_skip(layer)
    grad = np.random.default_rng(layer["seed"]).uniform(-1, 1, result.grad_output.shape)
    result = backward_conv2d(layer["x"], layer["kernel"], layer["bias"], grad, **layer["options"])
    tolerance = {"rtol": 1e-5, "atol": 1e-6}
    np.testing.assert_allclose(
        result.grad_input, central_differences(lambda x: loss(layer, grad, x=x), layer["x"]), **tolerance
    )
    numeric_w = central_differences(lambda w: loss(layer, grad, kernel=w), layer["kernel"])
    np.testing.assert_allclose(result.grad_weight, numeric_w, **tolerance)
    numeric_b = central_differences(lambda b: loss(layer, grad, bias=b), layer["bias"])
    np.testing.assert_allclose(result.grad_bias, numeric_b, **tolerance)
    # Each weight frame's sum of products is that weight's gradient.
    frames = weight_frames(result, 0, result.weight_frame_count)
    np.testing.assert_allclose(frames["value"], result.grad_weight.ravel(), atol=1e-9)


@st.composite
def pool_layers(draw):
    mode = draw(st.sampled_from(["max", "avg"]))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return {
        # Distinct values: no ties, so max pooling is differentiable at the point.
        "x": rng.permutation(np.arange(1.0, 1 + 2 * 36))[: 2 * 36].reshape(2, 6, 6)[:, : draw(st.integers(2, 6))],
        "args": {
            "mode": mode,
            "kernel_size": kernel,
            "stride": (draw(st.integers(1, 3)), draw(st.integers(1, 3))),
            "padding": (draw(st.integers(0, kernel[0] // 2)), draw(st.integers(0, kernel[1] // 2))),
            "dilation": (draw(st.integers(1, 2)), draw(st.integers(1, 2))) if mode == "max" else 1,
            "ceil_mode": draw(st.booleans()),
            "count_include_pad": draw(st.booleans()),
            "divisor_override": draw(st.sampled_from([None, 3])) if mode == "avg" else None,
        },
        "seed": rng.integers(2**32),
    }


@SETTINGS
@given(pool_layers())
def test_finite_differences_agree_with_pool_gradients(layer):
    try:
        result = backward_pool2d(layer["x"], None, **layer["args"])
    except EngineError:
        assume(False)
    grad = np.random.default_rng(layer["seed"]).uniform(-1, 1, result.grad_output.shape)
    result = backward_pool2d(layer["x"], grad, **layer["args"])

    def f(x):
        out = pool2d(x, **layer["args"]).output
        return float(np.sum(np.where(np.isfinite(out), grad * out, 0.0)))

    # Steps far below the gap between values (1), so no winner changes.
    np.testing.assert_allclose(result.grad_input, central_differences(f, layer["x"]), rtol=1e-5, atol=1e-6)
    # The routing frames' shares add up to the same gradient.
    frames = routing_frames(result, 0, result.frame_count)
    routed = np.zeros(result.forward.padded.shape)
    (kh, kw), (dh, dw) = result.forward.kernel, result.forward.dilation
    for (ch, _, _), (r, c), share in zip(frames["out"], frames["origin"], frames["share"]):
        routed[ch][np.ix_(r + dh * np.arange(kh), c + dw * np.arange(kw))] += np.nan_to_num(share)
    ph, pw = result.forward.padding
    height, width = layer["x"].shape[1:]
    np.testing.assert_allclose(routed[:, ph : ph + height, pw : pw + width], result.grad_input, atol=1e-9)


@SETTINGS
@given(conv_layers())
def test_weight_gradient_by_taps_equals_the_one_gemm(layer):
    """Past the column chunk the weight gradient is built tap by tap: the same numbers, bounded memory."""
    import app.core.backward as backward

    result = backward_or_skip(layer)
    whole = backward.weight_gradient(result.forward, result.grad_pre_activation)
    saved = backward.COLUMN_CHUNK_BYTES
    backward.COLUMN_CHUNK_BYTES = 0
    try:
        by_taps = backward.weight_gradient(result.forward, result.grad_pre_activation)
    finally:
        backward.COLUMN_CHUNK_BYTES = saved
    np.testing.assert_allclose(by_taps, whole, rtol=1e-12, atol=1e-12)
