"""One class per layer type of a stack: its shape, its weights, its numbers, its cost, its receptive field.

The API's request union has one model per layer type; `KINDS[layer.type]` is the engine's side of the
same table, so a new layer type is one model there and one class here, and nothing dispatches on
type strings elsewhere. Every method takes the `LayerResult` the shape step made, so what was checked
once (padding, axes, channel counts) is not worked out again.
"""

from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS, activate
from .conv import conv2d
from .errors import EngineError
from .limits import Limits, check_at_most
from .params import Sides, conv_padding, pair
from .pool import pool2d
from .receptive import RFAxis, Window
from .shape import AxisShape, explain_axis


@dataclass(frozen=True)
class Layer:
    """One layer as asked for. Fields a type does not use keep their defaults."""

    type: str
    out_channels: int = 0  # conv
    kernel_size: int | tuple[int, int] = 3  # conv, pools
    stride: int | tuple[int, int] | None = None  # None: 1 for conv, kernel_size for pools
    padding: int | str | tuple[int, ...] = 0
    padding_mode: str = "zeros"
    dilation: int | tuple[int, int] = 1
    groups: int = 1
    ceil_mode: bool = False
    out_features: int = 0  # linear
    bias: bool = True
    weights: np.ndarray | None = None  # explicit weights (PyTorch's layout)
    bias_values: np.ndarray | None = None

    @property
    def kind(self) -> "LayerKind":
        if self.type not in KINDS:
            raise EngineError("type", "known_layer", f"unknown layer type {self.type!r}")
        return KINDS[self.type]

    @property
    def has_bias(self) -> bool:
        return self.bias or self.bias_values is not None


@dataclass
class LayerResult:
    """What one layer did. `shape` is C×H×W or (N,) for a flat vector."""

    index: int
    layer: Layer
    in_shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    explanation: str
    axes: tuple[AxisShape, AxisShape] | None = None
    padding: Sides | None = None
    weight_count: int = 0
    bias_count: int = 0
    share: float = 0.0
    rf: tuple[RFAxis, RFAxis] | None = None
    weight: np.ndarray | None = None
    bias: np.ndarray | None = None
    output: np.ndarray | None = None
    as_conv: dict | None = None  # linear layers: the same numbers from a convolution
    windows: tuple[Window, Window] | None = None  # what one unit reads, per axis (None: element-wise)

    @property
    def param_count(self) -> int:
        return self.weight_count + self.bias_count


def fail(index: int, name: str, rule: str, message: str, params: dict | None = None) -> EngineError:
    """An error named after the layer's field (`layers.2.kernel_size`), its params naming the layer too."""
    field = f"layers.{index}.{name}" if name else f"layers.{index}"
    return EngineError(field, rule, message, {"layer": index, **(params or {})})


def rename(error: EngineError, index: int, names: dict[str, str]) -> EngineError:
    return fail(index, names.get(error.field, error.field), error.rule, error.message, error.params)


def fmt(shape: tuple[int, ...]) -> str:
    return "×".join(str(n) for n in shape)


def _spatial(index: int, layer: Layer, shape: tuple[int, ...]) -> tuple[int, int, int]:
    if len(shape) != 3:
        raise fail(
            index,
            "type",
            "needs_a_map",
            f"{layer.type} needs a C×H×W map, but the layer before it gives a flat vector of {shape[0]}; "
            "move it before the flatten",
            {"type": layer.type, "size": shape[0]},
        )
    return shape  # type: ignore[return-value]


def _require(index: int, name: str, h: AxisShape, w: AxisShape) -> None:
    for axis in (h, w):
        if not axis.valid:
            raise fail(index, name, "kernel_larger_than_padded_input", axis.problem or axis.formula)


class LayerKind:
    """What a stack asks of a layer type; the defaults are those of a layer without weights or geometry."""

    has_weights = False
    size_field = ""  # the field that sets the weight count (named when that count is too large)
    # The request fields that describe a layer of this type (its spec, as a client would send it back).
    spec_fields: tuple[str, ...] = ()

    def infer(self, index: int, layer: Layer, shape: tuple[int, ...]) -> LayerResult:
        """Shape, explanation and parameter count, without any numbers (cheap at any size)."""
        raise NotImplementedError

    def weight_shape(self, result: LayerResult) -> tuple[tuple[int, ...], int] | None:
        """PyTorch's weight layout and the fan-in of its initialisation; None without weights."""
        return None

    def compute(self, result: LayerResult, x: np.ndarray, limits: Limits) -> np.ndarray:
        raise NotImplementedError

    def macs(self, step: LayerResult) -> int:
        """Multiply-adds (or window reads, for pooling): what computing it costs."""
        if step.axes is not None:
            return int(np.prod(step.out_shape)) * step.axes[0].k * step.axes[1].k
        return int(np.prod(step.in_shape))

    def windows(self, step: LayerResult, last_map: tuple[int, ...]) -> tuple[Window, Window] | None:
        """The window one unit reads along each axis of the last map; None for element-wise layers."""
        return None


class Windowed(LayerKind):
    """A layer that slides a window (conv, pooling): one unit reads one window of each axis."""

    def windows(self, step: LayerResult, last_map: tuple[int, ...]) -> tuple[Window, Window]:
        pads = (step.padding[0], step.padding[2])
        mode = step.layer.padding_mode
        return tuple(Window(a.k, a.s, a.d, p, a.n, mode) for a, p in zip(step.axes, pads))  # type: ignore[return-value]


class Conv(Windowed):
    has_weights = True
    size_field = "out_channels"
    spec_fields = ("out_channels", "kernel_size", "stride", "padding", "padding_mode", "dilation", "groups")

    def infer(self, index: int, layer: Layer, shape: tuple[int, ...]) -> LayerResult:
        channels, height, width = _spatial(index, layer, shape)
        try:
            kernel = pair(layer.kernel_size, "kernel_size")
            stride, dilation = pair(layer.stride or 1, "stride"), pair(layer.dilation, "dilation")
            sides = conv_padding(layer.padding, kernel, stride, dilation)
        except EngineError as error:
            raise rename(error, index, {}) from None
        if layer.groups < 1 or channels % layer.groups or layer.out_channels % layer.groups:
            raise fail(
                index,
                "groups",
                "divides_channels",
                f"groups ({layer.groups}) must divide both the input channels ({channels}) "
                f"and out_channels ({layer.out_channels})",
            )
        h = explain_axis("height", height, kernel[0], stride[0], dilation[0], sides[0], sides[1])
        w = explain_axis("width", width, kernel[1], stride[1], dilation[1], sides[2], sides[3])
        _require(index, "kernel_size", h, w)
        cpg = channels // layer.groups
        explanation = (
            f"{layer.out_channels} filters, each {cpg}×{kernel[0]}×{kernel[1]}"
            + (f" (groups {layer.groups})" if layer.groups > 1 else "")
            + f": {channels}×{height}×{width} → {layer.out_channels}×{h.size}×{w.size}"
        )
        return LayerResult(
            index,
            layer,
            shape,
            (layer.out_channels, h.size, w.size),
            explanation,
            axes=(h, w),
            padding=sides,
            weight_count=layer.out_channels * cpg * kernel[0] * kernel[1],
            bias_count=layer.out_channels if layer.has_bias else 0,
        )

    def weight_shape(self, result: LayerResult) -> tuple[tuple[int, ...], int]:
        layer = result.layer
        kh, kw = pair(layer.kernel_size, "kernel_size")
        shape = (layer.out_channels, result.in_shape[0] // layer.groups, kh, kw)
        return shape, shape[1] * kh * kw

    def compute(self, result: LayerResult, x: np.ndarray, limits: Limits) -> np.ndarray:
        layer, index = result.layer, result.index
        check_at_most(layer.out_channels, limits.max_filters, f"layers.{index}.out_channels", "the number of filters")
        try:
            return conv2d(
                x,
                result.weight,
                0.0 if result.bias is None else result.bias,
                stride=layer.stride or 1,
                padding=result.padding,
                padding_mode=layer.padding_mode,
                dilation=layer.dilation,
                groups=layer.groups,
                limits=limits,
            ).output
        except EngineError as error:
            names = {"kernel": "weights" if layer.weights is not None else "kernel_size", "input": ""}
            raise rename(error, index, names) from None

    def macs(self, step: LayerResult) -> int:
        return int(np.prod(step.out_shape)) * step.weight_count // max(step.layer.out_channels, 1)


class Pool(Windowed):
    spec_fields = ("kernel_size", "stride", "padding", "ceil_mode")

    def __init__(self, mode: str) -> None:
        self.mode = mode  # "max" or "avg", as pool2d names them

    def infer(self, index: int, layer: Layer, shape: tuple[int, ...]) -> LayerResult:
        channels, height, width = _spatial(index, layer, shape)
        try:
            kernel = pair(layer.kernel_size, "kernel_size")
            stride = kernel if layer.stride is None else pair(layer.stride, "stride")
            if isinstance(layer.padding, str) or (not isinstance(layer.padding, int) and len(layer.padding) != 2):
                raise EngineError("padding", "padding_form", "pooling padding must be an integer or [ph, pw]")
            padding = pair(layer.padding, "padding", minimum=0)
        except EngineError as error:
            raise rename(error, index, {}) from None
        for p, k in zip(padding, kernel):
            if p > k // 2:
                raise fail(
                    index,
                    "padding",
                    "at_most_half_kernel",
                    f"pooling padding can be at most half the kernel size ({k} // 2 = {k // 2}); got {p}",
                )
        h = explain_axis("height", height, kernel[0], stride[0], 1, padding[0], padding[0], layer.ceil_mode)
        w = explain_axis("width", width, kernel[1], stride[1], 1, padding[1], padding[1], layer.ceil_mode)
        _require(index, "kernel_size", h, w)
        word = "max" if self.mode == "max" else "mean"
        explanation = (
            f"{kernel[0]}×{kernel[1]} {word} pooling, stride {stride[0]}×{stride[1]}, per channel: "
            f"{channels}×{height}×{width} → {channels}×{h.size}×{w.size}"
        )
        sides = (padding[0], padding[0], padding[1], padding[1])
        return LayerResult(index, layer, shape, (channels, h.size, w.size), explanation, axes=(h, w), padding=sides)

    def compute(self, result: LayerResult, x: np.ndarray, limits: Limits) -> np.ndarray:
        layer = result.layer
        try:
            return pool2d(
                x, self.mode, layer.kernel_size, layer.stride, layer.padding, ceil_mode=layer.ceil_mode, limits=limits
            ).output
        except EngineError as error:
            raise rename(error, result.index, {"kernel": "kernel_size", "input": ""}) from None


class GlobalAvgPool(Windowed):
    def infer(self, index: int, layer: Layer, shape: tuple[int, ...]) -> LayerResult:
        channels, height, width = _spatial(index, layer, shape)
        explanation = f"the mean of each {height}×{width} map: {channels}×{height}×{width} → {channels}×1×1"
        h, w = explain_axis("height", height, height), explain_axis("width", width, width)
        return LayerResult(index, layer, shape, (channels, 1, 1), explanation, axes=(h, w), padding=(0, 0, 0, 0))

    def compute(self, result: LayerResult, x: np.ndarray, limits: Limits) -> np.ndarray:
        try:
            return pool2d(x, "avg", global_pool=True, limits=limits).output
        except EngineError as error:
            raise rename(error, result.index, {"input": ""}) from None


class Activation(LayerKind):
    def infer(self, index: int, layer: Layer, shape: tuple[int, ...]) -> LayerResult:
        return LayerResult(index, layer, shape, shape, f"{layer.type} on every value: the shape stays {fmt(shape)}")

    def compute(self, result: LayerResult, x: np.ndarray, limits: Limits) -> np.ndarray:
        return activate(result.layer.type, x)


class Flatten(LayerKind):
    def infer(self, index: int, layer: Layer, shape: tuple[int, ...]) -> LayerResult:
        size = int(np.prod(shape))
        return LayerResult(index, layer, shape, (size,), f"{fmt(shape)} laid out in one row of {size:,} values")

    def compute(self, result: LayerResult, x: np.ndarray, limits: Limits) -> np.ndarray:
        return x.reshape(-1)


class Linear(LayerKind):
    has_weights = True
    size_field = "out_features"
    spec_fields = ("out_features",)

    def infer(self, index: int, layer: Layer, shape: tuple[int, ...]) -> LayerResult:
        if len(shape) != 1:
            raise fail(
                index,
                "type",
                "needs_flat_input",
                f"linear needs a flat vector, but the layer before it gives a {fmt(shape)} map; add a flatten first",
            )
        weights = layer.out_features * shape[0]
        explanation = f"every one of {layer.out_features:,} outputs reads all {shape[0]:,} inputs: {weights:,} weights"
        bias = layer.out_features if layer.has_bias else 0
        return LayerResult(
            index, layer, shape, (layer.out_features,), explanation, weight_count=weights, bias_count=bias
        )

    def weight_shape(self, result: LayerResult) -> tuple[tuple[int, ...], int]:
        return (result.layer.out_features, result.in_shape[0]), result.in_shape[0]

    def compute(self, result: LayerResult, x: np.ndarray, limits: Limits) -> np.ndarray:
        return result.weight @ x + (0.0 if result.bias is None else result.bias)

    def macs(self, step: LayerResult) -> int:
        return int(np.prod(step.in_shape)) * step.layer.out_features

    def windows(self, step: LayerResult, last_map: tuple[int, ...]) -> tuple[Window, Window]:
        # An h×w convolution over the last map: every output reads all of it.
        return (Window(last_map[1], 1, 1, 0, last_map[1]), Window(last_map[2], 1, 1, 0, last_map[2]))


LAYER_ACTIVATIONS = tuple(name for name in ACTIVATIONS if name != "none")  # "none" is no layer at all
_ACTIVATION = Activation()
KINDS: dict[str, LayerKind] = {
    "conv": Conv(),
    "max_pool": Pool("max"),
    "avg_pool": Pool("avg"),
    "global_avg_pool": GlobalAvgPool(),
    "flatten": Flatten(),
    "linear": Linear(),
    **{name: _ACTIVATION for name in LAYER_ACTIVATIONS},
}
