"""Image lab API: convolve or pool an uploaded picture (or a shipped sample), answer with PNG feature maps.

`maps=png` (default) sends each map as two coloured PNGs; `maps=levels` once, as level indices plus palettes;
`maps=binary` (conv2d) the same as one binary body (app/images/packed.py). The workflow is app/images/lab.py;
this module validates the form, decodes the upload and picks the answer's encoding.

Multipart form: the file in `image` (or `sample`: a sample's name), the JSON API's body
minus `input` as one JSON field `params`, plus `color`, `max_side`, `kernel_preset`,
`focus_filter`, `include_values` (and `shift_y`/`shift_x` for pooling). The upload is
decoded in memory, checked by content and by its header's pixel count before decoding.

`/images/conv2d/window` (JSON) is one output position of the same layer, for a page whose answer was too large
to list its numbers: the picture is a sample's name or the few rows and columns the window reads (window.py).
"""

import functools
from typing import Any

import numpy as np
import orjson
from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from ...config import Settings
from ...core.limits import Limits
from ...images import lab, window
from ...images.decode import DecodedImage, decode_image
from ...images.layers import expand_kernel, image_limits, preset_kernels
from ...images.packed import MEDIA_TYPE, pack
from ...images.samples import SAMPLES_BY_NAME
from ...layers import conv, pool
from .. import offload
from ..deps import SettingsDep
from ..encoding import FastJSONResponse, compact, dumps
from ..errors import ERROR_RESPONSES, ApiError
from ..image_schemas import (
    ImageConvForm,
    ImageConvResponse,
    ImageForm,
    ImagePoolForm,
    ImagePoolResponse,
    ImageWindowRequest,
    ImageWindowResponse,
    SampleInfo,
)
from ..json_route import JSONRoute
from ..listings import SAMPLES_DIR, sample_listing
from ..schemas import Conv2dRequest, Pool2dRequest
from ..uploads import Upload, read_upload

FRAME_FIELDS = ("frame_start", "frame_limit")
MAX_PRESET_TOKENS = 256  # comma-separated pieces of kernel_preset, empty ones included, before splitting

router = APIRouter(tags=["images"], responses=ERROR_RESPONSES)
json_router = APIRouter(tags=["images"], route_class=JSONRoute, responses=ERROR_RESPONSES)


def _multipart_body(form: type[BaseModel]) -> dict:
    """OpenAPI for a multipart body: the form's fields plus the `image` file."""
    schema = form.model_json_schema()
    schema["properties"] = {"image": {"type": "string", "format": "binary"}, **schema["properties"]}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}}


def _form(upload: Upload, model: type[ImageForm], limits: Limits) -> Any:
    raw: dict[str, Any] = {name: values[-1] for name, values in upload.fields.items()}
    if "kernel_preset" in upload.fields:
        presets = upload.fields["kernel_preset"]
        # Counted in C before a single name is split off: a million names cost a scan, not a million strings.
        if sum(v.count(",") + 1 for v in presets) > MAX_PRESET_TOKENS:
            raise _too_many_presets(limits)
        raw["kernel_preset"] = [p.strip() for v in presets for p in v.split(",") if p.strip()]
        if len(raw["kernel_preset"]) > limits.max_filters:
            raise _too_many_presets(limits)
    try:
        return model.model_validate(raw, context={"limits": limits})
    except ValidationError as exc:
        raise RequestValidationError(_errors(exc)) from None


def _too_many_presets(limits: Limits) -> ApiError:
    return ApiError(
        422,
        "kernel_preset",
        "limit",
        f"kernel_preset names one filter each; this server allows at most {limits.max_filters} filters",
    )


def _errors(exc: ValidationError) -> list[dict]:
    return exc.errors(include_url=False, include_input=False)


def _params(text: str, request_model: type[BaseModel], placeholders: dict, limits: Limits) -> tuple[BaseModel, dict]:
    """Validate `params` with the JSON API's own model (the image fills `input`), so errors read the same."""
    try:
        params = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ApiError(422, "params", "json_invalid", f"params is not valid JSON ({exc})") from None
    return _validated(params, request_model, placeholders, limits)


def _validated(params: object, request_model: type[BaseModel], placeholders: dict, limits: Limits) -> tuple:
    if not isinstance(params, dict):
        raise ApiError(422, "params", "json_object", "params must be a JSON object, like the JSON API's body")
    for name in ("input", *FRAME_FIELDS):
        if name in params:
            raise ApiError(
                422, name, "not_for_images", f"{name} does not belong in params: the image is the input, no frames"
            )
    try:
        return request_model.model_validate({**placeholders, **params}, context={"limits": limits}), params
    except ValidationError as exc:
        raise RequestValidationError(_errors(exc)) from None


def _check_max_side(max_side: int, settings: Settings) -> None:
    if max_side > settings.max_image_side:
        raise ApiError(
            422,
            "max_side",
            "limit",
            f"max_side can be at most {settings.max_image_side} on this server",
            {"limit": settings.max_image_side},
        )


def _sample_bytes(name: str) -> bytes:
    if name not in SAMPLES_BY_NAME:
        raise ApiError(422, "sample", "known_sample", "unknown sample; GET /api/v1/images/samples lists them", {})
    return (SAMPLES_DIR / f"{name}.png").read_bytes()


def _decode(upload: Upload, form: ImageForm, settings: Settings) -> tuple[DecodedImage, dict]:
    _check_max_side(form.max_side, settings)
    if upload.file_field not in (None, "image"):
        raise ApiError(422, "image", "file_field", "send the file in the form field named image")
    if (upload.file_bytes is None) == (form.sample is None):
        raise ApiError(422, "image", "one_source", "send exactly one of: a file in image, or a sample name in sample")
    if form.sample is not None:
        data, source = _sample_bytes(form.sample), {"kind": "sample", "sample": form.sample}
    else:
        data, source = upload.file_bytes or b"", {"kind": "upload", "sample": None}
    decoded = decode_image(data, form.color, form.max_side, settings.max_image_pixels)  # ImageRejected is a RuleError
    source |= {"format": decoded.format, "original_size": list(decoded.original_size), "size": list(decoded.size)}
    return decoded, source


def _compacted(answer: dict) -> dict:
    """Whole numbers as integers in the JSON (a kernel of -1, 0, 1 reads as such)."""
    for name in ("kernel", "bias"):
        if name in answer:
            answer[name] = compact(answer[name])
    if answer.get("values"):
        answer["values"] = {k: None if v is None else compact(v) for k, v in answer["values"].items()}
    return answer


def _respond(answer: dict, maps: str) -> Response:
    if maps == "binary":
        return Response(pack(answer, dumps), media_type=MEDIA_TYPE)
    return FastJSONResponse(answer)


def _check_kernel_source(presets: list[str], params: dict) -> None:
    if presets and "kernel" in params:
        raise ApiError(422, "kernel_preset", "one_kernel_source", "give kernel_preset or params.kernel, not both")
    if not presets and "kernel" not in params:
        raise ApiError(422, "kernel", "required", "give a kernel: kernel_preset, or params.kernel with numbers")


def _kernel(presets: list[str], body: Conv2dRequest, channels: int) -> tuple[np.ndarray, list[str]]:
    if presets:
        return preset_kernels(presets, channels), list(presets)
    return expand_kernel(body.kernel, channels), []


def _convolve(upload: Upload, settings: Settings) -> Response:
    limits: Limits = image_limits(settings.limits, settings.max_image_side)
    form: ImageConvForm = _form(upload, ImageConvForm, limits)
    placeholders: dict = {"input": [[0.0]], "kernel": [[0.0]]}
    body, params = _params(form.params, Conv2dRequest, placeholders, limits)
    _check_kernel_source(form.kernel_preset, params)
    decoded, source = _decode(upload, form, settings)
    x = decoded.pixels
    kernel, names = _kernel(form.kernel_preset, body, x.shape[0])
    options = lab.ConvOptions(
        maps=form.maps,
        focus_filter=form.focus_filter,
        include_focus=form.include_focus,
        include_input=form.include_input,
        include_values=form.include_values,
    )
    layer = functools.partial(conv.compute, body, limits)
    answer = lab.convolve(x, kernel, names, layer, options)
    return _respond(_compacted({"source": source, **answer}), form.maps)


def _pool(upload: Upload, settings: Settings) -> Response:
    limits = image_limits(settings.limits, settings.max_image_side)
    form: ImagePoolForm = _form(upload, ImagePoolForm, limits)
    if form.maps == "binary":
        raise ApiError(422, "maps", "pool_maps", "maps=binary is for /images/conv2d; pooling answers png or levels")
    body, _ = _params(form.params, Pool2dRequest, {"input": [[0.0]]}, limits)
    decoded, source = _decode(upload, form, settings)
    layer = functools.partial(pool.compute, body, limits)
    answer = lab.pool(decoded.pixels, layer, (form.shift_y, form.shift_x), form.maps, form.include_values)
    return _respond(_compacted({"source": source, **answer}), form.maps)


@router.post("/api/v1/images/conv2d", response_model=ImageConvResponse, openapi_extra=_multipart_body(ImageConvForm))
async def image_conv2d(request: Request, settings: SettingsDep) -> Response:
    """Convolve a picture with one or more filters; every filter's feature map comes back as two PNGs.

    With `maps=levels` each map comes once, as a gray PNG of level indices, with the `palettes` that
    colour them (the Image lab's compact form, a fifth of the bytes); the default `maps=png` keeps the
    coloured `signed` and `absolute` PNGs.

    Send multipart/form-data: the file in `image` (PNG, JPEG, GIF first frame, BMP or WebP, recognised by
    content) or `sample` = a sample's name; `params` = the JSON body of POST /api/v1/conv2d without `input`
    (e.g. `{"padding": 1, "activation": "relu"}`); `kernel_preset` = preset names instead of `params.kernel`.
    Pixels are 0..255. On RGB input a 2-D kernel is one filter with that kernel on each of the three channels,
    responses summed (not depthwise). `focus` takes `focus_filter` apart channel by channel.
    """
    upload = await read_upload(request, settings.max_upload_bytes)
    return await offload.run(_convolve, upload, settings, work=offload.HEAVY)


@router.post("/api/v1/images/pool2d", response_model=ImagePoolResponse, openapi_extra=_multipart_body(ImagePoolForm))
async def image_pool2d(request: Request, settings: SettingsDep) -> Response:
    """Max- or average-pool a picture (each channel on its own); optionally compare with a shifted copy.

    Multipart like /images/conv2d; `params` = the JSON body of POST /api/v1/pool2d without `input`
    (e.g. `{"mode": "max", "kernel_size": 2}`); `shift_y`/`shift_x` also pool the picture moved by that many
    pixels (edges repeated) and report how many pooled cells stayed the same.
    """
    upload = await read_upload(request, settings.max_upload_bytes)
    return await offload.run(_pool, upload, settings, work=offload.HEAVY)


def _window(body: ImageWindowRequest, settings: Settings) -> FastJSONResponse:
    """One position's arithmetic from the same picture and layer as /images/conv2d (app/images/window.py)."""
    limits = image_limits(settings.limits, settings.max_image_side)
    layer, params = _validated(body.params, Conv2dRequest, {"input": [[0.0]], "kernel": [[0.0]]}, limits)
    _check_kernel_source(body.kernel_preset, params)
    channels = 3 if body.color == "rgb" else 1
    source: np.ndarray | window.Crop
    if (body.sample is None) == (body.crop is None):
        raise ApiError(422, "crop", "one_source", "send exactly one of: sample (a name) or crop (the window's pixels)")
    if body.crop is not None:
        c = body.crop
        source = window.Crop(tuple(c.size), np.asarray(c.rows), np.asarray(c.cols), c.pixels)  # type: ignore[arg-type]
        window.check_crop(source, channels, settings.max_image_side, limits.max_kernel_size)
        shape = (channels, *c.size)
    else:
        _check_max_side(body.max_side, settings)
        data = _sample_bytes(body.sample or "")
        source = decode_image(data, body.color, body.max_side, settings.max_image_pixels).pixels
        shape = source.shape
    kernel, _ = _kernel(body.kernel_preset, layer, channels)
    geometry = window.Layer(kernel, layer.stride, layer.padding, layer.padding_mode, layer.dilation)
    run = functools.partial(conv.on_window, layer, limits, kernel)
    answer = window.conv_window(shape, source, geometry, run, (body.filter, body.i, body.j))
    return FastJSONResponse(compact_window(answer))


def compact_window(answer: dict) -> dict:
    """Whole numbers as integers (pixels, most weights and products read as such)."""
    for name in ("window", "weights", "products", "channel_sums"):
        answer[name] = compact(answer[name])
    return answer


@json_router.post("/api/v1/images/conv2d/window", response_model=ImageWindowResponse)
async def image_conv2d_window(body: ImageWindowRequest, settings: SettingsDep) -> FastJSONResponse:
    """The numbers behind one pixel of a feature map: the window (padding applied as the engine does), the
    weights, products, per-channel sums, bias, the value before and after the activation.

    The same picture as /images/conv2d, without sending it again: `sample` (decoded again, with `color` and
    `max_side`) or `crop` (the rows and columns of the shrunk picture the window reads; `rows` and `cols` of
    the answer say which). `params`/`kernel_preset` as /images/conv2d's; `filter`, `i`, `j` the position.
    """
    return await offload.run(_window, body, settings, work=1)


@router.get("/api/v1/images/samples", response_model=list[SampleInfo])
def image_samples(request: Request) -> FastJSONResponse:
    """The sample pictures shipped with the app (drawn by scripts/make_samples.py), with their URLs."""
    return FastJSONResponse(sample_listing(request.scope.get("root_path", "")))


router.include_router(json_router)  # the JSON endpoint, after its route: including copies the routes defined so far
