"""Convolution and pooling on decoded images, and the pictures a student needs to read them.

Kernel convention for colour input: a 2-D kernel (a preset or your own kh×kw numbers)
becomes ONE filter whose three kernels are that same kernel, one per channel, and whose
response is their sum (as `nn.Conv2d(3, F, k)` with identical kernels per channel) — not
depthwise. That is what makes a filter different from a kernel: R, G and B responses are
added, then the bias, then the activation. Give C×kh×kw or F×C×kh×kw numbers for
different kernels per channel.
"""

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from ..core.conv import ConvResult
from ..core.errors import EngineError
from ..core.kernels import PRESETS_BY_NAME
from ..core.limits import Limits
from ..core.pool import PoolResult
from .colormap import feature_maps, picture, start_pictures
from .png import in_parallel

IMAGE_MAX_FILTERS = 16  # every filter is one more pair of PNGs in the answer
IMAGE_MAX_MACS = 160_000_000  # eight 3×3 RGB filters on 512×512 need 57 M


def image_limits(base: Limits, max_side: int) -> Limits:
    """The JSON API's limits, widened to hold one RGB picture of `max_side` per side."""
    cells = 3 * max_side * max_side
    margin = 2 * base.max_kernel_size
    return replace(
        base,
        max_input_cells=max(base.max_input_cells, cells),
        max_padded_cells=max(base.max_padded_cells, 3 * (max_side + margin) ** 2),
        max_output_cells=max(base.max_output_cells, IMAGE_MAX_FILTERS * (max_side + margin) ** 2),
        max_filters=min(base.max_filters, IMAGE_MAX_FILTERS),
        max_macs=max(base.max_macs, IMAGE_MAX_MACS),
    )


def channel_names(channels: int) -> list[str]:
    return ["R", "G", "B"] if channels == 3 else ["gray"] if channels == 1 else [str(c) for c in range(channels)]


def preset_kernels(names: list[str], channels: int) -> np.ndarray:
    """F×C×kh×kw: one filter per preset, its kernel repeated over the C channels."""
    unknown = [name for name in names if name not in PRESETS_BY_NAME]
    if unknown:
        raise EngineError(
            "kernel_preset",
            "known_preset",
            f"unknown preset {unknown[0]!r}; known: {', '.join(PRESETS_BY_NAME)}",
        )
    kernels = [np.array(PRESETS_BY_NAME[name].values, dtype=np.float64) for name in names]
    if len({k.shape for k in kernels}) > 1:
        raise EngineError(
            "kernel_preset", "same_size", "presets used together must have the same size (one layer, one kernel size)"
        )
    return np.repeat(np.stack(kernels)[:, None], channels, axis=1)


def expand_kernel(kernel: np.ndarray, channels: int) -> np.ndarray:
    """A 2-D kernel becomes one filter with that kernel on every channel; other shapes pass as given."""
    return np.repeat(kernel[None, None], channels, axis=1) if kernel.ndim == 2 else kernel


def channel_responses(result: ConvResult, f: int) -> np.ndarray:
    """cpg×Ho×Wo: what each input channel's kernel contributes to filter `f`, before the sum and bias.

    Read straight from the engine's padded input, one shifted, strided slice per tap (taps
    with weight 0 add nothing and are skipped), one channel per drawing thread.
    """
    filters, cpg, kh, kw = result.weight.shape
    _, out_h, out_w = result.output.shape
    (sh, sw), (dh, dw) = result.stride, result.dilation
    group = f // (filters // result.groups)

    def respond(c: int) -> np.ndarray:
        plane = result.padded[group * cpg + c]
        total, product = np.zeros((out_h, out_w)), np.empty((out_h, out_w))
        for i in range(kh):
            for j in range(kw):
                weight = result.weight[f, c, i, j]
                if weight != 0:
                    rows = slice(i * dh, i * dh + (out_h - 1) * sh + 1, sh)
                    cols = slice(j * dw, j * dw + (out_w - 1) * sw + 1, sw)
                    total += np.multiply(plane[rows, cols], weight, out=product)
        return total

    return np.stack(in_parallel(respond, range(cpg)))


def start_input_view(x: np.ndarray, channel_pictures: bool = True, as_url: bool = True) -> Callable[[], dict]:
    """Start drawing the (resized) input and its channels, each tinted with its own colour; call to collect.

    Without `channel_pictures` (compact answers) the channels' pictures are null: the page tints
    them from the whole picture, which holds the same pixels. Without `as_url` the whole picture comes
    as PNG bytes in `png` (maps=binary) and `picture` is null.
    """
    names = channel_names(x.shape[0])
    pending = start_pictures(x, names if channel_pictures else [], as_url)

    def collect() -> dict:
        whole, channels = pending()
        urls = channels if channel_pictures else [None] * len(names)
        return {
            "shape": list(x.shape),
            **({"picture": whole} if as_url else {"picture": None, "png": whole}),
            "channels": [{"name": name, "picture": url} for name, url in zip(names, urls)],
        }

    return collect


def input_view(x: np.ndarray) -> dict:
    return start_input_view(x)()


def focus_view(x: np.ndarray, result: ConvResult, f: int, activated: dict, draw=feature_maps) -> dict:
    """One filter taken apart: each channel's response on a shared scale, the sum plus bias, the activation.

    `activated` is the filter's feature map, already drawn for the filter list; `draw` draws maps
    (colormap.feature_maps, or colormap.level_maps for compact answers).
    """
    responses = channel_responses(result, f)
    filters, cpg = result.weight.shape[:2]
    group = f // (filters // result.groups)
    names = channel_names(x.shape[0])[group * cpg : (group + 1) * cpg]
    shared = float(np.abs(responses).max()) or 1.0
    if result.activation == "none":
        *channel_maps, summed = [*draw(list(responses), [shared] * cpg), activated]
    else:
        *channel_maps, summed = draw([*responses, result.pre_activation[f]], [shared] * cpg + [None])
    return {
        "filter": f,
        "kernels": result.weight[f],
        "bias": float(result.bias[f]),
        "channels": [{"name": n, "map": m} for n, m in zip(names, channel_maps)],
        "sum": summed,
        "activated": activated,
    }


def shift_image(x: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """Move the picture down by dy and right by dx pixels, repeating the edge into the gap."""
    _, height, width = x.shape
    rows = np.clip(np.arange(height) - dy, 0, height - 1)
    cols = np.clip(np.arange(width) - dx, 0, width - 1)
    return x[:, rows][:, :, cols]


def pooled_picture(result: PoolResult) -> str:
    """Pooled pixels on the input's 0..255 scale (a max window of padding only shows as black)."""
    return picture(np.where(np.isfinite(result.output), result.output, 0.0))


def compare_pooled(a: PoolResult, b: PoolResult, draw=feature_maps) -> dict:
    """How much of the pooled map survived a shift of the input: equal cells and a signed difference."""
    if a.output.shape != b.output.shape:
        return {"same_shape": False, "equal_fraction": None, "difference": None}
    first = np.nan_to_num(a.output, neginf=0.0)
    second = np.nan_to_num(b.output, neginf=0.0)
    diff = (second - first).max(axis=0) if first.shape[0] > 1 else second[0] - first[0]
    equal = np.all(np.isclose(first, second, rtol=0, atol=1e-9), axis=0)
    return {"same_shape": True, "equal_fraction": float(equal.mean()), "difference": draw([diff])[0]}
