"""Motion that links cause and effect: the window glides, a connector points at the output cell it
makes, and hovering an input cell shows every output cell that reads it. Measured in Chromium."""

import pytest
from playwright.sync_api import Page, expect

H = W = 5
K = 3


def open_lab(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_test_id("step-counter")).not_to_have_text("0 / 0")


def centre(box) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


@pytest.mark.parametrize("step", [1, 5, 9])
def test_the_connector_runs_from_the_window_to_its_output_cell(watched_page, live_server, step):
    page = watched_page.page
    open_lab(page, f"{live_server.url}/?step={step}")
    page.wait_for_timeout(300)  # let the glide finish
    i, j = divmod(step - 1, W - K + 1)
    cell = page.locator(f"[data-testid=output-grid] .cell[data-r='{i}'][data-c='{j}']").bounding_box()
    span = page.locator("[data-testid=input-grid] .window-span").bounding_box()
    line = page.locator(".connector").bounding_box()
    cx, cy = centre(cell)
    start = (span["x"] + span["width"] - 5, span["y"] + span["height"] / 2)  # the span's frame sits 5 px out
    corners = [(x, y) for x in (line["x"], line["x"] + line["width"]) for y in (line["y"], line["y"] + line["height"])]
    near = lambda p, q: abs(p[0] - q[0]) <= 4 and abs(p[1] - q[1]) <= 4  # noqa: E731
    assert any(near((cx, cy), c) for c in corners), "the connector does not end on the output cell"
    assert any(near(start, c) for c in corners), "the connector does not start at the window"
    assert page.locator(".connector").evaluate("e => getComputedStyle(e).opacity") == "1"


def test_marks_glide_unless_the_system_asks_for_less_motion(browser, live_server):
    for motion, expected in (("no-preference", "0.18s"), ("reduce", "0s")):
        context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion=motion)
        try:
            page = context.new_page()
            open_lab(page, live_server.url)
            for mark in (".window-mark", ".current-mark", ".connector"):
                duration = page.locator(mark).first.evaluate("e => getComputedStyle(e).transitionDuration")
                assert duration == expected, (motion, mark, duration)
            assert (
                page.locator(".window-mark").first.evaluate("e => getComputedStyle(e).transitionProperty")
                in (
                    "transform",
                    "all",
                )
                or motion == "reduce"
            )
        finally:
            context.close()


@pytest.mark.parametrize(("r", "c"), [(0, 0), (2, 2), (1, 4), (4, 3)])
def test_hovering_an_input_cell_outlines_every_output_cell_that_reads_it(watched_page, live_server, r, c):
    page = watched_page.page
    open_lab(page, live_server.url)
    page.locator(f"[data-testid=input-grid] .cell[data-r='{r}'][data-c='{c}']").hover()
    readers = {(i, j) for i in range(H - K + 1) for j in range(W - K + 1) if i <= r < i + K and j <= c < j + K}
    marked = page.locator("[data-testid=output-grid] .cell.reader")
    expect(marked).to_have_count(len(readers))
    got = {(int(e.get_attribute("data-r")), int(e.get_attribute("data-c"))) for e in marked.all()}
    assert got == readers
    page.mouse.move(5, 5)
    expect(marked).to_have_count(0)


def test_pointing_at_a_product_term_lights_its_input_tap_and_weight(watched_page, live_server):
    page = watched_page.page
    open_lab(page, f"{live_server.url}/?step=5")  # output[0][1][1]: the window starts at row 1, column 1
    terms = page.locator("[data-testid=arithmetic] .term")
    expect(terms).to_have_count(K * K)
    for k in (0, 4, 8):
        a, b = divmod(k, K)
        terms.nth(k).hover()
        expect(page.locator("[data-testid=input-grid] .cell.term-hot")).to_have_count(1)
        hot_input = page.locator("[data-testid=input-grid] .cell.term-hot")
        assert (hot_input.get_attribute("data-r"), hot_input.get_attribute("data-c")) == (str(1 + a), str(1 + b))
        hot_weight = page.locator("[data-testid=kernel-grid] .cell.term-hot")
        expect(hot_weight).to_have_count(1)
        assert (hot_weight.get_attribute("data-r"), hot_weight.get_attribute("data-c")) == (str(a), str(b))
    page.mouse.move(5, 5)
    expect(page.locator(".cell.term-hot")).to_have_count(0)
