"""The output-size formula, per axis, in integers and in words.

`floor((n + p_before + p_after - d(k-1) - 1) / s) + 1`, with PyTorch's pooling variant
for `ceil_mode` (a last window that would start in the right padding is dropped).
"""

from dataclasses import asdict, dataclass

from .errors import EngineError


@dataclass(frozen=True)
class AxisShape:
    """One axis of a sliding-window layer, with the arithmetic written out."""

    axis: str
    n: int
    k: int
    s: int
    d: int
    p_before: int
    p_after: int
    ceil_mode: bool
    padded: int  # n + p_before + p_after
    span: int  # d*(k-1) + 1, the cells one window covers
    size: int | None  # None when the configuration is invalid
    formula: str
    valid: bool
    problem: str | None

    def as_dict(self) -> dict:
        return asdict(self)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def explain_axis(
    axis: str,
    n: int,
    k: int,
    s: int = 1,
    d: int = 1,
    p_before: int = 0,
    p_after: int | None = None,
    ceil_mode: bool = False,
) -> AxisShape:
    """Compute one axis's output size and the sentence that explains it."""
    p_after = p_before if p_after is None else p_after
    padded = n + p_before + p_after
    span = d * (k - 1) + 1
    numerator = padded - span
    pads = f"{p_before} + {p_after}"
    dk = f"{d}×({k}−1)"
    head = f"({n} + {pads} − {dk} − 1) / {s}"
    common = dict(axis=axis, n=n, k=k, s=s, d=d, p_before=p_before, p_after=p_after, ceil_mode=ceil_mode)
    # ceil_mode is pooling's, and pooling pads at most half its window on each side (as torch refuses more).
    if ceil_mode and max(p_before, p_after) > k // 2:
        problem = (
            f"pooling padding can be at most half the kernel size ({k} // 2 = {k // 2}); got {max(p_before, p_after)}"
        )
        return AxisShape(**common, padded=padded, span=span, size=None, formula=f"{head}", valid=False, problem=problem)
    # ceil_mode (pooling only) may keep one window that overhangs a too-small padded input.
    if numerator < 0 and (not ceil_mode or _ceil_div(numerator, s) + 1 < 1):
        dil = f" (with dilation {d} it spans {span})" if d > 1 else ""
        problem = (
            f"the kernel's {k} {_cells(axis)}{dil} do not fit in the {padded} {_cells(axis)} of the "
            f"padded input ({n} + {pads} padding): use a smaller kernel or dilation, or more padding"
        )
        return AxisShape(
            **common,
            padded=padded,
            span=span,
            size=None,
            formula=f"{head}: {numerator} < 0",
            valid=False,
            problem=problem,
        )
    if not ceil_mode:
        size = numerator // s + 1
        formula = f"floor({head}) + 1 = floor({numerator} / {s}) + 1 = {numerator // s} + 1 = {size}"
    else:
        size = _ceil_div(numerator, s) + 1
        formula = f"ceil({head}) + 1 = ceil({numerator} / {s}) + 1 = {size - 1} + 1 = {size}"
        if (size - 1) * s >= n + p_before:
            size -= 1
            formula += f"; the last window would start in the right padding, so it is dropped: {size}"
    return AxisShape(**common, padded=padded, span=span, size=size, formula=formula, valid=True, problem=None)


def _cells(axis: str) -> str:
    return "rows" if axis == "height" else "columns"


def require_valid(height: AxisShape, width: AxisShape, field: str = "kernel") -> tuple[int, int]:
    """Return `(Ho, Wo)` or raise the sentence saying which rule broke."""
    if height.valid and width.valid:
        return height.size, width.size  # type: ignore[return-value]
    message = (
        f"the {height.k}×{width.k} kernel"
        + (f" (spanning {height.span}×{width.span} with dilation)" if (height.d, width.d) != (1, 1) else "")
        + f" is larger than the {height.padded}×{width.padded} padded input"
        + ": use a smaller kernel or dilation, or more padding"
    )
    raise EngineError(field, "kernel_larger_than_padded_input", message)
