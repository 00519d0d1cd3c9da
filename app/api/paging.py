"""Pages of frames: bounds from the limits, then plain dicts built from vectorised arrays."""

from collections.abc import Callable, Iterator

from starlette.responses import StreamingResponse

from ..config import Settings
from ..core.conv import ConvResult, conv_frames
from ..core.limits import Limits, check_at_most
from ..core.pool import PoolResult, pool_frames
from .encoding import FastJSONResponse, compact, dumps, to_lists
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


def conv_values_per_frame(result: ConvResult) -> int:
    return 2 * result.weight[0].size + result.weight.shape[1] + 8


def pool_values_per_frame(result: PoolResult) -> int:
    return result.kernel[0] * result.kernel[1] + 10


def conv_page(result: ConvResult, start: int, stop: int) -> list[dict]:
    """Frame dicts whose arrays are numpy views: orjson encodes them natively, in one pass."""
    frames = conv_frames(result, start, stop)
    out, origin, window, products, sums = (
        compact(frames[k]) for k in ("out", "origin", "window", "products", "channel_sums")
    )
    bias, value, activated = (compact(frames[k]).tolist() for k in ("bias", "value", "activated"))
    return [
        {
            "step": start + n,
            "out": out[n],
            "origin": origin[n],
            "window": window[n],
            "products": products[n],
            "channel_sums": sums[n],
            "bias": bias[n],
            "value": value[n],
            "activated": activated[n],
        }
        for n in range(stop - start)
    ]


def pool_page(result: PoolResult, start: int, stop: int) -> list[dict]:
    frames = pool_frames(result, start, stop)
    count = stop - start
    out, origin, window = (compact(frames[k]) for k in ("out", "origin", "window"))
    value = frames["value"].tolist()
    argmax = frames["argmax"]
    argmax = [None] * count if argmax is None else [None if r < 0 else [r, c] for r, c in argmax.tolist()]
    sums = to_lists(frames["sum"]) or [None] * count
    divisor = to_lists(frames["divisor"]) or [None] * count
    return [
        {
            "step": start + n,
            "out": out[n],
            "origin": origin[n],
            "window": window[n],
            "value": value[n],
            "argmax": argmax[n],
            "sum": sums[n],
            "divisor": divisor[n],
        }
        for n in range(count)
    ]


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
