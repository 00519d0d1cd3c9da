"""The two small catalogues the labs start from: kernel presets and sample pictures.

The API serves them (GET /api/v1/kernels, GET /api/v1/images/samples) and the Matrix and Image labs' pages
carry the same lists in their HTML, and draw their menus from them, so a phone's first view waits no round
trip for them and no menu changes width after the first paint.
"""

import functools

from PIL import Image

from ..core.kernels import PRESETS
from ..images.samples import SAMPLES
from ..paths import ROOT
from .catalogue import page_messages

SAMPLES_DIR = ROOT / "static" / "samples"
FIRST_SAMPLE = "cifar_cat"  # the picture the Image lab opens on (the page marks it selected)
MENU_GROUPS = ("patterns", "cifar")  # the sample menu's groups, in this order


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


def sample_menu(samples: list[dict], lang: str) -> dict[str, list[dict]]:
    """The samples by menu group, each as {sample, label}, the label in `lang` ("Cat (32×32)") as sampleTitle
    writes it in static/js/image-lab-state.js: the page draws the menu at its final width before any script."""
    names = page_messages(("image-lab.js",), lang)

    def label(sample: dict) -> str:
        name = names.get(f"img.sample.{sample['name']}", sample["title"])  # English has no key: the title
        return f"{name} ({sample['width']}×{sample['height']})"

    return {group: [{"sample": s, "label": label(s)} for s in samples if s["group"] == group] for group in MENU_GROUPS}


def preset_menu(lang: str) -> list[dict]:
    """The kernel presets as the Matrix lab's menu lists them: name, label in `lang` (the API's English title
    without a translation, as writePresetOptions in static/js/matrix-lab.js does) and description."""
    names = page_messages(("matrix-lab.js",), lang)
    return [
        {"name": k.name, "label": names.get(f"preset.{k.name}", k.title), "description": k.description} for k in PRESETS
    ]
