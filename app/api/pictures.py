"""A layer as a picture response: the animation request's fields, and the GIF/WebP/APNG/PNG answer.

The body is a layer's JSON body plus how to draw it; `frame_start`/`frame_limit`
choose the steps. Same body, same bytes. Without `cell_px` the cells shrink (down to a
readable size) until the animation fits this server's limits; the answer's
`X-ConvScope-Cell-Px` header says the size drawn. A refusal for too many frames or pixels
carries `X-ConvScope-Steps-That-Fit` (how many steps from `frame_start` one file can hold)
and `X-ConvScope-Steps` (all the layer's steps), so a page can offer that range instead of an error.
Shared by the forward and the backward animation routes (no route imports another).
"""

from dataclasses import replace
from typing import Annotated, Literal

from fastapi.responses import Response
from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from ..config import Settings
from ..core.errors import EngineError
from ..render import EXTENSIONS, MEDIA_TYPES, RenderLimits, RenderOptions, Scene, animation
from ..render import still as render_still
from ..render.captions import Lang
from ..render.export import MIN_FIT_CELL, fit_cell, steps_that_fit
from .errors import ERROR_RESPONSES, error_response
from .schemas import StrictModel


class AnimationFields(StrictModel):
    frame_limit: Annotated[
        int | None, Field(ge=1, le=10**9, description="Steps to animate from frame_start (default: all the rest).")
    ] = None
    format: Literal["gif", "webp", "apng"] = Field("gif", description="Animation format (ignored for a still).")
    frame_ms: Annotated[int, Field(ge=20, le=5000, description="Milliseconds per step (GIF keeps hundredths).")] = 500
    cell_px: Annotated[
        int | None,
        Field(ge=16, le=128, description="Side of one cell in pixels (default: 48, smaller if needed to fit)."),
    ] = None
    show_numbers: bool = Field(True, description="Print the values in the cells.")
    theme: Literal["light", "dark"] = "light"
    caption: bool = Field(True, description="Show the current step's arithmetic under the grids.")
    lang: Lang = Field("en", description="Language of the caption and labels: `en` or `zh-CN`.")
    still: Annotated[int, Field(ge=0)] | Literal["final"] | None = Field(
        None, description='A PNG of one step (0-based) or of the "final" state instead of an animation.'
    )

    @field_validator("still", mode="before")
    @classmethod
    def _still_form(cls, value: object) -> object:
        if value is None or value == "final" or (type(value) is int and value >= 0):
            return value
        raise PydanticCustomError("still_form", 'must be a step number (0 or more) or "final"')


_BINARY = {"schema": {"type": "string", "format": "binary"}}
DEFAULT_CELL_PX = 48
CELL_HEADER = "X-ConvScope-Cell-Px"
FIT_HEADER = "X-ConvScope-Steps-That-Fit"
STEPS_HEADER = "X-ConvScope-Steps"
_INTEGER = {"type": "integer"}
IMAGE_RESPONSES = {
    200: {
        "description": "The animation, or a PNG when `still` is set; sent as an attachment.",
        "content": {media: _BINARY for media in MEDIA_TYPES.values()},
        "headers": {CELL_HEADER: {"description": "The cell size drawn, in pixels.", "schema": _INTEGER}},
    },
    422: {
        **ERROR_RESPONSES[422],
        "headers": {
            FIT_HEADER: {"description": "Steps from `frame_start` that one file can hold.", "schema": _INTEGER},
            STEPS_HEADER: {"description": "All the layer's steps.", "schema": _INTEGER},
        },
    },
}


def picture_response(scene: Scene, body: AnimationFields, settings: Settings) -> Response:
    options = RenderOptions(
        cell_px=body.cell_px or DEFAULT_CELL_PX, show_numbers=body.show_numbers, theme=body.theme, caption=body.caption
    )
    limits = RenderLimits.of(settings)
    name = f"convscope-{scene.kind}"
    if body.still is None:
        try:
            if body.cell_px is None:
                options = fit_cell(scene, options, body.frame_start, body.frame_limit, limits)
            content = animation(scene, options, body.format, body.frame_ms, body.frame_start, body.frame_limit, limits)
        except EngineError as refusal:
            if refusal.rule != "limit" or refusal.field != "frame_limit":
                raise
            return _refusal(refusal, scene, body, options, limits)
        kind = body.format
    else:
        content = render_still(scene, options, body.still, limits)
        name += "-final" if body.still == "final" else f"-step-{body.still}"
        kind = "png"
    disposition = f'attachment; filename="{name}.{EXTENSIONS[kind]}"'
    headers = {"Content-Disposition": disposition, CELL_HEADER: str(options.cell_px)}
    return Response(content, media_type=MEDIA_TYPES[kind], headers=headers)


def _refusal(
    refusal: EngineError, scene: Scene, body: AnimationFields, options: RenderOptions, limits: RenderLimits
) -> Response:
    """Too many frames or pixels: the error, plus the steps one file can hold (with the smallest cells if fitting)."""
    if body.cell_px is None:
        options = replace(options, cell_px=MIN_FIT_CELL)
    fit = steps_that_fit(scene, options, body.frame_start, limits)
    item = {"field": refusal.field, "rule": refusal.rule, "message": refusal.message}
    headers = {FIT_HEADER: str(fit), STEPS_HEADER: str(scene.step_count), CELL_HEADER: str(options.cell_px)}
    return error_response(422, [item], headers=headers)
