"""A conv_transpose2d layer: the engine's result, its description and the frames of either view."""

import functools
from collections.abc import Callable

from ..api.network_schemas import ConvTranspose2dRequest
from ..core.limits import Limits
from ..core.transpose import TransposeResult, conv_transpose2d, scatter_frames
from . import conv
from .arrays import compact, pair, sliding_work, to_lists

SCATTER_KEYS = ("cell", "value", "origin", "channels", "stamp")


def compute(body: ConvTranspose2dRequest, limits: Limits) -> TransposeResult:
    return conv_transpose2d(
        body.input,
        body.kernel,
        body.bias,
        stride=body.stride,
        padding=body.padding,
        output_padding=body.output_padding,
        dilation=body.dilation,
        groups=body.groups,
        limits=limits,
    )


def describe(result: TransposeResult) -> dict:
    direct = result.direct
    h, w = result.height, result.width
    return {
        "output": compact(result.output),
        "output_shape": list(result.output.shape),
        "kernel": compact(result.weight),
        "bias": compact(result.bias),
        "shape": {"height": h.as_dict(), "width": w.as_dict()},
        "direct": {
            "zero_inserted": compact(result.inserted),
            "padded_input": compact(direct.padded),
            "padding": [h.pad_before, h.pad_after, w.pad_before, w.pad_after],
            "kernel": compact(direct.weight),
        },
    }


def scatter_page(result: TransposeResult, start: int, stop: int) -> list[dict]:
    frames = scatter_frames(result, start, stop)
    columns = [to_lists(frames[key]) for key in SCATTER_KEYS]
    return [dict(zip(("step", *SCATTER_KEYS), (start + n, *row))) for n, row in enumerate(zip(*columns))]


def direct_page(result: TransposeResult, start: int, stop: int) -> list[dict]:
    return conv.page(result.direct, start, stop)


def view(result: TransposeResult, name: str) -> tuple[int, int, Callable[[int, int], list[dict]]]:
    """The chosen view's frame count, numbers per frame and page builder."""
    if name == "scatter":
        return result.scatter_frame_count, 2 * result.weight[0].size + 8, functools.partial(scatter_page, result)
    return result.direct.frame_count, conv.values_per_frame(result.direct), functools.partial(direct_page, result)


def work(body: ConvTranspose2dRequest) -> int:
    """Multiply-adds at most of the direct view: the zero-inserted input, padded by the dilated kernel span."""
    s, d = pair(body.stride), pair(body.dilation)
    kh, kw = body.kernel.shape[-2:]
    height, width = body.input.shape[-2:]
    return sliding_work((height * s[0], width * s[1]), (2 * d[0] * kh, 2 * d[1] * kw), 0, body.kernel.size)
