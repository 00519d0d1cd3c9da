"""POST /api/v1/network (a layer stack, layer by layer) and POST /api/v1/receptive-field."""

import numpy as np
from fastapi import APIRouter

from ...codegen.pytorch import pytorch_code
from ...config import Settings
from ...core.network import Layer, LayerResult, NetworkResult, run_network, sample_input
from ...core.network_presets import PRESETS
from ...core.receptive import lattice, region
from .. import offload
from ..deps import SettingsDep
from ..encoding import FastJSONResponse, compact
from ..errors import ERROR_RESPONSES, ApiError
from ..json_route import JSONRoute
from ..network_schemas import NetworkRequest, NetworkResponse, ReceptiveFieldRequest, ReceptiveFieldResponse

router = APIRouter(prefix="/api/v1", tags=["network"], route_class=JSONRoute, responses=ERROR_RESPONSES)


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
        raise ApiError(422, "layers", "layers_or_preset", "give layers, a preset, or both")
    shape = tuple(body.input_shape) if body.input_shape else (preset.input_shape if preset else None)
    return layers, shape


def run(body: NetworkRequest, settings: Settings) -> tuple[NetworkResult, bool]:
    layers, shape = resolve(body)
    if body.input is not None and body.input_shape is not None:
        raise ApiError(
            422, "input_shape", "input_or_shape", "give input (numbers) or input_shape (shapes only), not both"
        )
    seeded = body.input is None and body.input_shape is None and body.preset is not None
    x = body.input
    if seeded and PRESETS[body.preset].compute:
        x = sample_input(body.seed, shape)
    seeded = seeded and x is not None
    if x is None and shape is None:
        raise ApiError(422, "input", "input_needed", "give input (numbers), input_shape [C, H, W] or a preset")
    return run_network(layers, x, None if x is not None else shape, seed=body.seed, limits=settings.limits), seeded


def spec(layer: Layer) -> dict:
    """The layer as a request would write it (explicit weights left out), so clients can edit a preset."""
    values = {"type": layer.type}
    for name in layer.kind.spec_fields:
        value = getattr(layer, name)
        values[name] = list(value) if isinstance(value, tuple) else value
    if layer.kind.has_weights:
        values["bias"] = layer.bias_values.tolist() if layer.bias_values is not None else layer.bias
    return values


def _output(step: LayerResult, body: NetworkRequest, budget: list[int]) -> dict:
    out = step.output
    if out is None:
        return {"output": None, "output_channels_shown": None, "output_range": None}
    shown = out[: body.output_channels] if out.ndim == 3 else out
    values = {"output_range": [float(out.min()), float(out.max())], "output_channels_shown": None, "output": None}
    if body.include_outputs and shown.size <= budget[0] and shown.size:
        budget[0] -= shown.size
        values["output"] = compact(shown)
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


def work(body: NetworkRequest) -> int:
    """Heavy when numbers are computed: a stack may do twice one layer's multiply-add limit."""
    computes = body.input is not None or (body.preset is not None and body.input_shape is None)
    return offload.HEAVY if computes else 0


@router.post("/network", response_model=NetworkResponse)
async def network_endpoint(body: NetworkRequest, settings: SettingsDep) -> FastJSONResponse:
    """Run a stack of layers: shapes, parameters, receptive fields, feature maps and PyTorch code."""
    return await offload.run(respond, body, settings, work=work(body))


def respond(body: NetworkRequest, settings: Settings) -> FastJSONResponse:
    result, seeded = run(body, settings)
    budget = [body.max_output_values]
    computed = result.input is not None
    show_input = computed and body.include_outputs and result.input.size <= budget[0]
    if show_input:
        budget[0] -= result.input.size
    payload = {
        "input_shape": list(result.input_shape),
        "input": compact(result.input) if show_input else None,
        "computed": computed,
        "total_params": result.param_count,
        "layers": [_layer(step, body, budget) for step in result.layers],
        "pytorch": pytorch_code(result, body.seed, seeded),
    }
    return FastJSONResponse(payload)


@router.post("/receptive-field", response_model=ReceptiveFieldResponse)
async def receptive_field_endpoint(body: ReceptiveFieldRequest, settings: SettingsDep) -> FastJSONResponse:
    """The exact input rows and columns one unit reads, through padding, stride and dilation."""
    return await offload.run(receptive_field, body, settings, work=0)


def receptive_field(body: ReceptiveFieldRequest, settings: Settings) -> FastJSONResponse:
    layers, shape = resolve(body)
    if shape is None:
        raise ApiError(422, "input_shape", "input_shape_needed", "give input_shape [C, H, W] or a preset")
    result = run_network(layers, None, shape, limits=settings.limits)
    if body.layer >= len(result.layers):
        raise ApiError(422, "layer", "within_stack", f"layer must be below {len(result.layers)}")
    step = result.layers[body.layer]
    row, col = _unit_position(result, step, body.unit)
    rows = region(step.rf[0], row, shape[1])
    cols = region(step.rf[1], col, shape[2])
    path = [s.windows for s in result.layers[: body.layer + 1] if s.windows is not None]
    payload = {
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
    return FastJSONResponse(payload)


def _unit_position(result: NetworkResult, step: LayerResult, unit: list[int]) -> tuple[int, int]:
    """Row and column of `unit` on the last map before it (a flattened unit keeps its place)."""
    shape = step.out_shape
    if len(shape) == 3:
        position = unit[-2:] if len(unit) >= 2 else None
        if position is None or (len(unit) == 3 and unit[0] >= shape[0]):
            raise ApiError(422, "unit", "unit_in_layer", f"unit must be [row, col] or [channel, row, col] in {shape}")
        if position[0] >= shape[1] or position[1] >= shape[2]:
            raise ApiError(422, "unit", "unit_in_layer", f"unit {unit} is outside the {shape[1]}×{shape[2]} map")
        return position[0], position[1]
    if len(unit) != 1 or unit[0] >= shape[0]:
        raise ApiError(422, "unit", "unit_in_layer", f"unit must be [n] with n below {shape[0]}")
    maps = [s.out_shape for s in result.layers[: step.index] if len(s.out_shape) == 3] or [result.input_shape]
    if any(s.layer.type == "linear" for s in result.layers[: step.index + 1]):
        return 0, 0  # every output of a fully connected layer sees its whole input: one position
    _, row, col = np.unravel_index(unit[0], maps[-1])
    return int(row), int(col)
