"""A minimal PNG writer for 8-bit gray, RGB and palette images.

Why not Pillow's encoder: a feature map is shown in two colour maps (signed and absolute)
that share the same pixel indices, so the compressed pixel data (IDAT) is built once and
only the palette (PLTE) differs — half the compression work on the hot path.
"""

import base64
import os
import struct
import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

T = TypeVar("T")
R = TypeVar("R")
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOR_TYPES = {"gray": 0, "rgb": 2, "palette": 3}
COMPRESSION = 1  # fastest zlib level with run-length matching only: maps are short-lived, speed matters most
# zlib and numpy's large-array loops release the GIL, so the maps of one answer are drawn on all cores at once.
_POOL = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="png")


def in_parallel(function: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`function` over `items` on the drawing threads (never call it from inside such a function)."""
    return list(_POOL.map(function, items))


def in_background(function: Callable[[T], R], items: Iterable[T]) -> Callable[[], list[R]]:
    """Start `function` over `items` on the drawing threads; call the result to wait for the answers."""
    futures = [_POOL.submit(function, item) for item in items]
    return lambda: [future.result() for future in futures]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pixel_data(pixels: np.ndarray) -> bytes:
    """Compressed scanlines (filter type 0 on every row) of H×W or H×W×3 uint8 pixels."""
    rows = np.ascontiguousarray(pixels, dtype=np.uint8).reshape(pixels.shape[0], -1)
    lines = np.empty((rows.shape[0], rows.shape[1] + 1), dtype=np.uint8)
    lines[:, 0] = 0
    lines[:, 1:] = rows
    compressor = zlib.compressobj(COMPRESSION, zlib.DEFLATED, 15, 8, zlib.Z_RLE)
    return compressor.compress(lines.tobytes()) + compressor.flush()


def pixel_data_all(images: list[np.ndarray]) -> list[bytes]:
    """`pixel_data` of several images, compressed in parallel."""
    return in_parallel(pixel_data, images)


def encode(height: int, width: int, kind: str, idat: bytes, palette: np.ndarray | None = None) -> bytes:
    """A whole PNG file; `palette` is N×3 uint8 (N ≤ 256) for kind "palette"."""
    header = struct.pack(">IIBBBBB", width, height, 8, _COLOR_TYPES[kind], 0, 0, 0)
    chunks = [_chunk(b"IHDR", header)]
    if kind == "palette":
        chunks.append(_chunk(b"PLTE", np.ascontiguousarray(palette, dtype=np.uint8).tobytes()))
    chunks += [_chunk(b"IDAT", idat), _chunk(b"IEND", b"")]
    return _SIGNATURE + b"".join(chunks)


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def png_urls(images: list[np.ndarray]) -> list[str]:
    """H×W (gray) or H×W×3 (RGB) uint8 images -> PNG data URLs."""
    return [
        data_url(encode(image.shape[0], image.shape[1], "gray" if image.ndim == 2 else "rgb", idat))
        for image, idat in zip(images, pixel_data_all(images))
    ]
