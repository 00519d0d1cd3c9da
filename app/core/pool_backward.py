"""The backward pass of max/avg pooling, with torch.autograd's numbers.

Max pooling routes each output gradient to its window's winner (the first maximum in
row-major order, as torch's forward picks it); a cell that wins several windows collects
several gradients. Average pooling spreads each output gradient evenly over its window: each
real cell gets `grad / divisor`, with the divisor the forward used (padding counted or not,
`ceil_mode` overhang never counted, or `divisor_override`); padding cells take their share away.
"""

from dataclasses import dataclass

import numpy as np

from .backward import as_grad_output
from .conv import as_input
from .limits import Limits
from .pool import PoolResult, pool2d


@dataclass(frozen=True)
class PoolBackward:
    """Shapes: `grad_output` C×Ho×Wo, `grad_input` C×H×W."""

    forward: PoolResult
    grad_output: np.ndarray
    grad_input: np.ndarray

    @property
    def frame_count(self) -> int:
        return self.grad_output.size


def pool2d_backward(forward: PoolResult, grad_output: np.ndarray | None) -> PoolBackward:
    g = as_grad_output(grad_output, forward.output.shape)
    channels, height, width = forward.input.shape
    if forward.mode == "max":
        rows, cols = forward.argmax[..., 0], forward.argmax[..., 1]
        routed = rows >= 0
        flat = (np.arange(channels)[:, None, None] * height + rows) * width + cols
        grad = np.bincount(flat[routed], weights=g[routed], minlength=channels * height * width)
        grad_input = grad.reshape(channels, height, width)
    else:
        spread = g / forward.divisor
        full = np.zeros(forward.padded.shape)
        (kh, kw), (sh, sw) = forward.kernel, forward.stride
        _, out_h, out_w = g.shape
        for u in range(kh):
            for v in range(kw):
                full[:, u : u + sh * (out_h - 1) + 1 : sh, v : v + sw * (out_w - 1) + 1 : sw] += spread
        ph, pw = forward.padding
        grad_input = full[:, ph : ph + height, pw : pw + width]
    return PoolBackward(forward=forward, grad_output=g, grad_input=np.ascontiguousarray(grad_input))


def backward_pool2d(
    x: np.ndarray,
    grad_output: np.ndarray | None = None,
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
) -> PoolBackward:
    """Forward (`pool.pool2d`, with its checks and limits), then the input gradient."""
    forward = pool2d(
        as_input(x),
        mode,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        count_include_pad,
        divisor_override,
        global_pool,
        limits=limits,
    )
    return pool2d_backward(forward, grad_output)


def routing_frames(backward: PoolBackward, start: int, stop: int) -> dict[str, np.ndarray | None]:
    """Frames `start..stop` (row-major over channel, row, col): where each output gradient goes.

    `out` P×3, `origin` P×2 (top-left tap, padded coordinates; taps origin + dilation × index),
    `grad` P, `share` P×kh×kw what each tap receives (NaN on padding/overhang taps), and
    `argmax` P×2 (max: the winner, input coordinates, -1 if none) or `divisor` P (avg).
    """
    forward = backward.forward
    channels, out_h, out_w = forward.output.shape
    kh, kw = forward.kernel
    c, i, j = np.unravel_index(np.arange(start, stop), (channels, out_h, out_w))
    rows, cols = i * forward.stride[0], j * forward.stride[1]
    tap_rows = rows[:, None] + forward.dilation[0] * np.arange(kh)
    tap_cols = cols[:, None] + forward.dilation[1] * np.arange(kw)
    window = forward.padded[c[:, None, None], tap_rows[:, :, None], tap_cols[:, None, :]]
    grad = backward.grad_output[c, i, j]
    frames: dict[str, np.ndarray | None] = {
        "out": np.stack([c, i, j], axis=1),
        "origin": np.stack([rows, cols], axis=1),
        "grad": grad,
        "argmax": None,
        "divisor": None,
    }
    if forward.mode == "max":
        argmax = forward.argmax[c, i, j]
        ph, pw = forward.padding
        hit = (tap_rows[:, :, None] - ph == argmax[:, 0].reshape(-1, 1, 1)) & (
            tap_cols[:, None, :] - pw == argmax[:, 1].reshape(-1, 1, 1)
        )
        share = np.where(hit, grad[:, None, None], 0.0)
        frames["argmax"] = argmax
    else:
        divisor = forward.divisor[i, j]
        share = np.broadcast_to((grad / divisor)[:, None, None], window.shape).copy()
        frames["divisor"] = divisor
    frames["share"] = np.where(np.isnan(window), np.nan, share)
    return frames
