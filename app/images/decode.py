"""Decode untrusted uploads safely into C×H×W float64 arrays with values 0..255.

Why 0..255 and not 0..1: the numbers a student hovers over are the familiar 8-bit pixel
values, and a Sobel response of 1020 on a black/white edge is easy to check by hand.

Safety, in order: the format is recognised from the bytes (never the file name) and
must be on the allow-list; the decoded size is read from the header and refused
before a single pixel is decoded; truncated or corrupt data is a clean error; only the
first frame of an animation is used; nothing touches the disk.
"""

import io
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image, ImageOps

from .decode_errors import ImageRejected
from .structure import check_structure

ALLOWED_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")
ColorMode = Literal["gray", "rgb"]


@dataclass(frozen=True)
class DecodedImage:
    """`pixels` is C×H×W float64 (C = 1 gray or 3 RGB) in 0..255 after resizing."""

    pixels: np.ndarray
    format: str
    original_size: tuple[int, int]  # (height, width) as stored in the file

    @property
    def size(self) -> tuple[int, int]:
        return self.pixels.shape[1], self.pixels.shape[2]


def decode_image(data: bytes, color: ColorMode, max_side: int, max_pixels: int) -> DecodedImage:
    """Decode `data`, apply EXIF orientation, flatten alpha on white, convert and shrink to `max_side`."""
    if not data:
        raise ImageRejected(422, "empty_file", "the uploaded file is empty")
    check_structure(data)  # before Pillow walks the file's blocks in Python
    image = _open(data)  # reads the header only
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageRejected(422, "image_corrupt", "the image has no pixels")
    if width * height > max_pixels:
        raise ImageRejected(
            413,
            "too_many_pixels",
            f"the image is {width:,}×{height:,} = {width * height:,} pixels, above this server's limit of "
            f"{max_pixels:,}",
            params={"width": width, "height": height, "pixels": width * height, "limit": max_pixels},
        )
    fmt = image.format
    image = _load(image, max_side)
    image = _flatten(_fit(_resizable(_orient(image)), max_side), color)
    array = np.asarray(image, dtype=np.float64)
    pixels = array[None] if color == "gray" else np.moveaxis(array, 2, 0)
    return DecodedImage(pixels=pixels, format=str(fmt), original_size=(height, width))


def _open(data: bytes) -> Image.Image:
    """Identify the format from the content; only the allow-listed decoders may even try."""
    try:
        image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except Image.DecompressionBombError:  # Pillow's own guard, should settings raise ours above it
        raise ImageRejected(413, "too_many_pixels", "the image has more pixels than this server accepts") from None
    except Exception:  # Pillow's plugins raise many types on hostile headers; all mean "not an image we take"
        raise ImageRejected(
            415,
            "unsupported_image",
            f"the file is not an image in an accepted format ({', '.join(ALLOWED_FORMATS)})",
            params={"formats": ", ".join(ALLOWED_FORMATS)},
        ) from None
    if image.format not in ALLOWED_FORMATS:
        raise ImageRejected(
            415,
            "unsupported_image",
            f"{image.format} images are not accepted",
            params={"format": image.format, "formats": ", ".join(ALLOWED_FORMATS)},
        )
    return image


def _load(image: Image.Image, max_side: int) -> Image.Image:
    """Decode the first frame; JPEGs decode straight at a reduced scale when they are much larger."""
    try:
        image.seek(0)
        if image.format == "JPEG":
            image.draft("RGB", (max_side, max_side))
        image.load()
    except Image.DecompressionBombError:
        raise ImageRejected(413, "too_many_pixels", "the image has more pixels than this server accepts") from None
    except Exception:  # truncated data, bad checksums, broken palettes: every decoder failure is the file's fault
        raise ImageRejected(422, "image_corrupt", "the image data is truncated or corrupt") from None
    return image


def _orient(image: Image.Image) -> Image.Image:
    """Honour the EXIF orientation tag (phone photos); a malformed EXIF block is ignored, not fatal."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # EXIF is optional metadata: a broken block must not reject good pixels
        return image


def _resizable(image: Image.Image) -> Image.Image:
    """A mode Pillow resamples well (L, LA, RGB, RGBA), so big pictures shrink before any other work."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):  # 16-bit and float gray: scale to 8 bits, not clip
        values = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode != "F" else max(float(values.max()), 1.0)
        return Image.fromarray(np.clip(values / top * 255.0, 0, 255).astype(np.uint8))
    if image.mode in ("L", "LA", "RGB", "RGBA"):
        return image
    if image.mode == "1":
        return image.convert("L")
    if image.mode == "P" and "transparency" not in image.info:
        return image.convert("RGB")
    return image.convert("RGBA")  # palettes with transparency, CMYK and the rest


def _fit(image: Image.Image, max_side: int) -> Image.Image:
    """Fit inside max_side × max_side keeping the aspect ratio; never enlarge."""
    width, height = image.size
    scale = max_side / max(height, width)
    if scale >= 1:
        return image
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _flatten(image: Image.Image, color: ColorMode) -> Image.Image:
    """Composite transparency on white, then convert to gray (ITU-R 601 luma, as Pillow's "L") or RGB."""
    if image.mode in ("LA", "RGBA"):
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    return image.convert("L" if color == "gray" else "RGB")
