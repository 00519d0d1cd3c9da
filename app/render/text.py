"""Fonts: Pillow's built-in scalable font for English, a subset of Noto Sans CJK SC for Chinese captions.

Pillow's font (shipped with Pillow ≥ 10.1) has no CJK glyphs, so Chinese captions use
`fonts/caption-zh-CN.otf`, cut by `scripts/subset_caption_font.py` to the characters of
`captions.CATALOGUE` (plus printable ASCII): offline, small, nothing installed on the host.
English keeps the built-in font, so its pictures stay byte for byte what they were.

A Chinese caption mixes both: its words in the CJK font, its numbers and operators in the built-in
font, whose "·" is a narrow product dot (the CJK font's is full-width: "4 · 1 + 6 · 0" read as a list).

Fonts are cached and shared by the server's threads: a FreeType face must not be used by two
threads at once, which the GIL guarantees here (upstream crashes were free-threaded builds).
"""

import string
from dataclasses import dataclass
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


# What a caption's arithmetic is written with: the built-in font has every one of these glyphs.
MATH_CHARACTERS = frozenset(string.digits + string.ascii_letters + string.punctuation + " ·")


@dataclass(frozen=True)
class CaptionFace:
    """A caption line's faces: `words` for the language's own text, `math` for numbers and operators."""

    words: ImageFont.FreeTypeFont
    math: ImageFont.FreeTypeFont

    def face_of(self, char: str) -> ImageFont.FreeTypeFont:
        return self.math if char in MATH_CHARACTERS else self.words

    def runs(self, line: str) -> list[tuple[str, ImageFont.FreeTypeFont]]:
        """The line cut where the face changes: one run when both faces are the same font (English)."""
        if self.words is self.math:
            return [(line, self.math)] if line else []
        runs: list[tuple[str, ImageFont.FreeTypeFont]] = []
        for char in line:
            face = self.face_of(char)
            if runs and runs[-1][1] is face:
                runs[-1] = (runs[-1][0] + char, face)
            else:
                runs.append((char, face))
        return runs

    def getlength(self, text: str) -> float:
        return sum(face.getlength(run) for run, face in self.runs(text))

    @property
    def ascent(self) -> int:
        return max(self.words.getmetrics()[0], self.math.getmetrics()[0])


@lru_cache(maxsize=64)
def caption_face(size: int, lang: str = "en") -> CaptionFace:
    """The faces a caption line in `lang` is written in: one font in English, two in Chinese."""
    return CaptionFace(words=caption_font(size, lang), math=font(size))
