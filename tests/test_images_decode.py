"""Decoding untrusted image bytes: formats by content, limits before decoding, clean errors."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageFile

from app.images.colormap import DIVERGING, MAGNITUDE, MIDDLE, levels
from app.images.decode import ImageRejected, decode_image

LIMIT = 25_000_000


def encoded(fmt: str, image: Image.Image | None = None, **options) -> bytes:
    image = image or Image.new("RGB", (40, 30), (200, 40, 20))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge size but whose data is tiny: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_of_empty_chunks(count: int = 200_000) -> bytes:
    """A valid 8×8 PNG followed by a flood of empty IDAT chunks: cheap to send, slow to walk in Python."""
    pixels = zlib.compress((b"\0" + b"\x80" * 24) * 8)
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + _chunk(b"IDAT", pixels) + _chunk(b"IDAT", b"") * count + _chunk(b"IEND", b"")


def gif_of_tiny_sub_blocks(count: int = 500_000) -> bytes:
    """A valid GIF with a comment split into 1-byte sub-blocks before its image."""
    data = encoded("GIF", Image.new("P", (8, 8), 0))
    image = data.index(b"\x2c")
    return data[:image] + b"\x21\xfe" + b"\x01a" * count + b"\x00" + data[image:]


def jpeg_of_tiny_markers(count: int = 500_000) -> bytes:
    """A valid JPEG with empty COM markers before its frame header."""
    data = encoded("JPEG", Image.new("RGB", (8, 8)))
    return data[:2] + b"\xff\xfe\x00\x02" * count + data[2:]


def jpeg_of_repeated_scans(repeats: int) -> bytes:
    """A progressive JPEG whose first scan is repeated: valid to libjpeg, and each scan costs a pass."""
    noise = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    data = encoded("JPEG", Image.fromarray(noise), progressive=True)
    first = data.index(b"\xff\xda")
    second = data.index(b"\xff\xda", first + 2)
    return data[:second] + data[first:second] * repeats + data[second:]


def test_jpeg_with_many_scans_is_refused():
    with pytest.raises(ImageRejected) as caught:
        decode_image(jpeg_of_repeated_scans(200), "rgb", 128, LIMIT)
    assert (caught.value.status, caught.value.rule) == (422, "too_many_scans")


def test_ordinary_progressive_jpeg_decodes():
    assert decode_image(jpeg_of_repeated_scans(0), "rgb", 128, LIMIT).size == (64, 64)


def rle_bmp(width: int, height: int) -> bytes:
    """An 8-bit run-length encoded BMP made of 1-pixel runs (the slowest kind to decode)."""
    pixels = (b"\x01\x07" * width + b"\x00\x00") * height + b"\x00\x01"
    palette = b"".join(bytes([i, i, i, 0]) for i in range(256))
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 1, len(pixels), 2835, 2835, 256, 0)
    offset = 14 + len(info) + len(palette)
    return b"BM" + struct.pack("<IHHI", offset + len(pixels), 0, 0, offset) + info + palette + pixels


def test_small_rle_bmp_decodes():
    assert decode_image(rle_bmp(30, 20), "gray", 128, LIMIT).size == (20, 30)


def test_large_rle_bmp_is_refused_before_decoding():
    with pytest.raises(ImageRejected) as caught:
        decode_image(rle_bmp(2000, 100), "gray", 128, LIMIT)
    assert (caught.value.status, caught.value.rule) == (422, "rle_bmp_too_large")


@pytest.mark.parametrize("build", [png_of_empty_chunks, gif_of_tiny_sub_blocks, jpeg_of_tiny_markers])
def test_files_of_millions_of_tiny_blocks_are_refused_before_pillow_walks_them(build, monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("Pillow was asked to parse the file")

    monkeypatch.setattr(Image, "open", no_parsing)
    with pytest.raises(ImageRejected) as caught:
        decode_image(build(), "rgb", 128, LIMIT)
    assert (caught.value.status, caught.value.rule) == (422, "too_many_blocks")


@pytest.mark.parametrize("build", [png_of_empty_chunks, gif_of_tiny_sub_blocks, jpeg_of_tiny_markers])
def test_a_few_tiny_blocks_are_fine(build):
    assert decode_image(build(50), "rgb", 128, LIMIT).size == (8, 8)


def test_big_real_files_pass_the_block_walk():
    noise = np.random.default_rng(0).integers(0, 256, (600, 600, 3), dtype=np.uint8)
    for fmt in ("PNG", "GIF", "JPEG"):
        assert decode_image(encoded(fmt, Image.fromarray(noise)), "rgb", 64, LIMIT).size == (64, 64)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "BMP", "WEBP"])
def test_allowed_format_decodes_to_rgb_values(fmt):
    decoded = decode_image(encoded(fmt), "rgb", 128, LIMIT)
    assert decoded.format == fmt
    assert decoded.pixels.shape == (3, 30, 40)
    assert np.allclose(decoded.pixels[:, 15, 20], (200, 40, 20), atol=12)  # lossy formats stay close


def test_gray_is_one_channel_of_luma():
    decoded = decode_image(encoded("PNG"), "gray", 128, LIMIT)
    assert decoded.pixels.shape == (1, 30, 40)
    luma = 200 * 299 / 1000 + 40 * 587 / 1000 + 20 * 114 / 1000  # ITU-R 601
    assert abs(decoded.pixels[0, 0, 0] - luma) <= 1


def test_gif_uses_the_first_frame():
    frames = [Image.new("RGB", (8, 8), color) for color in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    decoded = decode_image(buffer.getvalue(), "rgb", 128, LIMIT)
    assert tuple(decoded.pixels[:, 4, 4]) == (255, 0, 0)


def test_shrinks_to_max_side_keeping_aspect_and_never_enlarges():
    big = encoded("PNG", Image.new("RGB", (300, 200)))
    assert decode_image(big, "rgb", 64, LIMIT).size == (43, 64)
    assert decode_image(encoded("PNG"), "rgb", 512, LIMIT).size == (30, 40)


def test_exif_orientation_is_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    data = encoded("JPEG", Image.new("RGB", (40, 20)), exif=exif.tobytes())
    assert decode_image(data, "rgb", 128, LIMIT).size == (40, 20)


def test_transparency_is_flattened_on_white():
    data = encoded("PNG", Image.new("RGBA", (4, 4), (0, 0, 0, 0)))
    assert np.all(decode_image(data, "rgb", 128, LIMIT).pixels == 255)


def test_sixteen_bit_gray_is_scaled_not_clipped():
    image = Image.fromarray(np.full((4, 4), 65535 // 2, dtype=np.uint16))
    pixels = decode_image(encoded("PNG", image), "gray", 128, LIMIT).pixels
    assert np.allclose(pixels, 127, atol=1)


@pytest.mark.parametrize(
    ("rule", "data", "status"),
    [
        ("empty_file", b"", 422),
        ("unsupported_image", b"hello, not an image", 415),
        ("unsupported_image", b"<svg xmlns='http://www.w3.org/2000/svg'/>", 415),
        ("unsupported_image", encoded("TIFF"), 415),
        ("too_many_pixels", png_claiming(30_000, 30_000), 413),
        ("too_many_pixels", png_claiming(6_000, 6_000), 413),
        ("image_corrupt", encoded("PNG", Image.new("RGB", (400, 300)))[:200], 422),
    ],
)
def test_bad_bytes_are_refused_with_a_rule(rule, data, status):
    with pytest.raises(ImageRejected) as caught:
        decode_image(data, "rgb", 128, LIMIT)
    assert (caught.value.rule, caught.value.status) == (rule, status)


def test_pixel_limit_is_checked_before_any_decoding(monkeypatch):
    def no_decoding(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(ImageRejected) as caught:
        decode_image(encoded("PNG", Image.new("L", (100, 100))), "gray", 128, max_pixels=5_000)
    assert caught.value.rule == "too_many_pixels"


def test_diverging_map_is_white_at_zero_and_symmetric():
    index = levels(np.array([[-3.0, 0.0, 3.0]]), 3.0)[0]
    assert list(index) == [0, MIDDLE, 2 * MIDDLE]
    assert tuple(DIVERGING[MIDDLE]) == (247, 247, 247)
    assert DIVERGING[0][2] > DIVERGING[0][0]  # negative end is blue
    assert DIVERGING[-1][0] > DIVERGING[-1][2]  # positive end is orange
    assert np.array_equal(MAGNITUDE[: MIDDLE + 1][::-1], MAGNITUDE[MIDDLE:])  # |−v| looks like |v|
    assert tuple(MAGNITUDE[MIDDLE]) == (0, 0, 0)


def _image_in_mode(mode: str) -> Image.Image:
    if mode == "I;16":
        return Image.fromarray(np.full((6, 8), 40_000, dtype=np.uint16))
    if mode == "P":
        image = Image.new("P", (8, 6), 1)
        image.putpalette([0, 0, 0, 250, 10, 10] + [0] * 762)
        image.info["transparency"] = 0
        return image
    return Image.new(mode, (8, 6), {"1": 1, "LA": (90, 255), "CMYK": (0, 255, 255, 0)}[mode])


@pytest.mark.parametrize(
    ("mode", "fmt"), [("1", "BMP"), ("P", "GIF"), ("CMYK", "JPEG"), ("LA", "PNG"), ("I;16", "PNG")]
)
def test_every_pixel_mode_becomes_rgb_and_gray(mode, fmt):
    data = encoded(fmt, _image_in_mode(mode))
    rgb = decode_image(data, "rgb", 4, LIMIT)
    gray = decode_image(data, "gray", 4, LIMIT)
    assert rgb.pixels.shape == (3, 3, 4) and gray.pixels.shape == (1, 3, 4)
    assert np.all((rgb.pixels >= 0) & (rgb.pixels <= 255))
