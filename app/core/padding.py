"""`F.pad` for the four padding modes PyTorch's Conv2d offers, with its limits."""

import numpy as np

from .errors import EngineError
from .params import Sides

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
_NUMPY_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def check_padding(shape: tuple[int, int], sides: Sides, mode: str, field: str = "padding") -> None:
    """Refuse what PyTorch refuses: reflect needs pad < size, circular pad <= size."""
    if mode not in PADDING_MODES:
        raise EngineError("padding_mode", "known_mode", f"padding_mode must be one of {', '.join(PADDING_MODES)}")
    h, w = shape
    for pad, size, side in zip(sides, (h, h, w, w), ("top", "bottom", "left", "right")):
        axis = "height" if side in ("top", "bottom") else "width"
        if mode == "reflect" and pad >= size:
            raise EngineError(
                field,
                "reflect_pad_below_size",
                f"reflect padding must be smaller than the input's {axis} ({size}); the {side} padding is {pad}. "
                "Reflection does not repeat the edge, so only size−1 cells can be mirrored",
            )
        if mode == "circular" and pad > size:
            raise EngineError(
                field,
                "circular_pad_at_most_size",
                f"circular padding can be at most the input's {axis} ({size}); the {side} padding is {pad}",
            )


def pad(x: np.ndarray, sides: Sides, mode: str = "zeros", value: float = 0.0) -> np.ndarray:
    """Pad the last two axes of `x` by `(top, bottom, left, right)` in `mode`.

    Shape contract: `(..., H, W) -> (..., H + top + bottom, W + left + right)`.
    """
    check_padding(x.shape[-2:], sides, mode)
    top, bottom, left, right = sides
    widths = [(0, 0)] * (x.ndim - 2) + [(top, bottom), (left, right)]
    if mode == "zeros":
        return np.pad(x, widths, mode="constant", constant_values=value)
    return np.pad(x, widths, mode=_NUMPY_MODE[mode])


def source_indices(n: int, before: int, after: int, mode: str) -> np.ndarray:
    """For each padded position along one axis, the real index it copies (-1 for a constant).

    What a copy reads is what it sends back: the receptive field's exact taps and the backward pass's
    folding of a padded cell's gradient onto the cell it copies both go through this table.
    """
    return pad(np.arange(n, dtype=np.int64)[None, :], (0, 0, before, after), mode, value=-1)[0]
