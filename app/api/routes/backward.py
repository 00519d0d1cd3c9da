"""POST /api/v1/conv2d/backward, /pool2d/backward (pages and JSON Lines) and /conv2d/fit.

The forward bodies plus `grad_output`; the answers carry every gradient torch.autograd gives
and the frames of one view of how it arises.
"""

import functools
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response, StreamingResponse
from pydantic import Field

from ...config import Settings
from ...core.backward import (
    ConvBackward,
    conv2d_backward,
    gather_padding,
    gather_view,
    scatter_frames,
    weight_frames,
)
from ...core.fit import FitResult, fit_kernel
from ...core.limits import check_at_most
from ...core.pool_backward import PoolBackward, pool2d_backward, routing_frames
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
from ..encoding import FastJSONResponse, compact, to_lists
from ..errors import ERROR_RESPONSES
from ..json_route import JSONRoute
from ..paging import (
    PageBuilder,
    conv_page,
    conv_values_per_frame,
    frames_stream,
    paged_response,
    pool_values_per_frame,
)
from . import conv as conv_routes
from . import pool as pool_routes
from .animation import IMAGE_RESPONSES, AnimationFields
from .animation import render as render_animation

router = APIRouter(prefix="/api/v1", tags=["backward pass"], route_class=JSONRoute, responses=ERROR_RESPONSES)

SCATTER_KEYS = ("out", "grad_output", "derivative", "grad", "origin", "channels", "stamp")
WEIGHT_KEYS = ("weight", "tap", "channel", "origin", "window", "grad", "products", "value")
ROUTING_KEYS = ("out", "origin", "grad", "share", "argmax", "divisor")


def rows_of(frames: dict, keys: tuple[str, ...], start: int, count: int) -> list[dict]:
    """Frame dicts from column arrays (None columns stay None)."""
    columns = [to_lists(frames[key]) or [None] * count for key in keys]
    return [dict(zip(("step", *keys), (start + n, *row))) for n, row in enumerate(zip(*columns))]


def scatter_page(result: ConvBackward, start: int, stop: int) -> list[dict]:
    return rows_of(scatter_frames(result, start, stop), SCATTER_KEYS, start, stop - start)


def weight_page(result: ConvBackward, start: int, stop: int) -> list[dict]:
    return rows_of(weight_frames(result, start, stop), WEIGHT_KEYS, start, stop - start)


def routing_page(result: PoolBackward, start: int, stop: int) -> list[dict]:
    frames = routing_frames(result, start, stop)
    if frames["argmax"] is not None:  # -1: a window of padding only routes nowhere
        frames["argmax"] = [None if r < 0 else [r, c] for r, c in frames["argmax"].tolist()]
    count = stop - start
    columns = [v if isinstance(v, list) else to_lists(v) or [None] * count for v in map(frames.get, ROUTING_KEYS)]
    return [dict(zip(("step", *ROUTING_KEYS), (start + n, *row))) for n, row in enumerate(zip(*columns))]


def compute_conv(body: Conv2dBackwardRequest, settings: Settings) -> ConvBackward:
    """The forward layer exactly as /conv2d computes it, then every gradient for `grad_output`."""
    forward = conv_routes.compute(body, settings.limits)
    size = body.input.shape[-2:]
    return conv2d_backward(
        forward, body.grad_output, input_size=size, padding_mode=body.padding_mode, flip_kernel=body.flip_kernel
    )


def conv_view(result: ConvBackward, view: str, settings: Settings) -> tuple[int, int, PageBuilder, dict]:
    """The chosen view's frame count, numbers per frame, page builder and extra description."""
    _, cpg, kh, kw = result.forward.weight.shape
    if view == "scatter":
        return result.scatter_frame_count, 2 * cpg * kh * kw + cpg + 10, functools.partial(scatter_page, result), {}
    if view == "weight":
        per_frame = 3 * result.forward.output[0].size + 12
        return result.weight_frame_count, per_frame, functools.partial(weight_page, result), {}
    gather = gather_view(result, settings.limits)
    extra = {"kernel": compact(gather.conv.weight), "padded_grad_output": compact(gather.conv.padded)}
    build = functools.partial(conv_page, gather.conv)
    return gather.conv.frame_count, conv_values_per_frame(gather.conv), build, extra


def describe_conv(result: ConvBackward, view: str, gather_extra: dict) -> dict:
    forward = result.forward
    filters, cpg = forward.weight.shape[:2]
    gather = {
        "inserted_zeros": [forward.stride[0] - 1, forward.stride[1] - 1],
        "padding": list(gather_padding(forward)),
        "dilation": list(forward.dilation),
        "kernel_flipped": True,
        "channels_swapped": not (filters == forward.groups and cpg == 1),
        "kernel": None,
        "padded_grad_output": None,
    } | gather_extra
    return conv_routes.describe(forward) | {
        "grad_output": compact(result.grad_output),
        "activation_derivative": compact(result.derivative),
        "grad_pre_activation": compact(result.grad_pre_activation),
        "grad_padded_input": compact(result.grad_padded),
        "grad_input": compact(result.grad_input),
        "grad_weight": compact(result.grad_weight),
        "grad_bias": compact(result.grad_bias),
        "gather": gather,
        "view": view,
    }


def respond_conv(body: Conv2dBackwardRequest, settings: Settings) -> FastJSONResponse:
    result = compute_conv(body, settings)
    total, per_frame, build, extra = conv_view(result, body.view, settings)
    return paged_response(describe_conv(result, body.view, extra), total, body, per_frame, build, settings.limits)


@router.post("/conv2d/backward", response_model=Conv2dBackwardResponse)
async def conv2d_backward_endpoint(body: Conv2dBackwardRequest, settings: SettingsDep) -> FastJSONResponse:
    """Every gradient of a conv2d layer (as torch.autograd computes them) and a page of one view's frames."""
    return await offload.run(respond_conv, body, settings, work=3 * body.input.size * body.kernel.size)


@router.post(
    "/conv2d/backward/frames",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/jsonl": {"itemSchema": ScatterFrame.model_json_schema()}}}},
)
def conv2d_backward_stream(body: Conv2dBackwardRequest, settings: SettingsDep) -> StreamingResponse:
    """Every frame of the chosen view from `frame_start` on, as JSON Lines, bounded by the limits."""
    total, per_frame, build, _ = conv_view(compute_conv(body, settings), body.view, settings)
    return frames_stream(total, body.frame_start, build, settings, per_frame)


def compute_pool(body: Pool2dBackwardRequest, settings: Settings) -> PoolBackward:
    return pool2d_backward(pool_routes.compute(body, settings.limits), body.grad_output)


def respond_pool(body: Pool2dBackwardRequest, settings: Settings) -> FastJSONResponse:
    result = compute_pool(body, settings)
    layer = pool_routes.describe(result.forward) | {
        "grad_output": compact(result.grad_output),
        "grad_input": compact(result.grad_input),
    }
    per_frame = pool_values_per_frame(result.forward)
    build = functools.partial(routing_page, result)
    return paged_response(layer, result.frame_count, body, per_frame, build, settings.limits)


@router.post("/pool2d/backward", response_model=Pool2dBackwardResponse)
async def pool2d_backward_endpoint(body: Pool2dBackwardRequest, settings: SettingsDep) -> FastJSONResponse:
    """The input gradient of max/avg pooling and, per output cell, where its gradient goes."""
    return await offload.run(respond_pool, body, settings, work=body.input.size * 8)


@router.post(
    "/pool2d/backward/frames",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/jsonl": {"itemSchema": RoutingFrame.model_json_schema()}}}},
)
def pool2d_backward_stream(body: Pool2dBackwardRequest, settings: SettingsDep) -> StreamingResponse:
    """Every routing frame from `frame_start` on, as JSON Lines, bounded by the limits."""
    result = compute_pool(body, settings)
    per_frame = pool_values_per_frame(result.forward)
    return frames_stream(
        result.frame_count, body.frame_start, functools.partial(routing_page, result), settings, per_frame
    )


def respond_fit(body: Conv2dFitRequest, settings: Settings) -> FastJSONResponse:
    check_at_most(body.steps, settings.max_fit_steps, "steps", "the number of steps")
    fit: FitResult = fit_kernel(
        body.input,
        body.target,
        body.kernel,
        body.bias,
        learning_rate=body.learning_rate,
        steps=body.steps,
        keep_outputs=True,
        **conv_routes.layer_options(body),
        limits=settings.limits,
        max_steps=settings.max_fit_steps,
        max_values=settings.limits.max_page_values,
    )
    return FastJSONResponse(
        {
            "steps": len(fit.losses),
            "diverged": fit.diverged,
            "losses": fit.losses,
            "kernels": fit.kernels,
            "grad_weights": fit.grad_weights,
            "outputs": fit.outputs,
            "grad_outputs": fit.grad_outputs,
            "final_output": fit.final_output,
            "final_loss": fit.final_loss,
            "target": fit.target,
        }
    )


@router.post("/conv2d/fit", response_model=Conv2dFitResponse)
async def conv2d_fit_endpoint(body: Conv2dFitRequest, settings: SettingsDep) -> FastJSONResponse:
    """Learn a kernel: gradient descent on the mean squared error between the output and `target`."""
    return await offload.run(respond_fit, body, settings, work=body.steps * body.input.size * body.kernel.size)


class Conv2dBackwardAnimationRequest(AnimationFields, Conv2dBackwardRequest):
    view: Literal["gather"] = Field(
        "gather", description="Animations draw the gather view: one frame per padded-input cell's gradient."
    )


@router.post("/conv2d/backward/animation", response_class=Response, responses=IMAGE_RESPONSES)
def conv2d_backward_animation(body: Conv2dBackwardAnimationRequest, settings: SettingsDep) -> Response:
    """The input gradient as a transposed convolution, drawn step by step (GIF, WebP, APNG or PNG)."""
    return render_animation(gather_scene(compute_conv(body, settings), settings.limits, body.lang), body, settings)
