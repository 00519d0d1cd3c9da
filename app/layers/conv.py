"""A conv2d layer: the request's options, the engine's result, its description and its frames."""

import numpy as np

from ..api.schemas import Conv2dRequest
from ..core.conv import ConvResult, conv2d, conv_frames
from ..core.limits import Limits
from .arrays import compact, pair, sliding_work


def options(body: Conv2dRequest) -> dict:
    """The layer's settings as conv2d's keywords: one list for everything that runs a conv body (fit too)."""
    return {
        "stride": body.stride,
        "padding": body.padding,
        "padding_mode": body.padding_mode,
        "dilation": body.dilation,
        "groups": body.groups,
        "flip_kernel": body.flip_kernel,
        "activation": body.activation,
    }


def compute(
    body: Conv2dRequest, limits: Limits, x: np.ndarray | None = None, kernel: np.ndarray | None = None
) -> ConvResult:
    """The layer a request describes; the Image lab passes its own input, kernel and limits."""
    x = body.input if x is None else x
    kernel = body.kernel if kernel is None else kernel
    return conv2d(x, kernel, body.bias, **options(body), limits=limits)


def on_window(body: Conv2dRequest, limits: Limits, kernel: np.ndarray, window: np.ndarray) -> ConvResult:
    """The layer on one window of taps (C×kh×kw, already padded and dilated): stride 1, no padding, no dilation,
    the kernel, bias, groups, flip and activation as the body's, so its one output is the map's at that place."""
    settings = options(body) | {"stride": 1, "padding": 0, "padding_mode": "zeros", "dilation": 1}
    return conv2d(window, kernel, body.bias, **settings, limits=limits)


def describe(result: ConvResult) -> dict:
    """Everything about the layer except the frames."""
    return {
        "output": compact(result.output),
        "output_shape": list(result.output.shape),
        "padded_input": compact(result.padded),
        "padding": list(result.padding),
        "kernel": compact(result.weight),
        "bias": compact(result.bias),
        "shape": {"height": result.height.as_dict(), "width": result.width.as_dict()},
    }


def values_per_frame(result: ConvResult) -> int:
    return 2 * result.weight[0].size + result.weight.shape[1] + 8


def page(result: ConvResult, start: int, stop: int) -> list[dict]:
    """Frame dicts whose arrays are numpy views: orjson encodes them natively, in one pass."""
    frames = conv_frames(result, start, stop)
    out, origin, window, products, sums = (
        compact(frames[k]) for k in ("out", "origin", "window", "products", "channel_sums")
    )
    bias, value, activated = (compact(frames[k]).tolist() for k in ("bias", "value", "activated"))
    return [
        {
            "step": start + n,
            "out": out[n],
            "origin": origin[n],
            "window": window[n],
            "products": products[n],
            "channel_sums": sums[n],
            "bias": bias[n],
            "value": value[n],
            "activated": activated[n],
        }
        for n in range(stop - start)
    ]


def work(body: Conv2dRequest) -> int:
    """Multiply-adds at most, from the request's shapes (the dilated kernel span counts as padding)."""
    kh, kw = body.kernel.shape[-2:]
    dh, dw = pair(body.dilation)
    channels = body.input.shape[0] if body.input.ndim == 3 else 1
    weights = body.kernel.size * (channels if body.kernel.ndim == 2 else 1)
    return sliding_work(body.input.shape, (dh * kh, dw * kw), body.padding, weights)
