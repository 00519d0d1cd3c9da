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

from .conv import conv2d
from .errors import EngineError
from .limits import Limits, check_at_most
from .network_layers import KINDS, Layer, LayerResult, fail, fmt
from .receptive import input_rf, through

__all__ = ["KINDS", "Layer", "LayerResult", "NetworkResult", "init_parameters", "run_network", "sample_input"]

MAX_LAYERS = Limits.max_layers  # the default; the request's limits decide
MAX_NETWORK_MACS_FACTOR = 2  # a fixed rule: a whole stack may do twice one layer's multiply-add limit


@dataclass
class NetworkResult:
    input_shape: tuple[int, int, int]
    input: np.ndarray | None
    layers: list[LayerResult] = field(default_factory=list)

    @property
    def param_count(self) -> int:
        return sum(layer.param_count for layer in self.layers)


def init_parameters(seed: int, index: int, weight_shape: tuple[int, ...], fan_in: int, bias: bool):
    """The documented deterministic weights of layer `index` (see the module docstring)."""
    rng = np.random.default_rng([seed, index])
    bound = 1.0 / np.sqrt(fan_in)
    weight = rng.uniform(-bound, bound, size=weight_shape)
    return weight, (rng.uniform(-bound, bound, size=weight_shape[0]) if bias else None)


def sample_input(seed: int, shape: tuple[int, int, int]) -> np.ndarray:
    """A reproducible stand-in input: `default_rng(seed).uniform(0, 1, shape)` rounded to 2 decimals."""
    return np.round(np.random.default_rng(seed).uniform(0.0, 1.0, size=shape), 2)


def _parameters(result: LayerResult, seed: int, limits: Limits) -> None:
    layer = result.layer
    weight_shape = layer.kind.weight_shape(result)
    if weight_shape is None:
        return
    shape, fan_in = weight_shape
    field_name = f"layers.{result.index}.{layer.kind.size_field}"
    check_at_most(int(np.prod(shape)), limits.max_layer_weights, field_name, "the layer's weight count")
    weight, bias = init_parameters(seed, result.index, shape, fan_in, layer.has_bias)
    if layer.weights is not None:
        if layer.weights.shape != shape:
            raise fail(
                result.index,
                "weights",
                "weight_shape",
                f"weights must be {fmt(shape)} for this layer; got {fmt(layer.weights.shape)}",
            )
        weight = layer.weights
    if layer.bias_values is not None:
        if layer.bias_values.shape != (shape[0],):
            raise fail(
                result.index, "bias", "one_per_output", f"bias needs {shape[0]} numbers; got {layer.bias_values.size}"
            )
        bias = layer.bias_values
    result.weight, result.bias = weight, bias


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
    check_at_most(len(layers), limits.max_layers, "layers", "the number of layers")
    result = NetworkResult(tuple(input_shape), x)
    shape: tuple[int, ...] = tuple(input_shape)
    rf = (input_rf(), input_rf())
    last_map = tuple(input_shape)
    for index, layer in enumerate(layers):
        try:
            kind = layer.kind
        except EngineError as error:
            raise fail(index, "type", error.rule, error.message) from None
        step = kind.infer(index, layer, shape)
        step.windows = kind.windows(step, last_map)
        step.rf = through(rf, step.windows)
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
        work = sum(step.layer.kind.macs(step) for step in result.layers)
        check_at_most(work, MAX_NETWORK_MACS_FACTOR * limits.max_macs, "layers", "the stack's multiply-add count")
        _run(result, seed, limits)
    return result


def _run(result: NetworkResult, seed: int, limits: Limits) -> None:
    x = result.input
    previous_map = x
    for step in result.layers:
        _parameters(step, seed, limits)
        if step.layer.type == "linear" and step.index > 0 and result.layers[step.index - 1].layer.type == "flatten":
            step.as_conv = linear_as_conv(previous_map, step.weight, step.bias, limits)
        x = step.layer.kind.compute(step, x, limits)
        if x.ndim == 3:
            previous_map = x
        step.output = x
