"""max_pool2d / avg_pool2d with PyTorch's padding, ceil_mode and divisor rules."""

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .conv import as_input
from .errors import EngineError
from .limits import Limits, check_at_most
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
    windows = _windows(padded, kernel, stride_hw, dil, (out_h, out_w))  # C×Ho×Wo×kh×kw
    flat = windows.reshape(channels, out_h, out_w, -1)
    argmax = sums = divisor = None
    if mode == "max":
        filled = np.where(np.isnan(flat), -np.inf, flat)
        best = filled.argmax(axis=-1)
        output = np.take_along_axis(filled, best[..., None], axis=-1)[..., 0]
        ki, kj = np.divmod(best, kernel[1])
        rows = np.arange(out_h)[:, None] * stride_hw[0] + ki * dil[0] - pad_hw[0]
        cols = np.arange(out_w)[None, :] * stride_hw[1] + kj * dil[1] - pad_hw[1]
        argmax = np.stack([rows, cols], axis=-1)
        argmax[np.isneginf(output)] = -1
    else:
        sums = np.nansum(flat, axis=-1)
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


def _windows(padded: np.ndarray, kernel: Pair, stride: Pair, dilation: Pair, out: Pair) -> np.ndarray:
    span = (dilation[0] * (kernel[0] - 1) + 1, dilation[1] * (kernel[1] - 1) + 1)
    view = sliding_window_view(padded, span, axis=(1, 2))
    return view[:, :: stride[0], :: stride[1], :: dilation[0], :: dilation[1]][:, : out[0], : out[1]]


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
