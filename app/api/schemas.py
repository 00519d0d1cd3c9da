"""Request and response models of REST API v1: the contract, as OpenAPI shows it."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict

from ..core.activations import ACTIVATIONS
from ..core.limits import MAX_ABS_VALUE
from ..core.padding import PADDING_MODES
from ..core.pool import POOL_MODES
from .arrays import Kernel, Matrix, Vector

# Strict: a JSON string or float where an integer belongs is refused, as the array fields refuse non-numbers.
PositiveInt = Annotated[int, Strict(), Field(ge=1, le=1024)]
NonNegativeInt = Annotated[int, Strict(), Field(ge=0, le=1024)]
IntPair = Annotated[list[PositiveInt], Field(min_length=2, max_length=2)]
Number = Annotated[float, Strict(), Field(allow_inf_nan=False, ge=-MAX_ABS_VALUE, le=MAX_ABS_VALUE)]
PaddingSpec = (
    NonNegativeInt
    | Annotated[list[NonNegativeInt], Field(min_length=2, max_length=2)]
    | Annotated[list[NonNegativeInt], Field(min_length=4, max_length=4)]
    | Literal["same", "valid"]
)
PoolPadding = NonNegativeInt | Annotated[list[NonNegativeInt], Field(min_length=2, max_length=2)]

# The vocabularies are the engine's (each defined once in app/core); the API's Literals are read from them.
PaddingMode = Literal[PADDING_MODES]
Activation = Literal[tuple(ACTIVATIONS)]
PoolMode = Literal[POOL_MODES]

Grid = list[list[float]]
Grid3 = list[list[list[float]]]
OptionalGrid3 = list[list[list[float | None]]]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)


class PageRequest(StrictModel):
    frame_start: Annotated[int, Field(ge=0, le=10**9, description="First frame to return.")] = 0
    frame_limit: Annotated[
        int | None,
        Field(ge=0, le=10**9, description="Frames to return (0: none; default: a page that fits the limits)."),
    ] = None


class Conv2dRequest(PageRequest):
    input: Matrix = Field(description="H×W or C×H×W numbers.")
    kernel: Kernel = Field(description="kh×kw, one filter C×kh×kw, or F×(C/groups)×kh×kw.")
    bias: Number | Vector = Field(0.0, description="One number for every filter, or one per filter.")
    stride: PositiveInt | IntPair = 1
    padding: PaddingSpec = Field(0, description='int, [ph, pw], [top, bottom, left, right], "same" or "valid".')
    padding_mode: PaddingMode = "zeros"
    dilation: PositiveInt | IntPair = 1
    groups: PositiveInt = 1
    flip_kernel: bool = Field(False, description="Flip the kernel on both axes: a true convolution.")
    activation: Activation = "none"


class Pool2dRequest(PageRequest):
    input: Matrix = Field(description="H×W or C×H×W numbers.")
    mode: PoolMode = "max"
    kernel_size: PositiveInt | IntPair = 2
    stride: PositiveInt | IntPair | None = Field(None, description="Defaults to kernel_size.")
    padding: PoolPadding = 0
    dilation: PositiveInt | IntPair = 1
    ceil_mode: bool = False
    count_include_pad: bool = True
    divisor_override: PositiveInt | None = None
    global_: bool = Field(False, alias="global", description="One window over the whole map (global pooling).")

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, populate_by_name=True)


class AxisShapeModel(BaseModel):
    axis: str
    n: int
    k: int
    s: int
    d: int
    p_before: int
    p_after: int
    ceil_mode: bool
    padded: int
    span: int
    size: int | None
    formula: str
    valid: bool
    problem: str | None


class ShapeModel(BaseModel):
    height: AxisShapeModel
    width: AxisShapeModel


class ConvFrame(BaseModel):
    step: int
    out: list[int] = Field(description="[filter, row, col] of the output cell.")
    origin: list[int] = Field(description="Top-left tap in padded coordinates; taps are origin + dilation × index.")
    window: Grid3
    products: Grid3
    channel_sums: list[float]
    bias: float
    value: float = Field(description="Sum of products plus bias, before the activation.")
    activated: float


class PoolFrame(BaseModel):
    step: int
    out: list[int] = Field(description="[channel, row, col] of the output cell.")
    origin: list[int]
    window: list[list[float | None]] = Field(description="null where a tap is padding or past the edge.")
    value: float | None = Field(description="null where a max window holds only padding (-inf in PyTorch).")
    argmax: list[int] | None = Field(None, description="Winning cell [row, col] in input coordinates (max).")
    sum: float | None = Field(None, description="Sum of the real cells (avg).")
    divisor: float | None = Field(None, description="What the sum is divided by (avg).")


class Page(BaseModel):
    frame_count: int
    frame_start: int
    next_frame_start: int | None = Field(description="Where the next page starts; null after the last frame.")


class Conv2dResponse(Page):
    output: Grid3 = Field(description="F×Ho×Wo, after the activation.")
    output_shape: list[int]
    padded_input: Grid3
    padding: list[int] = Field(description="[top, bottom, left, right] actually applied.")
    kernel: list[Grid3] = Field(description="F×(C/groups)×kh×kw as used (flipped if flip_kernel).")
    bias: list[float]
    shape: ShapeModel
    frames: list[ConvFrame]


class Pool2dResponse(Page):
    output: OptionalGrid3 = Field(description="C×Ho×Wo; null where a max window holds only padding.")
    output_shape: list[int]
    padded_input: OptionalGrid3 = Field(description="C×Hp×Wp; null marks padding.")
    padding: list[int]
    kernel_size: list[int]
    stride: list[int]
    shape: ShapeModel
    frames: list[PoolFrame]


class KernelPreset(BaseModel):
    name: str
    title: str
    description: str
    values: Grid


class Health(BaseModel):
    status: Literal["ok"]
