"""Engine arrays as JSON-ready numbers: whole floats become integers, frame columns become rows."""

import numpy as np


def compact(array: np.ndarray) -> np.ndarray:
    """Return the same numbers as int64 when all are whole (and safely so), else as is."""
    array = np.ascontiguousarray(array)
    if array.dtype.kind == "f" and array.size and np.all(np.abs(array) < 2**53) and np.all(array == np.trunc(array)):
        return array.astype(np.int64)
    return array


def to_lists(array: np.ndarray | None) -> list | None:
    """Plain lists of numbers (NaN stays NaN, orjson writes it as null)."""
    return None if array is None else compact(array).tolist()


def rows_of(frames: dict, keys: tuple[str, ...], start: int, count: int) -> list[dict]:
    """Frame dicts from column arrays (None columns stay None)."""
    columns = [to_lists(frames[key]) or [None] * count for key in keys]
    return [dict(zip(("step", *keys), (start + n, *row))) for n, row in enumerate(zip(*columns))]


def pair(value: int | list[int] | tuple[int, int]) -> tuple[int, int]:
    """A request's `2` or `[2, 1]` as (height, width)."""
    return (value, value) if isinstance(value, int) else (value[0], value[1])


def sliding_work(shape: tuple[int, ...], kernel_hw: tuple[int, int], padding: object, weights: int) -> int:
    """An upper bound on a sliding-window layer's multiply-adds, from the request alone (before any checks):
    every padded position times every weight. `padding` is anything a request may send."""
    height, width = shape[-2:]
    if isinstance(padding, str):  # "same" pads at most the span; "valid" nothing
        pad_h, pad_w = kernel_hw if padding == "same" else (0, 0)
    elif isinstance(padding, int):
        pad_h = pad_w = 2 * padding
    elif len(padding) == 2:
        pad_h, pad_w = 2 * padding[0], 2 * padding[1]
    else:
        pad_h, pad_w = padding[0] + padding[1], padding[2] + padding[3]
    return (height + pad_h + kernel_hw[0]) * (width + pad_w + kernel_hw[1]) * weights
