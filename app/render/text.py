"""Fonts: Pillow's built-in scalable font for English, a subset of Noto Sans CJK SC for Chinese captions.

Pillow's font (shipped with Pillow ≥ 10.1) has no CJK glyphs, so Chinese captions use
`fonts/caption-zh-CN.otf`, cut by `scripts/subset_caption_font.py` to the characters of
`captions.CATALOGUE` (plus printable ASCII): offline, small, nothing installed on the host.
English keeps the built-in font, so its pictures stay byte for byte what they were.

Fonts are cached and shared by the server's threads: a FreeType face must not be used by two
threads at once, which the GIL guarantees here (upstream crashes were free-threaded builds).
"""

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

MIN_SIZE = 7
FONTS = Path(__file__).parent / "fonts"
CAPTION_FONTS = {"zh-CN": FONTS / "caption-zh-CN.otf"}  # languages the built-in font cannot write


@lru_cache(maxsize=256)
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=max(MIN_SIZE, size))


@lru_cache(maxsize=64)
def caption_font(size: int, lang: str = "en") -> ImageFont.FreeTypeFont:
    """The face captions and labels in `lang` are written in."""
    path = CAPTION_FONTS.get(lang)
    if path is None:
        return font(size)
    return ImageFont.truetype(str(path), max(MIN_SIZE, size))


@lru_cache(maxsize=8192)
def fitted(text: str, size: int, room: int) -> ImageFont.FreeTypeFont:
    """The largest font up to `size` in which `text` is at most `room` pixels wide."""
    size = max(MIN_SIZE, size)
    width = font(size).getlength(text)
    if width > room:
        size = max(MIN_SIZE, int(size * room / width))
        while size > MIN_SIZE and font(size).getlength(text) > room:
            size -= 1
    return font(size)
