"""Element-wise activations applied after the bias, as in torch.nn.functional."""

from collections.abc import Callable

import numpy as np

LEAKY_SLOPE = 0.01  # torch.nn.LeakyReLU's default negative_slope


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # Split by sign so exp never overflows.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "none": lambda x: x,
    "relu": lambda x: np.maximum(x, 0.0),
    "leaky_relu": lambda x: np.where(x >= 0, x, x * LEAKY_SLOPE),
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
}


def activate(name: str, x: np.ndarray) -> np.ndarray:
    return ACTIVATIONS[name](np.asarray(x, dtype=np.float64))
