"""Receptive-field arithmetic, one axis at a time, with the running formula written out.

For a layer with kernel k, stride s, dilation d and padding p (before the first cell), given
the incoming receptive field r, jump j (input cells between neighbouring units) and start
(the input coordinate of unit 0's centre):

    r_out = r + (k − 1)·d·j        j_out = j·s        start_out = start + ((k − 1)/2·d − p)·j

Unit i's centre sits at `start + i·j`, so it reads input rows
`[start + i·j − (r − 1)/2, start + i·j + (r − 1)/2]` (always whole numbers), clipped to the input:
the part outside is padding.
"""

from dataclasses import asdict, dataclass


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
