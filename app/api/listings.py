"""The two small catalogues the Image lab starts from: kernel presets and sample pictures.

The API serves them (GET /api/v1/kernels, GET /api/v1/images/samples) and the Image lab's page carries
the same lists in its HTML, so a phone's first maps do not wait a round trip for them.
"""

import functools

from PIL import Image

from ..core.kernels import PRESETS
from ..images.samples import SAMPLES
from ..paths import ROOT

SAMPLES_DIR = ROOT / "static" / "samples"


def kernel_presets() -> list[dict]:
    """Every preset kernel: its name, title, description and values."""
    return [
        {"name": k.name, "title": k.title, "description": k.description, "values": [list(r) for r in k.values]}
        for k in PRESETS
    ]


@functools.cache
def _sample_sizes() -> tuple[dict, ...]:
    listing = []
    for sample in SAMPLES:
        with Image.open(SAMPLES_DIR / f"{sample.name}.png") as image:
            width, height, mode = image.width, image.height, image.mode
        listing.append(
            {
                "name": sample.name,
                "title": sample.title,
                "group": sample.group,
                "width": width,
                "height": height,
                "mode": "gray" if mode == "L" else "rgb",
            }
        )
    return tuple(listing)


def sample_listing(root_path: str = "") -> list[dict]:
    """The shipped sample pictures with their sizes and URLs (under the app's root path)."""
    return [s | {"url": f"{root_path}/static/samples/{s['name']}.png"} for s in _sample_sizes()]
