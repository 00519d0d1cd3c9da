"""One step, one screen: the Matrix lab at a laptop's and a projector's size, in English and 简体中文.

Each test measures the page in Chromium (bounding boxes, computed colours) and saves a screenshot
under tests/artifacts/ for a person to look at.
"""

import re

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.reference import pool2d

DEFAULT_INPUT = [[3, 1, 0, 2, 5], [4, 6, 1, 0, 2], [2, 1, 7, 3, 1], [0, 2, 4, 8, 6], [1, 5, 2, 3, 9]]
RGB = re.compile(r"rgba?\((\d+), (\d+), (\d+)")


def rgb(text: str) -> tuple[int, int, int]:
    match = RGB.match(text)
    assert match, text
    return tuple(int(v) for v in match.groups())


def matrix_query(m) -> str:
    return ";".join(",".join(str(v) for v in row) for row in m)


def open_lab(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_test_id("step-counter")).not_to_have_text("0 / 0")
    page.wait_for_timeout(200)


def bottom(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    return box["y"] + box["height"]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("query", ["", "?predict=1", "?mode=pool", "?mode=pool&pool=avg"])
def test_one_step_fits_one_laptop_screen(watched_page, live_server, artifacts, lang, query):
    page = watched_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    sep = "&" if query else "?"
    open_lab(page, f"{live_server.url}/{query}{sep}lang={lang}")
    for part in (".controls", ".stage", "[data-testid=arithmetic]", ".player"):
        assert bottom(page, part) <= 800, f"{part} is below the fold"
    assert page.locator(".controls").bounding_box()["height"] < 110, "the settings take more than one row"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    name = re.sub(r"[^a-z]+", "-", query.lower()).strip("-") or "default"
    page.screenshot(path=artifacts / f"matrix-fit-{name}-{lang}-1280x800.png")
    assert watched_page.console_errors == []


def test_pooling_writes_its_operation_in_the_middle_of_the_stage(watched_page, live_server):
    page = watched_page.page
    open_lab(page, f"{live_server.url}/?mode=pool&step=2")
    window = [DEFAULT_INPUT[r][c] for r in range(2) for c in range(2, 4)]
    expected = pool2d(np.array([DEFAULT_INPUT], float), "max", (2, 2), (2, 2), (0, 0))[0, 0, 1]
    expect(page.get_by_test_id("pool-op")).to_have_text(f"max({', '.join(map(str, window))}) = {expected:g}")
    page.get_by_test_id("mode-conv").click()
    expect(page.get_by_test_id("pool-op")).to_be_hidden()
    page.goto(f"{live_server.url}/?mode=pool&pool=avg")
    first = [DEFAULT_INPUT[r][c] for r in range(2) for c in range(2)]
    mean = pool2d(np.array([DEFAULT_INPUT], float), "avg", (2, 2), (2, 2), (0, 0))[0, 0, 0]
    expect(page.get_by_test_id("pool-op")).to_have_text(f"({' + '.join(map(str, first))}) ÷ 4 = {mean:g}")


def test_kernel_and_output_cells_are_tinted_by_sign_with_a_legend(watched_page, live_server):
    page = watched_page.page
    open_lab(page, f"{live_server.url}/?show_all=1")
    kernel = page.locator("[data-testid=kernel-grid] .cell")
    background = "e => getComputedStyle(e).backgroundColor"
    positive, zero, negative = (rgb(kernel.nth(k).evaluate(background)) for k in (0, 1, 2))
    assert positive[0] > positive[2] + 60, "a positive weight is orange"
    assert negative[2] > negative[0] + 60, "a negative weight is blue"
    assert min(zero) > 235, "zero is white"
    expect(page.get_by_test_id("kernel-legend")).to_be_visible()
    expect(page.get_by_test_id("output-legend")).to_be_visible()
    expect(page.get_by_test_id("output-legend")).to_contain_text("0")
    # The window, its taps and its output cell share one accent.
    colours = page.evaluate(
        """() => [".window-span", ".tap-mark", ".current-mark"].map(
            (s) => getComputedStyle(document.querySelector(s)).borderTopColor)"""
    )
    assert len(set(colours)) == 1, colours


def test_three_channels_and_two_filters_fit_one_laptop_screen(watched_page, live_server, artifacts):
    page = watched_page.page
    rng = np.random.default_rng(3)
    x = "|".join(matrix_query(rng.integers(0, 9, (5, 5))) for _ in range(3))
    k = "/".join("|".join(matrix_query(rng.integers(-1, 2, (3, 3))) for _ in range(3)) for _ in range(2))
    for lang in ("en", "zh-CN"):
        open_lab(page, f"{live_server.url}/?input={x}&kernel={k}&padding=1&lang={lang}")
        expect(page.get_by_test_id("step-counter")).to_have_text("1 / 50")
        for part in (".stage", "[data-testid=arithmetic]", ".player"):
            assert bottom(page, part) <= 800, f"{part} is below the fold ({lang})"
        boxes = [page.locator("[data-testid=input-grid] .matrix.input").nth(c).bounding_box() for c in range(3)]
        assert boxes[0]["y"] == pytest.approx(boxes[2]["y"], abs=2), "channels sit side by side"
        page.screenshot(path=artifacts / f"matrix-fit-3x2-{lang}-1280x800.png")
    assert watched_page.console_errors == []


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_present_mode_hides_the_settings_and_enlarges_the_cells_at_1024x768(watched_page, live_server, artifacts, lang):
    page = watched_page.page
    page.set_viewport_size({"width": 1024, "height": 768})
    open_lab(page, f"{live_server.url}/?lang={lang}")
    before = page.locator("[data-testid=input-grid] .cell").first.bounding_box()["width"]
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("p")
    expect(page.get_by_test_id("present-mode")).to_have_attribute("aria-pressed", "true")
    expect(page).to_have_url(re.compile(r"present=1"))
    expect(page.locator(".controls")).to_be_hidden()
    page.wait_for_timeout(200)
    after = page.locator("[data-testid=input-grid] .cell").first.bounding_box()["width"]
    assert after > before, (before, after)
    for part in (".stage", "[data-testid=arithmetic]", ".player"):
        assert bottom(page, part) <= 768, f"{part} is below the fold"
    page.screenshot(path=artifacts / f"matrix-present-{lang}-1024x768.png")
    page.reload()
    expect(page.locator(".controls")).to_be_hidden()
    assert watched_page.console_errors == []
