"""POST /api/v1/pool2d: max/avg pooling with a page of frames; /frames streams them all.

Validate (the request model), call the layer service (app/layers/pool.py), return.
"""

import functools

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from ...config import Settings
from ...layers import pool
from .. import offload
from ..deps import SettingsDep
from ..encoding import FastJSONResponse
from ..errors import ERROR_RESPONSES
from ..json_route import JSONRoute
from ..paging import frames_stream, paged_response
from ..schemas import Pool2dRequest, Pool2dResponse, PoolFrame

router = APIRouter(prefix="/api/v1", tags=["pooling"], route_class=JSONRoute, responses=ERROR_RESPONSES)


def respond(body: Pool2dRequest, settings: Settings) -> FastJSONResponse:
    result = pool.compute(body, settings.limits)
    build = functools.partial(pool.page, result)
    return paged_response(
        pool.describe(result), result.frame_count, body, pool.values_per_frame(result), build, settings.limits
    )


@router.post("/pool2d", response_model=Pool2dResponse)
async def pool2d_endpoint(body: Pool2dRequest, settings: SettingsDep) -> FastJSONResponse:
    """Pool each channel and return a page of step-by-step frames."""
    return await offload.run(respond, body, settings, work=pool.work(body))


@router.post(
    "/pool2d/frames",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/jsonl": {"itemSchema": PoolFrame.model_json_schema()}}}},
)
async def pool2d_stream(body: Pool2dRequest, settings: SettingsDep) -> StreamingResponse:
    """Every frame from `frame_start` on, as JSON Lines (one frame a line), bounded by the limits."""
    result = await offload.run(pool.compute, body, settings.limits, work=pool.work(body))
    return frames_stream(result.frame_count, body.frame_start, functools.partial(pool.page, result), settings)
