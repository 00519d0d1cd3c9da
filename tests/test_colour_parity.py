"""The signed colour scale is one scale: the JS one (static/js/colour.js, cells and feature maps) has the Python
one's anchors (app/images/colormap.py, the Image lab's PNGs) and paints each of its 255 levels alike."""

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np

from app.images.colormap import _ANCHORS, DIVERGING, LEVELS

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """
import("./static/js/colour.js").then(({ ANCHORS, signedRgb }) => {
  const levels = Array.from({ length: %d }, (_, n) => signedRgb(-1 + (2 * n) / (%d - 1), 1));
  console.log(JSON.stringify({ anchors: ANCHORS, levels }));
});
"""


def _js_scale() -> dict:
    node = shutil.which("node")
    assert node, "node is not on PATH: install Node.js 20+ (Debian: apt-get install nodejs)"
    run = subprocess.run(
        [node, "-e", SCRIPT % (LEVELS, LEVELS)], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(run.stdout)


def test_js_and_python_scales_have_the_same_anchors():
    assert _js_scale()["anchors"] == _ANCHORS.astype(int).tolist()


def test_js_paints_every_level_as_the_python_palette_does():
    """Both interpolate the same anchors linearly; they may differ only where a channel lands on exactly .5
    (numpy rounds half to even, Math.round half up): by at most 1 in 255."""
    js = np.array(_js_scale()["levels"])
    difference = np.abs(js - DIVERGING.astype(int))
    assert difference.max() <= 1, np.argwhere(difference > 1)[:5]
