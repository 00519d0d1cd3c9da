"""POST /api/v1/conv2d: the output and a page of frames; /frames streams them all.

Validate (the request model), call the layer service (app/layers/conv.py) through the answer the Matrix lab's
page shares (app/api/conv_answer.py), return.
"""

import functools

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from ...layers import conv
from .. import offload
from ..conv_answer import respond
from ..deps import SettingsDep
from ..encoding import FastJSONResponse
from ..errors import ERROR_RESPONSES
from ..json_route import JSONRoute
from ..paging import frames_stream
from ..schemas import Conv2dRequest, Conv2dResponse, ConvFrame

router = APIRouter(prefix="/api/v1", tags=["convolution"], route_class=JSONRoute, responses=ERROR_RESPONSES)


@router.post("/conv2d", response_model=Conv2dResponse)
async def conv2d_endpoint(body: Conv2dRequest, settings: SettingsDep) -> FastJSONResponse:
    """Convolve (cross-correlate, as PyTorch does) and return a page of step-by-step frames."""
    return await offload.run(respond, body, settings, work=conv.work(body))


@router.post(
    "/conv2d/frames",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/jsonl": {"itemSchema": ConvFrame.model_json_schema()}}}},
)
async def conv2d_stream(body: Conv2dRequest, settings: SettingsDep) -> StreamingResponse:
    """Every frame from `frame_start` on, as JSON Lines (one frame a line), bounded by the limits."""
    result = await offload.run(conv.compute, body, settings.limits, work=conv.work(body))
    return frames_stream(result.frame_count, body.frame_start, functools.partial(conv.page, result), settings)
