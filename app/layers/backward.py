"""The backward pass of a conv2d or pool2d layer, and learning a kernel: results, descriptions and frames."""

import functools
from collections.abc import Callable

from ..api.backward_schemas import Conv2dBackwardRequest, Conv2dFitRequest, Pool2dBackwardRequest
from ..config import Settings
from ..core.backward import ConvBackward, conv2d_backward, gather_padding, gather_view, scatter_frames, weight_frames
from ..core.fit import fit_kernel
from ..core.limits import Limits, check_at_most
from ..core.pool_backward import PoolBackward, pool2d_backward, routing_frames
from . import conv, pool
from .arrays import compact, rows_of, to_lists

PageBuilder = Callable[[int, int], list[dict]]
SCATTER_KEYS = ("out", "grad_output", "derivative", "grad", "origin", "channels", "stamp")
WEIGHT_KEYS = ("weight", "tap", "channel", "origin", "window", "grad", "products", "value")
ROUTING_KEYS = ("out", "origin", "grad", "share", "argmax", "divisor")


def scatter_page(result: ConvBackward, start: int, stop: int) -> list[dict]:
    return rows_of(scatter_frames(result, start, stop), SCATTER_KEYS, start, stop - start)


def weight_page(result: ConvBackward, start: int, stop: int) -> list[dict]:
    return rows_of(weight_frames(result, start, stop), WEIGHT_KEYS, start, stop - start)


def routing_page(result: PoolBackward, start: int, stop: int) -> list[dict]:
    frames = routing_frames(result, start, stop)
    if frames["argmax"] is not None:  # -1: a window of padding only routes nowhere
        frames["argmax"] = [None if r < 0 else [r, c] for r, c in frames["argmax"].tolist()]
    count = stop - start
    columns = [v if isinstance(v, list) else to_lists(v) or [None] * count for v in map(frames.get, ROUTING_KEYS)]
    return [dict(zip(("step", *ROUTING_KEYS), (start + n, *row))) for n, row in enumerate(zip(*columns))]


def compute_conv(body: Conv2dBackwardRequest, limits: Limits) -> ConvBackward:
    """The forward layer exactly as /conv2d computes it, then every gradient for `grad_output`."""
    forward = conv.compute(body, limits)
    size = body.input.shape[-2:]
    return conv2d_backward(
        forward, body.grad_output, input_size=size, padding_mode=body.padding_mode, flip_kernel=body.flip_kernel
    )


def conv_view(result: ConvBackward, view: str, limits: Limits) -> tuple[int, int, PageBuilder, dict]:
    """The chosen view's frame count, numbers per frame, page builder and extra description."""
    _, cpg, kh, kw = result.forward.weight.shape
    if view == "scatter":
        return result.scatter_frame_count, 2 * cpg * kh * kw + cpg + 10, functools.partial(scatter_page, result), {}
    if view == "weight":
        per_frame = 3 * result.forward.output[0].size + 12
        return result.weight_frame_count, per_frame, functools.partial(weight_page, result), {}
    gather = gather_view(result, limits)
    extra = {"kernel": compact(gather.conv.weight), "padded_grad_output": compact(gather.conv.padded)}
    build = functools.partial(conv.page, gather.conv)
    return gather.conv.frame_count, conv.values_per_frame(gather.conv), build, extra


def describe_conv(result: ConvBackward, view: str, gather_extra: dict) -> dict:
    forward = result.forward
    filters, cpg = forward.weight.shape[:2]
    gather = {
        "inserted_zeros": [forward.stride[0] - 1, forward.stride[1] - 1],
        "padding": list(gather_padding(forward)),
        "dilation": list(forward.dilation),
        "kernel_flipped": True,
        "channels_swapped": not (filters == forward.groups and cpg == 1),
        "kernel": None,
        "padded_grad_output": None,
    } | gather_extra
    return conv.describe(forward) | {
        "grad_output": compact(result.grad_output),
        "activation_derivative": compact(result.derivative),
        "grad_pre_activation": compact(result.grad_pre_activation),
        "grad_padded_input": compact(result.grad_padded),
        "grad_input": compact(result.grad_input),
        "grad_weight": compact(result.grad_weight),
        "grad_bias": compact(result.grad_bias),
        "gather": gather,
        "view": view,
    }


def conv_work(body: Conv2dBackwardRequest) -> int:
    return 3 * body.input.size * body.kernel.size


def compute_pool(body: Pool2dBackwardRequest, limits: Limits) -> PoolBackward:
    return pool2d_backward(pool.compute(body, limits), body.grad_output)


def describe_pool(result: PoolBackward) -> dict:
    return pool.describe(result.forward) | {
        "grad_output": compact(result.grad_output),
        "grad_input": compact(result.grad_input),
    }


def pool_work(body: Pool2dBackwardRequest) -> int:
    return body.input.size * 8


def fit(body: Conv2dFitRequest, settings: Settings) -> dict:
    """Gradient descent on a kernel, every step kept: the answer of /conv2d/fit."""
    check_at_most(body.steps, settings.max_fit_steps, "steps", "the number of steps")
    result = fit_kernel(
        body.input,
        body.target,
        body.kernel,
        body.bias,
        learning_rate=body.learning_rate,
        steps=body.steps,
        keep_outputs=True,
        **conv.options(body),
        limits=settings.limits,
        max_steps=settings.max_fit_steps,
        max_values=settings.limits.max_page_values,
    )
    return {
        "steps": len(result.losses),
        "diverged": result.diverged,
        "losses": result.losses,
        "kernels": result.kernels,
        "grad_weights": result.grad_weights,
        "outputs": result.outputs,
        "grad_outputs": result.grad_outputs,
        "final_output": result.final_output,
        "final_loss": result.final_loss,
        "target": result.target,
    }


def fit_work(body: Conv2dFitRequest) -> int:
    return body.steps * body.input.size * body.kernel.size
