"""A fast walk over an upload's container blocks, before Pillow parses them.

Also refuses large run-length encoded BMPs, which Pillow decodes in Python, and JPEGs
with implausibly many scans, each of which libjpeg runs over the whole image.

Pillow reads PNG chunks, GIF extension sub-blocks and JPEG markers (up to the first scan)
in Python, one block at a time. A file made of millions of tiny blocks (empty IDAT chunks,
1-byte GIF comment sub-blocks, 4-byte JPEG COM markers) fits in the upload limit yet keeps
a worker busy for seconds. Real files use blocks of hundreds of bytes or more, so a file
may hold at most one block per `BYTES_PER_BLOCK` bytes (and `MIN_BLOCKS` in any case); the
walk stops as soon as a file breaks that rule, so it costs milliseconds either way.
"""

import struct

from .decode_errors import ImageRejected

BYTES_PER_BLOCK = 200
MIN_BLOCKS = 1_000
MAX_RLE_BMP_BYTES = 256 * 1024  # Pillow decodes RLE bitmaps in Python, a couple of µs per byte
# Progressive JPEGs have about ten scans; each scan touches every block of the image, so a file of
# thousands of tiny scans (long end-of-band runs) costs libjpeg minutes. libjpeg-turbo's djpeg
# offers -maxscans for the same reason.
MAX_JPEG_SCANS = 100
_PNG = b"\x89PNG\r\n\x1a\n"


def check_structure(data: bytes) -> None:
    """Refuse (422 too_many_blocks) a PNG, GIF or JPEG built from implausibly many tiny blocks."""
    budget = max(MIN_BLOCKS, len(data) // BYTES_PER_BLOCK)
    if data.startswith(_PNG):
        blocks = _png_blocks(data, budget)
    elif data[:6] in (b"GIF87a", b"GIF89a"):
        blocks = _gif_blocks(data, budget)
    elif data[:2] == b"\xff\xd8":
        _check_jpeg_scans(data)
        blocks = _jpeg_blocks(data, budget)
    elif data[:2] == b"BM":
        _check_bmp(data)
        return
    else:
        return
    if blocks > budget:
        raise ImageRejected(
            422,
            "too_many_blocks",
            f"the file is split into more than {budget:,} tiny blocks; real images are not made like this",
        )


def _check_bmp(data: bytes) -> None:
    """Run-length encoded bitmaps (compression 1 and 2) are decoded in Python: only small ones."""
    if len(data) < 34 or struct.unpack_from("<I", data, 14)[0] < 40:
        return
    if struct.unpack_from("<I", data, 30)[0] in (1, 2) and len(data) > MAX_RLE_BMP_BYTES:
        raise ImageRejected(
            422,
            "rle_bmp_too_large",
            f"run-length encoded BMP files are accepted up to {MAX_RLE_BMP_BYTES // 1024} KiB; save it as PNG",
        )


def _check_jpeg_scans(data: bytes) -> None:
    """Count start-of-scan markers: entropy-coded data stuffs every 0xFF, so each FF DA is a real scan."""
    scans = data.count(b"\xff\xda")
    if scans > MAX_JPEG_SCANS:
        raise ImageRejected(
            422, "too_many_scans", f"the JPEG has {scans:,} scans; at most {MAX_JPEG_SCANS} are accepted"
        )


def _png_blocks(data: bytes, budget: int) -> int:
    position, count = len(_PNG), 0
    while position + 8 <= len(data) and count <= budget:
        length, kind = struct.unpack_from(">I4s", data, position)
        position += 12 + length
        count += 1
        if kind == b"IEND":
            break
    return count


def _sub_blocks(data: bytes, position: int, count: int, budget: int) -> tuple[int, int]:
    """Skip a run of GIF sub-blocks (size byte, data) up to its terminator."""
    while position < len(data) and data[position] != 0 and count <= budget:
        position += data[position] + 1
        count += 1
    return position + 1, count


def _gif_blocks(data: bytes, budget: int) -> int:
    if len(data) < 13:
        return 0
    flags = data[10]
    position = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    count = 0
    while position < len(data) and count <= budget:
        introducer = data[position]
        if introducer == 0x21:  # extension: label, then sub-blocks
            position, count = _sub_blocks(data, position + 2, count + 1, budget)
        elif introducer == 0x2C:  # the first image: descriptor, local colour table, LZW data; then we stop
            if position + 10 > len(data):
                break
            local = data[position + 9]
            position += 10 + (3 << ((local & 7) + 1) if local & 0x80 else 0) + 1
            return _sub_blocks(data, position, count + 1, budget)[1]
        else:
            break
    return count


def _jpeg_blocks(data: bytes, budget: int) -> int:
    """Markers up to the first scan (after it, libjpeg's C code reads the rest)."""
    position, count = 2, 0
    while position + 4 <= len(data) and count <= budget:
        if data[position] != 0xFF:
            break
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0xDA, 0xD9):  # start of scan, end of image
            break
        count += 1
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            position += 2
            continue
        position += 2 + struct.unpack_from(">H", data, position + 2)[0]
    return count
