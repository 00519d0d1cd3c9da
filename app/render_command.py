"""`convscope render`: parsed arguments in, a picture file out, with the server's own limits.

The arguments become the same pydantic request the API validates, and the layer service
(app/layers) computes it, so a layer is checked and computed as the web app does; it calls
no server, so it works offline.
"""

import argparse
import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image
from pydantic import BaseModel, ValidationError

from .api.network_schemas import ConvTranspose2dRequest
from .api.schemas import Conv2dRequest, Pool2dRequest
from .config import Settings, SettingsError
from .layers import conv, pool, transpose
from .render.draw import RenderOptions
from .render.export import RenderLimits, animation, still
from .render.scene import Scene, conv_scene, pool_scene, transpose_scene
from .render.sources import SourceError, read_image, read_matrix, read_numbers, read_padding, read_pair

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
    stride = None if args.stride is None else _listed(read_pair(args.stride, "--stride"))
    dilation = _listed(read_pair(args.dilation, "--dilation"))
    padding = _listed(read_padding(args.padding))
    if args.pool:
        if args.transpose:
            raise SourceError("choose --pool or --transpose, not both")
        if args.kernel is not None:
            raise SourceError("--kernel is for convolution; pooling takes --kernel-size")
        if isinstance(padding, str) or (isinstance(padding, list) and len(padding) != 2):
            raise SourceError("--padding for pooling must be one integer or two (height,width)")
        fields = {
            "input": x.tolist(),
            "mode": args.pool,
            "kernel_size": _listed(read_pair(args.kernel_size, "--kernel-size")),
            "stride": stride,
            "padding": padding,
            "dilation": dilation,
            "ceil_mode": args.ceil_mode,
            "count_include_pad": not args.exclude_padding,
        }
        return pool_scene(pool.compute(_request(Pool2dRequest, fields, settings), settings.limits), args.lang)
    if args.kernel is None:
        raise SourceError("--kernel is required for a convolution (or choose --pool max|avg)")
    fields = {
        "input": x.tolist(),
        "kernel": read_matrix(args.kernel, "--kernel", (2, 3, 4)).tolist(),
        "bias": read_numbers(args.bias, "--bias"),
        "stride": 1 if stride is None else stride,
        "padding": padding,
        "dilation": dilation,
        "groups": args.groups,
    }
    if args.transpose:
        if isinstance(padding, str) or (isinstance(padding, list) and len(padding) != 2):
            raise SourceError("--padding for a transposed convolution must be one integer or two (height,width)")
        fields["output_padding"] = _listed(read_pair(args.output_padding, "--output-padding", minimum=0))
        body = _request(ConvTranspose2dRequest, fields, settings)
        return transpose_scene(transpose.compute(body, settings.limits), args.lang)
    fields |= {"padding_mode": args.padding_mode, "flip_kernel": args.flip_kernel, "activation": args.activation}
    return conv_scene(conv.compute(_request(Conv2dRequest, fields, settings), settings.limits), args.lang)


def _listed(value: object) -> object:
    """A parsed pair or padding as the JSON list the request expects."""
    return list(value) if isinstance(value, tuple) else value


def _request(model: type[BaseModel], fields: dict, settings: Settings) -> BaseModel:
    """The API's own request model, with the server's limits: one refusal, naming the option."""
    try:
        return model.model_validate(fields, context={"limits": settings.limits})
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        field = str(error["loc"][0]) if error["loc"] else "input"
        raise SourceError(f"--{field.replace('_', '-')}: {error['msg']}") from None


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
