"""Feature maps as pictures that tell the truth about sign and size.

The signed view uses a blue–white–orange diverging map (ColorBrewer's PuOr/RdBu family,
distinguishable with the common colour-vision deficiencies), symmetric around zero: white
is exactly 0, full blue is -m and full orange +m, where m = max |value| is what the legend
shows. Negative responses stay visible, unlike demos that clip them to black. The absolute
view maps |value| from 0 (black) to m (white), as an edge detector's magnitude is usually
shown. Both views index the same 255 quantisation levels, so they share one PNG pixel block.
"""

import numpy as np

from .png import palette_urls, png_url

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
MAGNITUDE = np.repeat(np.rint(np.abs(_LEVEL_POSITIONS) * 255)[:, None], 3, axis=1).astype(np.uint8)
CHANNEL_TINTS = {"R": (255, 0, 0), "G": (0, 200, 0), "B": (40, 90, 255), "gray": (255, 255, 255)}


def symmetric_range(values: np.ndarray) -> float:
    """Half-width m of the legend: the largest magnitude, or 1 for an all-zero map."""
    m = float(np.abs(values).max()) if values.size else 0.0
    return m if m > 0 else 1.0


def levels(values: np.ndarray, m: float) -> np.ndarray:
    """H×W values -> H×W uint8 level indices on [-m, m]; level 127 is zero."""
    return np.rint((np.clip(values / m, -1.0, 1.0) + 1.0) * MIDDLE).astype(np.uint8)


def feature_map(values: np.ndarray, m: float | None = None) -> dict:
    """The signed and absolute views of one H×W map plus its legend numbers."""
    m = symmetric_range(values) if m is None else m
    signed, magnitude = palette_urls(levels(values, m), [DIVERGING, MAGNITUDE])
    return {
        "signed": signed,
        "absolute": magnitude,
        "min": float(values.min()),
        "max": float(values.max()),
        "range": m,
    }


def tinted_channel(values: np.ndarray, tint: str) -> str:
    """One 0..255 channel as a PNG, black to the channel's own colour (R red, G green, B blue)."""
    ramp = np.linspace(0.0, 1.0, 256)[:, None] * np.array(CHANNEL_TINTS[tint], float)[None, :]
    indices = np.clip(np.rint(values), 0, 255).astype(np.uint8)
    return palette_urls(indices, [ramp.round().astype(np.uint8)])[0]


def picture(pixels: np.ndarray) -> str:
    """C×H×W 0..255 (C = 1 or 3) as a gray or RGB PNG data URL."""
    clipped = np.clip(np.rint(pixels), 0, 255).astype(np.uint8)
    return png_url(clipped[0] if clipped.shape[0] == 1 else np.moveaxis(clipped, 0, 2))


def legend_stops(count: int = 9) -> list[str]:
    """CSS colours of the signed view from -m to +m (the absolute view runs black to white)."""
    picks = np.rint(np.linspace(0, LEVELS - 1, count)).astype(int)
    return ["#{:02x}{:02x}{:02x}".format(*DIVERGING[i]) for i in picks]
