"""The Network lab in a real browser: presets, receptive field, FC = conv, transposed conv, both languages."""

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

LANGUAGES = ("en", "zh-CN")
SAMPLES = Path(__file__).resolve().parents[2] / "static" / "samples"
CIFAR = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
INPUT_PIXEL = (
    "([x, y]) => Array.from(document.querySelector('[data-input-canvas]')"
    ".getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3))"
)


def test_network_page_route(client):
    assert client.get("/network").status_code == 200


def _ready(page) -> None:
    page.wait_for_selector(".layer-card .layer-shape")
    page.wait_for_selector("[data-tr-agree]:not(:empty)")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tiny_cifar_lab(watched_page, live_server, artifacts, lang):
    page = watched_page.page
    page.goto(f"{live_server.url}/network?preset=tiny_cifar&lang={lang}")
    _ready(page)
    assert page.locator(".layer-card").count() == 10
    assert page.inner_text(".layer-card >> nth=7 >> .layer-shape") == "2048 → 64"
    total = page.inner_text("[data-total]")
    assert re.search(r"136,874", total), total
    # receptive field of a unit after the second pool: r = 10, jump 4, start 1.5 -> rows 9..18 for unit (3, 3)
    canvas = page.locator("canvas.fmap[data-layer='5'] >> nth=0")
    box = canvas.bounding_box()
    canvas.click(position={"x": box["width"] * 3.5 / 8, "y": box["height"] * 3.5 / 8})
    summary = page.inner_text("[data-rf-summary]")
    assert "9" in summary and "18" in summary and "10×10" in summary, summary
    assert page.locator("[data-rf-table] tr").count() == 6
    # FC = conv: the two columns hold the same numbers
    cells = page.locator(".fc-table tr >> nth=1 >> td").all_inner_texts()
    assert cells[1] == cells[2]
    assert page.locator("[data-testid=transpose-agree].ok").count() == 1
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / f"network-tiny-cifar-{lang}.png"), full_page=True)
    assert watched_page.console_errors == []
    assert watched_page.foreign_requests == []


def test_presets_and_shapes_only(watched_page, live_server, artifacts):
    page = watched_page.page
    page.goto(f"{live_server.url}/network?preset=vgg_block&lang=en")
    _ready(page)
    assert page.inner_text(".layer-card >> nth=4 >> .layer-shape") == "64×32×32 → 64×16×16"
    page.click("[data-preset=alexnet_first]")
    expect(page.locator(".layer-card .layer-shape").first).to_contain_text("227")
    assert page.inner_text(".layer-card >> nth=0 >> .layer-shape") == "3×227×227 → 96×55×55"
    assert "34,944" in page.inner_text("[data-total]")
    assert "preset=alexnet_first" in page.url
    page.screenshot(path=str(artifacts / "network-alexnet-en.png"), full_page=True)
    page.click("[data-preset=tiny_cifar_gap]")
    expect(page.locator("[data-total]")).to_contain_text("5,418")
    assert watched_page.console_errors == []
    assert watched_page.foreign_requests == []


def test_editing_a_layer_recomputes_and_errors_name_the_layer(watched_page, live_server):
    page = watched_page.page
    page.goto(f"{live_server.url}/network?preset=vgg_block&lang=en")
    _ready(page)
    kernel = page.locator(".layer-card >> nth=0 >> .layer-param input >> nth=1")
    kernel.fill("40")
    kernel.dispatch_event("change")
    page.wait_for_selector(".layer-card.has-error")
    assert "layers.0" in page.inner_text("[data-status]")
    kernel = page.locator(".layer-card >> nth=0 >> .layer-param input >> nth=1")
    kernel.fill("5")
    kernel.dispatch_event("change")
    expect(page.locator(".layer-card .layer-shape").first).to_contain_text("→ 64×30×30")
    assert "layers=" in page.url
    # The browser itself logs the refused request; the page adds no error of its own.
    assert [e for e in watched_page.console_errors if "status of 422" not in e] == []


def test_transposed_panel_steps_and_agrees(watched_page, live_server, artifacts):
    page = watched_page.page
    page.goto(f"{live_server.url}/network?lang=en#transpose")
    _ready(page)
    page.fill("[data-tr=padding]", "1")
    expect(page.locator("[data-tr-formula]")).to_contain_text("2×1")
    page.click("[data-tr-step=scatter][data-delta='1']")
    assert "Stamp 2 of 4" in page.inner_text("[data-tr-caption=scatter]")
    page.click("[data-tr-step=direct][data-delta='1']")
    assert "Window 2 of 9" in page.inner_text("[data-tr-caption=direct]")
    assert page.locator("[data-testid=transpose-agree].ok").count() == 1
    page.locator("[data-testid=transpose-panel]").screenshot(path=str(artifacts / "network-transpose-en.png"))
    assert watched_page.console_errors == []
    assert watched_page.foreign_requests == []


def _is_network_post(request) -> bool:
    return request.method == "POST" and request.url.endswith("/api/v1/network")


def _picture_png() -> bytes:
    """40×24: green side bands (outside the centred 24×24 square), blue square, red 12×12 in its middle."""
    image = Image.new("RGB", (40, 24), (0, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 0, 31, 23), fill=(0, 0, 255))
    draw.rectangle((14, 6, 25, 17), fill=(255, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_uploaded_picture_is_centre_cropped_and_run_like_a_sample(watched_page, live_server, artifacts):
    page = watched_page.page
    page.goto(f"{live_server.url}/network?preset=tiny_cifar&input=cifar_cat&lang=en")
    _ready(page)
    assert page.inner_text(".net-upload-button") == "Your picture…"
    page.wait_for_selector("canvas.fmap[data-layer='0'][data-painted]")  # maps are painted once near the screen
    first_map = page.eval_on_selector("canvas.fmap[data-layer='0']", "canvas => canvas.toDataURL()")
    with page.expect_request(_is_network_post) as sent:
        page.set_input_files(
            "[data-upload]", files=[{"name": "red.png", "mimeType": "image/png", "buffer": _picture_png()}]
        )
    x = np.array(json.loads(sent.value.post_data)["input"])
    assert x.shape == (3, 32, 32)
    # Centre crop: the green side bands are gone (squashing or letterboxing would keep or add other colours).
    assert x[1].max() == 0
    # The red square covers the middle half of the crop: rows/columns 8..23 after scaling 24 -> 32.
    assert (x[:, 10:22, 10:22] == np.array([1, 0, 0])[:, None, None]).all()
    assert (x[:, :6, :6] == np.array([0, 0, 1])[:, None, None]).all()
    page.wait_for_function("() => document.querySelector('[data-input-select]').value === 'upload'")
    page.wait_for_function(f"() => ({INPUT_PIXEL})([16, 16]).join() === '255,0,0'")
    assert page.evaluate(INPUT_PIXEL, [1, 1]) == [0, 0, 255]
    page.wait_for_selector("canvas.fmap[data-layer='0'][data-painted]")
    new_map = page.eval_on_selector("canvas.fmap[data-layer='0']", "canvas => canvas.toDataURL()")
    assert new_map != first_map
    assert page.inner_text(".layer-card >> nth=0 >> .layer-shape").startswith("3×32×32 → ")
    expect(page.locator("[data-upload-note]")).to_be_visible()
    assert "input=" not in page.url and "preset=tiny_cifar" in page.url
    page.locator("[data-testid=input-card]").screenshot(path=str(artifacts / "network-upload-en.png"))
    page.screenshot(path=str(artifacts / "network-upload-page-en.png"))
    assert watched_page.console_errors == []
    assert watched_page.foreign_requests == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_cifar_sample_is_offered_and_picking_one_changes_the_input(watched_page, live_server, lang):
    page = watched_page.page
    page.goto(f"{live_server.url}/network?preset=tiny_cifar&input=cifar_cat&lang={lang}")
    _ready(page)
    values = page.eval_on_selector_all(
        "[data-input-select] option:not([hidden])", "options => options.map(o => o.value)"
    )
    assert values == ["seeded", *(f"cifar_{name}" for name in CIFAR)]
    labels = page.eval_on_selector_all("[data-input-select] option", "options => options.map(o => o.textContent)")
    assert all(label and "." not in label for label in labels), labels
    cat = page.evaluate(INPUT_PIXEL, [16, 16])
    with page.expect_request(_is_network_post) as sent:
        page.select_option("[data-input-select]", "cifar_ship")
    ship = Image.open(SAMPLES / "cifar_ship.png").convert("RGB")
    expected = np.round(np.asarray(ship, dtype=float).transpose(2, 0, 1) / 255, 3)
    assert np.array_equal(np.array(json.loads(sent.value.post_data)["input"]), expected)
    page.wait_for_function(f"(cat) => ({INPUT_PIXEL})([16, 16]).join() !== cat.join()", arg=cat)
    assert "input=cifar_ship" in page.url
    expect(page.locator("[data-upload-note]")).to_be_hidden()
    assert watched_page.console_errors == []
    assert watched_page.foreign_requests == []


def test_tab_after_editing_a_field_stays_in_the_layer_card(watched_page, live_server):
    page = watched_page.page
    page.goto(f"{live_server.url}/network")
    page.wait_for_selector(".layer-card .layer-param input", timeout=15_000)
    field = page.locator(".layer-card .layer-param input").first
    card_index = field.evaluate("e => e.closest('.layer-card').dataset.index")
    field.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("8", delay=150)
    page.keyboard.press("Tab")
    expect(page.locator(f'.layer-card[data-index="{card_index}"] .layer-shape')).to_contain_text("8×", timeout=15_000)
    page.wait_for_timeout(300)
    where = page.evaluate("document.activeElement.closest('.layer-card')?.dataset.index")
    assert where == card_index
    assert page.evaluate("document.activeElement.tagName") == "INPUT"
    assert page.locator(".layer-card .layer-param input").first.input_value() == "8"
    assert watched_page.console_errors == []


def test_overview_strip_shows_every_layer_and_opens_its_card(watched_page, live_server, artifacts):
    page = watched_page.page
    page.goto(f"{live_server.url}/network")
    overview = page.get_by_test_id("overview")
    page.wait_for_selector(".layer-card", timeout=15_000)
    columns = overview.locator("button.ov-col")
    cards = page.locator(".layer-card")
    expect(columns).to_have_count(cards.count())
    for k in range(cards.count()):
        shape = cards.nth(k).locator(".layer-shape").inner_text()
        assert columns.nth(k).locator(".ov-shape").inner_text().replace(" ", "") in shape.replace(" ", "")
    assert columns.first.locator("canvas").count() >= 1
    columns.nth(3).click()
    expect(page.locator('.layer-card[data-index="3"]')).to_be_in_viewport(timeout=5_000)
    assert page.evaluate("document.activeElement.closest('.layer-card')?.dataset.index") == "3"
    overview.screenshot(path=artifacts / "network-overview.png")
    assert watched_page.console_errors == []


def test_layers_move_and_insert_where_the_error_says(watched_page, live_server):
    """The error says "move it before the flatten": the ↑ button does exactly that."""
    page = watched_page.page
    page.goto(f"{live_server.url}/network")
    page.wait_for_selector(".layer-card", timeout=15_000)
    cards = page.locator(".layer-card")
    count = cards.count()
    types = [cards.nth(k).get_attribute("data-type") for k in range(count)]
    flatten = types.index("flatten")
    page.locator("[data-add-type]").select_option("max_pool")
    insert = f"Insert a layer of the type chosen under the list after layer {flatten - 1}"
    cards.nth(flatten - 1).get_by_role("button", name=insert).click()
    expect(cards).to_have_count(count + 1, timeout=15_000)
    expect(cards.nth(flatten)).to_have_attribute("data-type", "max_pool")
    # Moving it down past the flatten breaks the net; moving it back up mends it.
    cards.nth(flatten).get_by_role("button", name=f"Move layer {flatten} down").click()
    status = page.locator("[data-status]")
    expect(status).to_contain_text("needs a C×H×W map", timeout=15_000)
    page.locator(f'.layer-card[data-index="{flatten + 1}"]').get_by_role("button", name="up").click()
    expect(status).not_to_contain_text("needs a C×H×W map", timeout=15_000)
    expect(cards.nth(flatten)).to_have_attribute("data-type", "max_pool")
    # Chromium reports the refused (422) request on the console; nothing else may appear there.
    assert all("status of 422" in message for message in watched_page.console_errors)


def test_alexnet_says_plainly_why_it_is_shapes_only(watched_page, live_server):
    page = watched_page.page
    page.goto(f"{live_server.url}/network")
    page.wait_for_selector(".layer-card", timeout=15_000)
    page.get_by_role("button", name="AlexNet first layer").click()
    status = page.locator("[data-status]")
    macs = 96 * 55 * 55 * 3 * 11 * 11  # nn.Conv2d(3, 96, 11, stride=4) on 3×227×227
    expect(status).to_contain_text(f"{round(macs / 1e6)} million multiply-adds", timeout=15_000)
    expect(status).to_contain_text("3×227×227")


DILATED_STACK = [
    {"type": "conv", "out_channels": 4, "kernel_size": 3, "stride": 2, "padding": 1, "dilation": 1, "groups": 1},
    {"type": "relu"},
    {"type": "conv", "out_channels": 4, "kernel_size": 3, "stride": 1, "padding": 3, "dilation": 3, "groups": 1},
]
OVERLAY_ALPHA = (
    "([x, y]) => document.querySelector('[data-rf-overlay]').getContext('2d').getImageData(x, y, 1, 1).data[3]"
)


def _drawn_cells(page, rows, cols) -> set[tuple[int, int]]:
    """The input cells the overlay leaves clear (alpha 0 at the cell's centre) inside the box rows × cols."""
    k = page.evaluate("() => { const o = document.querySelector('[data-rf-overlay]'); return o.width / 32; }")
    return {
        (r, c)
        for r in range(rows[0], rows[1] + 1)
        for c in range(cols[0], cols[1] + 1)
        if page.evaluate(OVERLAY_ALPHA, [int(c * k + k / 2), int(r * k + k / 2)]) == 0
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_dilated_layers_receptive_field_is_drawn_tap_by_tap(watched_page, live_server, artifacts, lang):
    """The drawn lattice equals the API's row_taps × col_taps; holes in the box stay shaded; the legend is there."""
    page = watched_page.page
    layers = json.dumps(DILATED_STACK, separators=(",", ":"))
    page.goto(f"{live_server.url}/network?preset=tiny_cifar&input=cifar_cat&lang={lang}&layers={layers}")
    _ready(page)
    assert page.locator(".layer-card").count() == 3
    # a unit of the dilated layer, picked with the keyboard: Enter on the map, then three right and four down
    page.locator("canvas.fmap[data-layer='2'] >> nth=0").focus()
    page.keyboard.press("Enter")
    for key in ["ArrowRight"] * 3 + ["ArrowDown"] * 4:
        page.keyboard.press(key)
    page.wait_for_function("() => document.querySelector('[data-rf-overlay]').dataset.taps !== ''")
    api = page.request.post(
        f"{live_server.url}/api/v1/receptive-field",
        data={"layers": DILATED_STACK, "input_shape": [3, 32, 32], "layer": 2, "unit": [4, 3]},
    ).json()
    assert api["row_taps"] != list(range(api["rows_in_input"][0], api["rows_in_input"][1] + 1)), "the field is sparse"
    drawn = json.loads(page.locator("[data-rf-overlay]").get_attribute("data-taps"))
    assert drawn == [api["row_taps"], api["col_taps"]]
    expected = {(r, c) for r in api["row_taps"] for c in api["col_taps"]}
    assert _drawn_cells(page, api["rows_in_input"], api["cols_in_input"]) == expected
    # outside the box stays dark
    row_below = api["rows_in_input"][1] + 1
    assert row_below >= 32 or not _drawn_cells(page, [row_below, row_below], [0, 31])
    legend = page.get_by_test_id("rf-legend")
    expect(legend).to_be_visible()
    words = {"en": "skipped", "zh-CN": "跳过"}[lang]
    expect(legend).to_contain_text(words)
    summary = page.inner_text("[data-rf-summary]")
    holes = (api["rows_in_input"][1] - api["rows_in_input"][0] + 1) * (
        api["cols_in_input"][1] - api["cols_in_input"][0] + 1
    ) - len(expected)
    assert str(len(expected)) in summary and str(holes) in summary, summary
    for width, height in ((390, 844), (1024, 768), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.locator("[data-testid=input-card]").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / f"network-rf-lattice-{lang}-{width}.png"))
    assert watched_page.console_errors == []
