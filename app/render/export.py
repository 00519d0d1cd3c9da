"""Whole pictures from a scene: an animation of a range of steps, or one still, within limits.

Limits are checked before anything is drawn, and each refusal names the request field to
change, so the web layer and the CLI report it the same way. The pixel budget counts what an
animation really draws and encodes: the first frame whole, then each step's changed rectangle.
`fit_cell` picks the largest cell size (down to a readable minimum) that keeps within it.
"""

from dataclasses import dataclass

from ..config import Settings
from ..core.errors import EngineError
from .draw import Painter, RenderOptions
from .encode import encode_deltas, encode_png
from .scene import Scene, Step

MAX_SIDE = 16_383  # the largest side a WebP image can have
MIN_FIT_CELL = 20  # fitting never shrinks cells below this: numbers stay readable
FIT_SHRINK = 0.85  # each fitting try is this much smaller than the one before


@dataclass(frozen=True)
class RenderLimits:
    """The animation caps of Settings (CONVSCOPE_MAX_ANIMATION_*), defaults included: they are set there once."""

    max_frames: int = Settings.max_animation_frames  # frames in one animation
    max_pixels: int = Settings.max_animation_pixels  # pixels of one image
    max_total_pixels: int = Settings.max_animation_total_pixels  # pixels drawn and encoded: bounds time

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
    painter = _painter(scene, options, list(scene.steps(steps.start, steps.stop)), limits)
    return encode_deltas(painter.deltas(), painter.size(), fmt, frame_ms, options.theme)


def fit_cell(
    scene: Scene,
    options: RenderOptions,
    start: int = 0,
    limit: int | None = None,
    limits: RenderLimits = RenderLimits(),
) -> RenderOptions:
    """`options` with the largest cell, from `options.cell_px` down to MIN_FIT_CELL, whose animation fits the limits.

    When none fits, the smallest is returned and `animation` then refuses it with the limit's own message.
    """
    chosen = step_range(scene, start, limit, limits)
    steps = list(scene.steps(chosen.start, chosen.stop))

    def sized(cell: int) -> RenderOptions:
        return RenderOptions(cell, options.show_numbers, options.theme, options.caption)

    larger, cell = None, options.cell_px
    while cell > MIN_FIT_CELL and not _fits(scene, sized(cell), steps, limits):
        larger, cell = cell, max(MIN_FIT_CELL, int(cell * FIT_SHRINK))
    if larger is not None and _fits(scene, sized(cell), steps, limits):
        while larger - cell > 1:  # the largest size between the last refused and the first that fits
            middle = (cell + larger) // 2
            cell, larger = (middle, larger) if _fits(scene, sized(middle), steps, limits) else (cell, middle)
    return sized(cell)


def steps_that_fit(scene: Scene, options: RenderOptions, start: int, limits: RenderLimits) -> int:
    """How many steps from `start` one animation can hold with `options` (0 if not even one): the way out to offer."""
    total = scene.step_count - start
    low, high = 0, min(total, limits.max_frames)
    steps = list(scene.steps(start, start + high))
    while low < high:  # the largest count that fits; fitting is monotone in the count
        middle = (low + high + 1) // 2
        if _fits(scene, options, steps[:middle], limits):
            low = middle
        else:
            high = middle - 1
    return low


def _fits(scene: Scene, options: RenderOptions, steps: list[Step], limits: RenderLimits) -> bool:
    try:
        _painter(scene, options, steps, limits)
    except EngineError:
        return False
    return True


def still(scene: Scene, options: RenderOptions, which: int | str, limits: RenderLimits = RenderLimits()) -> bytes:
    """A PNG of step `which` (0-based, as the JSON frames count), or of the final state for "final"."""
    if which == "final":
        return encode_png(_painter(scene, options, [], limits).final())
    if not 0 <= which < scene.step_count:
        raise EngineError("still", "within_steps", f'still must be a step from 0 to {scene.step_count - 1} or "final"')
    painter = _painter(scene, options, list(scene.steps(which, which + 1)), limits)
    return encode_png(next(painter.frames()))


def _painter(scene: Scene, options: RenderOptions, steps: list[Step], limits: RenderLimits) -> Painter:
    _check_pixels(Painter(scene, options, []), 1, limits)  # before building any caption
    painter = Painter(scene, options, steps)
    _check_pixels(painter, len(steps), limits)
    return painter


def _check_pixels(painter: Painter, frames: int, limits: RenderLimits) -> None:
    width, height = painter.size()
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
    drawn = painter.encoded_pixels() if frames > 1 else width * height
    if drawn > limits.max_total_pixels:
        raise EngineError(
            "frame_limit",
            "limit",
            f"{frames:,} frames of {width:,}×{height:,} pixels would draw {drawn:,} changed pixels, above this "
            f"server's limit of {limits.max_total_pixels:,} in all; render fewer steps or use a smaller cell_px",
        )
