"""A stack of layers: shapes, parameter counts, receptive fields and (when small) the numbers.

Every layer is checked for shape first (cheap, any size: an AlexNet-sized input works in
shapes-only mode), then, if the input holds numbers, computed with the engine's own conv2d
and pool2d so the values are PyTorch's. Errors name the layer: `layers.2.kernel_size`.

Weights nobody supplied are drawn so outputs are reproducible: layer `n` uses
`numpy.random.default_rng([seed, n])`, first the weight (PyTorch's layout) then the bias, both
`uniform(−1/√fan_in, 1/√fan_in)` — the bound PyTorch's default initialisation uses.
"""

from dataclasses import dataclass, field

import numpy as np

from .activations import activate
from .conv import conv2d
from .errors import EngineError
from .limits import Limits, check_at_most
from .params import Sides, conv_padding, pair
from .pool import pool2d
from .receptive import RFAxis, advance, identity_rf, input_rf
from .shape import AxisShape, explain_axis

MAX_LAYERS = 32
MAX_WEIGHTS = 2_000_000  # one layer's weights, when computing numbers
MAX_NETWORK_MACS_FACTOR = 2  # a whole stack may do twice one layer's multiply-add limit
ACTIVATION_LAYERS = ("relu", "leaky_relu", "sigmoid", "tanh")
POOL_LAYERS = ("max_pool", "avg_pool")


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

    @property
    def param_count(self) -> int:
        return self.weight_count + self.bias_count


@dataclass
class NetworkResult:
    input_shape: tuple[int, int, int]
    input: np.ndarray | None
    layers: list[LayerResult] = field(default_factory=list)

    @property
    def param_count(self) -> int:
        return sum(layer.param_count for layer in self.layers)


def _fail(index: int, name: str, rule: str, message: str, params: dict | None = None) -> EngineError:
    field = f"layers.{index}.{name}" if name else f"layers.{index}"
    return EngineError(field, rule, message, {"layer": index, **(params or {})})


def _spatial(index: int, layer: Layer, shape: tuple[int, ...]) -> tuple[int, int, int]:
    if len(shape) != 3:
        raise _fail(
            index,
            "type",
            "needs_a_map",
            f"{layer.type} needs a C×H×W map, but the layer before it gives a flat vector of {shape[0]}; "
            "move it before the flatten",
            {"type": layer.type, "size": shape[0]},
        )
    return shape  # type: ignore[return-value]


def _rename(error: EngineError, index: int, names: dict[str, str]) -> EngineError:
    return _fail(index, names.get(error.field, error.field), error.rule, error.message)


def _conv_shape(index: int, layer: Layer, shape: tuple[int, ...], limits: Limits) -> LayerResult:
    channels, height, width = _spatial(index, layer, shape)
    try:
        kernel = pair(layer.kernel_size, "kernel_size")
        stride, dilation = pair(layer.stride or 1, "stride"), pair(layer.dilation, "dilation")
        sides = conv_padding(layer.padding, kernel, stride, dilation)
    except EngineError as error:
        raise _rename(error, index, {}) from None
    if layer.groups < 1 or channels % layer.groups or layer.out_channels % layer.groups:
        raise _fail(
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
    weights = layer.out_channels * cpg * kernel[0] * kernel[1]
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
        weight_count=weights,
        bias_count=layer.out_channels if _has_bias(layer) else 0,
    )


def _has_bias(layer: Layer) -> bool:
    return layer.bias or layer.bias_values is not None


def _require(index: int, name: str, h: AxisShape, w: AxisShape) -> None:
    for axis in (h, w):
        if not axis.valid:
            raise _fail(index, name, "kernel_larger_than_padded_input", axis.problem or axis.formula)


def _pool_shape(index: int, layer: Layer, shape: tuple[int, ...]) -> LayerResult:
    channels, height, width = _spatial(index, layer, shape)
    try:
        kernel = pair(layer.kernel_size, "kernel_size")
        stride = kernel if layer.stride is None else pair(layer.stride, "stride")
        if isinstance(layer.padding, str) or (not isinstance(layer.padding, int) and len(layer.padding) != 2):
            raise EngineError("padding", "padding_form", "pooling padding must be an integer or [ph, pw]")
        padding = pair(layer.padding, "padding", minimum=0)
    except EngineError as error:
        raise _rename(error, index, {}) from None
    for p, k in zip(padding, kernel):
        if p > k // 2:
            raise _fail(
                index,
                "padding",
                "at_most_half_kernel",
                f"pooling padding can be at most half the kernel size ({k} // 2 = {k // 2}); got {p}",
            )
    h = explain_axis("height", height, kernel[0], stride[0], 1, padding[0], padding[0], layer.ceil_mode)
    w = explain_axis("width", width, kernel[1], stride[1], 1, padding[1], padding[1], layer.ceil_mode)
    _require(index, "kernel_size", h, w)
    word = "max" if layer.type == "max_pool" else "mean"
    explanation = (
        f"{kernel[0]}×{kernel[1]} {word} pooling, stride {stride[0]}×{stride[1]}, per channel: "
        f"{channels}×{height}×{width} → {channels}×{h.size}×{w.size}"
    )
    sides = (padding[0], padding[0], padding[1], padding[1])
    return LayerResult(index, layer, shape, (channels, h.size, w.size), explanation, axes=(h, w), padding=sides)


def _infer(index: int, layer: Layer, shape: tuple[int, ...], limits: Limits) -> LayerResult:
    """Shape, explanation and parameter count of one layer, without any numbers."""
    if layer.type == "conv":
        return _conv_shape(index, layer, shape, limits)
    if layer.type in POOL_LAYERS:
        return _pool_shape(index, layer, shape)
    if layer.type in ACTIVATION_LAYERS:
        return LayerResult(index, layer, shape, shape, f"{layer.type} on every value: the shape stays {_fmt(shape)}")
    if layer.type == "global_avg_pool":
        channels, height, width = _spatial(index, layer, shape)
        explanation = f"the mean of each {height}×{width} map: {channels}×{height}×{width} → {channels}×1×1"
        h, w = explain_axis("height", height, height), explain_axis("width", width, width)
        return LayerResult(index, layer, shape, (channels, 1, 1), explanation, axes=(h, w), padding=(0, 0, 0, 0))
    if layer.type == "flatten":
        size = int(np.prod(shape))
        return LayerResult(index, layer, shape, (size,), f"{_fmt(shape)} laid out in one row of {size:,} values")
    if layer.type == "linear":
        if len(shape) != 1:
            raise _fail(
                index,
                "type",
                "needs_flat_input",
                f"linear needs a flat vector, but the layer before it gives a {_fmt(shape)} map; add a flatten first",
            )
        weights = layer.out_features * shape[0]
        explanation = f"every one of {layer.out_features:,} outputs reads all {shape[0]:,} inputs: {weights:,} weights"
        bias = layer.out_features if _has_bias(layer) else 0
        return LayerResult(
            index, layer, shape, (layer.out_features,), explanation, weight_count=weights, bias_count=bias
        )
    raise _fail(index, "type", "known_layer", f"unknown layer type {layer.type!r}")


def _fmt(shape: tuple[int, ...]) -> str:
    return "×".join(str(n) for n in shape)


def init_parameters(seed: int, index: int, weight_shape: tuple[int, ...], fan_in: int, bias: bool):
    """The documented deterministic weights of layer `index` (see the module docstring)."""
    rng = np.random.default_rng([seed, index])
    bound = 1.0 / np.sqrt(fan_in)
    weight = rng.uniform(-bound, bound, size=weight_shape)
    return weight, (rng.uniform(-bound, bound, size=weight_shape[0]) if bias else None)


def sample_input(seed: int, shape: tuple[int, int, int]) -> np.ndarray:
    """A reproducible stand-in input: `default_rng(seed).uniform(0, 1, shape)` rounded to 2 decimals."""
    return np.round(np.random.default_rng(seed).uniform(0.0, 1.0, size=shape), 2)


def _parameters(result: LayerResult, seed: int) -> None:
    layer = result.layer
    if layer.type == "conv":
        channels = result.in_shape[0]
        kh, kw = pair(layer.kernel_size, "kernel_size")
        shape = (layer.out_channels, channels // layer.groups, kh, kw)
        fan_in = shape[1] * kh * kw
    elif layer.type == "linear":
        shape = (layer.out_features, result.in_shape[0])
        fan_in = shape[1]
    else:
        return
    name = "out_channels" if layer.type == "conv" else "out_features"
    check_at_most(int(np.prod(shape)), MAX_WEIGHTS, f"layers.{result.index}.{name}", "the layer's weight count")
    weight, bias = init_parameters(seed, result.index, shape, fan_in, _has_bias(layer))
    if layer.weights is not None:
        if layer.weights.shape != shape:
            raise _fail(
                result.index,
                "weights",
                "weight_shape",
                f"weights must be {_fmt(shape)} for this layer; got {_fmt(layer.weights.shape)}",
            )
        weight = layer.weights
    if layer.bias_values is not None:
        if layer.bias_values.shape != (shape[0],):
            raise _fail(
                result.index, "bias", "one_per_output", f"bias needs {shape[0]} numbers; got {layer.bias_values.size}"
            )
        bias = layer.bias_values
    result.weight, result.bias = weight, bias


def _compute(result: LayerResult, x: np.ndarray, limits: Limits) -> np.ndarray:
    layer, index = result.layer, result.index
    bias = 0.0 if result.bias is None else result.bias
    if layer.type == "conv":
        check_at_most(layer.out_channels, limits.max_filters, f"layers.{index}.out_channels", "the number of filters")
    try:
        if layer.type == "conv":
            return conv2d(
                x,
                result.weight,
                bias,
                stride=layer.stride or 1,
                padding=result.padding,
                padding_mode=layer.padding_mode,
                dilation=layer.dilation,
                groups=layer.groups,
                limits=limits,
            ).output
        if layer.type in POOL_LAYERS:
            mode = "max" if layer.type == "max_pool" else "avg"
            pooled = pool2d(
                x, mode, layer.kernel_size, layer.stride, layer.padding, ceil_mode=layer.ceil_mode, limits=limits
            )
            return pooled.output
        if layer.type == "global_avg_pool":
            return pool2d(x, "avg", global_pool=True, limits=limits).output
    except EngineError as error:
        names = {"kernel": "weights" if layer.weights is not None else "kernel_size", "input": ""}
        raise _rename(error, index, names) from None
    if layer.type in ACTIVATION_LAYERS:
        return activate(layer.type, x)
    if layer.type == "flatten":
        return x.reshape(-1)
    return result.weight @ x + bias


def linear_as_conv(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, limits: Limits = Limits()) -> dict:
    """A fully connected layer on a C×h×w map is an h×w convolution without padding.

    Reshape each output's row of `weight` to C×h×w: that is one filter, and its single
    position covers the whole map. On a 1×1×C map this is a 1×1 convolution.
    """
    channels, height, width = x.shape
    kernel = weight.reshape(weight.shape[0], channels, height, width)
    linear = weight @ x.reshape(-1) + (0.0 if bias is None else bias)
    conv = conv2d(x, kernel, 0.0 if bias is None else bias, limits=limits).output
    return {
        "kernel_shape": list(kernel.shape),
        "kind": "1×1 convolution" if (height, width) == (1, 1) else f"{height}×{width} convolution, no padding",
        "linear_output": linear,
        "conv_output": conv.reshape(-1),
        "max_abs_difference": float(np.max(np.abs(linear - conv.reshape(-1)))),
    }


def run_network(
    layers: list[Layer],
    x: np.ndarray | None = None,
    input_shape: tuple[int, int, int] | None = None,
    *,
    seed: int = 0,
    limits: Limits = Limits(),
) -> NetworkResult:
    """Shapes, parameters and receptive fields for every layer; numbers too if `x` is given."""
    if x is not None:
        x = np.asarray(x, dtype=np.float64)
        x = x[None] if x.ndim == 2 else x
        check_at_most(x.size, limits.max_input_cells, "input", "the input's cell count")
        input_shape = x.shape
    if input_shape is None or len(input_shape) != 3 or min(input_shape) < 1:
        raise EngineError("input_shape", "three_positive_sizes", "give an input, or input_shape as [C, H, W]")
    if not layers:
        raise EngineError("layers", "at_least_one", "add at least one layer")
    check_at_most(len(layers), MAX_LAYERS, "layers", "the number of layers")
    result = NetworkResult(tuple(input_shape), x)
    shape: tuple[int, ...] = tuple(input_shape)
    rf = (input_rf(), input_rf())
    last_map = tuple(input_shape)
    for index, layer in enumerate(layers):
        step = _infer(index, layer, shape, limits)
        step.rf = _advance_rf(step, rf, last_map)
        rf, shape = step.rf, step.out_shape
        if len(shape) == 3:
            last_map = shape
        elif layer.type == "linear":  # its outputs each see everything: a 1×1 map from here on
            last_map = (shape[0], 1, 1)
        result.layers.append(step)
    total = result.param_count
    for step in result.layers:
        step.share = step.param_count / total if total else 0.0
    if x is not None:
        work = sum(_macs(step) for step in result.layers)
        check_at_most(work, MAX_NETWORK_MACS_FACTOR * limits.max_macs, "layers", "the stack's multiply-add count")
        _run(result, seed, limits)
    return result


def _macs(step: LayerResult) -> int:
    """Multiply-adds (or window reads, for pooling) of one layer: what computing it costs."""
    out = int(np.prod(step.out_shape))
    if step.layer.type == "conv":
        return out * step.weight_count // max(step.layer.out_channels, 1)
    if step.axes is not None:
        return out * step.axes[0].k * step.axes[1].k
    return int(np.prod(step.in_shape)) * (step.layer.out_features or 1)


def _advance_rf(step: LayerResult, rf: tuple[RFAxis, RFAxis], last_map: tuple[int, ...]) -> tuple[RFAxis, RFAxis]:
    if step.layer.type == "linear":  # an h×w convolution over the last map: it sees all of it
        return (advance(rf[0], last_map[1], 1, 1, 0), advance(rf[1], last_map[2], 1, 1, 0))
    if step.axes is None:  # activations and flatten keep the geometry they were given
        return (identity_rf(rf[0]), identity_rf(rf[1]))
    pads = (step.padding[0], step.padding[2])
    return tuple(advance(r, a.k, a.s, a.d, p) for r, a, p in zip(rf, step.axes, pads))  # type: ignore[return-value]


def _run(result: NetworkResult, seed: int, limits: Limits) -> None:
    x = result.input
    previous_map = x
    for step in result.layers:
        _parameters(step, seed)
        if step.layer.type == "linear" and step.index > 0 and result.layers[step.index - 1].layer.type == "flatten":
            step.as_conv = linear_as_conv(previous_map, step.weight, step.bias, limits)
        x = _compute(step, x, limits)
        if x.ndim == 3:
            previous_map = x
        step.output = x
