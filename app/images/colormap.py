"""Feature maps as pictures that tell the truth about sign and size.

The signed view uses a blue–white–orange diverging map (ColorBrewer's PuOr/RdBu family,
distinguishable with the common colour-vision deficiencies), symmetric around zero: white
is exactly 0, full blue is -m and full orange +m, where m = max |value| is what the legend
shows. Negative responses stay visible, unlike demos that clip them to black. The absolute
view maps |value| from 0 (black) to m (white), as an edge detector's magnitude is usually
shown. Both views index the same 255 quantisation levels, so they share one PNG pixel block.

Compact answers (`maps=levels`) send those level indices once, as a gray PNG, with the palettes
that colour them: the page paints the view it shows, so switching views costs no request, and
its colours are these tables by construction. A map with no negative value is sent on the
sequential scale instead (levels 0..254 over [0, max], light to dark orange): a diverging map would
waste its blue half and paint a blur in one flat orange.
"""

from collections.abc import Callable

import numpy as np

from .packed import plane_bytes
from .png import data_url, encode, in_background, in_parallel, pixel_data, png_urls

LEVELS = 255  # odd, so the middle level (127) is exactly 0 and exactly white
MIDDLE = LEVELS // 2

# Anchor colours from -1 to +1: dark blue, light blue, near-white, light orange, dark orange.
_ANCHORS = np.array([[33, 102, 172], [146, 197, 222], [247, 247, 247], [253, 184, 99], [179, 88, 6]], float)
_LEVEL_POSITIONS = np.linspace(-1.0, 1.0, LEVELS)
DIVERGING = (
    np.stack(
        [np.interp(_LEVEL_POSITIONS, np.linspace(-1.0, 1.0, len(_ANCHORS)), _ANCHORS[:, k]) for k in range(3)], axis=1
    )
    .round()
    .astype(np.uint8)
)
# Sequential, for maps with no negative value: ColorBrewer "Oranges", near-white (0) to dark orange (max),
# the same hue as the diverging map's positive side, so "orange = positive" reads the same in both.
_SEQUENTIAL_ANCHORS = np.array([[255, 245, 235], [253, 208, 162], [253, 141, 60], [217, 72, 1], [127, 39, 4]], float)
_SEQUENTIAL_STOPS = np.linspace(0.0, 1.0, len(_SEQUENTIAL_ANCHORS))
_UNIT = np.linspace(0.0, 1.0, LEVELS)
SEQUENTIAL = (
    np.stack(
        [np.interp(_UNIT, _SEQUENTIAL_STOPS, _SEQUENTIAL_ANCHORS[:, k]) for k in range(3)],
        axis=1,
    )
    .round()
    .astype(np.uint8)
)
GRAY = np.repeat(np.rint(_UNIT * 255)[:, None], 3, axis=1).astype(np.uint8)  # |value| of a sequential map
MAGNITUDE = np.repeat(np.rint(np.abs(_LEVEL_POSITIONS) * 255)[:, None], 3, axis=1).astype(np.uint8)
CHANNEL_TINTS = {"R": (255, 0, 0), "G": (0, 200, 0), "B": (40, 90, 255), "gray": (255, 255, 255)}


def levels(values: np.ndarray, m: float) -> np.ndarray:
    """H×W values -> H×W uint8 level indices on [-m, m]; level 127 is zero.

    float32 and in place: 255 display levels need no more precision, and big maps stay fast.
    """
    scaled = values.astype(np.float32)
    scaled *= np.float32(MIDDLE / m)
    scaled += np.float32(MIDDLE)
    np.clip(scaled, 0, 2 * MIDDLE, out=scaled)
    return np.rint(scaled, out=scaled).astype(np.uint8)


def _draw(job: tuple[np.ndarray, float | None]) -> dict:
    values, given = job
    low, high = float(values.min()), float(values.max())
    m = given if given is not None else (max(-low, high) or 1.0)
    idat = pixel_data(levels(values, m))
    height, width = values.shape
    signed, absolute = (data_url(encode(height, width, "palette", idat, p)) for p in (DIVERGING, MAGNITUDE))
    return {"signed": signed, "absolute": absolute, "min": low, "max": high, "range": m}


def _scaled(values: np.ndarray, given: float | None) -> tuple[np.ndarray, dict]:
    """A map's level indices and legend: sequential [0, max] without negatives or given range, else diverging."""
    low, high = float(values.min()), float(values.max())
    if given is None and low >= 0:
        m, scale = high or 1.0, "sequential"
        indices = levels(values * 2.0 - m, m)  # [0, m] onto all 255 levels
    else:
        m, scale = (given if given is not None else (max(-low, high) or 1.0)), "diverging"
        indices = levels(values, m)
    return indices, {"scale": scale, "min": low, "max": high, "range": m}


def _draw_levels(job: tuple[np.ndarray, float | None]) -> dict:
    indices, legend = _scaled(*job)
    height, width = indices.shape
    return {"levels": data_url(encode(height, width, "gray", pixel_data(indices))), **legend}


def _draw_plane(job: tuple[np.ndarray, float | None]) -> dict:
    indices, legend = _scaled(*job)
    return {"plane": plane_bytes(indices), **legend}


def level_maps(maps: list[np.ndarray], ranges: list[float | None] | None = None) -> list[dict]:
    """Each H×W map once, as a gray PNG of level indices (0..254) plus its scale and legend numbers.

    Without a given range, a map with no negative value goes on the sequential scale [0, max];
    the others (and every map with a given, shared range) on the diverging scale [-m, m].
    """
    return in_parallel(_draw_levels, zip(maps, ranges or [None] * len(maps)))


def plane_maps(maps: list[np.ndarray], ranges: list[float | None] | None = None) -> list[dict]:
    """As `level_maps`, with each map's level indices as raw bytes (`plane`, for maps=binary)."""
    return in_parallel(_draw_plane, zip(maps, ranges or [None] * len(maps)))


def palettes() -> dict[str, str]:
    """The colour tables of the level indices, each as 255 × "rrggbb" in one string.

    diverging and magnitude colour a diverging map's signed and absolute views; sequential and
    gray a sequential map's. The page colours maps with these very tables.
    """
    tables = {"diverging": DIVERGING, "magnitude": MAGNITUDE, "sequential": SEQUENTIAL, "gray": GRAY}
    return {name: table.tobytes().hex() for name, table in tables.items()}


def feature_maps(maps: list[np.ndarray], ranges: list[float | None] | None = None) -> list[dict]:
    """The signed and absolute views of H×W maps plus their legend numbers (range: given or max |value|).

    Both views share one compressed pixel block; the maps are drawn in parallel.
    """
    return in_parallel(_draw, zip(maps, ranges or [None] * len(maps)))


def start_pictures(
    pixels: np.ndarray, names: list[str], as_url: bool = True
) -> Callable[[], tuple[str | bytes, list[str]]]:
    """Start drawing C×H×W 0..255 as the whole picture (gray or RGB) and each channel in its own colour.

    The compression runs on the drawing threads while the caller goes on (the convolution);
    call the result to collect the data URLs. With no `names`, only the whole picture is drawn;
    without `as_url` it comes as the PNG file's bytes (for maps=binary).
    """
    clipped = np.clip(np.rint(pixels), 0, 255).astype(np.uint8)
    channels, height, width = clipped.shape
    whole_plane = clipped[0] if channels == 1 else np.moveaxis(clipped, 0, 2)
    tinted = channels > 1 and bool(names)
    pending = in_background(pixel_data, [whole_plane, *clipped] if tinted else [whole_plane])
    ramps = [_ramp(CHANNEL_TINTS.get(name, CHANNEL_TINTS["gray"])) for name in names]

    def collect() -> tuple[str, list[str]]:
        idats = pending()
        png = encode(height, width, "gray" if channels == 1 else "rgb", idats[0])
        whole = data_url(png) if as_url else png
        if not tinted:
            return whole, [whole] * len(names)
        return whole, [data_url(encode(height, width, "palette", idat, r)) for idat, r in zip(idats[1:], ramps)]

    return collect


def picture(pixels: np.ndarray) -> str:
    """C×H×W 0..255 (C = 1 or 3) as a gray or RGB PNG data URL."""
    clipped = np.clip(np.rint(pixels), 0, 255).astype(np.uint8)
    return png_urls([clipped[0] if clipped.shape[0] == 1 else np.moveaxis(clipped, 0, 2)])[0]


def _ramp(tint: tuple[int, int, int]) -> np.ndarray:
    return (np.linspace(0.0, 1.0, 256)[:, None] * np.array(tint, float)[None, :]).round().astype(np.uint8)


def legend_stops(count: int = 9) -> list[str]:
    """CSS colours of the signed view from -m to +m (the absolute view runs black to white)."""
    picks = np.rint(np.linspace(0, LEVELS - 1, count)).astype(int)
    return ["#{:02x}{:02x}{:02x}".format(*DIVERGING[i]) for i in picks]
