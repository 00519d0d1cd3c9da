"""Encode frames as GIF, WebP or APNG, and a still as PNG, byte-for-byte reproducibly.

Nothing time-dependent goes in (Pillow writes no timestamps into these formats), GIF and
APNG frames are mapped onto one fixed palette with no dithering, and WebP is lossless; so
the same frames always give the same bytes and every theme colour survives exactly.

Animations arrive as delta frames (the first whole, then changed rectangles) and are written
as such: each later frame stores only its rectangle, and inside it the pixels that did not
change are transparent, drawn over the frame before (GIF "do not dispose", APNG blend OVER,
WebP alpha blending). The containers are written here because Pillow's writers want every
frame whole and keep them all in memory; Pillow still encodes each rectangle's pixels
(LZW, zlib, VP8L), so memory stays one canvas and time follows what changed.
"""

import io
import struct
import zlib
from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy as np
from PIL import GifImagePlugin, Image

from .layout import Box
from .palette import THEMES, gif_palette

MEDIA_TYPES = {"gif": "image/gif", "webp": "image/webp", "apng": "image/apng", "png": "image/png"}
EXTENSIONS = {"gif": "gif", "webp": "webp", "apng": "png", "png": "png"}
APNG_LEVEL = 6  # zlib: level 1 is twice as fast and 1.7 times as large; WebP stays the slowest format anyway
Delta = tuple[Box, list[tuple[Box, Image.Image]]]  # a frame's rectangle and the pieces inside it that may change
Frame = tuple[Box, np.ndarray]


@lru_cache(maxsize=len(THEMES))
def _palette_image(theme: str) -> Image.Image:
    colours = gif_palette(THEMES[theme])  # fewer than 256: a free slot is left for transparency
    colours += [colours[0]] * (256 - len(colours))  # spare slots repeat colour 0, so nearest-colour never picks one
    image = Image.new("P", (1, 1))
    image.putpalette([value for colour in colours for value in colour])
    return image


def _transparent_index(theme: str) -> int:
    return len(gif_palette(THEMES[theme]))


def to_palette(frame: Image.Image, theme: str) -> Image.Image:
    return frame.quantize(palette=_palette_image(theme), dither=Image.Dither.NONE)


def encode_deltas(deltas: Iterable[Delta], size: tuple[int, int], fmt: str, frame_ms: int, theme: str) -> bytes:
    """Per frame (rectangle, pieces inside it), the first one whole; loop forever, `frame_ms` each."""
    frames = _changed_only(deltas, size, fmt, theme)
    buffer = io.BytesIO()
    if fmt == "gif":
        _write_gif(buffer, frames, size, frame_ms, theme)
    elif fmt == "webp":
        _write_webp(buffer, frames, size, frame_ms)
    elif fmt == "apng":
        _write_apng(buffer, frames, size, frame_ms, theme)
    else:
        raise ValueError(f"unknown animation format {fmt!r}")
    return buffer.getvalue()


def _changed_only(deltas: Iterable[Delta], size: tuple[int, int], fmt: str, theme: str) -> Iterator[Frame]:
    """Per frame: (rectangle, numpy pixels), transparent wherever the frame before shows the same.

    GIF and APNG get palette indices (the transparent one is the palette's free slot), WebP RGBA.
    What is shown so far is one array of the canvas's size: memory does not grow with frames.
    """
    width, height = size
    paletted = fmt in ("gif", "apng")
    kind = np.uint8 if paletted else np.uint32  # an RGBA pixel as one number: one comparison per pixel
    shown = np.zeros((height, width), kind)
    clear = _transparent_index(theme) if paletted else 0
    for n, (region, pieces) in enumerate(deltas):
        left, top, right, bottom = region
        if not paletted:  # WebP places frames at even offsets
            left, top = left - left % 2, top - top % 2
        frame = np.full((bottom - top, right - left), clear, kind)
        for (x0, y0, x1, y1), image in pieces:
            if paletted:
                pixels = np.asarray(to_palette(image, theme))
            else:
                pixels = np.asarray(image.convert("RGBA")).view(np.uint32)[..., 0]
            before = shown[y0:y1, x0:x1]
            target = frame[y0 - top : y1 - top, x0 - left : x1 - left]
            if n == 0:
                target[...] = pixels
            else:
                changed = before != pixels
                target[changed] = pixels[changed]
            before[...] = pixels
        yield (left, top, right, bottom), frame if paletted else frame.view(np.uint8).reshape(*frame.shape, 4)


# -- GIF: global palette, one image block per frame at its offset


def _write_gif(out: io.BytesIO, deltas, size: tuple[int, int], frame_ms: int, theme: str) -> None:
    palette = [value for colour in gif_palette(THEMES[theme]) for value in colour]
    palette += [0] * (768 - len(palette))
    out.write(b"GIF89a" + struct.pack("<HHBBB", *size, 0xF7, 0, 0) + bytes(palette))
    out.write(b"!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00")  # loop forever
    clear = _transparent_index(theme)
    for n, ((left, top, _, _), pixels) in enumerate(deltas):
        frame = Image.frombuffer("P", pixels.shape[::-1], pixels.tobytes(), "raw", "P", 0, 1)
        params = {"duration": frame_ms, "disposal": 1}
        if n:
            params["transparency"] = clear
        for chunk in GifImagePlugin.getdata(frame, offset=(left, top), **params):
            out.write(chunk)
    out.write(b";")


# -- APNG: palette PNG with the free slot transparent; every later frame blends OVER the one before


def _chunk(out: io.BytesIO, kind: bytes, data: bytes) -> None:
    out.write(struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data)))


def _write_apng(out: io.BytesIO, deltas, size: tuple[int, int], frame_ms: int, theme: str) -> None:
    colours = gif_palette(THEMES[theme])
    clear = _transparent_index(theme)
    out.write(b"\x89PNG\r\n\x1a\n")
    _chunk(out, b"IHDR", struct.pack(">IIBBBBB", *size, 8, 3, 0, 0, 0))
    actl = out.tell()
    _chunk(out, b"acTL", struct.pack(">II", 0, 0))  # the frame count is written when it is known
    _chunk(out, b"PLTE", bytes(value for colour in colours for value in colour) + b"\0\0\0")
    _chunk(out, b"tRNS", b"\xff" * clear + b"\0")
    sequence = 0
    for n, ((left, top, right, bottom), pixels) in enumerate(deltas):
        blend = 0 if n == 0 else 1  # APNG_BLEND_OP_SOURCE, then OVER
        fctl = struct.pack(">IIIIIHHBB", sequence, right - left, bottom - top, left, top, frame_ms, 1000, 0, blend)
        _chunk(out, b"fcTL", fctl)
        sequence += 1
        rows = np.zeros((pixels.shape[0], pixels.shape[1] + 1), np.uint8)  # filter byte 0 before each row
        rows[:, 1:] = pixels
        data = zlib.compress(rows.tobytes(), APNG_LEVEL)
        if n == 0:
            _chunk(out, b"IDAT", data)
        else:
            _chunk(out, b"fdAT", struct.pack(">I", sequence) + data)
            sequence += 1
    _chunk(out, b"IEND", b"")
    out.seek(actl)
    _chunk(out, b"acTL", struct.pack(">II", n + 1, 0))


# -- WebP: VP8X + ANIM, one ANMF per frame holding a lossless VP8L bitstream of its rectangle


def _riff_chunk(kind: bytes, data: bytes) -> bytes:
    return kind + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")


def _vp8l(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGBA").save(buffer, "WEBP", lossless=True, quality=0, method=1)
    data = buffer.getvalue()
    at = 12
    while at < len(data):
        kind, length = data[at : at + 4], struct.unpack("<I", data[at + 4 : at + 8])[0]
        if kind == b"VP8L":
            return data[at + 8 : at + 8 + length]
        at += 8 + length + length % 2
    raise ValueError("Pillow wrote no VP8L chunk")  # pragma: no cover - lossless always does


def _u24(value: int) -> bytes:
    return struct.pack("<I", value)[:3]


def _write_webp(out: io.BytesIO, deltas, size: tuple[int, int], frame_ms: int) -> None:
    width, height = size
    body = [_riff_chunk(b"VP8X", bytes([0x12, 0, 0, 0]) + _u24(width - 1) + _u24(height - 1))]  # animation, alpha
    body.append(_riff_chunk(b"ANIM", b"\xff\xff\xff\xff" + struct.pack("<H", 0)))
    for (left, top, right, bottom), pixels in deltas:
        head = _u24(left // 2) + _u24(top // 2) + _u24(right - left - 1) + _u24(bottom - top - 1) + _u24(frame_ms)
        body.append(_riff_chunk(b"ANMF", head + b"\0" + _riff_chunk(b"VP8L", _vp8l(pixels))))  # alpha-blend, keep
    payload = b"WEBP" + b"".join(body)
    out.write(b"RIFF" + struct.pack("<I", len(payload)) + payload)


def encode_png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
