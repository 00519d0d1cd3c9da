"""POST /api/v1/conv2d: the output and a page of frames; /frames streams them all."""

from typing import Annotated

import numpy as np
from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse

from ...config import Settings
from ...core.conv import ConvResult, conv2d
from ...core.limits import Limits, check_at_most
from .. import offload
from ..deps import get_settings
from ..encoding import FastJSONResponse, compact
from ..errors import ERROR_RESPONSES
from ..json_route import JSONRoute
from ..paging import conv_page, conv_values_per_frame, next_start, page_bounds, stream_lines
from ..schemas import Conv2dRequest, Conv2dResponse, ConvFrame

router = APIRouter(prefix="/api/v1", tags=["convolution"], route_class=JSONRoute, responses=ERROR_RESPONSES)


def compute(
    body: Conv2dRequest, limits: Limits, x: np.ndarray | None = None, kernel: np.ndarray | None = None
) -> ConvResult:
    """The layer a request describes; image routes pass their own input, kernel and limits."""
    return conv2d(
        body.input if x is None else x,
        body.kernel if kernel is None else kernel,
        body.bias,
        stride=body.stride,
        padding=body.padding,
        padding_mode=body.padding_mode,
        dilation=body.dilation,
        groups=body.groups,
        flip_kernel=body.flip_kernel,
        activation=body.activation,
        limits=limits,
    )


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
    """The whole response, encoded once: the layer plus one page of frames."""
    result = compute(body, settings.limits)
    total = result.frame_count
    start, stop = page_bounds(total, body.frame_start, body.frame_limit, conv_values_per_frame(result), settings.limits)
    payload = describe(result) | {
        "frame_count": total,
        "frame_start": start,
        "next_frame_start": next_start(stop, total),
        "frames": conv_page(result, start, stop),
    }
    return FastJSONResponse(payload)


@router.post("/conv2d", response_model=Conv2dResponse)
async def conv2d_endpoint(
    body: Conv2dRequest, settings: Annotated[Settings, Depends(get_settings)]
) -> FastJSONResponse:
    """Convolve (cross-correlate, as PyTorch does) and return a page of step-by-step frames."""
    return await offload.run(respond, body, settings, work=body.input.size * body.kernel.size)


@router.post(
    "/conv2d/frames",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/jsonl": {"itemSchema": ConvFrame.model_json_schema()}}}},
)
def conv2d_stream(body: Conv2dRequest, settings: Annotated[Settings, Depends(get_settings)]) -> StreamingResponse:
    """Every frame from `frame_start` on, as JSON Lines (one frame a line), bounded by the limits."""
    result = compute(body, settings.limits)
    check_at_most(result.frame_count, settings.max_stream_frames, "input", "the number of frames")
    chunk = min(1_000, settings.limits.max_frames_per_page)
    lines = stream_lines(lambda a, b: conv_page(result, a, b), result.frame_count, body.frame_start, chunk)
    return StreamingResponse(lines, media_type="application/jsonl")
