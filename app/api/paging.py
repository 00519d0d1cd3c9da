"""Pages of frames: bounds from the limits, then plain dicts built from vectorised arrays."""

from collections.abc import Iterator

from ..core.conv import ConvResult, conv_frames
from ..core.limits import Limits
from ..core.pool import PoolResult, pool_frames
from .encoding import dumps, to_lists
from .errors import ApiError

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
    frames = conv_frames(result, start, stop)
    columns = [to_lists(frames[key]) for key in CONV_KEYS]
    return [dict(zip(CONV_FIELDS, (start + n, *row))) for n, row in enumerate(zip(*columns))]


CONV_KEYS = ("out", "origin", "window", "products", "channel_sums", "bias", "value", "activated")
CONV_FIELDS = ("step", *CONV_KEYS)


def pool_page(result: PoolResult, start: int, stop: int) -> list[dict]:
    frames = pool_frames(result, start, stop)
    count = stop - start
    argmax = frames["argmax"]
    if argmax is not None:
        argmax = [None if r < 0 else [r, c] for r, c in argmax.tolist()]
    columns = {
        "out": to_lists(frames["out"]),
        "origin": to_lists(frames["origin"]),
        "window": frames["window"].tolist(),
        "value": frames["value"].tolist(),
        "argmax": argmax or [None] * count,
        "sum": to_lists(frames["sum"]) or [None] * count,
        "divisor": to_lists(frames["divisor"]) or [None] * count,
    }
    keys = tuple(columns)
    return [dict(zip(("step", *keys), (start + n, *row))) for n, row in enumerate(zip(*(columns[k] for k in keys)))]


def stream_lines(build_page, total: int, start: int, chunk: int) -> Iterator[bytes]:
    """JSON Lines, one frame a line, built and encoded a chunk at a time."""
    for begin in range(start, total, chunk):
        frames = build_page(begin, min(total, begin + chunk))
        yield b"".join(dumps(frame) + b"\n" for frame in frames)
