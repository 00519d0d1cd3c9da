"""Request and response models of the backward pass: /conv2d/backward, /pool2d/backward, /conv2d/fit."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from .arrays import Kernel, Matrix
from .schemas import (
    Activation,
    Conv2dRequest,
    ConvFrame,
    Grid3,
    IntPair,
    Number,
    OptionalGrid3,
    PaddingMode,
    PaddingSpec,
    Page,
    Pool2dRequest,
    PositiveInt,
    ShapeModel,
    StrictModel,
)

GRAD_OUTPUT = (
    "d loss / d output (after the activation): F×Ho×Wo, or Ho×Wo when there is one filter. "
    "Default: all ones, what y.sum().backward() sends."
)


class Conv2dBackwardRequest(Conv2dRequest):
    grad_output: Matrix | None = Field(None, description=GRAD_OUTPUT)
    view: Literal["scatter", "gather", "weight"] = Field(
        "scatter",
        description="Which frames to return: one per output-gradient cell stamping onto the input (scatter), "
        "one per padded-input cell gathering through the flipped kernel (gather), or one per weight (weight).",
    )


class Pool2dBackwardRequest(Pool2dRequest):
    grad_output: Matrix | None = Field(None, description="d loss / d output: C×Ho×Wo (Ho×Wo for one channel).")


class GatherModel(BaseModel):
    """How the input gradient is a stride-1 convolution (a transposed convolution)."""

    inserted_zeros: list[int] = Field(description="stride − 1 zeros between output-gradient cells, per axis.")
    padding: list[int] = Field(
        description="[top, bottom, left, right] = d×(k−1) each side, plus on the bottom/right the rows/columns "
        "the forward's stride never reached."
    )
    dilation: list[int] = Field(description="The forward's dilation, kept.")
    kernel_flipped: bool = Field(True, description="The kernel (as used) is flipped on both axes.")
    channels_swapped: bool = Field(description="In and out channels swapped within each group (true unless 1×1).")
    kernel: list[Grid3] | None = Field(None, description="C×(F/groups)×kh×kw: the gather view's kernel (view=gather).")
    padded_grad_output: Grid3 | None = Field(
        None, description="F×Hg×Wg: zeros inserted, then padded (view=gather only)."
    )


class ScatterFrame(BaseModel):
    step: int
    out: list[int] = Field(description="[filter, row, col] of the output-gradient cell.")
    grad_output: float = Field(description="The gradient arriving at the activated output.")
    derivative: float = Field(description="The activation's derivative there (1 without an activation).")
    grad: float = Field(description="grad_output × derivative: what is stamped.")
    origin: list[int] = Field(
        description="The stamp's top-left tap, padded coordinates; taps origin + dilation × index."
    )
    channels: list[int] = Field(description="The input channels the stamp lands on.")
    stamp: Grid3 = Field(description="grad × kernel (as used), (C/groups)×kh×kw.")


class WeightFrame(BaseModel):
    step: int
    weight: list[int] = Field(description="[filter, channel, row, col] in the kernel as sent.")
    tap: list[int] = Field(description="[row, col] in the kernel as used (flipped if flip_kernel).")
    channel: int = Field(description="The input channel this weight reads.")
    origin: list[int] = Field(description="Its first tap, padded coordinates; then every stride.")
    window: list[list[float]] = Field(description="Ho×Wo input cells this weight touched.")
    grad: list[list[float]] = Field(description="Ho×Wo output gradient (after the activation's derivative).")
    products: list[list[float]]
    value: float = Field(description="Sum of the products: d loss / d this weight.")


class Conv2dBackwardResponse(Page):
    output: Grid3
    output_shape: list[int]
    padded_input: Grid3
    padding: list[int] = Field(description="[top, bottom, left, right] actually applied.")
    kernel: list[Grid3] = Field(description="F×(C/groups)×kh×kw as used (flipped if flip_kernel).")
    bias: list[float]
    shape: ShapeModel
    grad_output: Grid3 = Field(description="F×Ho×Wo as used.")
    activation_derivative: Grid3
    grad_pre_activation: Grid3 = Field(description="grad_output × the activation's derivative.")
    grad_padded_input: Grid3 = Field(description="C×Hp×Wp: before the padding's copies hand theirs back.")
    grad_input: Grid3 = Field(description="C×H×W, w.r.t. the unpadded input.")
    grad_weight: list[Grid3] = Field(description="F×(C/groups)×kh×kw, w.r.t. the kernel as sent.")
    grad_bias: list[float]
    gather: GatherModel
    view: str
    frames: list[ScatterFrame] | list[ConvFrame] | list[WeightFrame]


class RoutingFrame(BaseModel):
    step: int
    out: list[int] = Field(description="[channel, row, col] of the output-gradient cell.")
    origin: list[int] = Field(description="Top-left tap, padded coordinates.")
    grad: float
    share: list[list[float | None]] = Field(description="What each tap receives; null on padding taps.")
    argmax: list[int] | None = Field(None, description="max: the winner [row, col] that takes it all.")
    divisor: float | None = Field(None, description="avg: each real cell gets grad / divisor.")


class Pool2dBackwardResponse(Page):
    output: OptionalGrid3
    output_shape: list[int]
    padded_input: OptionalGrid3
    padding: list[int]
    kernel_size: list[int]
    stride: list[int]
    shape: ShapeModel
    grad_output: Grid3
    grad_input: Grid3
    frames: list[RoutingFrame]


class Conv2dFitRequest(StrictModel):
    input: Matrix = Field(description="H×W or C×H×W numbers.")
    target: Matrix = Field(description="What the output should become: F×Ho×Wo (Ho×Wo for one filter).")
    kernel: Kernel = Field(description="The starting kernel (for example all zeros).")
    bias: Number | list[Number] = Field(0.0, description="Kept fixed while the kernel learns.")
    learning_rate: Annotated[float, Field(gt=0, le=1e3, allow_inf_nan=False)] = 0.01
    steps: Annotated[int, Field(ge=1, le=10**6)] = 20
    stride: PositiveInt | IntPair = 1
    padding: PaddingSpec = 0
    padding_mode: PaddingMode = "zeros"
    dilation: PositiveInt | IntPair = 1
    groups: PositiveInt = 1
    flip_kernel: bool = False
    activation: Activation = "none"


class Conv2dFitResponse(BaseModel):
    steps: int = Field(description="Steps run (fewer than asked when the descent diverged).")
    diverged: bool
    losses: list[float] = Field(description="Mean squared error before each step's update.")
    kernels: list[list[Grid3]] = Field(description="The kernel after each step.")
    grad_weights: list[list[Grid3]] = Field(description="d loss / d kernel at each step.")
    outputs: list[Grid3] = Field(description="The output before each step's update.")
    grad_outputs: list[Grid3] = Field(description="d loss / d output = 2 (output − target) / N at each step.")
    final_output: Grid3
    final_loss: float
    target: Grid3
