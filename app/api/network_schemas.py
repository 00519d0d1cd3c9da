"""Request and response models for transposed convolution and the network lab."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from .arrays import Matrix, array_field
from .schemas import ConvFrame, Grid3, IntPair, NonNegativeInt, Number, Page, PageRequest, PositiveInt

TransposeKernel = array_field(2, 4)  # kh×kw, or C_in×(C_out/groups)×kh×kw
NonNegativePair = Annotated[list[NonNegativeInt], Field(min_length=2, max_length=2)]


class ConvTranspose2dRequest(PageRequest):
    input: Matrix = Field(description="H×W or C_in×H×W numbers.")
    kernel: TransposeKernel = Field(description="kh×kw, or C_in×(C_out/groups)×kh×kw (PyTorch's weight layout).")
    bias: Number | list[Number] = Field(0.0, description="One number for every output channel, or one per channel.")
    stride: PositiveInt | IntPair = 1
    padding: NonNegativeInt | NonNegativePair = Field(0, description="Cropped from each side of the output.")
    output_padding: NonNegativeInt | NonNegativePair = Field(
        0, description="Added to the bottom/right; must be below the stride or the dilation on each axis."
    )
    dilation: PositiveInt | IntPair = 1
    groups: PositiveInt = 1
    view: Literal["scatter", "direct"] = Field(
        "scatter",
        description="Which frames to return: one per input cell (scatter) or one per output cell (direct).",
    )


class TransposeAxisModel(BaseModel):
    axis: str
    n: int
    k: int
    s: int
    d: int
    p: int
    output_padding: int
    size: int
    formula: str = Field(description="(n − 1)×s − 2×p + d×(k − 1) + output_padding + 1, numbers substituted.")
    inserted: int = Field(description="(n − 1)×s + 1: the input's length after inserting s − 1 zeros between cells.")
    pad_before: int = Field(description="d×(k − 1) − p: padding of the direct view (negative: cropped).")
    pad_after: int = Field(description="pad_before + output_padding.")


class TransposeShapeModel(BaseModel):
    height: TransposeAxisModel
    width: TransposeAxisModel


class DirectView(BaseModel):
    zero_inserted: Grid3 = Field(description="C_in×Hz×Wz: s − 1 zeros between neighbouring cells.")
    padded_input: Grid3 = Field(description="C_in×Hp×Wp: zero_inserted, padded (or cropped) as in `padding`.")
    padding: list[int] = Field(description="[top, bottom, left, right]; negative values crop.")
    kernel: list[Grid3] = Field(description="C_out×(C_in/groups)×kh×kw: flipped, in/out swapped per group.")


class ScatterFrame(BaseModel):
    step: int
    cell: list[int] = Field(description="[channel, row, col] of the input cell.")
    value: float
    origin: list[int] = Field(description="Top-left tap of the stamp in output coordinates (may lie outside).")
    channels: list[int] = Field(description="Output channels the stamp lands on.")
    stamp: Grid3 = Field(description="(C_out/groups)×kh×kw: value × kernel; taps are origin + dilation × index.")


class ConvTranspose2dResponse(Page):
    output: Grid3 = Field(description="C_out×Ho×Wo.")
    output_shape: list[int]
    kernel: list[Grid3] = Field(description="C_in×(C_out/groups)×kh×kw as given.")
    bias: list[float]
    shape: TransposeShapeModel
    direct: DirectView
    view: Literal["scatter", "direct"]
    frames: list[ScatterFrame] | list[ConvFrame]
