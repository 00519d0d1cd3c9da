"""Learn a kernel: plain gradient descent on the mean squared error, as torch.optim.SGD does it.

Each step runs the layer forward, takes `loss = mean((output − target)²)` (F.mse_loss), sends
`d loss / d output = 2 (output − target) / N` back through `backward.conv2d_backward`, and moves
the kernel (as sent) by `−learning_rate × grad_weight`. The bias stays fixed, so the picture is
about the kernel alone.
"""

from dataclasses import dataclass

import numpy as np

from .backward import conv2d_backward
from .conv import as_input, as_weight, conv2d
from .errors import EngineError
from .limits import Limits, check_at_most

DIVERGED = 1e9  # a weight this large means the descent is running away


@dataclass(frozen=True)
class FitResult:
    """Per step (before its update): `losses` S, `grad_weights` S×kernel; after it: `kernels` S×kernel.
    `outputs` and `grad_outputs` S×F×Ho×Wo (before each update) when kept; `final_output` and
    `final_loss` after the last step."""

    losses: np.ndarray
    kernels: np.ndarray
    grad_weights: np.ndarray
    outputs: np.ndarray | None
    grad_outputs: np.ndarray | None
    final_output: np.ndarray
    final_loss: float
    target: np.ndarray

    @property
    def diverged(self) -> bool:
        return not np.all(np.abs(self.kernels[-1]) < DIVERGED) if len(self.kernels) else False


def mse_gradient(output: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    diff = output - target
    return float(np.mean(diff * diff)), 2.0 * diff / diff.size


def fit_kernel(
    x: np.ndarray,
    target: np.ndarray,
    kernel: np.ndarray,
    bias: float | np.ndarray = 0.0,
    *,
    learning_rate: float,
    steps: int,
    keep_outputs: bool = False,
    stride: int | tuple[int, int] = 1,
    padding: int | str | tuple[int, ...] = 0,
    padding_mode: str = "zeros",
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
    flip_kernel: bool = False,
    activation: str = "none",
    limits: Limits = Limits(),
    max_steps: int = 1_000,
    max_values: int | None = None,
) -> FitResult:
    """`steps` steps of gradient descent from `kernel`; refuses a target that is not the output's shape."""
    check_at_most(steps, max_steps, "steps", "the number of steps")
    x = as_input(x)
    w = as_weight(kernel, x.shape[0] // max(groups, 1)).copy()
    options = dict(
        stride=stride,
        padding=padding,
        padding_mode=padding_mode,
        dilation=dilation,
        groups=groups,
        flip_kernel=flip_kernel,
        activation=activation,
        limits=limits,
    )
    forward = conv2d(x, w, bias, **options)
    check_at_most(steps * forward.output.size * w[0].size, limits.max_macs, "steps", "the work of all steps")
    if max_values is not None:
        per_step = 2 * forward.output.size + 2 * w.size
        check_at_most(steps * per_step, max_values, "steps", "the numbers in the answer (steps × outputs and kernels)")
    t = np.asarray(target, dtype=np.float64)
    if t.ndim == 2 and forward.output.shape[0] == 1:
        t = t[None]
    if t.shape != forward.output.shape:
        raise EngineError(
            "target",
            "shape_matches_output",
            f"target must have the output's shape {'×'.join(map(str, forward.output.shape))}; "
            f"got {'×'.join(map(str, t.shape))}",
        )
    losses, kernels, grads, outputs, grad_outputs = [], [], [], [], []
    for step in range(steps):
        if step:
            forward = conv2d(x, w, bias, **options)
        loss, grad_output = mse_gradient(forward.output, t)
        back = conv2d_backward(
            forward, grad_output, input_size=x.shape[1:], padding_mode=padding_mode, flip_kernel=flip_kernel
        )
        losses.append(loss)
        grads.append(back.grad_weight)
        if keep_outputs:
            outputs.append(forward.output)
            grad_outputs.append(grad_output)
        w = w - learning_rate * back.grad_weight
        kernels.append(w)
        if not np.all(np.abs(w) < DIVERGED):
            break  # the learning rate is too large: show the climb, stop before the numbers overflow
    final = conv2d(x, w, bias, **options).output
    return FitResult(
        losses=np.array(losses),
        kernels=np.array(kernels),
        grad_weights=np.array(grads),
        outputs=np.array(outputs) if keep_outputs else None,
        grad_outputs=np.array(grad_outputs) if keep_outputs else None,
        final_output=final,
        final_loss=mse_gradient(final, t)[0],
        target=t,
    )
