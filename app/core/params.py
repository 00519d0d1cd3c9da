"""Normalise the flexible parameter forms (int or pair, padding specs) into tuples."""

from collections.abc import Sequence

from .errors import EngineError

Pair = tuple[int, int]
Sides = tuple[int, int, int, int]  # top, bottom, left, right


def pair(value: int | Sequence[int], field: str, *, minimum: int = 1) -> Pair:
    """Return `(h, w)` from an int or a two-item list, checking the lower bound."""
    if isinstance(value, int):
        values = (value, value)
    elif len(value) == 2:
        values = (int(value[0]), int(value[1]))
    else:
        raise EngineError(field, "one_or_two_integers", f"{field} must be an integer or [height, width]")
    for v in values:
        if v < minimum:
            raise EngineError(field, f"at_least_{minimum}", f"{field} must be at least {minimum}; got {v}")
    return values


def explicit_sides(padding: int | Sequence[int], field: str = "padding") -> Sides:
    """Return `(top, bottom, left, right)` from an int, `[ph, pw]` or four sides."""
    if isinstance(padding, int):
        sides = (padding,) * 4
    elif len(padding) == 2:
        sides = (padding[0], padding[0], padding[1], padding[1])
    elif len(padding) == 4:
        sides = tuple(padding)
    else:
        raise EngineError(
            field,
            "padding_form",
            f'{field} must be an integer, [ph, pw], [top, bottom, left, right], "same" or "valid"',
        )
    if any(p < 0 for p in sides):
        raise EngineError(field, "non_negative", f"{field} cannot be negative; got {list(sides)}")
    return sides  # type: ignore[return-value]


def conv_padding(padding: int | str | Sequence[int], kernel: Pair, stride: Pair, dilation: Pair) -> Sides:
    """Resolve a conv padding spec, including PyTorch's `"same"` and `"valid"`.

    `"same"` pads `d*(k-1)` per axis with the odd cell on the bottom/right, and, as in
    PyTorch, is refused when any stride is above 1 (the size would then depend on n).
    """
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding == "same":
        if stride != (1, 1):
            raise EngineError(
                "padding",
                "same_needs_stride_1",
                'padding "same" needs stride 1 on both axes, as in PyTorch: with a larger '
                "stride no padding keeps the size; use a number instead",
            )
        th, tw = (d * (k - 1) for d, k in zip(dilation, kernel))
        return (th // 2, th - th // 2, tw // 2, tw - tw // 2)
    if isinstance(padding, str):
        raise EngineError("padding", "padding_form", f'padding must be a number, "same" or "valid"; got "{padding}"')
    return explicit_sides(padding)
