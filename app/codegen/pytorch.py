"""The PyTorch code that builds the same stack with the same weights, to check in a notebook.

Seeded weights are reproduced by the same numpy draw the engine uses (so the code stays
short); weights given explicitly are written out. The model is float64, like the engine.
"""

import numpy as np

from ..core.network import Layer, NetworkResult
from ..core.params import pair

MAX_LITERAL_VALUES = 4_096  # an input larger than this is replaced by a placeholder

_HEADER = '''import numpy as np
import torch
from torch import nn


def seeded(seed, index, shape, fan_in):
    """ConvScope's weights for layer `index`: uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)), weight then bias."""
    rng = np.random.default_rng([seed, index])
    bound = 1 / np.sqrt(fan_in)
    weight = rng.uniform(-bound, bound, size=shape)
    return torch.tensor(weight), torch.tensor(rng.uniform(-bound, bound, size=shape[0]))

'''
_PAD_MODULES = {"zeros": "nn.ZeroPad2d", "reflect": "nn.ReflectionPad2d", "replicate": "nn.ReplicationPad2d"}


def _literal(array: np.ndarray) -> str:
    compact = array.astype(np.int64) if np.all(array == np.trunc(array)) else array
    return f"torch.tensor({compact.tolist()!r}, dtype=torch.float64)"


def _size(value: int | tuple[int, int] | list[int], minimum: int = 1) -> str:
    """PyTorch's spelling of a size argument; padding may be 0 on one axis (`minimum=0`)."""
    h, w = pair(value, "size", minimum=minimum)
    return str(h) if h == w else f"({h}, {w})"


def _conv_modules(layer: Layer, channels: int, padding: tuple[int, int, int, int]) -> list[str]:
    args = [str(channels), str(layer.out_channels), f"kernel_size={_size(layer.kernel_size)}"]
    if pair(layer.stride or 1, "stride") != (1, 1):
        args.append(f"stride={_size(layer.stride)}")
    top, bottom, left, right = padding
    modules = []
    if layer.padding == "same":
        args.append('padding="same"')
    elif top == bottom and left == right:
        if (top, left) != (0, 0):
            args.append(f"padding={top if top == left else (top, left)}")
    elif layer.padding_mode == "circular":
        modules.append(f"nn.CircularPad2d(({left}, {right}, {top}, {bottom}))")
    else:
        modules.append(f"{_PAD_MODULES[layer.padding_mode]}(({left}, {right}, {top}, {bottom}))")
    if pair(layer.dilation, "dilation") != (1, 1):
        args.append(f"dilation={_size(layer.dilation)}")
    if layer.groups != 1:
        args.append(f"groups={layer.groups}")
    if not (layer.bias or layer.bias_values is not None):
        args.append("bias=False")
    if layer.padding_mode != "zeros" and not modules:
        args.append(f'padding_mode="{layer.padding_mode}"')
    return [*modules, f"nn.Conv2d({', '.join(args)})"]


def _module(step, channels: int) -> list[str]:
    layer = step.layer
    kind = layer.type
    if kind == "conv":
        return _conv_modules(layer, channels, step.padding)
    if kind in ("max_pool", "avg_pool"):
        name = "nn.MaxPool2d" if kind == "max_pool" else "nn.AvgPool2d"
        args = [f"kernel_size={_size(layer.kernel_size)}"]
        if layer.stride is not None:
            args.append(f"stride={_size(layer.stride)}")
        if layer.padding != 0:
            args.append(f"padding={_size(layer.padding, minimum=0)}")
        if layer.ceil_mode:
            args.append("ceil_mode=True")
        return [f"{name}({', '.join(args)})"]
    simple = {
        "relu": "nn.ReLU()",
        "leaky_relu": "nn.LeakyReLU(0.01)",
        "sigmoid": "nn.Sigmoid()",
        "tanh": "nn.Tanh()",
        "global_avg_pool": "nn.AdaptiveAvgPool2d(1)",
        "flatten": "nn.Flatten()",
    }
    if kind in simple:
        return [simple[kind]]
    bias = "" if (layer.bias or layer.bias_values is not None) else ", bias=False"
    return [f"nn.Linear({step.in_shape[0]}, {layer.out_features}{bias})"]


def pytorch_code(result: NetworkResult, seed: int, input_from_seed: bool) -> str:
    """Python source for `model` (nn.Sequential) and `x` (the input, batch of one)."""
    lines, weight_lines = ["model = nn.Sequential("], []
    position = 0
    for step in result.layers:
        modules = _module(step, step.in_shape[0])
        for module in modules:
            lines.append(f"    {module},  # {position}" + (f": layer {step.index}" if len(modules) > 1 else ""))
            position += 1
        if not step.layer.kind.has_weights:
            continue
        target = f"model[{position - 1}]"
        weight_shape, fan_in = step.layer.kind.weight_shape(step)
        weight_lines.append(f"    w, b = seeded({seed}, {step.index}, {weight_shape}, {fan_in})")
        weight = "w" if step.layer.weights is None else _literal(step.layer.weights)
        weight_lines.append(f"    {target}.weight.copy_({weight})")
        if step.layer.bias_values is not None:
            weight_lines.append(f"    {target}.bias.copy_({_literal(step.layer.bias_values)})")
        elif step.layer.bias:
            weight_lines.append(f"    {target}.bias.copy_(b)")
    lines.append(").double()")
    code = _HEADER + "\n".join(lines) + "\n\nwith torch.no_grad():\n" + "\n".join(weight_lines or ["    pass"]) + "\n\n"
    c, h, w = result.input_shape
    if input_from_seed:
        code += f"x = torch.tensor(np.round(np.random.default_rng({seed}).uniform(0, 1, ({c}, {h}, {w})), 2))\n"
    elif result.input is not None and result.input.size <= MAX_LITERAL_VALUES:
        code += f"x = {_literal(result.input)}\n"
    else:
        code += f"x = torch.zeros({c}, {h}, {w}, dtype=torch.float64)  # put your {c}×{h}×{w} input here\n"
    return code + "y = model(x.unsqueeze(0))[0]\nprint(y.shape)\n"
