"""Receptive-field arithmetic, one axis at a time, with the running formula written out.

For a layer with kernel k, stride s, dilation d and padding p (before the first cell), given
the incoming receptive field r, jump j (input cells between neighbouring units) and start
(the input coordinate of unit 0's centre):

    r_out = r + (k − 1)·d·j        j_out = j·s        start_out = start + ((k − 1)/2·d − p)·j

Unit i's centre sits at `start + i·j`, so it reads input rows
`[start + i·j − (r − 1)/2, start + i·j + (r − 1)/2]` (always whole numbers), clipped to the input:
the part outside is padding. `lattice` gives the exact cells inside that span that the unit reads.
"""

from dataclasses import asdict, dataclass

import numpy as np

from .padding import source_indices


@dataclass(frozen=True)
class RFAxis:
    rf: int
    jump: int
    start: float
    formula: str

    def as_dict(self) -> dict:
        return asdict(self)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def input_rf() -> RFAxis:
    return RFAxis(1, 1, 0.0, "input: r = 1, j = 1, start = 0")


def identity_rf(previous: RFAxis) -> RFAxis:
    """Element-wise layers and flatten: each unit sees what the unit it came from saw."""
    return RFAxis(previous.rf, previous.jump, previous.start, "unchanged (element-wise)")


def advance(previous: RFAxis, k: int, s: int, d: int, p: int) -> RFAxis:
    """One sliding-window layer applied to `previous`."""
    r, j, start = previous.rf, previous.jump, previous.start
    rf = r + (k - 1) * d * j
    new_start = start + ((k - 1) / 2 * d - p) * j
    formula = (
        f"r = {r} + ({k}−1)×{d}×{j} = {rf}; j = {j}×{s} = {j * s}; "
        f"start = {_num(start)} + (({k}−1)/2×{d} − {p})×{j} = {_num(new_start)}"
    )
    return RFAxis(rf, j * s, new_start, formula)


def region(axis: RFAxis, index: int, size: int) -> tuple[int, int, int, int]:
    """Unit `index`'s input span `(lo, hi)` inclusive, and the same clipped to `0..size−1`."""
    centre = axis.start + index * axis.jump
    lo, hi = int(centre - (axis.rf - 1) / 2), int(centre + (axis.rf - 1) / 2)
    return lo, hi, max(lo, 0), min(hi, size - 1)


@dataclass(frozen=True)
class Window:
    """One layer's window along one axis, as the lattice needs it: `n` input cells, padded `p` before."""

    k: int
    s: int
    d: int
    p: int
    n: int
    mode: str = "zeros"  # a conv's padding mode; pooling and linear layers read nothing from padding


def _copied(positions: np.ndarray, window: Window) -> np.ndarray:
    """The real cells that padded positions stand for: none for zeros, the copied cell otherwise."""
    after = max(int(positions.max()) + 1 - window.n, 0)
    source = source_indices(window.n, window.p, after, window.mode)[positions + window.p]
    return source[source >= 0]


def lattice(path: list[Window], index: int) -> list[int]:
    """Exactly the input cells unit `index` reads along one axis, through every window of `path`.

    The span of `region` is their bounding box; stride and dilation leave holes inside it (a dilated
    layer reads every d-th cell), and copied padding (reflect, replicate, circular) folds taps back in.
    """
    positions = np.array([index], dtype=np.int64)
    for window in reversed(path):
        taps = positions[:, None] * window.s - window.p + window.d * np.arange(window.k)[None, :]
        positions = np.unique(_copied(taps.ravel(), window))
    return positions.tolist()


def through(previous: tuple[RFAxis, RFAxis], windows: tuple[Window, Window] | None) -> tuple[RFAxis, RFAxis]:
    """The receptive field after a layer with these windows; element-wise layers (None) keep it."""
    if windows is None:
        return (identity_rf(previous[0]), identity_rf(previous[1]))
    return tuple(advance(r, w.k, w.s, w.d, w.p) for r, w in zip(previous, windows))  # type: ignore[return-value]
