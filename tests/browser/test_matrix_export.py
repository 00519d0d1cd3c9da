"""The Matrix lab's "Download animation" in a real Chromium against a real server (issue 10, item 7).

A layer the lab shows always downloads; when a server's budget is too small for one file, the
lab says so in plain words, in English and 简体中文, and offers the steps that fit as a button.
"""

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.conftest import start_server, stop_server

CHANNELS = [[[(c * 7 + r * 5 + col * 3) % 11 - 5 for col in range(5)] for r in range(5)] for c in range(3)]
FILTERS = [
    [[[(f + c + r * 3 + col) % 5 - 2 for col in range(3)] for r in range(3)] for c in range(3)] for f in range(2)
]
STEPS = 2 * 5 * 5  # two filters over a 5×5 output (padding 1)
VIEWPORTS = ((390, 844), (1024, 768), (1280, 800))
SMALL_BUDGET = "2000000"  # pixels: far less than the 50 steps need, more than one step


def stack_query(channels: list) -> str:
    return "|".join(";".join(",".join(str(v) for v in row) for row in channel) for channel in channels)


QUERY = f"?input={stack_query(CHANNELS)}&kernel={'/'.join(stack_query(f) for f in FILTERS)}&padding=1"


def open_layer(page: Page, url: str) -> Page:
    page.goto(f"{url}/{QUERY}")
    expect(page.get_by_test_id("step-counter")).to_contain_text(str(STEPS))
    return page


def download(page: Page, click) -> tuple[str, Image.Image]:
    with page.expect_download(timeout=60_000) as waiting:
        click()
    saved = waiting.value
    image = Image.open(io.BytesIO(Path(saved.path()).read_bytes()))
    return saved.suggested_filename, image


@pytest.fixture(scope="module")
def small_server() -> Iterator[object]:
    server = start_server(env={"CONVSCOPE_MAX_ANIMATION_TOTAL_PIXELS": SMALL_BUDGET})
    yield server
    stop_server(server)


@pytest.fixture
def small_page(browser, small_server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == []


def test_three_channels_two_filters_with_padding_download_as_a_gif_that_decodes(watched_page, live_server):
    page = open_layer(watched_page.page, live_server.url)
    name, image = download(page, lambda: page.get_by_test_id("download").click())
    assert name == "convscope.gif"
    assert image.format == "GIF" and image.n_frames == STEPS
    image.seek(STEPS - 1)
    image.convert("RGB")  # the last frame decodes
    expect(page.get_by_test_id("notice")).to_contain_text("GIF downloaded")
    expect(page.get_by_test_id("export-message")).to_be_hidden()
    assert watched_page.console_errors == [] and watched_page.foreign_requests == []


def test_too_large_for_one_file_says_so_in_both_languages_and_offers_the_steps_that_fit(
    small_page, small_server, artifacts
):
    page = open_layer(small_page, small_server.url)
    note = page.get_by_test_id("export-message")
    expect(note).to_be_hidden()
    page.get_by_test_id("download").click()
    expect(note).to_be_visible()
    text = note.get_by_test_id("export-message-text")
    expect(text).to_contain_text(f"the layer has {STEPS} steps")
    offer = note.get_by_test_id("export-range")
    expect(offer).to_have_text(re.compile(r"^Download steps 1–\d+$"))
    fit = int(re.search(r"–(\d+)$", offer.inner_text()).group(1))
    assert 1 <= fit < STEPS
    assert "frame_limit" not in note.inner_text() and "cell_px" not in note.inner_text()  # words, not field names
    page.wait_for_timeout(7_000)  # longer than the status line lasts
    expect(note).to_be_visible()
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        note.scroll_into_view_if_needed()
        page.screenshot(path=artifacts / f"matrix-export-note-en-{width}.png")

    page.locator("[data-language-select]").select_option("zh-CN")
    expect(text).to_contain_text(f"这一层共有 {STEPS} 步")
    expect(offer).to_have_text(f"下载第 1–{fit} 步")
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        note.scroll_into_view_if_needed()
        page.screenshot(path=artifacts / f"matrix-export-note-zh-CN-{width}.png")

    name, image = download(page, lambda: offer.click())
    assert name == f"convscope-steps-1-{fit}.gif"
    assert image.n_frames == fit
    expect(text).to_contain_text(f"第 1–{fit} 步已下载。")
    expect(offer).to_have_text(re.compile(rf"^下载第 {fit + 1}–\d+ 步$"))
    note.get_by_test_id("export-dismiss").click()
    expect(note).to_be_hidden()


BROWSER_DECODE = """
async ({ path, body, type, frames }) => {
  const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body });
  const decoder = new ImageDecoder({ data: response.body, type, colorSpaceConversion: "none" });
  await decoder.tracks.ready;
  const sums = [];
  for (const frameIndex of frames) {
    const { image } = await decoder.decode({ frameIndex });
    const canvas = new OffscreenCanvas(image.displayWidth, image.displayHeight);
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    image.close();
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) {
      sum = (sum + data[i] * 3 + data[i + 1] * 5 + data[i + 2] * 7 + (i % 65521)) % 4294967291;
    }
    sums.push(sum);
  }
  return { count: decoder.tracks.selectedTrack.frameCount, sums };
}
"""


def checksum(frame: Image.Image) -> int:
    """The same sum as BROWSER_DECODE over a frame's RGB bytes (arbitrary precision, so no overflow)."""
    rgb = frame.convert("RGB").tobytes()
    total = 0
    for n in range(0, len(rgb), 3):
        total = (total + rgb[n] * 3 + rgb[n + 1] * 5 + rgb[n + 2] * 7 + (4 * (n // 3)) % 65521) % 4294967291
    return total


@pytest.mark.parametrize(("fmt", "media"), [("gif", "image/gif"), ("webp", "image/webp"), ("apng", "image/apng")])
def test_chromium_decodes_the_delta_frames_to_the_same_pictures_as_pillow(watched_page, live_server, fmt, media):
    page = open_layer(watched_page.page, live_server.url)
    body = {"input": CHANNELS, "kernel": FILTERS, "padding": 1, "format": fmt, "cell_px": 24}
    frames = [0, 1, STEPS // 2, STEPS - 2]
    seen = page.evaluate(
        BROWSER_DECODE,
        {"path": "/api/v1/conv2d/animation", "body": json.dumps(body), "type": media, "frames": frames},
    )
    data = httpx.post(f"{live_server.url}/api/v1/conv2d/animation", json=body, timeout=60).content
    image = Image.open(io.BytesIO(data))
    expected = []
    for index in frames:
        image.seek(index)
        expected.append(checksum(image))
    assert seen == {"count": STEPS, "sums": expected}


def test_a_chinese_page_asks_for_chinese_captions(watched_page, live_server):
    page = watched_page.page
    page.goto(f"{live_server.url}/{QUERY}&lang=zh-CN")
    expect(page.get_by_test_id("step-counter")).to_contain_text(str(STEPS))
    with page.expect_request(re.compile(r"/api/v1/conv2d/animation$")) as sent:
        _, image = download(page, lambda: page.get_by_test_id("download").click())
    body = json.loads(sent.value.post_data)
    assert body["lang"] == "zh-CN"
    drawn = httpx.post(f"{live_server.url}/api/v1/conv2d/animation", json=body, timeout=60).content
    english = httpx.post(f"{live_server.url}/api/v1/conv2d/animation", json=body | {"lang": "en"}, timeout=60).content
    assert image.n_frames == STEPS and drawn != english
