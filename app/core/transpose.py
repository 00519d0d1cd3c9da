"""conv_transpose2d with PyTorch's semantics, computed two ways that must agree.

*Direct view*: a transposed convolution is an ordinary stride-1 convolution over a stretched
input. Insert s−1 zeros between neighbouring cells, pad d(k−1)−p on each side (a negative
amount crops), add output_padding on the bottom/right, then cross-correlate with the kernel
flipped on both axes and its in/out channels swapped within each group, keeping the dilation.
This reuses `conv.conv2d`, so its frames (one per output cell) come for free.

*Scatter view*: each input cell stamps `value × kernel` onto the output, the stamp's top-left
tap at `(i·s − p, j·s − p)` and its taps `d` apart; overlapping stamps add up. One frame per
input cell (channel, row, column) carries that stamp. The two views are equal by construction
of the algebra, and the tests check it numerically.
"""

from dataclasses import asdict, dataclass, replace

import numpy as np

from .conv import ConvResult, as_bias, as_input, conv2d
from .errors import EngineError
from .limits import Limits, check_at_most
from .params import Pair, pair


@dataclass(frozen=True)
class TransposeAxis:
    """One axis of a transposed convolution, with the size formula written out."""

    axis: str
    n: int
    k: int
    s: int
    d: int
    p: int
    output_padding: int
    size: int
    formula: str
    inserted: int  # (n−1)·s + 1: the input after zero insertion
    pad_before: int  # d(k−1) − p; negative means crop
    pad_after: int  # d(k−1) − p + output_padding

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class TransposeResult:
    """Shapes: `input` C_in×H×W, `weight` C_in×(C_out/groups)×kh×kw (PyTorch's layout),
    `bias` C_out, `output` C_out×Ho×Wo, `inserted` C_in×Hz×Wz (zeros inserted, before padding).
    `direct` is the equivalent convolution (its `padded` input and flipped, swapped `weight`).
    """

    input: np.ndarray
    weight: np.ndarray
    bias: np.ndarray
    output: np.ndarray
    inserted: np.ndarray
    direct: ConvResult
    stride: Pair
    padding: Pair
    output_padding: Pair
    dilation: Pair
    groups: int
    height: TransposeAxis
    width: TransposeAxis

    @property
    def scatter_frame_count(self) -> int:
        return self.input.size


def transpose_axis(axis: str, n: int, k: int, s: int, d: int, p: int, op: int) -> TransposeAxis:
    """Output size `(n−1)·s − 2p + d(k−1) + output_padding + 1`, refusing sizes below 1 as PyTorch does."""
    size = (n - 1) * s - 2 * p + d * (k - 1) + op + 1
    formula = f"({n} − 1)×{s} − 2×{p} + {d}×({k} − 1) + {op} + 1 = {size}"
    pad_before = d * (k - 1) - p
    return TransposeAxis(axis, n, k, s, d, p, op, size, formula, (n - 1) * s + 1, pad_before, pad_before + op)


def as_transpose_weight(kernel: np.ndarray) -> np.ndarray:
    """Accept kh×kw (one channel in, one out) or C_in×(C_out/groups)×kh×kw."""
    w = np.asarray(kernel, dtype=np.float64)
    if w.ndim == 2:
        return w[None, None]
    if w.ndim != 4:
        raise EngineError("kernel", "two_or_four_dimensions", "kernel must be kh×kw or C_in×(C_out/groups)×kh×kw")
    return w


def conv_transpose2d(
    x: np.ndarray,
    kernel: np.ndarray,
    bias: float | np.ndarray = 0.0,
    *,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    output_padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
    limits: Limits = Limits(),
) -> TransposeResult:
    """Compute `torch.nn.functional.conv_transpose2d` in float64 through the direct view.

    Refuses, with an `EngineError`, what PyTorch refuses (output_padding not below stride or
    dilation, channel and group mismatches, an output below 1×1) and what exceeds `limits`.
    """
    x = as_input(x)
    channels, height, width = x.shape
    check_at_most(x.size, limits.max_input_cells, "input", "the input's cell count")
    check_at_most(channels, limits.max_channels, "input", "the number of input channels")
    w = as_transpose_weight(kernel)
    c_in, out_per_group, kh, kw = w.shape
    if groups < 1:
        raise EngineError("groups", "at_least_1", "groups must be at least 1")
    if c_in % groups:
        raise EngineError(
            "groups",
            "divides_kernel_channels",
            f"groups ({groups}) must divide the kernel's first dimension, its input channels ({c_in})",
        )
    if channels != c_in:
        raise EngineError(
            "kernel",
            "channels_match_input",
            f"the kernel (C_in×C_out/groups×kh×kw = {c_in}×{out_per_group}×{kh}×{kw}) expects {c_in} input "
            f"channels; the input has {channels}",
        )
    filters = out_per_group * groups
    check_at_most(filters, limits.max_filters, "kernel", "the number of output channels")
    check_at_most(max(kh, kw), limits.max_kernel_size, "kernel", "the kernel's side")
    b = as_bias(bias, filters)
    s, d = pair(stride, "stride"), pair(dilation, "dilation")
    p = pair(padding, "padding", minimum=0)
    op = pair(output_padding, "output_padding", minimum=0)
    for axis in (0, 1):
        if op[axis] >= s[axis] and op[axis] >= d[axis]:
            raise EngineError(
                "output_padding",
                "below_stride_or_dilation",
                f"output padding must be smaller than either stride or dilation; got output_padding {list(op)}, "
                f"stride {list(s)}, dilation {list(d)}",
                {"output_padding": str(list(op)), "stride": str(list(s)), "dilation": str(list(d))},
            )
    axes = [
        transpose_axis(name, n, k, *args)
        for name, n, k, args in zip(("height", "width"), (height, width), (kh, kw), zip(s, d, p, op))
    ]
    if axes[0].size < 1 or axes[1].size < 1:
        raise EngineError(
            "padding",
            "output_at_least_1",
            f"output size is too small: height {axes[0].formula}, width {axes[1].formula}; "
            "use less padding or a larger kernel, stride or input",
        )
    hp = axes[0].inserted + axes[0].pad_before + axes[0].pad_after
    wp = axes[1].inserted + axes[1].pad_before + axes[1].pad_after
    check_at_most(channels * hp * wp, limits.max_padded_cells, "stride", "the zero-inserted, padded input's cell count")
    check_at_most(filters * axes[0].size * axes[1].size, limits.max_output_cells, "input", "the output's cell count")
    check_at_most(x.size * filters // groups * kh * kw, limits.max_macs, "kernel", "the multiply-add count")

    inserted = np.zeros((channels, axes[0].inserted, axes[1].inserted))
    inserted[:, :: s[0], :: s[1]] = x
    padded = _pad_or_crop(inserted, axes[0], axes[1])
    # The stretched input is checked against the padded-cell limit above, not the input limit.
    wide = replace(limits, max_input_cells=limits.max_padded_cells)
    direct = conv2d(padded, direct_weight(w, groups), b, dilation=d, groups=groups, limits=wide)
    return TransposeResult(
        input=x,
        weight=w,
        bias=b,
        output=direct.output,
        inserted=inserted,
        direct=direct,
        stride=s,
        padding=p,
        output_padding=op,
        dilation=d,
        groups=groups,
        height=axes[0],
        width=axes[1],
    )


def direct_weight(w: np.ndarray, groups: int) -> np.ndarray:
    """C_in×(C_out/g)×kh×kw -> C_out×(C_in/g)×kh×kw, swapped within each group and flipped."""
    c_in, out_per_group, kh, kw = w.shape
    in_per_group = c_in // groups
    swapped = w.reshape(groups, in_per_group, out_per_group, kh, kw).transpose(0, 2, 1, 3, 4)
    return swapped.reshape(groups * out_per_group, in_per_group, kh, kw)[:, :, ::-1, ::-1]


def _pad_or_crop(x: np.ndarray, height: TransposeAxis, width: TransposeAxis) -> np.ndarray:
    """Zero-pad each side by its (possibly negative) amount; a negative amount crops."""
    sides = (height.pad_before, height.pad_after, width.pad_before, width.pad_after)
    widths = [(0, 0)] + [(max(a, 0), max(b, 0)) for a, b in (sides[:2], sides[2:])]
    grown = np.pad(x, widths)
    top, bottom, left, right = (max(-v, 0) for v in sides)
    return grown[:, top : grown.shape[1] - bottom, left : grown.shape[2] - right]


def scatter(result: TransposeResult) -> np.ndarray:
    """The output computed the other way: every input cell stamps value × kernel, stamps add.

    Vectorised over cells and channels: one strided slice-add per kernel tap and group.
    """
    x, w, groups = result.input, result.weight, result.groups
    (sh, sw), (dh, dw), (ph, pw) = result.stride, result.dilation, result.padding
    c_in, out_per_group, kh, kw = w.shape
    _, h, wd = x.shape
    in_per_group = c_in // groups
    full = np.zeros(
        (
            out_per_group * groups,
            (h - 1) * sh + dh * (kh - 1) + 1 + result.output_padding[0] + ph,
            (wd - 1) * sw + dw * (kw - 1) + 1 + result.output_padding[1] + pw,
        )
    )
    for g in range(groups):
        xs = x[g * in_per_group : (g + 1) * in_per_group]
        ws = w[g * in_per_group : (g + 1) * in_per_group]
        outs = slice(g * out_per_group, (g + 1) * out_per_group)
        for a in range(kh):
            for c in range(kw):
                stamp = np.tensordot(ws[:, :, a, c], xs, axes=([0], [0]))  # out_per_group×H×W
                full[outs, a * dh : a * dh + (h - 1) * sh + 1 : sh, c * dw : c * dw + (wd - 1) * sw + 1 : sw] += stamp
    ho, wo = result.output.shape[1:]
    return full[:, ph : ph + ho, pw : pw + wo] + result.bias[:, None, None]


def scatter_frames(result: TransposeResult, start: int, stop: int) -> dict[str, np.ndarray]:
    """Frames `start..stop`, one per input cell (row-major over channel, row, column).

    `cell` P×3 is [channel, row, col]; `origin` P×2 the stamp's top-left tap in output
    coordinates (may lie outside: padding crops the output); `channels` P×(C_out/groups) the
    output channels the stamp lands on; `stamp` P×(C_out/groups)×kh×kw is value × kernel.
    Taps are `origin + dilation × index`; those outside the output are cropped away.
    """
    c_in, out_per_group = result.weight.shape[:2]
    _, h, wd = result.input.shape
    c, i, j = np.unravel_index(np.arange(start, stop), (c_in, h, wd))
    value = result.input[c, i, j]
    group = c // (c_in // result.groups)
    origin = np.stack([i * result.stride[0] - result.padding[0], j * result.stride[1] - result.padding[1]], axis=1)
    return {
        "cell": np.stack([c, i, j], axis=1),
        "value": value,
        "origin": origin,
        "channels": group[:, None] * out_per_group + np.arange(out_per_group),
        "stamp": value[:, None, None, None] * result.weight[c],
    }
