"""Encode responses once, with orjson, straight from numpy arrays.

Frames are built page by page from vectorised arrays; turning integral float arrays
into integers keeps a toy matrix's frames short (`3`, not `3.0`) without changing any value.
"""

from typing import Any

import numpy as np
import orjson
from starlette.responses import Response

from ..layers.arrays import compact, to_lists

__all__ = ["FastJSONResponse", "compact", "dumps", "to_lists"]  # compact, to_lists: app/layers/arrays.py
_OPTIONS = orjson.OPT_SERIALIZE_NUMPY


def _fallback(value: Any) -> Any:
    # orjson serialises only C-contiguous arrays natively; views (slices) go through here.
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    raise TypeError(f"cannot encode {type(value).__name__}")


def dumps(content: Any) -> bytes:
    return orjson.dumps(content, default=_fallback, option=_OPTIONS)


class FastJSONResponse(Response):
    """A JSON response rendered by orjson (numpy arrays allowed, NaN and ±inf become null)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)
