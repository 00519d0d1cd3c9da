"""One output position's arithmetic, for the Image lab's hover when the answer was too large to list its numbers.

The window is read through the engine's own padding table (`source_indices`: each padded row and column says which
real one it copies, -1 for a zero), then the engine convolves that window alone with every filter, groups, flip,
bias and activation as given, so its frame is the map's value at (i, j). The picture comes either whole (a sample
the server decodes again) or as the few rows and columns the window reads (`Crop`: an upload the page already holds
decoded), so a hover never sends the picture again.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..core.conv import ConvResult, conv_frames
from ..core.errors import EngineError
from ..core.padding import check_padding, source_indices
from ..core.params import conv_padding, pair
from ..core.shape import explain_axis, require_valid
from .layers import channel_names

MAX_PIXEL = 255.0


@dataclass(frozen=True)
class Crop:
    """The rows × cols of a C×H×W picture that a window reads (sorted, distinct source indices)."""

    size: tuple[int, int]
    rows: np.ndarray
    cols: np.ndarray
    pixels: np.ndarray  # C×len(rows)×len(cols)


def check_crop(crop: Crop, channels: int, max_side: int, max_taps: int) -> None:
    """The crop is a piece of a picture this server could have answered for: shape, order, range, and no more
    rows or columns than a kernel has taps (`max_taps`, the kernel side's limit): all a window can read."""
    height, width = crop.size
    if max(height, width) > max_side:
        raise EngineError(
            "crop.size", "limit", f"crop.size can be at most {max_side} a side on this server", {"limit": max_side}
        )
    for name, axis in (("rows", crop.rows), ("cols", crop.cols)):
        if axis.size > max_taps:
            raise EngineError(
                f"crop.{name}",
                "limit",
                f"crop.{name} can name at most {max_taps} indices (a kernel's side on this server)",
                {"limit": max_taps},
            )
    for name, axis, n in (("rows", crop.rows, height), ("cols", crop.cols, width)):
        if axis.size and (axis[0] < 0 or axis[-1] >= n or np.any(np.diff(axis) <= 0)):
            raise EngineError(
                f"crop.{name}",
                "sorted_in_picture",
                f"crop.{name} must be distinct indices in increasing order, each in 0..{n - 1}",
            )
    expected = (channels, crop.rows.size, crop.cols.size)
    if crop.pixels.shape != expected:
        raise EngineError(
            "crop.pixels",
            "shape_matches",
            f"crop.pixels must be channels × len(rows) × len(cols) = {'×'.join(map(str, expected))}; "
            f"got {'×'.join(map(str, crop.pixels.shape))}",
        )
    if np.any(crop.pixels < 0) or np.any(crop.pixels > MAX_PIXEL):
        raise EngineError("crop.pixels", "pixel_range", "crop.pixels must be pixel values in 0..255")


def _taken(crop: Crop, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """C×len(rows)×len(cols) from the crop; -1 (a zero of the padding) reads 0."""
    picked = []
    for name, want, have in (("rows", rows, crop.rows), ("cols", cols, crop.cols)):
        real = want[want >= 0]
        at = np.searchsorted(have, real)
        missing = real[(at >= have.size) | (have[np.minimum(at, have.size - 1)] != real)] if have.size else real
        if missing.size:
            raise EngineError(
                f"crop.{name}",
                "covers_window",
                f"crop.{name} must hold every picture {name[:-1]} the window reads; "
                f"missing {sorted(set(missing.tolist()))}",
            )
        index = np.zeros(want.shape, dtype=np.int64)
        index[want >= 0] = at
        picked.append(index)
    values = crop.pixels[:, picked[0][:, None], picked[1][None, :]]
    return np.where((rows[:, None] >= 0) & (cols[None, :] >= 0), values, 0.0)


def _whole(x: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    values = x[:, np.maximum(rows, 0)[:, None], np.maximum(cols, 0)[None, :]]
    return np.where((rows[:, None] >= 0) & (cols[None, :] >= 0), values, 0.0)


@dataclass(frozen=True)
class Layer:
    """The layer's geometry as the request gives it (the kernel already F×(C/groups)×kh×kw)."""

    kernel: np.ndarray
    stride: int | tuple[int, int]
    padding: int | str | tuple[int, ...]
    padding_mode: str
    dilation: int | tuple[int, int]


def conv_window(
    shape: tuple[int, int, int],
    source: np.ndarray | Crop,
    layer: Layer,
    run: Callable[[np.ndarray], ConvResult],
    position: tuple[int, int, int],
) -> dict:
    """Filter f's window at output (i, j) of the C×H×W `shape`: input numbers, weights, products, sums, value.

    `run` convolves a C×kh×kw window with no padding and stride 1, with every other setting as the map's
    (the route binds them): the engine's arithmetic on exactly the numbers the map's position reads.
    """
    channels, height, width = shape
    kh, kw = layer.kernel.shape[-2:]
    stride, dilation = pair(layer.stride, "stride"), pair(layer.dilation, "dilation")
    sides = conv_padding(layer.padding, (kh, kw), stride, dilation)
    check_padding((height, width), sides, layer.padding_mode)
    shape_h = explain_axis("height", height, kh, stride[0], dilation[0], sides[0], sides[1])
    shape_w = explain_axis("width", width, kw, stride[1], dilation[1], sides[2], sides[3])
    out_h, out_w = require_valid(shape_h, shape_w)
    filters = layer.kernel.shape[0] if layer.kernel.ndim == 4 else 1  # kh×kw and C×kh×kw are one filter
    f, i, j = position
    for name, value, size, what in (("filter", f, filters, "filter count"), ("i", i, out_h, "output's height"),
                                    ("j", j, out_w, "output's width")):  # fmt: skip
        if value >= size:
            raise EngineError(
                name, "in_output", f"{name} must be below the {what} ({size}); got {value}", {"limit": size}
            )
    tap_rows = i * stride[0] + dilation[0] * np.arange(kh)
    tap_cols = j * stride[1] + dilation[1] * np.arange(kw)
    rows = source_indices(height, sides[0], sides[1], layer.padding_mode)[tap_rows]
    cols = source_indices(width, sides[2], sides[3], layer.padding_mode)[tap_cols]
    window = _taken(source, rows, cols) if isinstance(source, Crop) else _whole(source, rows, cols)
    result = run(window)
    frame = {k: v[0] for k, v in conv_frames(result, f, f + 1).items()}
    group = f // (filters // result.groups)
    cpg = result.weight.shape[1]
    return {
        "out": [f, i, j],
        "output_shape": [filters, out_h, out_w],
        "padding": list(sides),
        "origin": [int(tap_rows[0]), int(tap_cols[0])],
        "rows": rows.tolist(),
        "cols": cols.tolist(),
        "channels": channel_names(channels)[group * cpg : (group + 1) * cpg],
        "window": frame["window"],
        "weights": result.weight[f],
        "products": frame["products"],
        "channel_sums": frame["channel_sums"],
        "bias": float(frame["bias"]),
        "value": float(frame["value"]),
        "activation": result.activation,
        "activated": float(frame["activated"]),
    }
