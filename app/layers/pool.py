"""A pool2d layer: the engine's result, its description and its frames."""

import numpy as np

from ..api.schemas import Pool2dRequest
from ..core.limits import Limits
from ..core.pool import PoolResult, pool2d, pool_frames
from .arrays import compact, pair, sliding_work, to_lists


def compute(body: Pool2dRequest, limits: Limits, x: np.ndarray | None = None) -> PoolResult:
    """The layer a request describes; the Image lab passes its own input and limits."""
    return pool2d(
        body.input if x is None else x,
        body.mode,
        body.kernel_size,
        body.stride,
        body.padding,
        body.dilation,
        body.ceil_mode,
        body.count_include_pad,
        body.divisor_override,
        body.global_,
        limits=limits,
    )


def describe(result: PoolResult) -> dict:
    """Everything about the layer except the frames (the padded input trimmed to the padding actually used)."""
    _, height, width = result.input.shape
    ph, pw = result.padding
    return {
        "output": compact(result.output),
        "output_shape": list(result.output.shape),
        "padded_input": result.padded[:, : height + 2 * ph, : width + 2 * pw],
        "padding": [ph, ph, pw, pw],
        "kernel_size": list(result.kernel),
        "stride": list(result.stride),
        "shape": {"height": result.height.as_dict(), "width": result.width.as_dict()},
    }


def values_per_frame(result: PoolResult) -> int:
    return result.kernel[0] * result.kernel[1] + 10


def page(result: PoolResult, start: int, stop: int) -> list[dict]:
    frames = pool_frames(result, start, stop)
    count = stop - start
    out, origin, window = (compact(frames[k]) for k in ("out", "origin", "window"))
    value = frames["value"].tolist()
    argmax = frames["argmax"]
    argmax = [None] * count if argmax is None else [None if r < 0 else [r, c] for r, c in argmax.tolist()]
    sums = to_lists(frames["sum"]) or [None] * count
    divisor = to_lists(frames["divisor"]) or [None] * count
    return [
        {
            "step": start + n,
            "out": out[n],
            "origin": origin[n],
            "window": window[n],
            "value": value[n],
            "argmax": argmax[n],
            "sum": sums[n],
            "divisor": divisor[n],
        }
        for n in range(count)
    ]


def work(body: Pool2dRequest, x: np.ndarray | None = None) -> int:
    """Window reads at most, from the request's shapes."""
    x = body.input if x is None else x
    if body.global_:
        return x.size
    k, d = pair(body.kernel_size), pair(body.dilation)
    channels = x.shape[0] if x.ndim == 3 else 1
    return sliding_work(x.shape, (k[0] * d[0], k[1] * d[1]), body.padding, channels * k[0] * k[1])
