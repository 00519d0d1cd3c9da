"""A stack of layers (the Network lab): the engine's result, its description, one unit's receptive field."""

import numpy as np

from ..api.network_schemas import NetworkRequest, ReceptiveFieldRequest
from ..codegen.pytorch import pytorch_code
from ..core.errors import EngineError
from ..core.limits import Limits
from ..core.network import Layer, LayerResult, NetworkResult, run_network, sample_input
from ..core.network_presets import PRESETS
from ..core.receptive import lattice, region
from .arrays import compact


def to_layer(spec) -> Layer:
    """The engine's Layer from a request model (explicit weights and bias values kept apart)."""
    values = spec.model_dump(exclude={"weights", "bias"})
    bias = getattr(spec, "bias", True)
    explicit_bias = None if isinstance(bias, bool) else np.asarray(bias, dtype=np.float64)
    for key in ("kernel_size", "stride", "dilation", "padding"):
        if isinstance(values.get(key), list):
            values[key] = tuple(values[key])
    return Layer(
        **values,
        bias=bias if isinstance(bias, bool) else True,
        weights=getattr(spec, "weights", None),
        bias_values=explicit_bias,
    )


def resolve(body: NetworkRequest | ReceptiveFieldRequest) -> tuple[list[Layer], tuple[int, int, int] | None]:
    """The layers and input shape asked for, a preset filling in whatever was left out."""
    preset = PRESETS[body.preset] if body.preset else None
    if body.layers is not None:
        layers = [to_layer(spec) for spec in body.layers]
    elif preset:
        layers = list(preset.layers)
    else:
        raise EngineError("layers", "layers_or_preset", "give layers, a preset, or both")
    shape = tuple(body.input_shape) if body.input_shape else (preset.input_shape if preset else None)
    return layers, shape


def compute(body: NetworkRequest, limits: Limits) -> tuple[NetworkResult, bool]:
    """The stack computed (or only its shapes); `seeded` says the input was drawn from the seed."""
    layers, shape = resolve(body)
    if body.input is not None and body.input_shape is not None:
        raise EngineError(
            "input_shape", "input_or_shape", "give input (numbers) or input_shape (shapes only), not both"
        )
    seeded = body.input is None and body.input_shape is None and body.preset is not None
    x = body.input
    if seeded and PRESETS[body.preset].compute:
        x = sample_input(body.seed, shape)
    seeded = seeded and x is not None
    if x is None and shape is None:
        raise EngineError("input", "input_needed", "give input (numbers), input_shape [C, H, W] or a preset")
    return run_network(layers, x, None if x is not None else shape, seed=body.seed, limits=limits), seeded


def spec(layer: Layer) -> dict:
    """The layer as a request would write it (explicit weights left out), so clients can edit a preset."""
    values = {"type": layer.type}
    for name in layer.kind.spec_fields:
        value = getattr(layer, name)
        values[name] = list(value) if isinstance(value, tuple) else value
    if layer.kind.has_weights:
        values["bias"] = layer.bias_values.tolist() if layer.bias_values is not None else layer.bias
    return values


def rounded(array: np.ndarray, digits: int | None) -> np.ndarray:
    """`array` to `digits` significant digits of its largest |value|: one absolute step for the whole map.

    Each value becomes the double nearest a short decimal (rint(x·10^d) / 10^d is correctly rounded), so
    JSON writes "0.1697", not "0.16974805454238223": under half the bytes for a map drawn as colours.
    """
    if digits is None or not array.size:
        return array
    largest = float(np.max(np.abs(array)))
    if largest == 0 or not np.isfinite(largest):
        return array
    decimals = digits - 1 - int(np.floor(np.log10(largest)))
    return np.round(array, decimals) if decimals < 300 else array


def _output(step: LayerResult, body: NetworkRequest, budget: list[int]) -> dict:
    out = step.output
    if out is None:
        return {"output": None, "output_channels_shown": None, "output_range": None}
    shown = out[: body.output_channels] if out.ndim == 3 else out
    values = {"output_range": [float(out.min()), float(out.max())], "output_channels_shown": None, "output": None}
    if body.include_outputs and shown.size <= budget[0] and shown.size:
        budget[0] -= shown.size
        values["output"] = compact(rounded(shown, body.output_digits))
        values["output_channels_shown"] = shown.shape[0] if out.ndim == 3 else None
    return values


def _layer(step: LayerResult, body: NetworkRequest, budget: list[int]) -> dict:
    layer = step.layer
    init = None
    if layer.kind.has_weights:
        init = {"weights": "given" if layer.weights is not None else "seeded", "seed": [body.seed, step.index]}
    return {
        "index": step.index,
        "type": layer.type,
        "in_shape": list(step.in_shape),
        "out_shape": list(step.out_shape),
        "explanation": step.explanation,
        "shape": {"height": step.axes[0].as_dict(), "width": step.axes[1].as_dict()} if step.axes else None,
        "padding": list(step.padding) if step.padding else None,
        "params": {
            "weights": step.weight_count,
            "biases": step.bias_count,
            "total": step.param_count,
            "share": step.share,
        },
        "receptive_field": {"height": step.rf[0].as_dict(), "width": step.rf[1].as_dict()},
        "weight_init": init,
        "spec": spec(layer),
        "as_conv": step.as_conv,
    } | _output(step, body, budget)


def describe(result: NetworkResult, seeded: bool, body: NetworkRequest) -> dict:
    """Every layer's shapes, parameters, receptive field and (within the budget) maps, plus the PyTorch code."""
    budget = [body.max_output_values]
    computed = result.input is not None
    show_input = computed and body.include_outputs and result.input.size <= budget[0]
    if show_input:
        budget[0] -= result.input.size
    return {
        "input_shape": list(result.input_shape),
        "input": compact(result.input) if show_input else None,
        "computed": computed,
        "total_params": result.param_count,
        "layers": [_layer(step, body, budget) for step in result.layers],
        "pytorch": pytorch_code(result, body.seed, seeded),
    }


def receptive_field(body: ReceptiveFieldRequest, limits: Limits) -> dict:
    """The exact input rows and columns one unit reads: the bounding box and the lattice of taps."""
    layers, shape = resolve(body)
    if shape is None:
        raise EngineError("input_shape", "input_shape_needed", "give input_shape [C, H, W] or a preset")
    result = run_network(layers, None, shape, limits=limits)
    if body.layer >= len(result.layers):
        raise EngineError("layer", "within_stack", f"layer must be below {len(result.layers)}")
    step = result.layers[body.layer]
    row, col = _unit_position(result, step, body.unit)
    rows = region(step.rf[0], row, shape[1])
    cols = region(step.rf[1], col, shape[2])
    path = [s.windows for s in result.layers[: body.layer + 1] if s.windows is not None]
    return {
        "layer": body.layer,
        "unit": body.unit,
        "rows": list(rows[:2]),
        "cols": list(cols[:2]),
        "rows_in_input": list(rows[2:]),
        "cols_in_input": list(cols[2:]),
        "row_taps": lattice([w[0] for w in path], row),
        "col_taps": lattice([w[1] for w in path], col),
        "table": [{"height": s.rf[0].as_dict(), "width": s.rf[1].as_dict()} for s in result.layers[: body.layer + 1]],
    }


def _unit_position(result: NetworkResult, step: LayerResult, unit: list[int]) -> tuple[int, int]:
    """Row and column of `unit` on the last map before it (a flattened unit keeps its place)."""
    shape = step.out_shape
    if len(shape) == 3:
        position = unit[-2:] if len(unit) >= 2 else None
        if position is None or (len(unit) == 3 and unit[0] >= shape[0]):
            raise EngineError("unit", "unit_in_layer", f"unit must be [row, col] or [channel, row, col] in {shape}")
        if position[0] >= shape[1] or position[1] >= shape[2]:
            raise EngineError("unit", "unit_in_layer", f"unit {unit} is outside the {shape[1]}×{shape[2]} map")
        return position[0], position[1]
    if len(unit) != 1 or unit[0] >= shape[0]:
        raise EngineError("unit", "unit_in_layer", f"unit must be [n] with n below {shape[0]}")
    maps = [s.out_shape for s in result.layers[: step.index] if len(s.out_shape) == 3] or [result.input_shape]
    if any(s.layer.type == "linear" for s in result.layers[: step.index + 1]):
        return 0, 0  # every output of a fully connected layer sees its whole input: one position
    _, row, col = np.unravel_index(unit[0], maps[-1])
    return int(row), int(col)
