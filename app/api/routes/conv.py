"""POST /api/v1/conv2d: the output and a page of frames; /frames streams them all."""

import functools

import numpy as np
from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from ...config import Settings
from ...core.conv import ConvResult, conv2d
from ...core.limits import Limits
from .. import offload
from ..deps import SettingsDep
from ..encoding import FastJSONResponse, compact
from ..errors import ERROR_RESPONSES
from ..json_route import JSONRoute
from ..paging import conv_page, conv_values_per_frame, frames_stream, paged_response
from ..schemas import Conv2dRequest, Conv2dResponse, ConvFrame

router = APIRouter(prefix="/api/v1", tags=["convolution"], route_class=JSONRoute, responses=ERROR_RESPONSES)


def layer_options(body: Conv2dRequest) -> dict:
    """The layer's settings as conv2d's keywords: one list for every route that runs a conv body."""
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
    """The layer a request describes; image routes pass their own input, kernel and limits."""
    x = body.input if x is None else x
    kernel = body.kernel if kernel is None else kernel
    return conv2d(x, kernel, body.bias, **layer_options(body), limits=limits)


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


def respond(body: Conv2dRequest, settings: Settings) -> FastJSONResponse:
    result = compute(body, settings.limits)
    build = functools.partial(conv_page, result)
    return paged_response(
        describe(result), result.frame_count, body, conv_values_per_frame(result), build, settings.limits
    )


def work(body: Conv2dRequest) -> int:
    """Multiply-adds at most, from the request's shapes (the dilated kernel span counts as padding)."""
    kh, kw = body.kernel.shape[-2:]
    dh, dw = (body.dilation, body.dilation) if isinstance(body.dilation, int) else body.dilation
    channels = body.input.shape[0] if body.input.ndim == 3 else 1
    weights = body.kernel.size * (channels if body.kernel.ndim == 2 else 1)
    return offload.sliding_work(body.input.shape, (dh * kh, dw * kw), body.padding, weights)


@router.post("/conv2d", response_model=Conv2dResponse)
async def conv2d_endpoint(body: Conv2dRequest, settings: SettingsDep) -> FastJSONResponse:
    """Convolve (cross-correlate, as PyTorch does) and return a page of step-by-step frames."""
    return await offload.run(respond, body, settings, work=work(body))


@router.post(
    "/conv2d/frames",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/jsonl": {"itemSchema": ConvFrame.model_json_schema()}}}},
)
async def conv2d_stream(body: Conv2dRequest, settings: SettingsDep) -> StreamingResponse:
    """Every frame from `frame_start` on, as JSON Lines (one frame a line), bounded by the limits."""
    result = await offload.run(compute, body, settings.limits, work=work(body))
    return frames_stream(result.frame_count, body.frame_start, functools.partial(conv_page, result), settings)
