"""The Image lab's workflow: a decoded picture and a layer in, the answer's pictures and numbers out.

The routes validate the form and decode the upload, then call `convolve` or `pool` with the layer to run
(a callable, so this module needs no web framework and no route); the benchmarks call the same functions.
`maps` picks how feature maps travel (colormap.py): `png` two coloured PNGs each, `levels` one gray PNG
of level indices each, `binary` the raw level bytes for packed.py's body.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..core.conv import ConvResult
from ..core.errors import EngineError
from ..core.pool import PoolResult
from .colormap import feature_maps, legend_stops, level_maps, palettes, plane_maps
from .layers import (
    channel_names,
    compare_pooled,
    focus_view,
    input_view,
    pooled_picture,
    shift_image,
    start_input_view,
)

MapForm = Literal["png", "levels", "binary"]
VALUES_CAP = 200_000  # numbers per listed array when include_values is set (about 1 MB of JSON)
DRAWERS = {"png": feature_maps, "levels": level_maps, "binary": plane_maps}


@dataclass(frozen=True)
class ConvOptions:
    """What the answer of a convolution holds (the form's switches, validated by the route)."""

    maps: MapForm = "png"
    focus_filter: int = 0
    include_focus: bool = True
    include_input: bool = True
    include_values: bool = False


def values(padded: np.ndarray, output: np.ndarray, include: bool) -> dict | None:
    """The padded input and the output as numbers, when asked and small enough to list."""
    if not include or padded.size > VALUES_CAP:
        return None
    listed = np.where(np.isfinite(output), output, np.nan)
    return {"padded_input": padded, "output": listed if output.size <= VALUES_CAP else None}


def _no_pictures(shape: tuple[int, ...]) -> dict:
    """The input view without its pictures (include_input=false: the page kept them from its last answer)."""
    channels = [{"name": name, "picture": None} for name in channel_names(shape[0])]
    return {"shape": list(shape), "picture": None, "channels": channels}


def convolve(
    x: np.ndarray,
    kernel: np.ndarray,
    preset_names: list[str],
    layer: Callable[[np.ndarray, np.ndarray], ConvResult],
    options: ConvOptions,
) -> dict:
    """Run `layer` on the C×H×W picture `x` with the F×C×kh×kw `kernel`; the answer minus its `source`."""
    compact_maps = options.maps != "png"
    draw = DRAWERS[options.maps]
    if options.include_input:  # drawn on the other cores while this one convolves
        pictures = start_input_view(x, channel_pictures=not compact_maps, as_url=options.maps != "binary")
    else:
        pictures = functools.partial(_no_pictures, x.shape)
    result = layer(x, kernel)
    filters = result.output.shape[0]
    if options.focus_filter >= filters:
        raise EngineError("focus_filter", "existing_filter", f"focus_filter must be below the filter count ({filters})")
    maps = draw(list(result.output))
    focus = None
    if options.include_focus:
        focus = focus_view(x, result, options.focus_filter, maps[options.focus_filter], draw)
        if compact_maps:  # each map once: the focus filter's own map is filters[focus_filter].map
            focus["activated"] = None
            if result.activation == "none":
                focus["sum"] = None
    return {
        "input": pictures(),
        "output_shape": list(result.output.shape),
        "padding": list(result.padding),
        "kernel": result.weight,
        "bias": result.bias,
        "activation": result.activation,
        "shape": {"height": result.height.as_dict(), "width": result.width.as_dict()},
        "legend": legend_stops(),
        "filters": [
            {"index": f, "preset": preset_names[f] if preset_names else None, "map": m} for f, m in enumerate(maps)
        ],
        "focus": focus,
        "values": values(result.padded, result.output, options.include_values),
        "palettes": palettes() if compact_maps else None,
    }


def pool(
    x: np.ndarray,
    layer: Callable[[np.ndarray], PoolResult],
    shift: tuple[int, int] = (0, 0),
    maps: Literal["png", "levels"] = "png",
    include_values: bool = False,
) -> dict:
    """Pool the C×H×W picture `x` with `layer`; with a `shift`, also the moved picture, and what survived."""
    result = layer(x)
    draw = DRAWERS[maps]
    shifted = None
    if any(shift):
        moved = shift_image(x, *shift)
        moved_result = layer(moved)
        shifted = {
            "shift": list(shift),
            "input": input_view(moved)["picture"],
            "output": pooled_picture(moved_result),
            **compare_pooled(result, moved_result, draw),
        }
    _, height, width = x.shape
    ph, pw = result.padding
    padded = result.padded[:, : height + 2 * ph, : width + 2 * pw]
    return {
        "input": input_view(x),
        "output_shape": list(result.output.shape),
        "output": pooled_picture(result),
        "padding": [ph, ph, pw, pw],
        "kernel_size": list(result.kernel),
        "stride": list(result.stride),
        "shape": {"height": result.height.as_dict(), "width": result.width.as_dict()},
        "shifted": shifted,
        "values": values(padded, result.output, include_values),
        "palettes": palettes() if maps == "levels" else None,
    }
