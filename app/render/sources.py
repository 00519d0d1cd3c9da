"""Matrices from the command line: inline text, CSV or JSON files, preset names, or an image.

Every problem raises `SourceError` with a sentence that names the option, so the CLI can
print one line and exit, never a traceback.
"""

import csv
import json
import math
from pathlib import Path

import numpy as np

from ..core.kernels import PRESETS
from ..core.limits import MAX_ABS_VALUE
from ..images.decode import decode_image
from ..images.decode_errors import ImageRejected


class SourceError(ValueError):
    """A matrix or image that cannot be read; the message names the option."""


def read_matrix(text: str, option: str, ndims: tuple[int, ...] = (2, 3)) -> np.ndarray:
    """`1,2;3,4` (rows split by `;`, values by `,`), `@file.csv`, `@file.json`, or a preset kernel name."""
    presets = {p.name: p.values for p in PRESETS}
    if option == "--kernel" and text in presets:
        return np.array(presets[text], dtype=np.float64)
    if text.startswith("@"):
        return _check(_read_file(Path(text[1:]), option), option, ndims)
    try:
        rows = [_split(row, ",") for row in text.split(";") if row.strip()]
    except SourceError as exc:
        raise SourceError(f"{option}: {exc}") from None
    return _check(rows, option, ndims)


MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024  # a picture file read for --image; larger is refused before reading


def read_image(path: str, max_side: int, max_pixels: int) -> np.ndarray:
    """A picture as grayscale 0..255, shrunk (aspect kept) so neither side exceeds `max_side`.

    Decoded by the web routes' safe decoder (app/images/decode.py): the format is recognised from the bytes
    and must be PNG, JPEG, GIF, BMP or WebP (a TIFF or EPS renamed .png is refused, and no other Pillow
    plugin, Ghostscript included, ever runs), the file's structure is scanned and its pixel count checked
    from the header before any pixel is decoded.
    """
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_IMAGE_FILE_BYTES:
            raise SourceError(f"--image: {path} is {size:,} bytes; the limit is {MAX_IMAGE_FILE_BYTES:,}")
        data = file.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"--image: no such file: {path}") from None
    except OSError as exc:
        raise SourceError(f"--image: cannot read {path} ({exc.strerror or exc})") from None
    try:
        decoded = decode_image(data, "gray", max_side, max_pixels)
    except ImageRejected as exc:
        raise SourceError(f"--image: {path}: {exc.message}") from None
    return decoded.pixels[0]


def read_pair(text: str, option: str, minimum: int = 1) -> int | tuple[int, int]:
    """`2` or `2,1` (height, width), each at least `minimum`."""
    values = _ints(text, option)
    if len(values) not in (1, 2) or min(values) < minimum:
        raise SourceError(f"{option} must be one integer or two (height,width), each at least {minimum}; got {text!r}")
    return values[0] if len(values) == 1 else (values[0], values[1])


def read_padding(text: str) -> int | str | tuple[int, ...]:
    """`1`, `1,2` (height, width), `1,1,2,2` (top, bottom, left, right), `same` or `valid`."""
    if text in ("same", "valid"):
        return text
    values = _ints(text, "--padding")
    if len(values) not in (1, 2, 4) or min(values) < 0:
        raise SourceError(f"--padding must be 1, 2 or 4 non-negative integers, same or valid; got {text!r}")
    return values[0] if len(values) == 1 else tuple(values)


def read_numbers(text: str, option: str) -> float | list[float]:
    try:
        values = _split(text, ",")
    except SourceError as exc:
        raise SourceError(f"{option}: {exc}") from None
    return values[0] if len(values) == 1 else values


def _ints(text: str, option: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise SourceError(f"{option} must be whole numbers separated by commas; got {text!r}") from None


def _split(row: str, separator: str) -> list[float]:
    values = []
    for cell in row.split(separator):
        cell = cell.strip()
        try:
            values.append(float(cell))
        except ValueError:
            raise SourceError(f"{cell!r} is not a number") from None
    return values


def _read_file(path: Path, option: str) -> list:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SourceError(f"{option}: no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{option}: cannot read {path} ({exc})") from None
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(f"{option}: {path} is not valid JSON ({exc})") from None
    if path.suffix.lower() == ".csv":
        try:
            return [_split(",".join(row), ",") for row in csv.reader(text.splitlines()) if any(c.strip() for c in row)]
        except SourceError as exc:
            raise SourceError(f"{option}: {path}: {exc}") from None
    raise SourceError(f"{option}: {path} must end in .csv or .json")


def _check(rows: object, option: str, ndims: tuple[int, ...]) -> np.ndarray:
    shapes = " or ".join({2: "H×W", 3: "C×H×W", 4: "F×C×kh×kw"}[n] for n in ndims)
    try:
        array = np.array(rows, dtype=np.float64)
    except (ValueError, TypeError):
        raise SourceError(f"{option}: must be numbers in equal-length rows ({shapes})") from None
    if array.size == 0:
        raise SourceError(f"{option} is empty")
    if array.ndim not in ndims:
        raise SourceError(f"{option} must be {shapes}; got {array.ndim} dimension(s)")
    if not all(math.isfinite(v) and abs(v) <= MAX_ABS_VALUE for v in array.ravel().tolist()):
        raise SourceError(f"{option}: every number must be finite and within ±{MAX_ABS_VALUE:g}")
    return array
