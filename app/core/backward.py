"""The backward pass of conv2d, computed the ways a course derives it, with torch.autograd's numbers.

Given the gradient of a loss w.r.t. the layer's (activated) output:

* *activation*: multiply by the activation's derivative, as torch does (ReLU'(0) = 0,
  LeakyReLU'(0) = the slope, sigmoid and tanh from their outputs);
* *input gradient, scatter view*: every output-gradient cell stamps `value × kernel` onto the
  padded input where its window lay; stamps add;
* *input gradient, gather view*: the same numbers as a stride-1 convolution — the output
  gradient with `stride − 1` zeros inserted between cells, padded by `d(k−1)` on each side (plus
  the rows/columns the forward's stride never reached, bottom/right), correlated with the
  kernel flipped and its in/out channels swapped within each group, dilation kept. That is a
  transposed convolution, which is why ConvTranspose2d is "the gradient of Conv2d";
* *padding*: the padded input's gradient folds back onto the input: a reflected, replicated or
  circular copy hands its gradient to the cell it copies; zero padding drops it;
* *weight gradient*: each weight's gradient is the correlation of the input window its tap
  touches (a strided slice of the padded input) with the output gradient; w.r.t. the kernel as
  sent, so with `flip_kernel` it is flipped back;
* *bias gradient*: the output gradient summed over each filter's map.
"""

from dataclasses import dataclass

import numpy as np

from .activations import LEAKY_SLOPE
from .conv import COLUMN_CHUNK_BYTES, ConvResult, as_input, conv2d
from .errors import EngineError
from .limits import Limits, check_at_most
from .padding import source_indices
from .shape import explain_axis
from .transpose import direct_weight


@dataclass(frozen=True)
class GatherView:
    """The input gradient as a convolution: `dilated` F×Hd×Wd (zeros inserted), then padded by
    `padding` (top, bottom, left, right) and correlated with `conv.weight` (flipped, swapped)."""

    dilated: np.ndarray
    padding: tuple[int, int, int, int]
    conv: ConvResult


@dataclass(frozen=True)
class ConvBackward:
    """Shapes: `grad_output` and `grad_pre_activation` F×Ho×Wo, `grad_padded` C×Hp×Wp,
    `grad_input` C×H×W, `grad_weight` F×(C/groups)×kh×kw (w.r.t. the kernel as sent),
    `grad_weight_used` the same w.r.t. the kernel as used (flipped if asked), `grad_bias` F."""

    forward: ConvResult
    flip_kernel: bool
    grad_output: np.ndarray
    derivative: np.ndarray
    grad_pre_activation: np.ndarray
    grad_padded: np.ndarray
    grad_input: np.ndarray
    grad_weight_used: np.ndarray
    grad_weight: np.ndarray
    grad_bias: np.ndarray

    @property
    def scatter_frame_count(self) -> int:
        return self.grad_output.size

    @property
    def weight_frame_count(self) -> int:
        return self.grad_weight.size


def activation_derivative(name: str, pre: np.ndarray, out: np.ndarray) -> np.ndarray:
    """d output / d pre-activation, element-wise, exactly as torch's backward formulas."""
    if name == "none":
        return np.ones_like(pre)
    if name == "relu":
        return (out > 0).astype(np.float64)  # threshold_backward: 0 where the output is <= 0
    if name == "leaky_relu":
        return np.where(pre > 0, 1.0, LEAKY_SLOPE)  # leaky_relu_backward: slope at 0
    if name == "sigmoid":
        return out * (1.0 - out)
    if name == "tanh":
        return 1.0 - out * out
    raise EngineError("activation", "known_activation", f"unknown activation {name}")


def as_grad_output(grad: np.ndarray | None, shape: tuple[int, ...]) -> np.ndarray:
    """Accept F×Ho×Wo, or Ho×Wo when F is 1; default all ones (what `y.sum().backward()` sends)."""
    if grad is None:
        return np.ones(shape)
    g = np.asarray(grad, dtype=np.float64)
    if g.ndim == 2 and shape[0] == 1:
        g = g[None]
    if g.shape != tuple(shape):
        raise EngineError(
            "grad_output",
            "shape_matches_output",
            f"grad_output must have the output's shape {'×'.join(map(str, shape))}; got {'×'.join(map(str, g.shape))}",
        )
    return g


def fold_padding(grad_padded: np.ndarray, size: tuple[int, int], sides: tuple[int, ...], mode: str) -> np.ndarray:
    """Hand each padded cell's gradient to the input cell it copies (zeros mode: to nobody).

    One 0/1 matrix per axis (input cell × padded position), so the fold is two matrix products.
    """
    (h, w), (top, bottom, left, right) = size, sides
    if mode == "zeros":
        return np.ascontiguousarray(grad_padded[:, top : top + h, left : left + w])
    rows = _copy_matrix(source_indices(h, top, bottom, mode), h)
    cols = _copy_matrix(source_indices(w, left, right, mode), w)
    return rows @ grad_padded @ cols.T


def _copy_matrix(source: np.ndarray, n: int) -> np.ndarray:
    matrix = np.zeros((n, source.size))
    real = source >= 0
    matrix[source[real], np.flatnonzero(real)] = 1.0
    return matrix


def conv2d_backward(
    forward: ConvResult,
    grad_output: np.ndarray | None,
    *,
    input_size: tuple[int, int],
    padding_mode: str,
    flip_kernel: bool,
) -> ConvBackward:
    """Every gradient of the layer `forward` computed, for `grad_output` w.r.t. its output."""
    g = as_grad_output(grad_output, forward.output.shape)
    derivative = activation_derivative(forward.activation, forward.pre_activation, forward.output)
    grad_pre = g * derivative
    grad_padded = scatter_padded(forward, grad_pre)
    grad_used = weight_gradient(forward, grad_pre)
    return ConvBackward(
        forward=forward,
        flip_kernel=flip_kernel,
        grad_output=g,
        derivative=derivative,
        grad_pre_activation=grad_pre,
        grad_padded=grad_padded,
        grad_input=fold_padding(grad_padded, input_size, forward.padding, padding_mode),
        grad_weight_used=grad_used,
        grad_weight=np.ascontiguousarray(grad_used[:, :, ::-1, ::-1]) if flip_kernel else grad_used,
        grad_bias=grad_pre.sum(axis=(1, 2)),
    )


def gather_padding(forward: ConvResult) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of the gather view: d(k−1) on each side, plus, bottom/right, the
    rows/columns of the padded input that the forward's stride never reached (their gradient is 0)."""
    _, _, kh, kw = forward.weight.shape
    (sh, sw), (dh, dw) = forward.stride, forward.dilation
    _, out_h, out_w = forward.output.shape
    _, hp, wp = forward.padded.shape
    reach_h, reach_w = dh * (kh - 1), dw * (kw - 1)
    rest_h = hp - ((out_h - 1) * sh + 1 + reach_h)
    rest_w = wp - ((out_w - 1) * sw + 1 + reach_w)
    return (reach_h, reach_h + rest_h, reach_w, reach_w + rest_w)


def gather_view(backward: "ConvBackward", limits: Limits = Limits()) -> GatherView:
    """The padded input's gradient as one stride-1 convolution (a transposed convolution).

    Built only when asked for (its zero-stuffed map can be stride² times the output); its
    `conv.output` is the scatter result, and its frames recompute every cell from the window.
    """
    forward, grad_pre = backward.forward, backward.grad_pre_activation
    filters, _, kh, kw = forward.weight.shape
    (sh, sw), (dh, dw) = forward.stride, forward.dilation
    _, out_h, out_w = grad_pre.shape
    _, hp, wp = forward.padded.shape
    dilated_shape = (filters, (out_h - 1) * sh + 1, (out_w - 1) * sw + 1)
    sides = gather_padding(forward)
    reach_h, reach_w = sides[0], sides[2]
    cells = filters * (hp + reach_h) * (wp + reach_w)
    check_at_most(cells, limits.max_padded_cells, "stride", "the zero-inserted, padded output gradient's cell count")
    dilated = np.zeros(dilated_shape)
    dilated[:, ::sh, ::sw] = grad_pre
    padded = np.pad(dilated, ((0, 0), sides[:2], sides[2:]))
    conv = ConvResult(
        padded=padded,
        weight=np.ascontiguousarray(direct_weight(forward.weight, forward.groups)),
        bias=np.zeros(forward.padded.shape[0]),
        pre_activation=backward.grad_padded,
        output=backward.grad_padded,
        padding=sides,
        stride=(1, 1),
        dilation=(dh, dw),
        groups=forward.groups,
        activation="none",
        height=explain_axis("height", dilated_shape[1], kh, 1, dh, sides[0], sides[1]),
        width=explain_axis("width", dilated_shape[2], kw, 1, dw, sides[2], sides[3]),
    )
    return GatherView(dilated=dilated, padding=sides, conv=conv)


def weight_gradient(forward: ConvResult, grad_pre: np.ndarray) -> np.ndarray:
    """d loss / d weight (as used): per group, the output gradient against the input each tap touched.

    When the im2col columns fit in conv's column chunk, one GEMM per group; otherwise one product per
    tap over a strided slice of the padded input, so memory never grows with the kernel.
    """
    filters, cpg, kh, kw = forward.weight.shape
    (sh, sw), (dh, dw) = forward.stride, forward.dilation
    _, out_h, out_w = grad_pre.shape
    fpg = filters // forward.groups
    grad = np.empty(forward.weight.shape)
    whole = cpg * kh * kw * out_h * out_w * 8 <= COLUMN_CHUNK_BYTES
    columns = np.empty((cpg, kh, kw, out_h, out_w)) if whole else None
    for group in range(forward.groups):
        block = forward.padded[group * cpg : (group + 1) * cpg]
        grads = grad_pre[group * fpg : (group + 1) * fpg]
        for u in range(kh):
            for v in range(kw):
                touched = block[:, _taps(u * dh, sh, out_h), _taps(v * dw, sw, out_w)]
                if whole:
                    columns[:, u, v] = touched
                else:
                    grad[group * fpg : (group + 1) * fpg, :, u, v] = np.tensordot(grads, touched, axes=([1, 2], [1, 2]))
        if whole:
            flat = grads.reshape(fpg, -1) @ columns.reshape(cpg * kh * kw, -1).T
            grad[group * fpg : (group + 1) * fpg] = flat.reshape(fpg, cpg, kh, kw)
    return grad


def _taps(first: int, stride: int, count: int) -> slice:
    return slice(first, first + stride * (count - 1) + 1, stride)


def scatter_padded(forward: ConvResult, grad_pre: np.ndarray) -> np.ndarray:
    """The padded input's gradient, scatter view: every output-gradient cell stamps value × kernel.

    Vectorised: one matrix product per group, then one strided slice-add per kernel tap. The gather
    view's convolution gives the same numbers (tested).
    """
    filters, cpg, kh, kw = forward.weight.shape
    (sh, sw), (dh, dw) = forward.stride, forward.dilation
    _, out_h, out_w = grad_pre.shape
    fpg = filters // forward.groups
    result = np.zeros(forward.padded.shape)
    for group in range(forward.groups):
        ws = forward.weight[group * fpg : (group + 1) * fpg].reshape(fpg, -1)
        gs = grad_pre[group * fpg : (group + 1) * fpg].reshape(fpg, -1)
        # Every stamp at once (one matrix product: col2im's columns), then one strided add per tap.
        stamps = (ws.T @ gs).reshape(cpg, kh, kw, out_h, out_w)
        block = result[group * cpg : (group + 1) * cpg]
        for u in range(kh):
            for v in range(kw):
                block[:, _taps(u * dh, sh, out_h), _taps(v * dw, sw, out_w)] += stamps[:, u, v]
    return result


def scatter_frames(backward: ConvBackward, start: int, stop: int) -> dict[str, np.ndarray]:
    """Frames `start..stop`, one per output-gradient cell (row-major over filter, row, col).

    `out` P×3, `grad_output` P (as sent), `derivative` P (the activation's), `grad` P (their
    product), `origin` P×2 (the stamp's top-left tap, padded coordinates; taps are origin +
    dilation × index), `channels` P×(C/groups) the input channels it lands on, `stamp`
    P×(C/groups)×kh×kw = grad × kernel (as used).
    """
    forward = backward.forward
    filters, cpg = forward.weight.shape[:2]
    _, out_h, out_w = forward.output.shape
    f, i, j = np.unravel_index(np.arange(start, stop), (filters, out_h, out_w))
    grad = backward.grad_pre_activation[f, i, j]
    group = f // (filters // forward.groups)
    return {
        "out": np.stack([f, i, j], axis=1),
        "grad_output": backward.grad_output[f, i, j],
        "derivative": backward.derivative[f, i, j],
        "grad": grad,
        "origin": np.stack([i * forward.stride[0], j * forward.stride[1]], axis=1),
        "channels": group[:, None] * cpg + np.arange(cpg),
        "stamp": grad[:, None, None, None] * forward.weight[f],
    }


def weight_frames(backward: ConvBackward, start: int, stop: int) -> dict[str, np.ndarray]:
    """Frames `start..stop`, one per weight of the kernel as sent (row-major over F, C/groups, kh, kw).

    `weight` P×4 its index, `tap` P×2 its place in the kernel as used (flipped if asked),
    `channel` P the input channel it reads, `origin` P×2 its first tap in padded coordinates
    (then every stride), `window` P×Ho×Wo the input cells it touched, `grad` P×Ho×Wo the output
    gradient (after the activation), `products` their product, `value` P the sum = its gradient.
    """
    forward = backward.forward
    filters, cpg, kh, kw = forward.weight.shape
    _, out_h, out_w = forward.output.shape
    (sh, sw), (dh, dw) = forward.stride, forward.dilation
    f, c, u, v = np.unravel_index(np.arange(start, stop), (filters, cpg, kh, kw))
    tu, tv = (kh - 1 - u, kw - 1 - v) if backward.flip_kernel else (u, v)
    channel = (f // (filters // forward.groups)) * cpg + c
    rows = (tu * dh)[:, None] + sh * np.arange(out_h)
    cols = (tv * dw)[:, None] + sw * np.arange(out_w)
    window = forward.padded[channel[:, None, None], rows[:, :, None], cols[:, None, :]]
    grad = backward.grad_pre_activation[f]
    products = window * grad
    return {
        "weight": np.stack([f, c, u, v], axis=1),
        "tap": np.stack([tu, tv], axis=1),
        "channel": channel,
        "origin": np.stack([tu * dh, tv * dw], axis=1),
        "window": window,
        "grad": grad,
        "products": products,
        "value": products.sum(axis=(1, 2)),
    }


def backward_conv2d(
    x: np.ndarray,
    kernel: np.ndarray,
    bias: float | np.ndarray = 0.0,
    grad_output: np.ndarray | None = None,
    *,
    stride: int | tuple[int, int] = 1,
    padding: int | str | tuple[int, ...] = 0,
    padding_mode: str = "zeros",
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
    flip_kernel: bool = False,
    activation: str = "none",
    limits: Limits = Limits(),
) -> ConvBackward:
    """Forward (`conv.conv2d`, with its checks and limits), then every gradient for `grad_output`."""
    forward = conv2d(
        x,
        kernel,
        bias,
        stride=stride,
        padding=padding,
        padding_mode=padding_mode,
        dilation=dilation,
        groups=groups,
        flip_kernel=flip_kernel,
        activation=activation,
        limits=limits,
    )
    size = as_input(x).shape[1:]
    return conv2d_backward(forward, grad_output, input_size=size, padding_mode=padding_mode, flip_kernel=flip_kernel)
