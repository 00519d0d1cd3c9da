"""Form fields and response models of the image endpoints (multipart in, JSON with PNG data URLs out)."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field

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


class ImagePoolForm(ImageForm):
    shift_y: Shift = Field(0, description="Shift demo: also pool the input moved down by this many pixels.")
    shift_x: Shift = Field(0, description="Shift demo: also pool the input moved right by this many pixels.")


class FeatureMap(BaseModel):
    signed: str = Field(description="PNG data URL, diverging map: blue −range … white 0 … orange +range.")
    absolute: str = Field(description="PNG data URL, |value| from black (0) to white (range).")
    min: float
    max: float
    range: float = Field(description="The legend's half-width: max |value|.")


class ChannelPicture(BaseModel):
    name: str
    picture: str


class InputView(BaseModel):
    shape: list[int]
    picture: str
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
    sum: FeatureMap = Field(description="The channel responses summed, plus the bias.")
    activated: FeatureMap


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
    focus: FocusView
    values: ImageValues | None


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


class SampleInfo(BaseModel):
    name: str
    title: str
    group: str
    width: int
    height: int
    mode: str
    url: str
