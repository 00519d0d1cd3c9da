"""Encode frames as GIF, WebP or APNG, and a still as PNG, byte-for-byte reproducibly.

Nothing time-dependent goes in (Pillow writes no timestamps into these formats), GIF and
APNG frames are mapped onto one fixed palette with no dithering, and WebP is lossless; so
the same frames always give the same bytes and every theme colour survives exactly.
"""

import io
from collections.abc import Iterable
from functools import lru_cache

from PIL import Image

from .palette import THEMES, gif_palette

MEDIA_TYPES = {"gif": "image/gif", "webp": "image/webp", "apng": "image/apng", "png": "image/png"}
EXTENSIONS = {"gif": "gif", "webp": "webp", "apng": "png", "png": "png"}


@lru_cache(maxsize=len(THEMES))
def _palette_image(theme: str) -> Image.Image:
    colours = gif_palette(THEMES[theme])  # fewer than 256: GIF's optimizer takes a free slot for transparency
    image = Image.new("P", (1, 1))
    image.putpalette([value for colour in colours for value in colour])
    return image


def to_palette(frame: Image.Image, theme: str) -> Image.Image:
    return frame.quantize(palette=_palette_image(theme), dither=Image.Dither.NONE)


def encode_animation(frames: Iterable[Image.Image], fmt: str, frame_ms: int, theme: str) -> bytes:
    """Loop forever, `frame_ms` per frame. GIF stores hundredths of a second."""
    frames = iter(frames)
    if fmt in ("gif", "apng"):
        frames = (to_palette(frame, theme) for frame in frames)
    first = next(frames)
    buffer = io.BytesIO()
    options: dict = {"save_all": True, "append_images": frames, "duration": frame_ms, "loop": 0}
    if fmt == "gif":
        # optimize: pixels unchanged since the previous frame become transparent, so frames shrink to their changes
        first.save(buffer, "GIF", optimize=True, **options)
    elif fmt == "webp":
        # measured: the fastest settings of similar size; no key frames beyond the first (players run in order)
        first.save(buffer, "WEBP", lossless=True, quality=0, method=1, kmin=0, kmax=0, **options)
    elif fmt == "apng":
        options["append_images"] = list(frames)  # the APNG writer reads the sequence twice
        first.save(buffer, "PNG", default_image=False, **options)
    else:
        raise ValueError(f"unknown animation format {fmt!r}")
    return buffer.getvalue()


def encode_png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
