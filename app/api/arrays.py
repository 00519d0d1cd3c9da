"""Pydantic field types for numeric arrays sent as nested JSON lists.

They parse with numpy in one pass (fast for large inputs) and turn every malformed
array (ragged, empty, non-numeric, non-finite, too deep) into a validation error that
names the rule.
"""

from typing import Annotated, Any

import numpy as np
import orjson
from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

MAX_ABS_VALUE = 1e12  # keeps every product and sum finite
_NAMES = {2: "H×W matrix", 3: "C×H×W tensor", 4: "F×C×kh×kw tensor"}


def _parse(value: Any, ndims: tuple[int, ...]) -> np.ndarray:
    shapes = " or ".join(_NAMES[n] for n in ndims)
    if not isinstance(value, list):
        raise PydanticCustomError("array_type", "must be a {shapes} of numbers (nested lists)", {"shapes": shapes})
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


def array_field(*ndims: int) -> Any:
    """An `np.ndarray` field accepting nested lists with any of `ndims` levels."""
    return Annotated[
        np.ndarray,
        PlainValidator(lambda value: _parse(value, ndims)),
        WithJsonSchema(_schema(min(ndims), max(ndims))),
    ]


Matrix = array_field(2, 3)  # an input map: H×W or C×H×W
Kernel = array_field(2, 3, 4)  # kh×kw, one C×kh×kw filter, or F×C×kh×kw
