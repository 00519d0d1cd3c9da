"""max_pool2d / avg_pool2d with PyTorch's padding, ceil_mode and divisor rules."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .conv import as_input
from .errors import EngineError
from .limits import Limits, check_at_most, check_memory
from .params import Pair, pair
from .shape import AxisShape, explain_axis, require_valid

POOL_MODES = ("max", "avg")


@dataclass(frozen=True)
class PoolResult:
    """A computed pooling layer.

    Shapes: `input` C×H×W, `padded` C×Hp×Wp with NaN marking padding and overhang cells
    (so frames can show them as empty), `output` C×Ho×Wo (-inf where a max window holds
    only padding), `argmax` C×Ho×Wo×2 input coordinates (max; -1 where none), `divisor` and
    `sums` Ho×Wo / C×Ho×Wo (avg).
    """

    mode: str
    input: np.ndarray
    padded: np.ndarray
    output: np.ndarray
    argmax: np.ndarray | None
    sums: np.ndarray | None
    divisor: np.ndarray | None
    kernel: Pair
    stride: Pair
    padding: Pair
    dilation: Pair
    height: AxisShape
    width: AxisShape

    @property
    def frame_count(self) -> int:
        return self.output.size


def pool2d(
    x: np.ndarray,
    mode: str = "max",
    kernel_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
    global_pool: bool = False,
    limits: Limits = Limits(),
) -> PoolResult:
    """Compute `F.max_pool2d` or `F.avg_pool2d` (or their global forms) in float64.

    Shape contract: `x` H×W or C×H×W; the result's `output` is C×Ho×Wo. Global pooling is
    one window over the whole map (adaptive pooling to 1×1).
    """
    x = as_input(x)
    channels, height, width = x.shape
    check_at_most(x.size, limits.max_input_cells, "input", "the input's cell count")
    if mode not in POOL_MODES:
        raise EngineError("mode", "known_mode", 'mode must be "max" or "avg"')
    if global_pool:
        kernel, stride_hw, pad_hw, dil = (height, width), (1, 1), (0, 0), (1, 1)
        ceil_mode = False
    else:
        kernel = pair(kernel_size, "kernel_size")
        stride_hw = kernel if stride is None else pair(stride, "stride")
        pad_hw = pair(padding, "padding", minimum=0)
        dil = pair(dilation, "dilation")
        check_at_most(max(kernel), limits.max_kernel_size, "kernel_size", "the kernel's side")
        if mode == "avg" and dil != (1, 1):
            raise EngineError("dilation", "max_only", "dilation applies to max pooling only (avg_pool2d has none)")
        for p, k in zip(pad_hw, kernel):
            if p > k // 2:
                raise EngineError(
                    "padding",
                    "at_most_half_kernel",
                    f"pooling padding can be at most half the kernel size ({k} // 2 = {k // 2}); got {p}",
                )
    if divisor_override is not None and (mode != "avg" or divisor_override < 1):
        raise EngineError("divisor_override", "positive_avg_only", "divisor_override must be ≥ 1 and is for avg only")
    shape_h = explain_axis("height", height, kernel[0], stride_hw[0], dil[0], pad_hw[0], pad_hw[0], ceil_mode)
    shape_w = explain_axis("width", width, kernel[1], stride_hw[1], dil[1], pad_hw[1], pad_hw[1], ceil_mode)
    out_h, out_w = require_valid(shape_h, shape_w, "kernel_size")
    check_at_most(channels * out_h * out_w, limits.max_output_cells, "input", "the output's cell count")
    check_at_most(channels * out_h * out_w * kernel[0] * kernel[1], limits.max_macs, "kernel_size", "the work")

    # Pad far enough that every window, including a ceil_mode overhang, lies inside.
    extent_h = (out_h - 1) * stride_hw[0] + dil[0] * (kernel[0] - 1) + 1
    extent_w = (out_w - 1) * stride_hw[1] + dil[1] * (kernel[1] - 1) + 1
    widths = (
        (0, 0),
        (pad_hw[0], max(extent_h - height - pad_hw[0], pad_hw[0])),
        (pad_hw[1], max(extent_w - width - pad_hw[1], pad_hw[1])),
    )
    padded = np.pad(x, widths, constant_values=np.nan)
    check_memory(pool_memory(padded.shape, (out_h, out_w)), limits, "kernel_size")
    argmax = sums = divisor = None
    if mode == "max":
        output, best = _running_max(x, widths, kernel, stride_hw, dil, (out_h, out_w))
        ki, kj = np.divmod(best, kernel[1])
        rows = np.arange(out_h)[:, None] * stride_hw[0] + ki * dil[0] - pad_hw[0]
        cols = np.arange(out_w)[None, :] * stride_hw[1] + kj * dil[1] - pad_hw[1]
        argmax = np.stack([rows, cols], axis=-1)
        argmax[np.isneginf(output)] = -1
    else:
        sums = _tap_sum(np.nan_to_num(padded, nan=0.0), kernel, stride_hw, (out_h, out_w))
        divisor = _avg_divisor((height, width), kernel, stride_hw, pad_hw, (out_h, out_w), count_include_pad)
        if divisor_override is not None:
            divisor = np.full_like(divisor, divisor_override)
        output = sums / divisor
    return PoolResult(
        mode=mode,
        input=x,
        padded=padded,
        output=output,
        argmax=argmax,
        sums=sums,
        divisor=divisor,
        kernel=kernel,
        stride=stride_hw,
        padding=pad_hw,
        dilation=dil,
        height=shape_h,
        width=shape_w,
    )


def pool_memory(padded_shape: tuple[int, int, int], out: Pair) -> int:
    """Bytes the pooling arrays take at most: two padded copies and a dozen output-sized planes
    (running values, indices, comparisons and the result's argmax), never one per window tap."""
    channels, hp, wp = padded_shape
    return 8 * (2 * channels * hp * wp + 12 * channels * out[0] * out[1])


def _tap(plane: np.ndarray, u: int, v: int, stride: Pair, dilation: Pair, out: Pair) -> np.ndarray:
    """The C×Ho×Wo view of tap (u, v) of every window: one strided slice, no copy."""
    rows = slice(u * dilation[0], u * dilation[0] + stride[0] * (out[0] - 1) + 1, stride[0])
    cols = slice(v * dilation[1], v * dilation[1] + stride[1] * (out[1] - 1) + 1, stride[1])
    return plane[:, rows, cols]


def _running_max(
    x: np.ndarray, widths: tuple, kernel: Pair, stride: Pair, dilation: Pair, out: Pair
) -> tuple[np.ndarray, np.ndarray]:
    """Max pooling as a running maximum over the window's taps, never a materialised window stack.

    As PyTorch's CPU kernel scans a window in row-major order, a tap replaces the best so far when it is
    larger or NaN: ties keep the first tap, a NaN wins (the last one), padding is -inf and never wins.
    The scan is separable: first along each window row (kw taps, for every padded row), then down the
    rows' winners (kh taps). The earliest row holding the maximum, and its earliest column, is exactly
    the first maximum in row-major order, and the last NaN row's last NaN is the last NaN, so the result
    equals the full scan in kh + kw passes over planes the size of the output.
    Returns the maxima and the winning tap's index (row-major within the window), both C×Ho×Wo.
    """
    work = np.pad(x, widths, constant_values=-np.inf)
    has_nan = bool(np.isnan(x).any())
    (sh, sw), (dh, dw), (out_h, out_w) = stride, dilation, out

    def scan(count: int, tap: Callable[[int], np.ndarray], label: Callable[[int], object]):
        best = tap(0).copy()
        index = np.zeros(best.shape, dtype=np.intp)
        np.copyto(index, label(0))
        better = np.empty(best.shape, dtype=bool)
        for i in range(1, count):
            candidate = tap(i)
            np.greater(candidate, best, out=better)
            if has_nan:
                better |= np.isnan(candidate)
            np.copyto(best, candidate, where=better)
            np.copyto(index, label(i), where=better)
        return best, index

    def column(v: int) -> np.ndarray:
        return work[:, :, v * dw : v * dw + sw * (out_w - 1) + 1 : sw]

    def rows(u: int) -> slice:
        return slice(u * dh, u * dh + sh * (out_h - 1) + 1, sh)

    row_best, row_col = scan(kernel[1], column, lambda v: v)  # C×Hp×Wo: each window row's winner
    best, winner = scan(kernel[0], lambda u: row_best[:, rows(u)], lambda u: u * kernel[1] + row_col[:, rows(u)])
    return best, winner


def _tap_sum(plane: np.ndarray, kernel: Pair, stride: Pair, out: Pair) -> np.ndarray:
    """Every window's sum, accumulated tap by tap in row-major order (PyTorch's order), C×Ho×Wo."""
    total = _tap(plane, 0, 0, stride, (1, 1), out).copy()
    for u in range(kernel[0]):
        for v in range(kernel[1]):
            if u or v:
                total += _tap(plane, u, v, stride, (1, 1), out)
    return total


def _avg_divisor(
    size: Pair, kernel: Pair, stride: Pair, padding: Pair, out: Pair, count_include_pad: bool
) -> np.ndarray:
    """Per-window divisor: padding counts if asked, overhang past the padding never does."""
    spans = []
    for n, k, s, p, o in zip(size, kernel, stride, padding, out):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, n + p)
        if count_include_pad:
            spans.append(end - start)
        else:
            spans.append(np.minimum(end, n) - np.maximum(start, 0))
    return (spans[0][:, None] * spans[1][None, :]).astype(np.float64)


def pool_frames(result: PoolResult, start: int, stop: int) -> dict[str, np.ndarray | None]:
    """Frames `start..stop` (row-major over channel, row, col), built only for that range.

    Returns `out` P×3, `origin` P×2 (top-left tap, padded coordinates), `window`
    P×kh×kw (NaN where a tap is padding or overhang), `value` P, and `argmax` P×2 (max) or
    `sum` and `divisor` P (avg).
    """
    channels, out_h, out_w = result.output.shape
    c, i, j = np.unravel_index(np.arange(start, stop), (channels, out_h, out_w))
    rows = i * result.stride[0]
    cols = j * result.stride[1]
    tap_rows = rows[:, None] + result.dilation[0] * np.arange(result.kernel[0])
    tap_cols = cols[:, None] + result.dilation[1] * np.arange(result.kernel[1])
    window = result.padded[c[:, None, None], tap_rows[:, :, None], tap_cols[:, None, :]]
    frames = {
        "out": np.stack([c, i, j], axis=1),
        "origin": np.stack([rows, cols], axis=1),
        "window": window,
        "value": result.output[c, i, j],
        "argmax": None,
        "sum": None,
        "divisor": None,
    }
    if result.mode == "max":
        frames["argmax"] = result.argmax[c, i, j]
    else:
        frames["sum"] = result.sums[c, i, j]
        frames["divisor"] = result.divisor[i, j]
    return frames
