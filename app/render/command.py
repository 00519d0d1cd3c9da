"""`convscope render`: parsed arguments in, a picture file out, with the server's own limits.

It calls the engine and the renderer directly, so it works offline with no server.
"""

import argparse
import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from ..config import Settings, SettingsError
from ..core.conv import conv2d
from ..core.pool import pool2d
from ..core.transpose import conv_transpose2d
from .draw import RenderOptions
from .export import RenderLimits, animation, still
from .scene import Scene, conv_scene, pool_scene, transpose_scene
from .sources import SourceError, read_image, read_matrix, read_numbers, read_padding, read_pair

EXTENSION_FORMATS = {".gif": "gif", ".webp": "webp", ".apng": "apng", ".png": "apng"}


def run_render(args: argparse.Namespace) -> str:
    """Render and write the file; return a one-line summary (empty when writing to stdout)."""
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        raise SourceError(str(exc)) from None
    _check_range(args.frame_ms, 20, 5000, "--frame-ms")
    _check_range(args.cell_px, 16, 128, "--cell-px")
    _check_range(args.max_side, 1, settings.max_image_side, "--max-side")
    which = _still(args.still)
    fmt = _format(args.output, args.format, which)
    x = (
        read_matrix(args.input, "--input")
        if args.input is not None
        else read_image(args.image, args.max_side, settings.max_image_pixels)
    )
    scene = _scene(args, x, settings)
    options = RenderOptions(
        cell_px=args.cell_px, show_numbers=not args.no_numbers, theme=args.theme, caption=not args.no_caption
    )
    limits = RenderLimits.of(settings)
    if which is None:
        data = animation(scene, options, fmt, args.frame_ms, args.first_step, args.steps, limits)
    else:
        data = still(scene, options, which, limits)
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return ""
    Path(args.output).write_bytes(data)
    with Image.open(io.BytesIO(data)) as image:
        frames = getattr(image, "n_frames", 1)
        width, height = image.size
    what = "1 image" if frames == 1 else f"{frames} frames"
    return f"wrote {args.output}: {what} of {width}×{height} pixels, {len(data) / 1024:.0f} KB"


def _scene(args: argparse.Namespace, x: np.ndarray, settings: Settings) -> Scene:
    stride = None if args.stride is None else read_pair(args.stride, "--stride")
    dilation = read_pair(args.dilation, "--dilation")
    padding = read_padding(args.padding)
    if args.pool:
        if args.transpose:
            raise SourceError("choose --pool or --transpose, not both")
        if args.kernel is not None:
            raise SourceError("--kernel is for convolution; pooling takes --kernel-size")
        if isinstance(padding, str) or (isinstance(padding, tuple) and len(padding) != 2):
            raise SourceError("--padding for pooling must be one integer or two (height,width)")
        result = pool2d(
            x,
            args.pool,
            read_pair(args.kernel_size, "--kernel-size"),
            stride,
            padding,
            dilation,
            args.ceil_mode,
            not args.exclude_padding,
            limits=settings.limits,
        )
        return pool_scene(result, args.lang)
    if args.kernel is None:
        raise SourceError("--kernel is required for a convolution (or choose --pool max|avg)")
    kernel = read_matrix(args.kernel, "--kernel", (2, 3, 4))
    if args.transpose:
        if isinstance(padding, str) or (isinstance(padding, tuple) and len(padding) != 2):
            raise SourceError("--padding for a transposed convolution must be one integer or two (height,width)")
        result = conv_transpose2d(
            x,
            kernel,
            np.asarray(read_numbers(args.bias, "--bias")),
            stride=1 if stride is None else stride,
            padding=padding,
            output_padding=read_pair(args.output_padding, "--output-padding", minimum=0),
            dilation=dilation,
            groups=args.groups,
            limits=settings.limits,
        )
        return transpose_scene(result, args.lang)
    result = conv2d(
        x,
        kernel,
        np.asarray(read_numbers(args.bias, "--bias")),
        stride=1 if stride is None else stride,
        padding=padding,
        padding_mode=args.padding_mode,
        dilation=dilation,
        groups=args.groups,
        flip_kernel=args.flip_kernel,
        activation=args.activation,
        limits=settings.limits,
    )
    return conv_scene(result, args.lang)


def _still(text: str | None) -> int | str | None:
    if text is None or text == "final":
        return text
    try:
        return int(text)
    except ValueError:
        raise SourceError(f"--still must be a step number (0 or more) or final; got {text!r}") from None


def _format(output: str, explicit: str | None, which: int | str | None) -> str:
    suffix = Path(output).suffix.lower()
    if which is not None:
        if output != "-" and suffix != ".png":
            raise SourceError(f"--still writes a PNG; name the output .png (got {output})")
        return "png"
    if explicit:
        return explicit
    if suffix not in EXTENSION_FORMATS:
        raise SourceError(
            f"cannot tell the format from {output!r}: end it in .gif, .webp, .apng or .png, or give --format"
        )
    return EXTENSION_FORMATS[suffix]


def _check_range(value: int, low: int, high: int, option: str) -> None:
    if not low <= value <= high:
        raise SourceError(f"{option} must be between {low} and {high}; got {value}")
