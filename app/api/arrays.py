"""Pydantic field types for numeric arrays sent as nested JSON lists.

They parse with numpy in one pass (fast for large inputs) and turn every malformed
array (ragged, empty, non-numeric, non-finite, too deep) into a validation error that
names the rule.
"""

from collections.abc import Callable
from typing import Annotated, Any

import numpy as np
import orjson
from pydantic import PlainValidator, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from ..core.limits import MAX_ABS_VALUE, Limits

_NAMES = {1: "list", 2: "H×W matrix", 3: "C×H×W tensor", 4: "F×C×kh×kw tensor"}
CellLimit = Callable[[Limits], int]

DEFAULT_LIMITS = Limits()


def limits_of(info: ValidationInfo | None) -> Limits:
    """The server's limits, which the routes pass as pydantic's validation context (defaults without one)."""
    context = info.context if info is not None else None
    return context["limits"] if isinstance(context, dict) and "limits" in context else DEFAULT_LIMITS


def nominal_size(value: list) -> int:
    """The cell count `value` claims along its first items (len × len(first) × …): O(depth), before any parsing."""
    size, level = 1, value
    while isinstance(level, list):
        size *= len(level)
        level = level[0] if level else None
    return size


def check_size(value: Any, limit: int, what: str) -> None:
    """Refuse a list by its length alone, before a single item is looked at."""
    if isinstance(value, list) and (size := max(len(value), nominal_size(value))) > limit:
        raise PydanticCustomError(
            "limit",
            "has {size} items, above this server's limit of {limit} ({what}); refused before reading them",
            {"size": f"{size:,}", "what": what, "limit": f"{limit:,}"},
        )


def _parse(value: Any, ndims: tuple[int, ...], limit: tuple[CellLimit, str] | None, info: ValidationInfo) -> np.ndarray:
    shapes = " or ".join(_NAMES[n] for n in ndims)
    if not isinstance(value, list):
        raise PydanticCustomError("array_type", "must be a {shapes} of numbers (nested lists)", {"shapes": shapes})
    if limit is not None:
        check_size(value, limit[0](limits_of(info)), limit[1])
    try:
        array = np.array(value)
    except (ValueError, OverflowError):
        raise PydanticCustomError(
            "ragged_array", "rows must all have the same length (a rectangular {shapes})", {"shapes": shapes}
        ) from None
    if array.size == 0:
        raise PydanticCustomError("empty_array", "must not be empty", {})
    if array.ndim not in ndims:
        raise PydanticCustomError(
            "array_dimensions",
            "must be a {shapes}; got {ndim} levels of nesting",
            {"shapes": shapes, "ndim": array.ndim},
        )
    if array.dtype.kind not in "iuf" or _has_booleans(value):
        raise PydanticCustomError("array_numbers", "every cell must be a number", {})
    array = array.astype(np.float64)
    if not np.all(np.abs(array) <= MAX_ABS_VALUE):
        raise PydanticCustomError(
            "array_range", "every cell must be a finite number within ±{limit}", {"limit": f"{MAX_ABS_VALUE:g}"}
        )
    return array


def _has_booleans(value: list) -> bool:
    """numpy reads `[1, true]` as `[1, 1]`; JSON's true is not a number. Called once the cells are known to be
    numbers or booleans, so a `true`/`false` token in the serialised list can only be a boolean (fast, in C)."""
    serialised = orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY)
    return b"true" in serialised or b"false" in serialised


def _schema(depth_min: int, depth_max: int) -> dict:
    def nested(depth: int) -> dict:
        schema: dict = {"type": "number"}
        for _ in range(depth):
            schema = {"type": "array", "items": schema, "minItems": 1}
        return schema

    options = [nested(d) for d in range(depth_min, depth_max + 1)]
    return options[0] if len(options) == 1 else {"anyOf": options}


def array_field(*ndims: int, limit: tuple[CellLimit, str] | None = None) -> Any:
    """An `np.ndarray` field accepting nested lists with any of `ndims` levels.

    `limit` (a cell count from the server's limits, and what it is called) refuses an oversized list from its
    lengths before numpy reads a single cell.
    """
    return Annotated[
        np.ndarray,
        PlainValidator(lambda value, info: _parse(value, ndims, limit, info)),
        WithJsonSchema(_schema(min(ndims), max(ndims))),
    ]


def _kernel_cells(limits: Limits) -> int:
    return limits.max_filters * limits.max_channels * limits.max_kernel_size**2


INPUT_CELLS = (lambda limits: limits.max_input_cells, "input cells")
KERNEL_CELLS = (_kernel_cells, "filters × channels × kernel side²")
PER_FILTER = (lambda limits: limits.max_filters, "one per filter")

Matrix = array_field(2, 3, limit=INPUT_CELLS)  # an input map: H×W or C×H×W
Kernel = array_field(2, 3, 4, limit=KERNEL_CELLS)  # kh×kw, one C×kh×kw filter, or F×C×kh×kw
Vector = array_field(1, limit=PER_FILTER)  # one number per filter: parsed by numpy, never item by item
