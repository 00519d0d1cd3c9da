"""Pages of frames: bounds from the limits, one page as JSON or every frame as JSON Lines.

The frames themselves are built by each layer's page builder (app/layers).
"""

from collections.abc import Callable, Iterator

from starlette.responses import StreamingResponse

from ..config import Settings
from ..core.limits import Limits, check_at_most
from .encoding import FastJSONResponse, dumps
from .errors import ApiError
from .schemas import PageRequest

PageBuilder = Callable[[int, int], list[dict]]

DEFAULT_PAGE = 1_000


def frames_per_page(values_per_frame: int, limits: Limits) -> int:
    """The most frames one page may hold, so a page never exceeds `max_page_values` numbers."""
    return max(1, min(limits.max_frames_per_page, limits.max_page_values // max(values_per_frame, 1)))


def page_bounds(total: int, start: int, limit: int | None, values_per_frame: int, limits: Limits) -> tuple[int, int]:
    most = frames_per_page(values_per_frame, limits)
    if limit is None:
        limit = min(DEFAULT_PAGE, most)
    elif limit > most:
        raise ApiError(
            422,
            "frame_limit",
            "at_most_page_size",
            f"frame_limit can be at most {most:,} for this configuration (each frame holds {values_per_frame:,} "
            "numbers); ask for the rest with frame_start",
        )
    if start > total:
        raise ApiError(422, "frame_start", "within_trace", f"frame_start is past the last frame ({total:,} frames)")
    return start, min(total, start + limit)


def next_start(stop: int, total: int) -> int | None:
    return stop if stop < total else None


def stream_lines(build_page: PageBuilder, total: int, start: int, chunk: int) -> Iterator[bytes]:
    """JSON Lines, one frame a line, built and encoded a chunk at a time."""
    for begin in range(start, total, chunk):
        frames = build_page(begin, min(total, begin + chunk))
        yield b"".join(dumps(frame) + b"\n" for frame in frames)


def paged_response(
    layer: dict, total: int, request: PageRequest, values_per_frame: int, build_page: PageBuilder, limits: Limits
) -> FastJSONResponse:
    """The layer's description plus the requested page of its frames, encoded once."""
    start, stop = page_bounds(total, request.frame_start, request.frame_limit, values_per_frame, limits)
    page = {
        "frame_count": total,
        "frame_start": start,
        "next_frame_start": next_start(stop, total),
        "frames": build_page(start, stop),
    }
    return FastJSONResponse(layer | page)


def frames_stream(
    total: int, frame_start: int, build_page: PageBuilder, settings: Settings, values_per_frame: int = 1
) -> StreamingResponse:
    """Every frame from `frame_start` on as JSON Lines, within the stream limit.

    Built in chunks of at most one page's numbers, so a stream of large frames (a weight-gradient
    frame holds Ho×Wo numbers thrice) stays as bounded as a page.
    """
    check_at_most(total, settings.max_stream_frames, "input", "the number of frames")
    if frame_start > total:
        raise ApiError(422, "frame_start", "within_trace", f"frame_start is past the last frame ({total:,} frames)")
    chunk = min(1_000, frames_per_page(values_per_frame, settings.limits))
    return StreamingResponse(stream_lines(build_page, total, frame_start, chunk), media_type="application/jsonl")
