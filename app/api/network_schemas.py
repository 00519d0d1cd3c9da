"""Request and response models for transposed convolution and the network lab."""

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, Discriminator, Field, Strict, Tag, ValidationInfo

from ..core.network_layers import LAYER_ACTIVATIONS
from .arrays import KERNEL_CELLS, Matrix, Vector, array_field, check_size, limits_of
from .schemas import (
    ConvFrame,
    Grid3,
    IntPair,
    NonNegativeInt,
    Number,
    PaddingMode,
    PaddingSpec,
    Page,
    PageRequest,
    PoolPadding,
    PositiveInt,
    ShapeModel,
    StrictModel,
)

TransposeKernel = array_field(2, 4, limit=KERNEL_CELLS)  # kh×kw, or C_in×(C_out/groups)×kh×kw
NonNegativePair = Annotated[list[NonNegativeInt], Field(min_length=2, max_length=2)]


class ConvTranspose2dRequest(PageRequest):
    input: Matrix = Field(description="H×W or C_in×H×W numbers.")
    kernel: TransposeKernel = Field(description="kh×kw, or C_in×(C_out/groups)×kh×kw (PyTorch's weight layout).")
    bias: Number | Vector = Field(0.0, description="One number for every output channel, or one per channel.")
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


# --- the network lab -------------------------------------------------------------------------

MAX_SIZE = 100_000  # channels, features or a side in shapes-only mode
WEIGHT_CELLS = (lambda limits: limits.max_layer_weights, "a layer's weights")
Weights4 = array_field(4, limit=WEIGHT_CELLS)  # F×(C/groups)×kh×kw
Weights2 = array_field(2, limit=WEIGHT_CELLS)  # out_features×in_features
_BIAS = "true: drawn (seeded, see the docs), false: none, or one number per output."
ConvBias = Annotated[bool | Vector, Field(description=_BIAS)]
LinearBias = Annotated[
    bool | array_field(1, limit=(lambda limits: MAX_SIZE, "one per output feature")), Field(description=_BIAS)
]
SizeInt = Annotated[int, Strict(), Field(ge=1, le=MAX_SIZE)]


class ConvLayer(StrictModel):
    type: Literal["conv"]
    out_channels: SizeInt
    kernel_size: PositiveInt | IntPair = 3
    stride: PositiveInt | IntPair = 1
    padding: PaddingSpec = 0
    padding_mode: PaddingMode = "zeros"
    dilation: PositiveInt | IntPair = 1
    groups: PositiveInt = 1
    weights: Weights4 | None = Field(None, description="out_channels×(C/groups)×kh×kw; default: seeded.")
    bias: ConvBias = True


class ActivationLayer(StrictModel):
    type: Literal[LAYER_ACTIVATIONS]


class PoolLayer(StrictModel):
    type: Literal["max_pool", "avg_pool"]
    kernel_size: PositiveInt | IntPair = 2
    stride: PositiveInt | IntPair | None = Field(None, description="Defaults to kernel_size.")
    padding: PoolPadding = 0
    ceil_mode: bool = False


class GlobalAvgPoolLayer(StrictModel):
    type: Literal["global_avg_pool"]


class FlattenLayer(StrictModel):
    type: Literal["flatten"]


class LinearLayer(StrictModel):
    type: Literal["linear"]
    out_features: SizeInt
    weights: Weights2 | None = Field(None, description="out_features×in_features; default: seeded.")
    bias: LinearBias = True


_LAYER_MODELS = (ConvLayer, ActivationLayer, PoolLayer, GlobalAvgPoolLayer, FlattenLayer, LinearLayer)
LAYER_TYPES = {name: model for model in _LAYER_MODELS for name in model.model_fields["type"].annotation.__args__}


def _layer_count(value: Any, info: ValidationInfo) -> Any:
    """Counted before any layer is validated: a long list costs nothing but this check."""
    limits = limits_of(info)
    check_size(value, limits.max_layers, "layers")
    return value


def _layer_tag(value: Any) -> str | None:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    # The tag is not an identifier, so error locations read `layers.2.kernel_size`, not `layers.2.conv.…`.
    return f"{LAYER_TYPES[kind].__name__} model" if isinstance(kind, str) and kind in LAYER_TYPES else None


LayerSpec = Annotated[
    Union[tuple(Annotated[model, Tag(f"{model.__name__} model")] for model in _LAYER_MODELS)],  # noqa: UP007
    Discriminator(
        _layer_tag,
        custom_error_type="layer_type",
        custom_error_message="type must be one of " + ", ".join(LAYER_TYPES),
    ),
]
Layers = Annotated[list[LayerSpec], BeforeValidator(_layer_count)]
PresetName = Literal["vgg_block", "alexnet_first", "tiny_cifar", "tiny_cifar_gap"]


class NetworkRequest(StrictModel):
    input: Matrix | None = Field(None, description="H×W or C×H×W numbers; omit for input_shape or a preset's input.")
    input_shape: Annotated[list[SizeInt], Field(min_length=3, max_length=3)] | None = Field(
        None, description="[C, H, W] for shapes only (no numbers): any size, e.g. AlexNet's 3×227×227."
    )
    layers: Layers | None = Field(None, description="The stack; omit to use the preset's.")
    preset: PresetName | None = None
    seed: Annotated[int, Field(ge=0, le=2**32 - 1)] = Field(0, description="Seeds drawn weights and sample inputs.")
    include_outputs: bool = Field(True, description="Return feature maps (first output_channels channels).")
    output_channels: Annotated[int, Field(ge=0, le=64)] = 8
    max_output_values: Annotated[int, Field(ge=0, le=200_000)] = Field(
        50_000, description="Feature maps stop once this many numbers are in the response."
    )
    output_digits: Annotated[int, Field(ge=1, le=17)] | None = Field(
        None,
        description=(
            "Round each map to this many significant digits of its layer's largest |value| (output_range stays "
            "exact); the Network lab asks 4, since it draws maps as colours. Omit for full precision."
        ),
    )


class RFAxisModel(BaseModel):
    rf: int = Field(description="Receptive field: input cells one unit sees along this axis.")
    jump: int = Field(description="Input cells between neighbouring units.")
    start: float = Field(description="Input coordinate of unit 0's centre.")
    formula: str


class ParamsModel(BaseModel):
    weights: int
    biases: int
    total: int
    share: float = Field(description="This layer's part of the network's parameters, 0..1.")


class AsConvModel(BaseModel):
    kind: str
    kernel_shape: list[int]
    linear_output: list[float]
    conv_output: list[float]
    max_abs_difference: float


class LayerResultModel(BaseModel):
    index: int
    type: str
    in_shape: list[int]
    out_shape: list[int]
    explanation: str
    shape: ShapeModel | None = Field(description="The output-size formula per axis (sliding-window layers).")
    padding: list[int] | None
    params: ParamsModel
    receptive_field: dict[str, RFAxisModel]
    weight_init: dict | None = Field(description="How this layer's weights were made: given or seeded.")
    spec: dict = Field(description="The layer as a request would write it (explicit weights left out).")
    output: list | None = Field(description="Feature maps (first channels) or the vector; null when over the cap.")
    output_channels_shown: int | None
    output_range: list[float] | None = Field(description="[min, max] of the whole output.")
    as_conv: AsConvModel | None


class NetworkResponse(BaseModel):
    input_shape: list[int]
    input: list | None
    computed: bool
    total_params: int
    layers: list[LayerResultModel]
    pytorch: str = Field(description="Equivalent PyTorch code (nn.Sequential with these weights).")


class ReceptiveFieldRequest(StrictModel):
    input_shape: Annotated[list[SizeInt], Field(min_length=3, max_length=3)] | None = None
    layers: Annotated[Layers, Field(min_length=1)] | None = None
    preset: PresetName | None = None
    layer: Annotated[int, Field(ge=0)] = Field(description="Index of the layer the unit is in.")
    unit: Annotated[list[Annotated[int, Field(ge=0)]], Field(min_length=1, max_length=3)] = Field(
        description="[row, col] (or [channel, row, col]) in a map, or [n] in a flat vector."
    )


class ReceptiveFieldResponse(BaseModel):
    layer: int
    unit: list[int]
    rows: list[int] = Field(description="[first, last] input rows, possibly outside the input (padding).")
    cols: list[int]
    rows_in_input: list[int] = Field(description="rows clipped to the input.")
    cols_in_input: list[int]
    row_taps: list[int] = Field(
        description="Exactly the input rows the unit reads: dilation and stride leave holes in the span, "
        "copied padding (reflect, replicate, circular) folds back in."
    )
    col_taps: list[int]
    table: list[dict[str, RFAxisModel]] = Field(description="The running formula, layer by layer.")
