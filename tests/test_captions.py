"""Animation captions in English and 简体中文: the words, the shipped CJK subset font, and the API's `lang`."""

import io

import numpy as np
import pytest
from fastapi.testclient import TestClient
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw

from app.core.conv import conv2d
from app.core.pool import pool2d
from app.core.transpose import conv_transpose2d
from app.main import create_app
from app.render import RenderOptions, conv_scene, pool_scene, still, transpose_scene
from app.render.captions import CATALOGUE, LANGS, characters
from app.render.draw import Painter
from app.render.palette import THEMES
from app.render.text import CAPTION_FONTS, caption_font

GRID = np.arange(25, dtype=float).reshape(5, 5) % 7 - 3
KERNEL = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])
CONV = {"input": GRID.tolist(), "kernel": KERNEL.tolist(), "padding": 1}
FONT = CAPTION_FONTS["zh-CN"]
# Every way the captions are put together: one map, several maps, summed-up products, bias, activation, pooling.
SCENES = {
    "conv_padding_bias_relu": lambda lang: conv_scene(
        conv2d(GRID, KERNEL, np.array([0.5]), padding=1, activation="relu"), lang
    ),
    "conv_three_channels_two_filters": lambda lang: conv_scene(
        conv2d(np.stack([GRID] * 3), np.stack([np.stack([KERNEL] * 3)] * 2), padding=1), lang
    ),
    "conv_large_kernel_summed_up": lambda lang: conv_scene(conv2d(np.tile(GRID, (2, 2)), np.ones((7, 7))), lang),
    "max_pool_two_channels": lambda lang: pool_scene(pool2d(np.stack([GRID, -GRID]), "max", 2), lang),
    "avg_pool_large_window": lambda lang: pool_scene(pool2d(GRID, "avg", 4, stride=1), lang),
    "transposed_zeros_inserted": lambda lang: transpose_scene(conv_transpose2d(GRID[:2, :2], KERNEL, stride=2), lang),
}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def cmap() -> dict[int, str]:
    return TTFont(FONT)["cmap"].getBestCmap()


def drawn_words(scene) -> set[str]:
    """Every character a scene's captions print, the final one included (labels are catalogue words)."""
    painter = Painter(scene, RenderOptions(), list(scene.steps(0, scene.step_count)))
    texts = [painter._final_caption(), *(line for step in painter.steps for line in step.caption)]
    return set("".join(texts))


@pytest.mark.parametrize("lang", LANGS)
def test_every_catalogue_character_is_in_the_caption_font(cmap, lang):
    literal = "".join(CATALOGUE[lang].values())
    missing = sorted({c for c in literal if ord(c) not in cmap and c not in "{}"})
    assert missing == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", SCENES)
def test_every_character_a_caption_prints_is_in_the_caption_font(cmap, lang, name):
    missing = sorted({c for c in drawn_words(SCENES[name](lang)) if ord(c) not in cmap})
    assert missing == []


def test_the_font_holds_exactly_the_catalogue_characters(cmap):
    assert {chr(code) for code in cmap} == set(characters())


def test_the_font_is_a_small_subset_with_its_licence():
    assert FONT.stat().st_size < 64 * 1024
    licence = (FONT.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Noto Sans CJK SC" in licence


def render_line(text: str, size: int = 32) -> np.ndarray:
    face = caption_font(size, "zh-CN")
    image = Image.new("L", (size * (len(text) + 1), size * 2), 255)
    ImageDraw.Draw(image).text((4, 4), text, font=face, fill=0)
    return np.asarray(image)


@pytest.mark.parametrize("char", sorted({c for c in characters() if ord(c) > 0x2E7F}))
def test_each_chinese_character_renders_as_itself_not_as_tofu(char):
    tofu = render_line("\U0010fffd")  # a private-use code point: FreeType draws .notdef
    glyph = render_line(char)
    assert (glyph < 128).sum() > 10  # ink
    assert not np.array_equal(glyph, tofu)


def test_a_chinese_frame_has_ink_in_its_caption_and_no_tofu():
    scene = conv_scene(conv2d(GRID, KERNEL, padding=1), "zh-CN")
    options = RenderOptions()
    frame = np.asarray(Image.open(io.BytesIO(still(scene, options, 3))).convert("RGB"))
    painter = Painter(scene, options, list(scene.steps(3, 4)))
    left, top, right, bottom = painter.caption_box
    caption = frame[top:bottom, left:right]
    background = np.array(THEMES["light"].background)
    assert (np.abs(caption.astype(int) - background).sum(axis=2) > 120).sum() > 500
    # The same header drawn with every Chinese character swapped for .notdef looks different.
    header = scene.steps(3, 4).__next__().caption[0]
    tofu_header = "".join("\U0010fffd" if ord(c) > 0x2E7F else c for c in header)
    assert "第" in header and not np.array_equal(render_line(header, 15), render_line(tofu_header, 15))


def caption_ink(lang: str, line: str) -> tuple[int, int, int, int]:
    """The box of the ink `line` leaves when drawn as a caption's sum line (the second) in `lang`."""
    scene = conv_scene(conv2d(GRID, KERNEL, padding=1), lang)
    painter = Painter(scene, RenderOptions(), list(scene.steps(0, 1)))
    image = Image.new("RGB", painter.size(), THEMES["light"].background)
    painter._caption(ImageDraw.Draw(image), ("", line))
    ink = np.abs(np.asarray(image).astype(int) - THEMES["light"].background).sum(axis=2) > 120
    rows, cols = np.nonzero(ink)
    return cols.min(), rows.min(), cols.max(), rows.max()


@pytest.mark.parametrize("line", ["4·1 + 6·0 + 1·(-1)", "+ 0.5·(-2) + 12·3"])
def test_a_chinese_caption_writes_its_products_as_narrow_as_an_english_one(line):
    # The CJK font's "·" is full-width: "4 · 1 + 6 · 0" would read as a list. Numbers and operators
    # are written in the built-in font in both languages, so the sum has the same width.
    english, chinese = caption_ink("en", line), caption_ink("zh-CN", line)
    assert abs((chinese[2] - chinese[0]) - (english[2] - english[0])) <= 1, (english, chinese)


def test_english_captions_keep_their_words():
    scene = conv_scene(conv2d(GRID, KERNEL, np.array([0.5]), padding=1))
    step = next(scene.steps(0, 1))
    assert step.caption[0] == "step 1 of 25: output[0, 0]"
    assert "(bias)" in step.caption[-1]


@pytest.mark.parametrize("path", ["/api/v1/conv2d/animation", "/api/v1/conv2d/backward/animation"])
def test_chinese_animation_differs_from_english_and_is_stable(client, path):
    body = CONV | {"still": 2}
    english = client.post(path, json=body)
    chinese = client.post(path, json=body | {"lang": "zh-CN"})
    again = client.post(path, json=body | {"lang": "zh-CN"})
    assert english.status_code == chinese.status_code == 200
    assert chinese.content == again.content and chinese.content != english.content


def test_pool_and_transpose_animations_take_a_language(client):
    pool = client.post("/api/v1/pool2d/animation", json={"input": GRID.tolist(), "kernel_size": 2, "lang": "zh-CN"})
    layer = {"input": [[1, 2], [3, 4]], "kernel": [[1, 1], [1, 1]], "lang": "zh-CN"}
    transpose = client.post("/api/v1/conv_transpose2d/animation", json=layer)
    assert pool.status_code == transpose.status_code == 200


@pytest.mark.parametrize("lang", ["fr", "zh", "ZH-cn", "", 1])
def test_unknown_language_is_a_422_naming_the_field_and_the_rule(client, lang):
    response = client.post("/api/v1/conv2d/animation", json=CONV | {"lang": lang})
    assert response.status_code == 422
    error = response.json()
    assert error["field"] == "lang"
    assert error["rule"] == "literal_error"
    assert "en" in error["detail"] and "zh-CN" in error["detail"]
