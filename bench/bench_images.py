"""Server time of the image API: a 512×512 RGB upload with eight 3×3 filters (target: under 150 ms).

Runs the endpoint in process (TestClient, no network) and reports the median and best of
several runs, plus where the time goes (decode, convolution, PNG encoding).

    .venv/bin/python bench/bench_images.py
"""

import io
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from app.config import Settings
from app.core.conv import conv2d
from app.images.colormap import feature_map
from app.images.decode import decode_image
from app.images.layers import image_limits, preset_kernels
from app.main import create_app

PRESETS = ["sobel_x", "sobel_y", "laplacian", "sharpen", "box_blur", "gaussian_3x3", "emboss", "outline"]
RUNS = 15


def photo_like(side: int = 512) -> bytes:
    """A smooth scene with edges and some grain, saved as PNG (compresses like a photo, not like noise)."""
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:side, 0:side] / side
    base = 120 + 80 * np.sin(6 * x) * np.cos(4 * y) + 40 * ((x - 0.5) ** 2 + (y - 0.4) ** 2 < 0.05)
    rgb = np.stack([base, base * 0.8 + 30 * y, 255 - base * 0.6]) + rng.normal(0, 6, (3, side, side))
    buffer = io.BytesIO()
    Image.fromarray(np.clip(np.moveaxis(rgb, 0, 2), 0, 255).astype(np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


def timed(function, runs: int = RUNS) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    settings = Settings()
    client = TestClient(create_app(settings))
    data = photo_like()
    form = {"kernel_preset": ",".join(PRESETS), "color": "rgb", "max_side": "512", "params": json.dumps({"padding": 1})}

    def request() -> None:
        response = client.post("/api/v1/images/conv2d", files={"image": ("bench.png", data, "image/png")}, data=form)
        assert response.status_code == 200, response.text

    request()
    decoded = decode_image(data, "rgb", 512, settings.max_image_pixels)
    limits = image_limits(settings.limits, 512)
    kernel = preset_kernels(PRESETS, 3)
    result = conv2d(decoded.pixels, kernel, padding=1, limits=limits)
    rows = [
        ("whole request (TestClient, in process)", timed(request)),
        ("  decode 512×512 PNG", timed(lambda: decode_image(data, "rgb", 512, settings.max_image_pixels))),
        ("  conv2d 8 filters 3×3×3", timed(lambda: conv2d(decoded.pixels, kernel, padding=1, limits=limits))),
        ("  8 feature maps (signed + absolute PNG)", timed(lambda: [feature_map(m) for m in result.output])),
    ]
    print(f"upload {len(data):,} bytes, 512×512 RGB, filters: {', '.join(PRESETS)}")
    for name, (median, best) in rows:
        print(f"{name:45s} median {median:7.1f} ms   best {best:7.1f} ms")


if __name__ == "__main__":
    main()
