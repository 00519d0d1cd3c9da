"""Whole pictures from a scene: an animation of a range of steps, or one still, within limits.

Limits are checked before anything is drawn, and each refusal names the request field to
change, so the web layer and the CLI report it the same way.
"""

from dataclasses import dataclass

from ..config import Settings
from ..core.errors import EngineError
from .draw import Painter, RenderOptions
from .encode import encode_animation, encode_png
from .scene import Scene

MAX_SIDE = 16_383  # the largest side a WebP image can have


@dataclass(frozen=True)
class RenderLimits:
    max_frames: int = 400  # frames in one animation
    max_pixels: int = 4_000_000  # pixels of one image
    max_total_pixels: int = 40_000_000  # pixels of all frames together: bounds time and memory

    @classmethod
    def of(cls, settings: Settings) -> "RenderLimits":
        return cls(settings.max_animation_frames, settings.max_animation_pixels, settings.max_animation_total_pixels)


def step_range(scene: Scene, start: int, limit: int | None, limits: RenderLimits) -> range:
    total = scene.step_count
    if start >= total:
        raise EngineError("frame_start", "within_steps", f"frame_start must be below the number of steps ({total:,})")
    if limit is not None and limit < 1:
        raise EngineError("frame_limit", "at_least_1", "an animation needs at least one frame")
    stop = total if limit is None else min(total, start + limit)
    if stop - start > limits.max_frames:
        raise EngineError(
            "frame_limit",
            "limit",
            f"this animation would have {stop - start:,} frames, above this server's limit of {limits.max_frames:,}; "
            "choose a range of steps with frame_start and frame_limit",
        )
    return range(start, stop)


def animation(
    scene: Scene,
    options: RenderOptions,
    fmt: str,
    frame_ms: int,
    start: int = 0,
    limit: int | None = None,
    limits: RenderLimits = RenderLimits(),
) -> bytes:
    """One frame per step from `start` (at most `limit` of them), looping forever."""
    steps = step_range(scene, start, limit, limits)
    painter = _painter(scene, options, steps, limits)
    return encode_animation(painter.frames(), fmt, frame_ms, options.theme)


def still(scene: Scene, options: RenderOptions, which: int | str, limits: RenderLimits = RenderLimits()) -> bytes:
    """A PNG of step `which` (0-based, as the JSON frames count), or of the final state for "final"."""
    if which == "final":
        return encode_png(_painter(scene, options, range(0), limits).final())
    if not 0 <= which < scene.step_count:
        raise EngineError("still", "within_steps", f'still must be a step from 0 to {scene.step_count - 1} or "final"')
    painter = _painter(scene, options, range(which, which + 1), limits)
    return encode_png(next(painter.frames()))


def _painter(scene: Scene, options: RenderOptions, steps: range, limits: RenderLimits) -> Painter:
    _check_pixels(Painter(scene, options, []).size(), 1, limits)  # before building any caption
    painter = Painter(scene, options, list(scene.steps(steps.start, steps.stop)))
    _check_pixels(painter.size(), max(1, len(steps)), limits)
    return painter


def _check_pixels(size: tuple[int, int], frames: int, limits: RenderLimits) -> None:
    width, height = size
    if max(width, height) > MAX_SIDE:
        raise EngineError(
            "cell_px",
            "limit",
            f"one image would be {width:,}×{height:,} pixels; no side may exceed {MAX_SIDE:,} (WebP's limit, kept for "
            "every format); use a smaller cell_px or a smaller input",
        )
    if width * height > limits.max_pixels:
        raise EngineError(
            "cell_px",
            "limit",
            f"one image would be {width:,}×{height:,} = {width * height:,} pixels, above this server's limit of "
            f"{limits.max_pixels:,}; use a smaller cell_px or a smaller input",
        )
    if frames * width * height > limits.max_total_pixels:
        raise EngineError(
            "frame_limit",
            "limit",
            f"{frames:,} frames of {width:,}×{height:,} pixels are above this server's limit of "
            f"{limits.max_total_pixels:,} pixels in all; render fewer steps or use a smaller cell_px",
        )
