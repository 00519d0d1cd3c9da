"""POST /api/v1/conv2d/backward, /pool2d/backward (pages and JSON Lines) and /conv2d/fit.

The forward bodies plus `grad_output`; the answers carry every gradient torch.autograd gives
and the frames of one view of how it arises. Validate, call the layer service
(app/layers/backward.py), return.
"""

import functools
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response, StreamingResponse
from pydantic import Field

from ...config import Settings
from ...layers import backward, pool
from ...render.backward_scene import gather_scene
from .. import offload
from ..backward_schemas import (
    Conv2dBackwardRequest,
    Conv2dBackwardResponse,
    Conv2dFitRequest,
    Conv2dFitResponse,
    Pool2dBackwardRequest,
    Pool2dBackwardResponse,
    RoutingFrame,
    ScatterFrame,
)
from ..deps import SettingsDep
from ..encoding import FastJSONResponse
from ..errors import ERROR_RESPONSES
from ..json_route import JSONRoute
from ..paging import frames_stream, paged_response
from ..pictures import IMAGE_RESPONSES, AnimationFields, picture_response

router = APIRouter(prefix="/api/v1", tags=["backward pass"], route_class=JSONRoute, responses=ERROR_RESPONSES)


def respond_conv(body: Conv2dBackwardRequest, settings: Settings) -> FastJSONResponse:
    result = backward.compute_conv(body, settings.limits)
    total, per_frame, build, extra = backward.conv_view(result, body.view, settings.limits)
    layer = backward.describe_conv(result, body.view, extra)
    return paged_response(layer, total, body, per_frame, build, settings.limits)


@router.post("/conv2d/backward", response_model=Conv2dBackwardResponse)
async def conv2d_backward_endpoint(body: Conv2dBackwardRequest, settings: SettingsDep) -> FastJSONResponse:
    """Every gradient of a conv2d layer (as torch.autograd computes them) and a page of one view's frames."""
    return await offload.run(respond_conv, body, settings, work=backward.conv_work(body))


@router.post(
    "/conv2d/backward/frames",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/jsonl": {"itemSchema": ScatterFrame.model_json_schema()}}}},
)
async def conv2d_backward_stream(body: Conv2dBackwardRequest, settings: SettingsDep) -> StreamingResponse:
    """Every frame of the chosen view from `frame_start` on, as JSON Lines, bounded by the limits."""
    total, per_frame, build, _ = await offload.run(conv_frames, body, settings, work=backward.conv_work(body))
    return frames_stream(total, body.frame_start, build, settings, per_frame)


def conv_frames(body: Conv2dBackwardRequest, settings: Settings) -> tuple[int, int, backward.PageBuilder, dict]:
    return backward.conv_view(backward.compute_conv(body, settings.limits), body.view, settings.limits)


def respond_pool(body: Pool2dBackwardRequest, settings: Settings) -> FastJSONResponse:
    result = backward.compute_pool(body, settings.limits)
    per_frame = pool.values_per_frame(result.forward)
    build = functools.partial(backward.routing_page, result)
    return paged_response(backward.describe_pool(result), result.frame_count, body, per_frame, build, settings.limits)


@router.post("/pool2d/backward", response_model=Pool2dBackwardResponse)
async def pool2d_backward_endpoint(body: Pool2dBackwardRequest, settings: SettingsDep) -> FastJSONResponse:
    """The input gradient of max/avg pooling and, per output cell, where its gradient goes."""
    return await offload.run(respond_pool, body, settings, work=backward.pool_work(body))


@router.post(
    "/pool2d/backward/frames",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/jsonl": {"itemSchema": RoutingFrame.model_json_schema()}}}},
)
async def pool2d_backward_stream(body: Pool2dBackwardRequest, settings: SettingsDep) -> StreamingResponse:
    """Every routing frame from `frame_start` on, as JSON Lines, bounded by the limits."""
    result = await offload.run(backward.compute_pool, body, settings.limits, work=backward.pool_work(body))
    per_frame = pool.values_per_frame(result.forward)
    build = functools.partial(backward.routing_page, result)
    return frames_stream(result.frame_count, body.frame_start, build, settings, per_frame)


def respond_fit(body: Conv2dFitRequest, settings: Settings) -> FastJSONResponse:
    return FastJSONResponse(backward.fit(body, settings))


@router.post("/conv2d/fit", response_model=Conv2dFitResponse)
async def conv2d_fit_endpoint(body: Conv2dFitRequest, settings: SettingsDep) -> FastJSONResponse:
    """Learn a kernel: gradient descent on the mean squared error between the output and `target`."""
    return await offload.run(respond_fit, body, settings, work=backward.fit_work(body))


class Conv2dBackwardAnimationRequest(AnimationFields, Conv2dBackwardRequest):
    view: Literal["gather"] = Field(
        "gather", description="Animations draw the gather view: one frame per padded-input cell's gradient."
    )


@router.post("/conv2d/backward/animation", response_class=Response, responses=IMAGE_RESPONSES)
async def conv2d_backward_animation(body: Conv2dBackwardAnimationRequest, settings: SettingsDep) -> Response:
    """The input gradient as a transposed convolution, drawn step by step (GIF, WebP, APNG or PNG)."""
    return await offload.run(_gather_animation, body, settings, work=offload.HEAVY)


def _gather_animation(body: Conv2dBackwardAnimationRequest, settings: Settings) -> Response:
    """Drawing and encoding take up to the animation pixel limits' memory: heavy work, as every animation."""
    scene = gather_scene(backward.compute_conv(body, settings.limits), settings.limits, body.lang)
    return picture_response(scene, body, settings)
