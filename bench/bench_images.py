"""Server time of the image API: a 512×512 RGB upload with eight 3×3 filters (target: under 150 ms),
and the time to refuse (or accept) hostile and limit-sized uploads (target: a clean answer within 5 s).

Runs the endpoint in process (TestClient, no network) and reports the median and best of
several runs, plus where the time goes (decode, convolution, PNG encoding).

    .venv/bin/python bench/bench_images.py
"""

import io
import json
import os
import statistics
import struct
import sys
import time
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from app.api.encoding import dumps
from app.config import Settings
from app.core.conv import conv2d
from app.images import lab
from app.images.colormap import feature_maps, plane_maps
from app.images.decode import decode_image
from app.images.layers import image_limits, preset_kernels
from app.images.packed import pack
from app.main import create_app
from tests.support.image_lab import PRESETS, photo_like

RUNS = 15


def timed(function, runs: int = RUNS) -> tuple[float, float, float]:
    """Median and best wall-clock ms, and median CPU ms of this process (all threads).

    On a shared machine the wall clock includes waiting for a core; CPU time does not, and
    with the PNG threads it can exceed the wall clock on an idle multi-core machine.
    """
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(times), min(times), statistics.median(cpu)


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def header_only(fmt: str, width: int, height: int) -> bytes:
    """A file whose header claims width×height but carries (almost) no pixel data."""
    if fmt == "GIF":
        return (
            b"GIF89a"
            + struct.pack("<HH", width, height)
            + b"\x00\x00\x00"
            + b"\x2c"
            + b"\0" * 4
            + struct.pack("<HH", width, height)
            + b"\x00\x08\x01\x00\x3b"
        )
    if fmt == "BMP":
        info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
        return b"BM" + struct.pack("<IHHI", 54 + 64, 0, 0, 54) + info + b"\0" * 64
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 99)) + chunk(b"IEND", b"")


def rle_bmp(width: int, height: int) -> bytes:
    pixels = (b"\x01\x07" * width + b"\x00\x00") * height + b"\x00\x01"
    palette = b"".join(bytes([i, i, i, 0]) for i in range(256))
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 1, len(pixels), 2835, 2835, 256, 0)
    offset = 14 + len(info) + len(palette)
    return b"BM" + struct.pack("<IHHI", offset + len(pixels), 0, 0, offset) + info + palette + pixels


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def hostile_cases(settings: Settings) -> list[tuple[str, bytes]]:
    side = int(settings.max_image_pixels**0.5)  # at the pixel limit: accepted, and the slowest legal decode
    flat = Image.new("RGB", (side, side), (90, 140, 200))
    noise = np.random.default_rng(1).integers(0, 256, (1800, 1800, 3), dtype=np.uint8)
    photo = encoded(Image.fromarray(noise), "PNG")
    tiny = encoded(Image.new("RGB", (8, 8)), "PNG")[:-12]  # without IEND
    gif = encoded(Image.new("P", (8, 8)), "GIF")
    image = gif.index(b"\x2c")
    jpeg = encoded(Image.new("RGB", (8, 8)), "JPEG")
    scans = encoded(Image.fromarray(noise[:64, :64]), "JPEG", progressive=True)
    first = scans.index(b"\xff\xda")
    second = scans.index(b"\xff\xda", first + 2)
    return [
        (f"PNG {side}×{side} (at the pixel limit)", encoded(flat, "PNG")),
        (f"JPEG {side}×{side} (at the pixel limit)", encoded(flat, "JPEG", quality=90)),
        (f"WebP {side}×{side} (at the pixel limit)", encoded(flat, "WEBP")),
        ("PNG of noise 1800×1800 (near the byte limit)", photo),
        ("PNG header claiming 30000×30000", header_only("PNG", 30_000, 30_000)),
        ("GIF header claiming 65535×65535", header_only("GIF", 65_535, 65_535)),
        ("BMP header claiming 50000×50000", header_only("BMP", 50_000, 50_000)),
        ("truncated PNG (half of the noise PNG)", photo[: len(photo) // 2]),
        ("PNG + 800,000 empty IDAT chunks", tiny + chunk(b"IDAT", b"") * 800_000),
        (
            "GIF comment of 4,900,000 1-byte sub-blocks",
            gif[:image] + b"\x21\xfe" + b"\x01a" * 4_900_000 + b"\0" + gif[image:],
        ),
        ("JPEG + 2,400,000 empty COM markers", jpeg[:2] + b"\xff\xfe\x00\x02" * 2_400_000 + jpeg[2:]),
        ("RLE BMP 4000×1200 of 1-pixel runs", rle_bmp(4000, 1200)),
        (
            "progressive JPEG with its first scan ×80,000",
            scans[:second] + scans[first:second] * 80_000 + scans[second:],
        ),
        ("random bytes, 10 MiB", np.random.default_rng(2).bytes(settings.max_upload_bytes)),
        ("random bytes, 10 MiB + 1 (oversize)", np.random.default_rng(3).bytes(settings.max_upload_bytes + 70_000)),
    ]


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

    def layer(x: np.ndarray, k: np.ndarray):
        return conv2d(x, k, padding=1, limits=limits)

    def workflow(maps: lab.MapForm) -> bytes:
        """The lab's workflow on the decoded picture, encoded as the route would (JSON or the binary body)."""
        answer = lab.convolve(decoded.pixels, kernel, PRESETS, layer, lab.ConvOptions(maps=maps))
        return pack(answer, dumps) if maps == "binary" else dumps(answer)

    rows = [
        ("whole request (TestClient, in process)", timed(request)),
        ("  lab.convolve, maps=png -> JSON bytes", timed(lambda: workflow("png"))),
        ("  lab.convolve, maps=binary -> body bytes", timed(lambda: workflow("binary"))),
        ("  decode 512×512 PNG", timed(lambda: decode_image(data, "rgb", 512, settings.max_image_pixels))),
        ("  conv2d 8 filters 3×3×3", timed(lambda: conv2d(decoded.pixels, kernel, padding=1, limits=limits))),
        ("  8 feature maps (signed + absolute PNG)", timed(lambda: feature_maps(list(result.output)))),
        ("  8 feature maps (level planes, maps=binary)", timed(lambda: plane_maps(list(result.output)))),
    ]
    print(f"upload {len(data):,} bytes, 512×512 RGB, filters: {', '.join(PRESETS)}")
    print(f"load average before: {', '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} cores")
    for name, (median, best, cpu) in rows:
        print(f"{name:45s} median {median:7.1f} ms   best {best:7.1f} ms   CPU {cpu:7.1f} ms")
    print("\nhostile and limit-sized uploads (gray, max_side 128, one Sobel filter):")
    for name, payload in hostile_cases(settings):
        start = time.perf_counter()
        response = client.post(
            "/api/v1/images/conv2d", files={"image": ("x", payload, "image/png")}, data={"kernel_preset": "sobel_x"}
        )
        elapsed = time.perf_counter() - start
        rule = response.json().get("rule", "") if response.status_code != 200 else ""
        print(f"  {name:45s} {response.status_code} {rule:20s} {elapsed * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
