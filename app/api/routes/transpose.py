"""POST /api/v1/conv_transpose2d: the output, both views, and a page of frames of either view."""

import functools

from fastapi import APIRouter

from ...config import Settings
from ...core.limits import Limits
from ...core.transpose import TransposeResult, conv_transpose2d, scatter_frames
from .. import offload
from ..deps import SettingsDep
from ..encoding import FastJSONResponse, compact, to_lists
from ..errors import ERROR_RESPONSES
from ..json_route import JSONRoute
from ..network_schemas import ConvTranspose2dRequest, ConvTranspose2dResponse
from ..paging import conv_page, conv_values_per_frame, paged_response

router = APIRouter(prefix="/api/v1", tags=["transposed convolution"], route_class=JSONRoute, responses=ERROR_RESPONSES)

SCATTER_KEYS = ("cell", "value", "origin", "channels", "stamp")


def scatter_page(result: TransposeResult, start: int, stop: int) -> list[dict]:
    frames = scatter_frames(result, start, stop)
    columns = [to_lists(frames[key]) for key in SCATTER_KEYS]
    return [dict(zip(("step", *SCATTER_KEYS), (start + n, *row))) for n, row in enumerate(zip(*columns))]


def direct_page(result: TransposeResult, start: int, stop: int) -> list[dict]:
    return conv_page(result.direct, start, stop)


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


def work(body: ConvTranspose2dRequest) -> int:
    """Multiply-adds at most of the direct view: the zero-inserted input, padded by the dilated kernel span."""
    s = (body.stride, body.stride) if isinstance(body.stride, int) else body.stride
    d = (body.dilation, body.dilation) if isinstance(body.dilation, int) else body.dilation
    kh, kw = body.kernel.shape[-2:]
    height, width = body.input.shape[-2:]
    return offload.sliding_work((height * s[0], width * s[1]), (2 * d[0] * kh, 2 * d[1] * kw), 0, body.kernel.size)


@router.post("/conv_transpose2d", response_model=ConvTranspose2dResponse)
async def conv_transpose2d_endpoint(body: ConvTranspose2dRequest, settings: SettingsDep) -> FastJSONResponse:
    """Transposed convolution (PyTorch's ConvTranspose2d) with scatter or direct-view frames."""
    return await offload.run(respond, body, settings, work=work(body))


def respond(body: ConvTranspose2dRequest, settings: Settings) -> FastJSONResponse:
    result = compute(body, settings.limits)
    if body.view == "scatter":
        total, per_frame, build = result.scatter_frame_count, 2 * result.weight[0].size + 8, scatter_page
    else:
        total, per_frame = result.direct.frame_count, conv_values_per_frame(result.direct)
        build = direct_page
    layer = describe(result) | {"view": body.view}
    return paged_response(layer, total, body, per_frame, functools.partial(build, result), settings.limits)
