"""Server-side pictures of a layer: animated GIF/WebP/APNG and still PNGs, drawn with Pillow.

Pure Python + Pillow + the engine; no web framework, so the CLI renders offline too.
"""

from .draw import RenderOptions
from .encode import EXTENSIONS, MEDIA_TYPES
from .export import RenderLimits, animation, still
from .scene import Scene, conv_scene, pool_scene, transpose_scene

__all__ = [
    "EXTENSIONS",
    "MEDIA_TYPES",
    "RenderLimits",
    "RenderOptions",
    "Scene",
    "animation",
    "conv_scene",
    "pool_scene",
    "still",
    "transpose_scene",
]
