"""A minimal PNG writer for 8-bit gray, RGB and palette images.

Why not Pillow's encoder: a feature map is shown in two colour maps (signed and absolute)
that share the same pixel indices, so the compressed pixel data (IDAT) is built once and
only the palette (PLTE) differs — half the compression work on the hot path.
"""

import base64
import struct
import zlib

import numpy as np

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOR_TYPES = {"gray": 0, "rgb": 2, "palette": 3}
COMPRESSION = 1  # fastest zlib level: maps are short-lived and travel over a local network


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pixel_data(pixels: np.ndarray) -> bytes:
    """Compressed scanlines (filter type 0 on every row) of H×W or H×W×3 uint8 pixels."""
    rows = np.ascontiguousarray(pixels, dtype=np.uint8).reshape(pixels.shape[0], -1)
    lines = np.empty((rows.shape[0], rows.shape[1] + 1), dtype=np.uint8)
    lines[:, 0] = 0
    lines[:, 1:] = rows
    return zlib.compress(lines.tobytes(), COMPRESSION)


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


def png_url(pixels: np.ndarray) -> str:
    """H×W (gray) or H×W×3 (RGB) uint8 -> a PNG data URL."""
    kind = "gray" if pixels.ndim == 2 else "rgb"
    return data_url(encode(pixels.shape[0], pixels.shape[1], kind, pixel_data(pixels)))


def palette_urls(indices: np.ndarray, palettes: list[np.ndarray]) -> list[str]:
    """The same H×W palette indices under several palettes: compressed once, one data URL per palette."""
    idat = pixel_data(indices)
    return [data_url(encode(indices.shape[0], indices.shape[1], "palette", idat, p)) for p in palettes]
