"""Procedural sample pictures: our own drawings, reproducible from this code alone.

`scripts/make_samples.py` writes them to static/samples/*.png. CIFAR-style pictures are
drawn at 4× and shrunk to 32×32 so their edges are antialiased like a real small photo.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SCALE = 4  # CIFAR-style pictures are drawn at 128×128 then shrunk to 32×32
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Sample:
    name: str
    title: str
    group: str  # "patterns" or "cifar"
    draw: Callable[[], Image.Image]


def checkerboard() -> Image.Image:
    cells = (np.add.outer(np.arange(64) // 8, np.arange(64) // 8) % 2) * 255
    return Image.fromarray(cells.astype(np.uint8), "L")


def shapes() -> Image.Image:
    image = Image.new("RGB", (96, 96), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 44, 44), fill=(220, 40, 40))
    draw.rectangle((54, 10, 86, 42), fill=(30, 160, 60))
    draw.polygon([(26, 54), (8, 88), (44, 88)], fill=(40, 80, 220))
    draw.line((56, 56, 88, 88), fill=(0, 0, 0), width=3)
    draw.line((56, 88, 88, 56), fill=(250, 190, 0), width=3)
    return image


def gradients() -> Image.Image:
    """Left: a horizontal ramp; right: a vertical one; bottom band: a hue sweep."""
    ramp = np.linspace(0, 255, 48)
    left = np.tile(ramp, (48, 1))
    right = left.T
    top = np.concatenate([left, right], axis=1)
    rgb = np.repeat(top[:, :, None], 3, axis=2)
    hue = np.linspace(0, 2 * np.pi, 96)
    band = np.stack([np.cos(hue - k * 2 * np.pi / 3) for k in range(3)], axis=1) * 127.5 + 127.5
    bottom = np.repeat(band[None], 16, axis=0)
    return Image.fromarray(np.concatenate([rgb, bottom]).round().astype(np.uint8), "RGB")


def _text(text: str, size: tuple[int, int], font_size: int, invert: bool = False) -> Image.Image:
    """Text in Pillow's bundled default font, centred."""
    image = Image.new("L", size, 0 if invert else 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=font_size)
    draw.text((size[0] / 2, size[1] / 2), text, fill=255 if invert else 0, font=font, anchor="mm")
    return image


def letters() -> Image.Image:
    return _text("CNN", (96, 48), 36)


def digits() -> Image.Image:
    return _text("2026", (96, 40), 30)


def digit_seven() -> Image.Image:
    """An MNIST-like 28×28 digit: white stroke on black."""
    return _text("7", (28, 28), 34, invert=True).filter(ImageFilter.GaussianBlur(0.6))


def mountain() -> Image.Image:
    """A height map: brightness is height; two peaks, a saddle and a ridge."""
    y, x = np.mgrid[0:64, 0:64] / 63.0
    peaks = [(0.35, 0.40, 0.16, 1.0), (0.70, 0.62, 0.12, 0.75), (0.55, 0.20, 0.08, 0.4)]
    height = sum(h * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s**2)) for cx, cy, s, h in peaks)
    height = height + 0.08 * np.sin(9 * x + 3 * y)
    height = (height - height.min()) / (height.max() - height.min()) * 255
    return Image.fromarray(height.round().astype(np.uint8), "L")


def _canvas(
    top: tuple[int, int, int], bottom: tuple[int, int, int], horizon: float
) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A 128×128 scene: `top` colour above the horizon (0..1 of the height), `bottom` below."""
    image = Image.new("RGB", (32 * SCALE, 32 * SCALE), top)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, horizon * 32 * SCALE, 32 * SCALE, 32 * SCALE), fill=bottom)
    return image, draw


def _box(*cells: float) -> list[float]:
    """Coordinates in 32-pixel units, scaled to the drawing canvas."""
    return [c * SCALE for c in cells]


def _finish(image: Image.Image, seed: int) -> Image.Image:
    """Shrink to 32×32 and add a little deterministic grain, like a real small photo."""
    small = np.asarray(image.resize((32, 32), Image.Resampling.LANCZOS), dtype=np.float64)
    grain = np.random.default_rng(seed).normal(0, 4, small.shape)
    return Image.fromarray(np.clip(small + grain, 0, 255).round().astype(np.uint8), "RGB")


def airplane() -> Image.Image:
    image, draw = _canvas((120, 170, 225), (150, 190, 235), 0.7)
    draw.polygon(_box(4, 17, 26, 14, 29, 15, 26, 17.5, 6, 19), fill=(225, 225, 230))
    draw.polygon(_box(13, 16, 20, 6, 23, 6, 18, 16.5), fill=(190, 190, 200))
    draw.polygon(_box(13, 18, 19, 26, 22, 26, 18, 17.5), fill=(170, 170, 180))
    draw.polygon(_box(4, 17, 3, 11, 6, 11, 8, 16.5), fill=(200, 60, 50))
    return _finish(image, 1)


def automobile() -> Image.Image:
    image, draw = _canvas((190, 200, 210), (90, 90, 95), 0.72)
    draw.rounded_rectangle(_box(3, 15, 29, 23), radius=2 * SCALE, fill=(200, 30, 40))
    draw.polygon(_box(8, 15, 11, 9, 21, 9, 25, 15), fill=(180, 25, 35))
    draw.polygon(_box(10, 14.5, 12, 10.5, 15.5, 10.5, 15.5, 14.5), fill=(150, 200, 230))
    draw.polygon(_box(17, 14.5, 17, 10.5, 20.5, 10.5, 23, 14.5), fill=(150, 200, 230))
    for cx in (9, 23):
        draw.ellipse(_box(cx - 3.2, 19.5, cx + 3.2, 26), fill=(25, 25, 25))
        draw.ellipse(_box(cx - 1.4, 21.3, cx + 1.4, 24.2), fill=(170, 170, 170))
    return _finish(image, 2)


def bird() -> Image.Image:
    image, draw = _canvas((160, 200, 235), (110, 150, 80), 0.8)
    draw.line(_box(2, 24, 30, 22), fill=(100, 70, 40), width=2 * SCALE)
    draw.ellipse(_box(9, 11, 23, 22), fill=(150, 90, 50))
    draw.ellipse(_box(18, 8, 26, 15), fill=(160, 100, 55))
    draw.polygon(_box(25.5, 11, 30, 12, 25.5, 13), fill=(240, 180, 40))
    draw.ellipse(_box(21.5, 10, 23, 11.5), fill=(10, 10, 10))
    draw.polygon(_box(10, 16, 3, 20, 10, 20), fill=(120, 70, 40))
    draw.ellipse(_box(12, 16, 20, 21), fill=(220, 120, 70))
    return _finish(image, 3)


def cat() -> Image.Image:
    image, draw = _canvas((200, 190, 170), (170, 150, 130), 0.85)
    fur = (210, 140, 60)
    draw.polygon(_box(7, 13, 8, 3, 14, 9), fill=fur)
    draw.polygon(_box(25, 13, 24, 3, 18, 9), fill=fur)
    draw.ellipse(_box(6, 7, 26, 28), fill=fur)
    for cx in (12, 20):
        draw.ellipse(_box(cx - 2, 14, cx + 2, 18), fill=(120, 190, 60))
        draw.ellipse(_box(cx - 0.6, 14.3, cx + 0.6, 17.7), fill=(10, 10, 10))
    draw.polygon(_box(14.8, 20, 17.2, 20, 16, 21.5), fill=(230, 120, 130))
    for dy in (-1, 1):
        draw.line(_box(4, 21 + dy, 12, 21.5), fill=(250, 250, 250), width=SCALE // 2)
        draw.line(_box(20, 21.5, 28, 21 + dy), fill=(250, 250, 250), width=SCALE // 2)
    return _finish(image, 4)


def deer() -> Image.Image:
    image, draw = _canvas((120, 160, 110), (80, 120, 60), 0.75)
    body = (150, 100, 60)
    draw.ellipse(_box(6, 13, 22, 21), fill=body)
    for x in (8, 11, 17, 20):
        draw.rectangle(_box(x, 19, x + 1.4, 29), fill=(120, 80, 45))
    draw.polygon(_box(18, 15, 21, 7, 24, 8, 22, 16), fill=body)
    draw.ellipse(_box(21, 5, 27, 10), fill=body)
    for side in (-1, 1):
        x = 23.5 + side * 1.5
        draw.line(_box(x, 6, x + side * 3, 1), fill=(90, 60, 30), width=SCALE // 2 + 1)
        draw.line(_box(x + side * 1.5, 3.5, x + side * 0.5, 1), fill=(90, 60, 30), width=SCALE // 2 + 1)
    draw.ellipse(_box(7, 14, 9, 16), fill=(240, 235, 225))
    return _finish(image, 5)


def dog() -> Image.Image:
    image, draw = _canvas((235, 225, 200), (200, 185, 160), 0.85)
    fur = (240, 235, 225)
    draw.ellipse(_box(7, 6, 25, 26), fill=fur)
    draw.ellipse(_box(3, 8, 10, 22), fill=(110, 70, 40))
    draw.ellipse(_box(22, 8, 29, 22), fill=(110, 70, 40))
    draw.ellipse(_box(11, 13, 14, 16), fill=(40, 25, 15))
    draw.ellipse(_box(18, 13, 21, 16), fill=(40, 25, 15))
    draw.ellipse(_box(12, 18, 20, 25), fill=(215, 200, 180))
    draw.ellipse(_box(14.2, 18.5, 17.8, 21), fill=(20, 20, 20))
    draw.arc(_box(13, 20, 19, 24), 20, 160, fill=(90, 40, 40), width=SCALE // 2)
    return _finish(image, 6)


def frog() -> Image.Image:
    image, draw = _canvas((60, 100, 130), (40, 80, 110), 0.4)
    draw.ellipse(_box(3, 19, 29, 30), fill=(50, 130, 60))
    draw.ellipse(_box(7, 11, 25, 25), fill=(110, 190, 60))
    for cx in (11, 21):
        draw.ellipse(_box(cx - 3, 8, cx + 3, 14), fill=(120, 200, 70))
        draw.ellipse(_box(cx - 1.6, 9.4, cx + 1.6, 12.6), fill=(250, 220, 60))
        draw.ellipse(_box(cx - 0.7, 10, cx + 0.7, 12), fill=(10, 10, 10))
    draw.arc(_box(10, 14, 22, 21), 20, 160, fill=(40, 90, 30), width=SCALE // 2)
    return _finish(image, 7)


def horse() -> Image.Image:
    image, draw = _canvas((170, 200, 230), (120, 160, 70), 0.7)
    body = (110, 65, 35)
    draw.ellipse(_box(5, 12, 23, 21), fill=body)
    for x in (7, 10, 18, 21):
        draw.rectangle(_box(x, 18, x + 1.6, 29), fill=(90, 50, 25))
    draw.polygon(_box(19, 15, 23, 5, 26, 6, 23, 16), fill=body)
    draw.polygon(_box(23, 5, 30, 8, 29, 11, 24, 9), fill=body)
    draw.line(_box(22, 5, 19, 13), fill=(30, 20, 15), width=SCALE)
    draw.line(_box(5, 14, 2, 22), fill=(30, 20, 15), width=SCALE)
    return _finish(image, 8)


def ship() -> Image.Image:
    image, draw = _canvas((180, 210, 240), (30, 80, 140), 0.65)
    draw.polygon(_box(2, 17, 30, 17, 26, 23, 6, 23), fill=(60, 60, 70))
    draw.rectangle(_box(9, 11, 22, 17), fill=(240, 240, 240))
    draw.rectangle(_box(12, 7, 18, 11), fill=(230, 230, 230))
    draw.rectangle(_box(19, 5, 21, 11), fill=(200, 50, 40))
    for x in (10.5, 13.5, 16.5, 19.5):
        draw.rectangle(_box(x, 13, x + 1.5, 14.5), fill=(40, 60, 90))
    return _finish(image, 9)


def truck() -> Image.Image:
    image, draw = _canvas((200, 205, 210), (80, 80, 85), 0.75)
    draw.rectangle(_box(2, 8, 20, 22), fill=(240, 240, 235))
    draw.rectangle(_box(20, 12, 29, 22), fill=(30, 90, 170))
    draw.polygon(_box(21.5, 13, 27.5, 13, 28, 17, 21.5, 17), fill=(160, 210, 235))
    for cx in (7, 15, 25):
        draw.ellipse(_box(cx - 3, 19.5, cx + 3, 25.5), fill=(25, 25, 25))
        draw.ellipse(_box(cx - 1.2, 21.3, cx + 1.2, 23.7), fill=(160, 160, 160))
    return _finish(image, 10)


CIFAR_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
_CIFAR_DRAWINGS = (airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck)

SAMPLES: tuple[Sample, ...] = (
    Sample("checkerboard", "Checkerboard", "patterns", checkerboard),
    Sample("shapes", "Shapes", "patterns", shapes),
    Sample("gradients", "Gradients", "patterns", gradients),
    Sample("letters", "Letters", "patterns", letters),
    Sample("digits", "Digits", "patterns", digits),
    Sample("digit_7", "Digit 7", "patterns", digit_seven),
    Sample("mountain", "Mountain height map", "patterns", mountain),
    *(Sample(f"cifar_{name}", name.capitalize(), "cifar", draw) for name, draw in zip(CIFAR_CLASSES, _CIFAR_DRAWINGS)),
)
SAMPLES_BY_NAME = {sample.name: sample for sample in SAMPLES}
