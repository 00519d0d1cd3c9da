"""POST /api/v1/conv2d/animation, /pool2d/animation and /conv_transpose2d/animation: a layer as a picture.

The body is the JSON endpoint's body plus how to draw it (app/api/pictures.py); the layer is
computed by the layer service, drawn and encoded in one heavy slot of the thread pool.
"""

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import Field

from ...config import Settings
from ...layers import conv, pool, transpose
from ...render import conv_scene, pool_scene, transpose_scene
from .. import offload
from ..deps import SettingsDep
from ..errors import ERROR_RESPONSES
from ..json_route import JSONRoute
from ..network_schemas import ConvTranspose2dRequest
from ..pictures import IMAGE_RESPONSES, AnimationFields, picture_response
from ..schemas import Conv2dRequest, Pool2dRequest

router = APIRouter(prefix="/api/v1", tags=["animation"], route_class=JSONRoute, responses=ERROR_RESPONSES)


class Conv2dAnimationRequest(AnimationFields, Conv2dRequest):
    pass


class Pool2dAnimationRequest(AnimationFields, Pool2dRequest):
    pass


class ConvTranspose2dAnimationRequest(AnimationFields, ConvTranspose2dRequest):
    view: Literal["direct"] = Field("direct", description="Animations draw the direct view: one frame per output cell.")


# Drawing and encoding take up to the animation pixel limits' memory: every animation is heavy work.


def _conv(body: Conv2dAnimationRequest, settings: Settings) -> Response:
    return picture_response(conv_scene(conv.compute(body, settings.limits), body.lang), body, settings)


def _pool(body: Pool2dAnimationRequest, settings: Settings) -> Response:
    return picture_response(pool_scene(pool.compute(body, settings.limits), body.lang), body, settings)


def _transpose(body: ConvTranspose2dAnimationRequest, settings: Settings) -> Response:
    return picture_response(transpose_scene(transpose.compute(body, settings.limits), body.lang), body, settings)


@router.post("/conv2d/animation", response_class=Response, responses=IMAGE_RESPONSES)
async def conv2d_animation(body: Conv2dAnimationRequest, settings: SettingsDep) -> Response:
    """The convolution drawn step by step: padded input, kernel window, output filling in."""
    return await offload.run(_conv, body, settings, work=offload.HEAVY)


@router.post("/pool2d/animation", response_class=Response, responses=IMAGE_RESPONSES)
async def pool2d_animation(body: Pool2dAnimationRequest, settings: SettingsDep) -> Response:
    """Pooling drawn step by step; max pooling marks the winning cell."""
    return await offload.run(_pool, body, settings, work=offload.HEAVY)


@router.post("/conv_transpose2d/animation", response_class=Response, responses=IMAGE_RESPONSES)
async def conv_transpose2d_animation(body: ConvTranspose2dAnimationRequest, settings: SettingsDep) -> Response:
    """A transposed convolution in its direct view: zeros inserted and padded, then convolved."""
    return await offload.run(_transpose, body, settings, work=offload.HEAVY)
