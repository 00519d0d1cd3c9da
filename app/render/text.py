"""Pillow's built-in scalable font (shipped with Pillow ≥ 10.1): nothing to download or install.

Fonts are cached and shared by the server's threads: a FreeType face must not be used by two
threads at once, which the GIL guarantees here (upstream crashes were free-threaded builds).
"""

from functools import lru_cache

from PIL import ImageFont

MIN_SIZE = 7


@lru_cache(maxsize=256)
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=max(MIN_SIZE, size))


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
