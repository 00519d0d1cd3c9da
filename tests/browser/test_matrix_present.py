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
