"""Present mode on a projector: one screen at 1024×768 and 1280×720, in a high-contrast light and a dark theme.

Each case opens the Matrix lab with `present=1` in real Chromium, measures that the stage, the
arithmetic and the player end above the screen's bottom with no sideways scroll, runs axe-core's
colour-contrast check, and saves a screenshot under tests/artifacts/ for a person to look at.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_stability_and_contrast import AXE

CHANNELS = [[[(c * 7 + r * 5 + k * 3) % 11 - 5 for k in range(5)] for r in range(5)] for c in range(3)]
FILTERS = [[[[(f + c + r * 3 + k) % 5 - 2 for k in range(3)] for r in range(3)] for c in range(3)] for f in range(2)]


def stack(maps: list) -> str:
    return "|".join(";".join(",".join(str(v) for v in row) for row in m) for m in maps)


EXAMPLES = {
    "default_example": "",
    "three_channels_two_filters": f"input={stack(CHANNELS)}&kernel={'/'.join(stack(f) for f in FILTERS)}&padding=1",
}
PROJECTORS = [(1024, 768), (1280, 720)]
THEMES = ["light", "dark"]
LANGUAGES = ["en", "zh-CN"]


@pytest.fixture
def open_page(browser) -> Iterator:
    contexts = []

    def opener(url: str, size: tuple[int, int], **options) -> Page:
        context = browser.new_context(viewport={"width": size[0], "height": size[1]}, bypass_csp=True, **options)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.errors = errors
        page.goto(url)
        expect(page.get_by_test_id("step-counter")).not_to_have_text("0 / 0")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)  # the window glides into place
        return page

    yield opener
    for context in contexts:
        context.close()


def bottom(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    return box["y"] + box["height"]


def contrast_failures(page: Page) -> list:
    page.evaluate(AXE)
    result = page.evaluate(
        "async () => (await axe.run(document, { runOnly: ['color-contrast'], resultTypes: ['violations'] })).violations"
    )
    return [n["target"] for v in result for n in v["nodes"]]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", PROJECTORS, ids=[f"{w}x{h}" for w, h in PROJECTORS])
@pytest.mark.parametrize("example", EXAMPLES)
def test_present_mode_fits_one_projector_screen_with_readable_colours(
    open_page, live_server, artifacts, example, size, theme
):
    for lang in LANGUAGES:
        url = f"{live_server.url}/?{EXAMPLES[example]}&present=1&theme={theme}&step=5&lang={lang}"
        page = open_page(url, size)
        assert page.evaluate("document.documentElement.dataset.theme") == theme
        for part in (".stage", "[data-testid=arithmetic]", ".player"):
            assert bottom(page, part) <= size[1], f"{part} is below the fold ({lang})"
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
        page.screenshot(path=artifacts / f"matrix-present-{example}-{theme}-{lang}-{size[0]}x{size[1]}.png")
        assert contrast_failures(page) == [], lang
        assert page.errors == []


def test_the_dark_theme_really_is_dark_and_the_light_one_high_contrast(open_page, live_server):
    colours = {}
    for theme in THEMES:
        page = open_page(f"{live_server.url}/?present=1&theme={theme}", (1024, 768))
        colours[theme] = page.evaluate(
            """() => [document.body, document.querySelector('.stage')].map((e) => getComputedStyle(e).backgroundColor)
                 .concat(getComputedStyle(document.querySelector('.arith-body')).color)"""
        )
    assert colours["dark"] == ["rgb(0, 0, 0)", "rgb(20, 20, 20)", "rgb(244, 244, 244)"]
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(255, 255, 255)", "rgb(0, 0, 0)"]


def test_present_mode_follows_the_system_colour_scheme_until_the_switch_is_pressed(open_page, live_server):
    page = open_page(f"{live_server.url}/?present=1", (1280, 720), color_scheme="dark")
    root = page.locator("html")
    expect(root).to_have_attribute("data-theme", "dark")
    switch = page.get_by_test_id("present-theme")
    expect(switch).to_have_attribute("aria-pressed", "true")
    switch.click()
    expect(root).to_have_attribute("data-theme", "light")
    expect(switch).to_have_attribute("aria-pressed", "false")
    page.wait_for_function("location.search.includes('theme=light')")
    page.keyboard.press("p")  # leaving present mode leaves the page's usual colours
    expect(root).not_to_have_attribute("data-theme", "light")
    expect(switch).to_be_hidden()


def test_no_transitions_when_the_system_asks_for_less_motion(open_page, live_server):
    page = open_page(f"{live_server.url}/?present=1&step=3", (1280, 720), reduced_motion="reduce")
    durations = page.evaluate(
        """() => [...document.querySelectorAll('.mark, .connector, button, .cell')]
                 .map((e) => getComputedStyle(e).transitionDuration)"""
    )
    assert durations and set(", ".join(durations).split(", ")) == {"0s"}


# The connector: its end (the line's far point, from its rendered transform) on the current output
# cell's box, as painted: two animation frames first (a layout change is answered before its paint),
# then transitions finished, so the line is where it comes to rest.
CONNECTOR_END = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  for (const animation of document.getAnimations()) animation.finish();
  const stage = document.querySelector('.stage');
  const line = document.querySelector('.connector');
  const origin = stage.getBoundingClientRect();
  const end = new DOMMatrix(getComputedStyle(line).transform).transformPoint(new DOMPoint(1, 0));
  const cell = [...document.querySelectorAll('.current-mark')].find((m) => getComputedStyle(m).opacity === '1');
  const box = cell.getBoundingClientRect();
  const input = document.querySelector('.panel-input').getBoundingClientRect();
  const output = document.querySelector('.panel-output').getBoundingClientRect();
  return {
    x: origin.left + stage.clientLeft + end.x, y: origin.top + stage.clientTop + end.y,
    shown: getComputedStyle(line).opacity === '1',
    cell: {left: box.left, top: box.top, right: box.right, bottom: box.bottom},
    wrapped: output.top >= input.bottom,
    step: document.querySelector('[data-testid=step-counter]').textContent,
  };
}"""
SEVEN_CHANNELS = [[[(c * 7 + r * 5 + k * 3) % 11 - 5 for k in range(7)] for r in range(7)] for c in range(3)]
WRAPPING = {
    # 3 channels of 7×7 padded by 1: the output cannot stay beside the kernel at 1024 px and wraps below.
    "output_wraps_below": f"input={stack(SEVEN_CHANNELS)}&kernel={'/'.join(stack(f) for f in FILTERS)}&padding=1",
    "output_beside": EXAMPLES["three_channels_two_filters"],
}


def assert_connector_ends_on_the_current_cell(page: Page, when: str) -> dict:
    m = page.evaluate(CONNECTOR_END)
    cell = m["cell"]
    assert m["shown"], when
    assert cell["left"] - 1 <= m["x"] <= cell["right"] + 1 and cell["top"] - 1 <= m["y"] <= cell["bottom"] + 1, (
        f"{when} (step {m['step']}): the connector ends at ({m['x']:.0f}, {m['y']:.0f}), the output cell is {cell}"
    )
    return m


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example", WRAPPING)
def test_the_connector_ends_on_the_current_output_cell_at_every_step(open_page, live_server, example, lang):
    page = open_page(f"{live_server.url}/?{WRAPPING[example]}&present=1&step=40&lang={lang}", (1024, 768))
    first = assert_connector_ends_on_the_current_cell(page, "at load")
    assert first["wrapped"] == (example == "output_wraps_below")
    for step in range(4):
        page.get_by_test_id("step-forward").click()
        assert_connector_ends_on_the_current_cell(page, f"after Next ×{step + 1}")
    page.keyboard.press("End")
    assert_connector_ends_on_the_current_cell(page, "at the last step")
    for size in [(1280, 720), (1024, 768), (1100, 700)]:
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.wait_for_timeout(300)
        assert_connector_ends_on_the_current_cell(page, f"resized to {size[0]}×{size[1]}")
        page.keyboard.press("ArrowLeft")
        assert_connector_ends_on_the_current_cell(page, f"a step back at {size[0]}×{size[1]}")
    assert page.errors == []


@pytest.mark.parametrize("example", WRAPPING)
def test_the_connector_follows_predict_hiding_and_revealing_each_step(open_page, live_server, example):
    # A hidden step has no Σ lines under the channels; revealing it adds them and moves a wrapped output down.
    page = open_page(f"{live_server.url}/?{WRAPPING[example]}&present=1&predict=1", (1024, 768))
    for step in range(3):
        assert_connector_ends_on_the_current_cell(page, f"step {step + 1} hidden")
        page.get_by_test_id("predict-reveal").click()
        assert_connector_ends_on_the_current_cell(page, f"step {step + 1} revealed")
        page.get_by_test_id("predict-next").click()
    assert page.errors == []
