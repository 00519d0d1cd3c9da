"""Form fields and response models of the image endpoints (multipart in, JSON with PNG data URLs out)."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from .arrays import INPUT_CELLS, array_field
from .schemas import ShapeModel, StrictModel

Shift = Annotated[int, Field(ge=-8, le=8)]


class ImageForm(StrictModel):
    """The text fields sent next to the `image` file (or instead of it, `sample`)."""

    sample: str | None = Field(
        None, description="Name of a shipped sample (GET /api/v1/images/samples) instead of a file."
    )
    color: Literal["gray", "rgb"] = Field("gray", description="Convert to one gray channel or keep R, G, B.")
    max_side: Annotated[int, Field(ge=1, le=4096)] = Field(
        128, description="Shrink (never enlarge) to fit this many pixels per side; at most the server's limit (512)."
    )
    params: str = Field(
        "{}",
        description="The JSON API's body as a JSON object, minus `input` (the image is) and the frame fields.",
    )
    include_values: bool = Field(
        False, description="Also return the numbers: the padded input and, when small enough, the output."
    )
    maps: Literal["png", "levels", "binary"] = Field(
        "png",
        description="png: each feature map as two coloured PNGs (signed and absolute). levels: each map once, as "
        "a gray PNG of level indices 0..254 with its scale, coloured by the answer's `palettes` (about a fifth of "
        "the bytes). Channel pictures are then null (tint the whole picture). binary (conv2d only; what the Image "
        "lab uses): the levels answer as one application/octet-stream body, a zlib JSON header and the raw blobs "
        "it points to: each map's level bytes as `plane`, the input picture as `png` (README, Image API).",
    )


class ImageConvForm(ImageForm):
    kernel_preset: list[str] = Field(
        [],
        description="Preset names (GET /api/v1/kernels), repeated or comma-separated: one filter each, instead of "
        "params.kernel. On RGB input each preset's kernel is used on all three channels and the responses summed.",
    )
    # Form fields arrive as text, so this integer is parsed, not strict.
    focus_filter: Annotated[int, Field(ge=0, le=1024)] = Field(
        0, description="The filter taken apart channel by channel."
    )
    include_focus: bool = Field(True, description="false: no `focus` (null), for a page that asks for it apart.")
    include_input: bool = Field(
        True, description="false: the input's pictures are null, for a page that still holds them from before."
    )


class ImagePoolForm(ImageForm):
    shift_y: Shift = Field(0, description="Shift demo: also pool the input moved down by this many pixels.")
    shift_x: Shift = Field(0, description="Shift demo: also pool the input moved right by this many pixels.")


class Blob(BaseModel):
    """maps=binary: a blob's place, counted from the first byte after the header."""

    offset: int
    length: int


class FeatureMap(BaseModel):
    signed: str | None = Field(
        None, description="maps=png: PNG data URL, diverging map: blue −range … white 0 … orange +range."
    )
    absolute: str | None = Field(None, description="maps=png: PNG data URL, |value| from black (0) to white (range).")
    levels: str | None = Field(
        None,
        description="maps=levels: gray PNG data URL of level indices 0..254. scale diverging: level 127 is 0, "
        "0 is −range, 254 is +range; scale sequential: 0 is 0, 254 is range. Colour with `palettes`.",
    )
    plane: Blob | None = Field(
        None, description="maps=binary: where the map's H×W uint8 level indices (zlib) lie among the blobs."
    )
    scale: Literal["diverging", "sequential"] | None = Field(
        None, description="maps=levels: sequential when the map has no negative value (and no shared range)."
    )
    min: float
    max: float
    range: float = Field(description="The legend's half-width: max |value| (sequential: the maximum).")


class Palettes(BaseModel):
    """255 colours each, as one string of 255 × "rrggbb": entry k colours level index k."""

    diverging: str = Field(description="Signed view of a diverging map.")
    magnitude: str = Field(description="Absolute view of a diverging map: |value| black to white.")
    sequential: str = Field(description="Signed view of a sequential map: light (0) to dark orange (max).")
    gray: str = Field(description="Absolute view of a sequential map: black (0) to white (max).")


class ChannelPicture(BaseModel):
    name: str
    picture: str | None = Field(description="null with maps=levels: tint the whole picture's channel.")


class InputView(BaseModel):
    shape: list[int]
    picture: str | None = Field(description="The resized input as PNG (null with include_input=false).")
    png: Blob | None = Field(None, description="maps=binary: the resized input's PNG file among the blobs.")
    channels: list[ChannelPicture]


class Source(BaseModel):
    kind: Literal["upload", "sample"]
    sample: str | None = None
    format: str
    original_size: list[int] = Field(description="[height, width] as stored in the file.")
    size: list[int] = Field(description="[height, width] after shrinking to max_side.")


class FilterMap(BaseModel):
    index: int
    preset: str | None
    map: FeatureMap


class ChannelMap(BaseModel):
    name: str
    map: FeatureMap


class FocusView(BaseModel):
    filter: int
    kernels: list[list[list[float]]] = Field(description="C×kh×kw: this filter's kernel for each input channel.")
    bias: float
    channels: list[ChannelMap] = Field(description="Each channel's response before summing, on one shared scale.")
    sum: FeatureMap | None = Field(
        description="The channel responses summed, plus the bias (null with maps=levels and no activation: "
        "it is the filter's own map)."
    )
    activated: FeatureMap | None = Field(description="The filter's map (null with maps=levels: see filters).")


class ImageValues(BaseModel):
    padded_input: list[list[list[float]]]
    output: list[list[list[float | None]]] | None = Field(description="null when the output is too large to list.")


class ImageConvResponse(BaseModel):
    source: Source
    input: InputView
    output_shape: list[int]
    padding: list[int]
    kernel: list[list[list[list[float]]]]
    bias: list[float]
    activation: str
    shape: ShapeModel
    legend: list[str] = Field(description="CSS colours of the signed map from −range to +range.")
    filters: list[FilterMap]
    focus: FocusView | None = Field(description="null with include_focus=false.")
    values: ImageValues | None
    palettes: Palettes | None = Field(None, description="maps=levels: the colour tables of the level indices.")


class ShiftComparison(BaseModel):
    shift: list[int]
    input: str
    output: str
    same_shape: bool
    equal_fraction: float | None = Field(description="Share of pooled cells (all channels) left unchanged.")
    difference: FeatureMap | None


class ImagePoolResponse(BaseModel):
    source: Source
    input: InputView
    output_shape: list[int]
    output: str = Field(description="The pooled picture, PNG data URL on the input's 0..255 scale.")
    padding: list[int]
    kernel_size: list[int]
    stride: list[int]
    shape: ShapeModel
    shifted: ShiftComparison | None
    values: ImageValues | None
    palettes: Palettes | None = None


class SampleInfo(BaseModel):
    name: str
    title: str
    group: str
    width: int
    height: int
    mode: str
    url: str


Grid3Pixels = array_field(3, limit=INPUT_CELLS)
CropAxis = Annotated[list[Annotated[int, Field(ge=0)]], Field(min_length=1, max_length=1024)]


class ImageCrop(StrictModel):
    """The few rows and columns of a preprocessed picture (already shrunk and converted) that one window reads."""

    size: Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=2, max_length=2)] = Field(
        description="[height, width] of the whole picture, as the conv2d answer's `source.size`."
    )
    rows: CropAxis = Field(description="Increasing row indices of the picture (0-based) the crop holds.")
    cols: CropAxis = Field(description="Increasing column indices of the picture the crop holds.")
    pixels: Grid3Pixels = Field(description="C×len(rows)×len(cols) pixel values 0..255, as decoded by the server.")


class ImageWindowRequest(StrictModel):
    """One output position of /images/conv2d: the same picture and layer, plus where."""

    sample: str | None = Field(None, description="A sample's name: the server decodes it again (with color, max_side).")
    crop: ImageCrop | None = Field(None, description="Instead of sample: the window's rows and columns of the picture.")
    color: Literal["gray", "rgb"] = Field("gray", description="As sent to /images/conv2d.")
    max_side: Annotated[int, Field(ge=1, le=4096)] = Field(128, description="As sent to /images/conv2d (sample).")
    params: dict = Field(
        default_factory=dict,
        description="The JSON API's body minus `input` and the frame fields, as /images/conv2d's `params`.",
    )
    kernel_preset: Annotated[list[str], Field(max_length=64)] = Field([], description="Instead of params.kernel.")
    filter: Annotated[int, Field(ge=0)] = Field(0, description="The filter (0-based).")
    i: Annotated[int, Field(ge=0)] = Field(description="The output row (0-based).")
    j: Annotated[int, Field(ge=0)] = Field(description="The output column (0-based).")


class ImageWindowResponse(BaseModel):
    out: list[int] = Field(description="[filter, i, j].")
    output_shape: list[int] = Field(description="F×Ho×Wo of the whole map.")
    padding: list[int] = Field(description="[top, bottom, left, right].")
    origin: list[int] = Field(description="Top-left tap in padded coordinates.")
    rows: list[int] = Field(description="For each tap row, the picture row it reads (-1: a zero of the padding).")
    cols: list[int] = Field(description="For each tap column, the picture column it reads (-1: a zero).")
    channels: list[str] = Field(description="The names of the channels this filter reads.")
    window: list[list[list[float]]] = Field(description="(C/groups)×kh×kw input numbers under the taps.")
    weights: list[list[list[float]]] = Field(description="The filter's weights as used (flipped if asked).")
    products: list[list[list[float]]]
    channel_sums: list[float]
    bias: float
    value: float = Field(description="Σ products + bias, before the activation.")
    activation: str
    activated: float = Field(description="The map's value at (i, j).")
