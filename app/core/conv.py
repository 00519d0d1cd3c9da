"""conv2d with PyTorch's semantics: cross-correlation, groups, dilation, padding modes."""

from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS, activate
from .errors import EngineError
from .limits import Limits, check_at_most, check_memory
from .padding import check_padding, pad
from .params import Pair, Sides, conv_padding, pair
from .shape import AxisShape, explain_axis, require_valid


@dataclass(frozen=True)
class ConvResult:
    """A computed layer: everything a frame or a picture of it needs.

    Shapes: `padded` C×Hp×Wp, `weight` F×(C/groups)×kh×kw *as used* (flipped if asked),
    `bias` F, `pre_activation` and `output` F×Ho×Wo.
    """

    padded: np.ndarray
    weight: np.ndarray
    bias: np.ndarray
    pre_activation: np.ndarray
    output: np.ndarray
    padding: Sides
    stride: Pair
    dilation: Pair
    groups: int
    activation: str
    height: AxisShape
    width: AxisShape

    @property
    def frame_count(self) -> int:
        return self.output.size


def as_input(x: np.ndarray, field: str = "input") -> np.ndarray:
    """Accept H×W or C×H×W; always return C×H×W float64."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2:
        return x[None]
    if x.ndim != 3:
        raise EngineError(field, "two_or_three_dimensions", f"{field} must be H×W or C×H×W; got {x.ndim} dimensions")
    return x


def as_weight(kernel: np.ndarray, channels_per_group: int) -> np.ndarray:
    """Accept kh×kw, (C/groups)×kh×kw (one filter) or F×(C/groups)×kh×kw."""
    w = np.asarray(kernel, dtype=np.float64)
    if w.ndim == 2:
        w = w[None, None]
    elif w.ndim == 3:
        w = w[None]
    elif w.ndim != 4:
        raise EngineError("kernel", "two_to_four_dimensions", "kernel must be kh×kw, C×kh×kw or F×C×kh×kw")
    if w.shape[1] != channels_per_group:
        raise EngineError(
            "kernel",
            "channels_match_input",
            f"each filter needs one kernel per input channel it reads ({channels_per_group} = input channels / "
            f"groups); this kernel has {w.shape[1]}",
        )
    return w


def as_bias(bias: float | np.ndarray | list, filters: int) -> np.ndarray:
    b = np.asarray(bias, dtype=np.float64)
    if b.ndim == 0:
        return np.full(filters, float(b))
    if b.shape != (filters,):
        raise EngineError("bias", "one_per_filter", f"bias needs one number per filter ({filters}); got {b.size}")
    return b


def conv2d(
    x: np.ndarray,
    kernel: np.ndarray,
    bias: float | np.ndarray = 0.0,
    *,
    stride: int | tuple[int, int] = 1,
    padding: int | str | tuple[int, ...] = 0,
    padding_mode: str = "zeros",
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
    flip_kernel: bool = False,
    activation: str = "none",
    limits: Limits = Limits(),
) -> ConvResult:
    """Compute `torch.nn.Conv2d` (the module, so padding modes apply) in float64.

    Shape contract: `x` H×W or C×H×W, `kernel` as `as_weight` accepts, `bias` a number or
    F numbers; the result's `output` is F×Ho×Wo. Refuses, with an `EngineError`, every
    configuration PyTorch refuses and every one above `limits`.
    """
    x = as_input(x)
    channels, height, width = x.shape
    check_at_most(x.size, limits.max_input_cells, "input", "the input's cell count")
    check_at_most(channels, limits.max_channels, "input", "the number of input channels")
    if groups < 1:
        raise EngineError("groups", "at_least_1", "groups must be at least 1")
    if channels % groups:
        raise EngineError(
            "groups", "divides_channels", f"groups ({groups}) must divide the input channels ({channels})"
        )
    w = as_weight(kernel, channels // groups)
    filters, cpg, kh, kw = w.shape
    check_at_most(filters, limits.max_filters, "kernel", "the number of filters")
    check_at_most(max(kh, kw), limits.max_kernel_size, "kernel", "the kernel's side")
    if filters % groups:
        raise EngineError(
            "groups", "divides_filters", f"groups ({groups}) must divide the number of filters ({filters})"
        )
    if activation not in ACTIVATIONS:
        raise EngineError("activation", "known_activation", f"activation must be one of {', '.join(ACTIVATIONS)}")
    b = as_bias(bias, filters)
    stride_hw, dilation_hw = pair(stride, "stride"), pair(dilation, "dilation")
    sides = conv_padding(padding, (kh, kw), stride_hw, dilation_hw)
    check_padding((height, width), sides, padding_mode)
    hp, wp = height + sides[0] + sides[1], width + sides[2] + sides[3]
    check_at_most(channels * hp * wp, limits.max_padded_cells, "padding", "the padded input's cell count")
    shape_h = explain_axis("height", height, kh, stride_hw[0], dilation_hw[0], sides[0], sides[1])
    shape_w = explain_axis("width", width, kw, stride_hw[1], dilation_hw[1], sides[2], sides[3])
    out_h, out_w = require_valid(shape_h, shape_w)
    check_at_most(filters * out_h * out_w, limits.max_output_cells, "input", "the output's cell count")
    check_at_most(filters * out_h * out_w * cpg * kh * kw, limits.max_macs, "kernel", "the multiply-add count")

    chunk = column_chunk(limits)
    check_memory(conv_memory(channels * hp * wp, filters * out_h * out_w, chunk), limits, "kernel")

    if flip_kernel:
        w = w[:, :, ::-1, ::-1]
    padded = pad(x, sides, padding_mode)
    pre = _correlate(padded, w, stride_hw, dilation_hw, groups, (out_h, out_w), chunk) + b[:, None, None]
    return ConvResult(
        padded=padded,
        weight=np.ascontiguousarray(w),
        bias=b,
        pre_activation=pre,
        output=activate(activation, pre),
        padding=sides,
        stride=stride_hw,
        dilation=dilation_hw,
        groups=groups,
        activation=activation,
        height=shape_h,
        width=shape_w,
    )


COLUMN_CHUNK_BYTES = 32 * 1024 * 1024  # im2col columns built at a time: large enough for BLAS to run at full speed


def column_chunk(limits: Limits) -> int:
    """Numbers of im2col columns built at once: a slice of the memory budget, never the whole layer."""
    return max(1, min(COLUMN_CHUNK_BYTES, limits.memory_budget_bytes // 4) // 8)


def conv_memory(padded_cells: int, output_cells: int, chunk: int) -> int:
    """Bytes a convolution holds at most: the padded input (and its padding copy), the result planes
    (sum, plus bias, activation) and one chunk of columns with its product."""
    return 8 * (2 * padded_cells + 4 * output_cells + 2 * chunk)


def _correlate(
    padded: np.ndarray, w: np.ndarray, stride: Pair, dilation: Pair, groups: int, out: Pair, chunk: int
) -> np.ndarray:
    """Grouped, strided, dilated cross-correlation as matrix products over tiles of the output.

    A tile's columns matrix is built from one strided slice per kernel tap (contiguous copies,
    kh×kw of them), which beats gathering through a sliding-window view on large inputs. Tiles
    hold at most `chunk` numbers, so the columns never take more than that, whatever the layer:
    a 31×31 kernel over a padded picture would otherwise need gigabytes (MACs × 8 bytes).
    """
    filters, cpg, kh, kw = w.shape
    (sh, sw), (dh, dw), (out_h, out_w) = stride, dilation, out
    fpg = filters // groups
    taps = cpg * kh * kw
    tile_w = min(out_w, max(1, chunk // taps))
    tile_h = min(out_h, max(1, chunk // (taps * tile_w)))
    result = np.empty((filters, out_h, out_w))
    for g in range(groups):
        block = padded[g * cpg : (g + 1) * cpg]
        weights = w[g * fpg : (g + 1) * fpg]
        if fpg <= FEW_FILTERS and taps * out_h * out_w > chunk:
            result[g * fpg : (g + 1) * fpg] = _accumulate_taps(block, weights, stride, dilation, out)
            continue
        for r0 in range(0, out_h, tile_h):
            nr = min(tile_h, out_h - r0)
            for c0 in range(0, out_w, tile_w):
                nc = min(tile_w, out_w - c0)
                columns = np.empty((cpg, kh, kw, nr, nc))
                for u in range(kh):
                    top = u * dh + r0 * sh
                    rows = slice(top, top + sh * (nr - 1) + 1, sh)
                    for v in range(kw):
                        left = v * dw + c0 * sw
                        columns[:, u, v] = block[:, rows, slice(left, left + sw * (nc - 1) + 1, sw)]
                tile = weights.reshape(fpg, taps) @ columns.reshape(taps, nr * nc)
                result[g * fpg : (g + 1) * fpg, r0 : r0 + nr, c0 : c0 + nc] = tile.reshape(fpg, nr, nc)
    return result


FEW_FILTERS = 4  # below this many filters per group, a big layer's matrix product is memory-bound


def _accumulate_taps(block: np.ndarray, weights: np.ndarray, stride: Pair, dilation: Pair, out: Pair) -> np.ndarray:
    """A few filters over a big layer: add weight × shifted plane, tap by tap (in the columns' order).

    The columns matrix would be written and read once for a single row of weights, so the product runs at
    memory speed; planes the size of the output stay in cache instead, and need no columns at all.
    """
    fpg, cpg, kh, kw = weights.shape
    (sh, sw), (dh, dw), (out_h, out_w) = stride, dilation, out
    total, product = np.zeros((fpg, out_h, out_w)), np.empty((fpg, out_h, out_w))
    for c in range(cpg):
        for u in range(kh):
            rows = slice(u * dh, u * dh + sh * (out_h - 1) + 1, sh)
            for v in range(kw):
                plane = block[c, rows, v * dw : v * dw + sw * (out_w - 1) + 1 : sw]
                np.multiply(weights[:, c, u, v, None, None], plane, out=product)
                total += product
    return total


def conv_frames(result: ConvResult, start: int, stop: int) -> dict[str, np.ndarray]:
    """Frames `start..stop` (row-major over filter, row, col), built only for that range.

    Returns arrays with a leading frame axis P: `out` P×3, `origin` P×2 (top-left tap in
    padded coordinates), `window` and `products` P×(C/groups)×kh×kw, `channel_sums`
    P×(C/groups), `bias`, `value` (before activation) and `activated`, each P.
    """
    filters, cpg, kh, kw = result.weight.shape
    _, out_h, out_w = result.output.shape
    f, i, j = np.unravel_index(np.arange(start, stop), (filters, out_h, out_w))
    rows = i * result.stride[0]
    cols = j * result.stride[1]
    channels = (f // (filters // result.groups))[:, None] * cpg + np.arange(cpg)
    tap_rows = rows[:, None] + result.dilation[0] * np.arange(kh)
    tap_cols = cols[:, None] + result.dilation[1] * np.arange(kw)
    window = result.padded[channels[:, :, None, None], tap_rows[:, None, :, None], tap_cols[:, None, None, :]]
    products = window * result.weight[f]
    channel_sums = products.sum(axis=(2, 3))
    value = channel_sums.sum(axis=1) + result.bias[f]
    return {
        "out": np.stack([f, i, j], axis=1),
        "origin": np.stack([rows, cols], axis=1),
        "window": window,
        "products": products,
        "channel_sums": channel_sums,
        "bias": result.bias[f],
        "value": value,
        "activated": activate(result.activation, value),
    }
