"""The Image lab's binary answer (`maps=binary`): one small JSON header and the raw blobs it points to.

Why not JSON: base64 inflates every map by a third and the page then has to undo it byte by byte;
a level map is just H×W bytes. Layout (all integers little-endian):

    bytes 0..3   b"CSL1"
    bytes 4..7   uint32 n: length of the header
    n bytes      the header: UTF-8 JSON (the answer of maps=levels, blobs replaced)
    the blobs, one after another

In the header every blob is {"offset": o, "length": k}, counted from the first byte after the header.
A map's `plane` is its H×W level indices (uint8, row-major, uncompressed); the input's `png` is the
resized picture as a PNG file. The body travels gzipped (the app's GZip middleware, level 1): the
browser's network stack inflates it off the page's thread, so the page reads the level bytes where
they lie, with no decoding at all (a `Uint8Array` view), and any client reads a plane with one call.
"""

import struct
from collections.abc import Callable
from typing import Any

import numpy as np

MAGIC = b"CSL1"
MEDIA_TYPE = "application/octet-stream"


def plane_bytes(indices: np.ndarray) -> bytes:
    """H×W uint8 level indices -> their row-major bytes."""
    return np.ascontiguousarray(indices, dtype=np.uint8).tobytes()


def pack(answer: dict, encode_json: Callable[[Any], bytes]) -> bytes:
    """The answer as one body: every `bytes` value in it moves behind the header and is replaced by its place."""
    blobs: list[bytes] = []
    at = 0

    def place(value: Any) -> Any:
        nonlocal at
        if isinstance(value, bytes):
            blobs.append(value)
            at += len(value)
            return {"offset": at - len(value), "length": len(value)}
        if isinstance(value, dict):
            return {key: place(item) for key, item in value.items()}
        if isinstance(value, list):
            return [place(item) for item in value]
        return value

    header = encode_json(place(answer))
    return b"".join([MAGIC, struct.pack("<I", len(header)), header, *blobs])


def unpack(body: bytes, decode_json: Callable[[bytes], Any]) -> tuple[dict, memoryview]:
    """The header and the blob section (for tests and API users in Python; the page has its own reader)."""
    if body[:4] != MAGIC:
        raise ValueError("not a CSL1 answer")
    (length,) = struct.unpack_from("<I", body, 4)
    header = decode_json(body[8 : 8 + length])
    return header, memoryview(body)[8 + length :]


def blob(blobs: memoryview, place: dict) -> bytes:
    """The bytes a header entry {"offset", "length"} points to."""
    return bytes(blobs[place["offset"] : place["offset"] + place["length"]])
