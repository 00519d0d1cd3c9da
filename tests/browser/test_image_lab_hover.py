"""The Image lab's hover at 512×512 RGB with eight filters, where the answer lists no numbers: the page asks the
server for the hovered window, and what it shows is the truth.

The truth is computed here, by the definition (numpy on the picture as Pillow decodes it: 512 px is not
resized), and tied to the map the API sends (the map's level at that cell). The pointer is a real mouse
move; the keys are real key presses on the focused map.
"""

import base64
import io
import json
import re

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.support.image_lab import PRESETS, open_lab_at_512, photo_like

PRESET_VALUES: dict = {}  # name -> 3×3, read once from GET /api/v1/kernels
READOUT = re.compile(r"Filter (\d+), row (\d+), column (\d+): (\S+)")


def number(text: str) -> float:
    return float(text.replace("−", "-"))


@pytest.fixture(scope="module")
def photo() -> tuple[bytes, np.ndarray]:
    data = photo_like()
    pixels = np.moveaxis(np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=float), 2, 0)
    return data, np.pad(pixels, ((0, 0), (1, 1), (1, 1)))  # the lab at 512 uses padding 1, zeros


def kernel_of(page: Page, name: str) -> np.ndarray:
    if not PRESET_VALUES:
        for preset in page.request.get(page.url.split("/images")[0] + "/api/v1/kernels").json():
            PRESET_VALUES[preset["name"]] = np.array(preset["values"], dtype=float)
    return PRESET_VALUES[name]


def truth(padded: np.ndarray, kernel: np.ndarray, i: int, j: int) -> tuple[np.ndarray, list[float], float]:
    window = padded[:, i : i + 3, j : j + 3]
    sums = [float(np.sum(window[c] * kernel)) for c in range(3)]
    return window, sums, sum(sums)


def map_level(page: Page, data: bytes, preset: str, i: int, j: int) -> tuple[int, float]:
    """The API's own map of that filter (maps=levels): its level at (i, j) and its range."""
    form = {"color": "rgb", "max_side": "512", "kernel_preset": preset, "maps": "levels"}
    form["params"] = json.dumps({"padding": 1})
    response = page.request.post(
        page.url.split("/images")[0] + "/api/v1/images/conv2d",
        multipart=form | {"image": {"name": "p.png", "mimeType": "image/png", "buffer": data}},
    )
    feature = response.json()["filters"][0]["map"]
    levels = np.asarray(Image.open(io.BytesIO(base64.b64decode(feature["levels"].split(",", 1)[1]))))
    return int(levels[i, j]), feature["range"]


def read_screen(page: Page) -> tuple[int, int, int, float, list[list[float]], str]:
    """The readout's filter, row, column and value, and the magnifier's cells as [pixel, weight, product]."""
    text = page.get_by_test_id("readout").inner_text()
    f, i, j, value = READOUT.search(text).groups()
    cells = [
        [number(part) for part in cell.replace("×", " ").replace("=", " ").split()]
        for cell in page.get_by_test_id("hover-window").locator("td").all_inner_texts()
    ]
    return int(f) - 1, int(i), int(j), number(value), cells, text


def assert_truthful(page: Page, padded: np.ndarray, data: bytes) -> tuple[int, int, int]:
    f, i, j, value, cells, text = read_screen(page)
    kernel = kernel_of(page, PRESETS[f])
    window, sums, total = truth(padded, kernel, i, j)
    assert value == pytest.approx(total, abs=5e-4), text
    for name, s in zip("RGB", sums):
        assert f"{name}: Σ(window × kernel) = {s:g}".replace("-", "−") in text
    expected = [[p, w, p * w] for c in range(3) for p, w in zip(window[c].ravel(), kernel.ravel())]
    assert cells == [pytest.approx(row, abs=5e-4) for row in expected]
    level, scale = map_level(page, data, PRESETS[f], i, j)
    assert abs(level - (total / scale * 127 + 127)) <= 1  # the very map on screen has this value there
    return f, i, j


def hover_map(page: Page, index: int, i: int, j: int) -> None:
    target = page.get_by_test_id("feature-map").nth(index)
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    page.mouse.move(box["x"] + (j + 0.5) * box["width"] / 512, box["y"] + (i + 0.5) * box["height"] / 512)


def slide_magnifier_is_truthful(page: Page, padded: np.ndarray) -> None:
    """The sliding-window demo's magnifier (filter 1 at the slide's position) asks for its window the same way."""
    for _ in range(3):
        page.get_by_role("button", name="Step").click()
    counter = page.locator("[data-slide-counter]").inner_text()
    position = int(re.search(r"position (\d+) /", counter).group(1))
    i, j = divmod(position, 512)
    magnifier = page.get_by_test_id("magnifier")
    expect(magnifier.locator("td")).to_have_count(27, timeout=10_000)
    _, sums, total = truth(padded, kernel_of(page, PRESETS[0]), i, j)
    expect(magnifier).to_contain_text(f"Σ + bias = {total:g}".replace("-", "−"))
    for name, value in zip("RGB", sums):
        expect(magnifier).to_contain_text(f"{name} under the window: {value:g}".replace("-", "−"))


COUNT_IN_FLIGHT = """(() => {
  // The page's window requests still wanted at once: a request counts from fetch() until it settles or is aborted.
  const fetch = window.fetch;
  let open = 0;
  window.__mostInFlight = 0;
  window.fetch = (input, init) => {
    if (!String(input).endsWith("/conv2d/window")) return fetch(input, init);
    let done = false;
    const close = () => { if (!done) { done = true; open -= 1; } };
    open += 1;
    window.__mostInFlight = Math.max(window.__mostInFlight, open);
    init?.signal?.addEventListener("abort", close);
    return fetch(input, init).finally(close);
  };
})();"""

WATCH_PANEL = """() => {
  const panel = document.querySelector("[data-hover-window]");
  window.__emptied = 0;
  new MutationObserver(() => { if (panel.childElementCount === 0) window.__emptied += 1; })
    .observe(panel, { childList: true });
}"""


def test_at_512_px_the_hover_fetches_the_window_and_its_numbers_are_the_maps(
    watched_page, live_server, tmp_path, photo
):
    data, padded = photo
    picture = tmp_path / "photo.png"
    picture.write_bytes(data)
    page = watched_page.page
    page.add_init_script(COUNT_IN_FLIGHT)
    open_lab_at_512(page, live_server.url, picture)
    requests = []
    page.on("request", lambda request: request.url.endswith("/conv2d/window") and requests.append(request))
    readout = page.get_by_test_id("readout")
    panel = page.get_by_test_id("hover-window")

    hover_map(page, 2, 0, 0)  # laplacian at the top-left corner: the window reads the zero padding
    expect(readout).to_contain_text(re.compile(r"Filter 3, row [01], column [01]: [^…]"), timeout=10_000)
    expect(panel.locator("td")).to_have_count(27)
    f, i, j = assert_truthful(page, padded, data)
    assert (f, i, j) == (2, 0, 0) or max(i, j) <= 1

    page.evaluate(WATCH_PANEL)
    for step in range(12):  # a sweep across the sobel x map: box moves, numbers follow, the panel never empties
        hover_map(page, 0, 200 + 3 * step, 150 + 5 * step)
    expect(readout).not_to_contain_text("…", timeout=10_000)
    expect(readout).to_contain_text("Filter 1, row")
    f, i, j = assert_truthful(page, padded, data)
    assert f == 0 and abs(i - 233) <= 3 and abs(j - 205) <= 3  # a CSS pixel of the map spans 2.56 cells
    assert page.evaluate("() => window.__emptied") == 0
    assert page.evaluate("() => window.__mostInFlight") == 1  # one at a time: the stale ones aborted or never sent

    page.get_by_test_id("feature-map").nth(0).focus()
    for key in ("ArrowRight", "ArrowRight", "ArrowDown"):
        page.keyboard.press(key)
    expect(readout).to_contain_text(f"Filter 1, row {i + 1}, column {j + 2}: ", timeout=10_000)
    expect(readout).not_to_contain_text("…", timeout=10_000)
    assert assert_truthful(page, padded, data) == (0, i + 1, j + 2)
    assert page.evaluate("() => window.__emptied") == 0

    page.keyboard.press("ArrowLeft")
    expect(readout).to_contain_text(f"Filter 1, row {i + 1}, column {j + 1}: ", timeout=10_000)
    expect(readout).not_to_contain_text("…", timeout=10_000)
    asked = len(requests)
    page.keyboard.press("ArrowRight")  # shown before: from the cache, without asking again
    expect(readout).to_contain_text(f"Filter 1, row {i + 1}, column {j + 2}: ")
    assert "…" not in readout.inner_text()
    assert assert_truthful(page, padded, data) == (0, i + 1, j + 2)
    page.wait_for_timeout(300)
    assert len(requests) == asked

    slide_magnifier_is_truthful(page, padded)

    box = page.locator("[data-hover-box]").bounding_box()
    assert box["width"] >= 12 and box["height"] >= 12  # a 3×3 window on 512 px, drawn 200 px wide, still seen
    assert watched_page.console_errors == []
    assert watched_page.foreign_requests == []


NUMPY_MODE = {"circular": "wrap", "reflect": "reflect", "replicate": "edge"}


@pytest.mark.parametrize("mode", list(NUMPY_MODE))
def test_padding_modes_send_the_rows_they_copy_and_the_numbers_match_numpy(watched_page, live_server, mode):
    """300×300 RGB with padding 2 lists no numbers (3×304×304 > 200,000): at the corners the window reads
    copied cells (the far side of the picture, for circular), which the page must send in its crop."""
    data = photo_like(300)
    pixels = np.moveaxis(np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=float), 2, 0)
    padded = np.pad(pixels, ((0, 0), (2, 2), (2, 2)), mode=NUMPY_MODE[mode])
    page = watched_page.page
    page.goto(f"{live_server.url}/images?lang=en&color=rgb&max_side=512&padding=2&padding_mode={mode}")
    expect(page.get_by_test_id("feature-map")).to_have_count(4, timeout=15_000)
    upload = {"name": "p.png", "mimeType": "image/png", "buffer": data}
    page.get_by_test_id("file-input").set_input_files(files=[upload])
    expect(page.get_by_text("upload: 300×300 px, PNG, computed.")).to_be_visible(timeout=15_000)
    readout = page.get_by_test_id("readout")
    asked = []
    page.on("request", lambda request: request.url.endswith("/conv2d/window") and asked.append(request.post_data))
    for i, j in [(0, 0), (301, 301), (0, 301)]:
        target = page.get_by_test_id("feature-map").first
        target.scroll_into_view_if_needed()
        box = target.bounding_box()
        x = box["x"] + min(max((j + 0.5) * box["width"] / 302, 0.5), box["width"] - 0.5)
        y = box["y"] + min(max((i + 0.5) * box["height"] / 302, 0.5), box["height"] - 0.5)
        page.mouse.move(x, y)
        expect(readout).to_contain_text(re.compile(r"Filter 1, row \d+, column \d+: [^…]"), timeout=10_000)
        _, row, col, value, cells, text = read_screen(page)
        assert abs(row - i) <= 2 and abs(col - j) <= 2, text
        window, _, total = truth(padded, kernel_of(page, "sobel_x"), row, col)
        assert value == pytest.approx(total, abs=5e-4), text
        assert [c[0] for c in cells] == window.ravel().tolist()
    assert asked and all('"crop"' in body for body in asked)  # the numbers came from the window endpoint
    assert watched_page.console_errors == []


PHONES = [(390, 844), (360, 740)]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("size", PHONES, ids=[f"{w}x{h}" for w, h in PHONES])
def test_on_a_phone_a_tap_docks_the_numbers_below_the_whole_map_in_less_than_half_the_screen(
    browser, live_server, artifacts, size, lang
):
    """A finger on a map: the map stays whole above the docked numbers, which take at most 42% of the height
    (half on a laptop) and, on a 390×844 phone, show a grey window's readout, table and sum without
    scrolling inside the dock."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/images?lang={lang}")
    target = page.get_by_test_id("feature-map").first
    target.wait_for()
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    target.tap(position={"x": box["width"] / 2, "y": box["height"] / 2})
    expect(page.get_by_test_id("hover-window").locator("td").first).to_be_visible()
    page.wait_for_timeout(400)  # the dock settles, the page scrolls the map clear of it
    dock = page.get_by_test_id("hover-dock")
    dock_box, map_box = dock.bounding_box(), target.bounding_box()
    assert dock_box["height"] <= 0.42 * size[1] + 1
    assert map_box["y"] >= 0 and map_box["y"] + map_box["height"] <= dock_box["y"] + 1
    if size == (390, 844):
        assert dock.evaluate("d => d.scrollHeight <= d.clientHeight + 1")  # nothing hidden inside the dock
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    page.screenshot(path=artifacts / f"image-lab-phone-hover-{lang}-{size[0]}x{size[1]}.png")
    context.close()
