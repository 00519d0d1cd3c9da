"""POST /api/v1/pool2d: max/avg pooling with a page of frames; /frames streams them all."""

import functools

import numpy as np
from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from ...config import Settings
from ...core.limits import Limits
from ...core.pool import PoolResult, pool2d
from .. import offload
from ..deps import SettingsDep
from ..encoding import FastJSONResponse, compact
from ..errors import ERROR_RESPONSES
from ..json_route import JSONRoute
from ..paging import frames_stream, paged_response, pool_page, pool_values_per_frame
from ..schemas import Pool2dRequest, Pool2dResponse, PoolFrame

router = APIRouter(prefix="/api/v1", tags=["pooling"], route_class=JSONRoute, responses=ERROR_RESPONSES)


def compute(body: Pool2dRequest, limits: Limits, x: np.ndarray | None = None) -> PoolResult:
    """The layer a request describes; image routes pass their own input and limits."""
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


def respond(body: Pool2dRequest, settings: Settings) -> FastJSONResponse:
    result = compute(body, settings.limits)
    build = functools.partial(pool_page, result)
    return paged_response(
        describe(result), result.frame_count, body, pool_values_per_frame(result), build, settings.limits
    )


def work(body: Pool2dRequest, x: np.ndarray | None = None) -> int:
    """Window reads at most, from the request's shapes."""
    x = body.input if x is None else x
    if body.global_:
        return x.size
    k = (body.kernel_size, body.kernel_size) if isinstance(body.kernel_size, int) else body.kernel_size
    d = (body.dilation, body.dilation) if isinstance(body.dilation, int) else body.dilation
    channels = x.shape[0] if x.ndim == 3 else 1
    return offload.sliding_work(x.shape, (k[0] * d[0], k[1] * d[1]), body.padding, channels * k[0] * k[1])


@router.post("/pool2d", response_model=Pool2dResponse)
async def pool2d_endpoint(body: Pool2dRequest, settings: SettingsDep) -> FastJSONResponse:
    """Pool each channel and return a page of step-by-step frames."""
    return await offload.run(respond, body, settings, work=work(body))


@router.post(
    "/pool2d/frames",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/jsonl": {"itemSchema": PoolFrame.model_json_schema()}}}},
)
async def pool2d_stream(body: Pool2dRequest, settings: SettingsDep) -> StreamingResponse:
    """Every frame from `frame_start` on, as JSON Lines (one frame a line), bounded by the limits."""
    result = await offload.run(compute, body, settings.limits, work=work(body))
    return frames_stream(result.frame_count, body.frame_start, functools.partial(pool_page, result), settings)
