"""The Matrix lab on a phone, used with a thumb: the window and the output cell it makes stay on screen.

Real Chromium with a touch screen (390×844, also 360×740 and a 768×1024 tablet) against a real
server. Each step is taken as a student takes it (tapping Next, dragging the scrubber, the arrow
keys, Play); then the page is measured: the window's frame and the current output cell inside the
screen and above the docked sums and player, nothing wider than the screen, the player's buttons
big enough for a finger.
"""

import re
from itertools import pairwise

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.reference import conv2d

DEFAULT_INPUT = [[3, 1, 0, 2, 5], [4, 6, 1, 0, 2], [2, 1, 7, 3, 1], [0, 2, 4, 8, 6], [1, 5, 2, 3, 9]]
DEFAULT_KERNEL = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]
SEVEN = [[(r * 7 + c) % 10 for c in range(7)] for r in range(7)]
EXAMPLES = {
    "default": "",
    "7x7-padding-1": "input=" + ";".join(",".join(map(str, row)) for row in SEVEN) + "&padding=1",
}
LANGUAGES = ["en", "zh-CN"]
PHONES = [(390, 844), (360, 740)]
TOUCH_PX = 44
STEPS_TAKEN = 4

# The boxes a student must see at once: the window's dashed frame and the current output cell
# (the visible marks: opacity 1), the player, the document's width.
MEASURE = """() => {
  const box = (el) => {
    const b = el.getBoundingClientRect();
    return {left: b.left, top: b.top, right: b.right, bottom: b.bottom};
  };
  const visible = (el) => getComputedStyle(el.closest('.mark') || el).opacity === '1';
  const shown = (sel) => [...document.querySelectorAll(sel)].filter(visible);
  return {
    window: shown('.window-mark .window-span').map(box),
    current: shown('.current-mark').map(box),
    player: box(document.querySelector('.player')),
    forward: box(document.querySelector('[data-testid=step-forward]')),
    scrollWidth: document.documentElement.scrollWidth,
    width: innerWidth,
    height: innerHeight,
  };
}"""


def open_phone(browser, live_server, query: str, lang: str, size=(390, 844)):
    context = browser.new_context(
        viewport={"width": size[0], "height": size[1]}, is_mobile=True, has_touch=True, locale="en-US"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/?{query}&lang={lang}")
    expect(page.get_by_test_id("step-counter")).not_to_have_text("0 / 0")
    return context, page, errors


def on_screen_above_player(box: dict, m: dict) -> bool:
    return box["left"] >= 0 and box["right"] <= m["width"] and box["top"] >= 0 and box["bottom"] <= m["player"]["top"]


def assert_step_fits(page: Page, step: int) -> None:
    m = page.evaluate(MEASURE)
    assert m["scrollWidth"] <= m["width"], f"step {step}: page is {m['scrollWidth']} px wide"
    assert len(m["window"]) == 1 and len(m["current"]) == 1, m
    assert on_screen_above_player(m["window"][0], m), f"step {step}: window {m['window'][0]} {m['player']}"
    assert on_screen_above_player(m["current"][0], m), f"step {step}: output cell {m['current'][0]} {m['player']}"
    forward = m["forward"]
    assert forward["top"] >= 0 and forward["bottom"] <= m["height"], f"step {step}: Next is off screen"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", PHONES, ids=[f"{w}x{h}" for w, h in PHONES])
@pytest.mark.parametrize("example", EXAMPLES)
def test_tapping_next_keeps_the_window_and_its_output_cell_on_screen(browser, live_server, example, size, lang):
    context, page, errors = open_phone(browser, live_server, EXAMPLES[example], lang, size)
    total = int(page.get_by_test_id("step-counter").inner_text().split("/")[1])
    assert_step_fits(page, 1)
    for step in range(2, 2 + STEPS_TAKEN):
        page.get_by_test_id("step-forward").tap()
        expect(page.get_by_test_id("step-counter")).to_have_text(f"{step} / {total}")
        assert_step_fits(page, step)
    page.get_by_test_id("last").tap()
    expect(page.get_by_test_id("step-counter")).to_have_text(f"{total} / {total}")
    assert_step_fits(page, total)
    assert errors == []
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_player_sticks_to_the_bottom_with_finger_sized_buttons(browser, live_server, lang):
    context, page, errors = open_phone(browser, live_server, EXAMPLES["7x7-padding-1"], lang)
    for button in page.locator(".player button:visible").all():  # the theme switch shows in present mode only
        box = button.bounding_box()
        assert box["width"] >= TOUCH_PX and box["height"] >= TOUCH_PX, button.get_attribute("data-testid")
    page.evaluate("window.scrollBy(0, 300)")  # scrolled down to the kernel, the step buttons stay at hand
    assert page.evaluate("scrollY") > 0
    m = page.evaluate(MEASURE)
    assert m["forward"]["bottom"] <= m["height"] and m["forward"]["top"] >= 0
    assert m["player"]["top"] < m["height"]
    assert errors == []
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_connector_runs_rightwards_to_the_output_cell_beside_the_input(browser, live_server, lang):
    context, page, _ = open_phone(browser, live_server, "", lang)
    ends = page.locator(".connector").get_attribute("data-ends")
    # Side by side on a phone: the line runs from the window's right edge rightwards to the output cell.
    x1, _, x2, _ = (int(v) for v in ends.split(","))
    assert x2 > x1
    context.close()


SECOND_CHANNEL = [[9 - v for v in row] for row in DEFAULT_INPUT]
LAPLACE = [[0, 1, 0], [1, -4, 1], [0, 1, 0]]


def grid_query(m) -> str:
    return ";".join(",".join(str(v) for v in row) for row in m)


STEP_EXAMPLES = {
    "default": "",
    "two-channels": f"input={grid_query(DEFAULT_INPUT)}|{grid_query(SECOND_CHANNEL)}"
    f"&kernel={grid_query(DEFAULT_KERNEL)}|{grid_query(LAPLACE)}&bias=1",
}

# Shared by the measuring scripts below: an element's box, and the marks shown (at full opacity).
MARK_HELPERS = """
  const box = (el) => {
    const b = el.getBoundingClientRect();
    return {left: b.left, top: b.top, right: b.right, bottom: b.bottom};
  };
  const shown = (sel) => [...document.querySelectorAll(sel)].filter(
    (el) => getComputedStyle(el.closest('.mark') || el).opacity === '1');
"""

# What a student reads at one step: the window's frame, the output cell being written, the step's
# arithmetic (its box and the box of the part of the dock that shows it) and the player's buttons.
MEASURE_STEP = (
    """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));  // as painted
  for (const animation of document.getAnimations()) animation.finish();  // the marks at rest on their step
"""
    + MARK_HELPERS
    + """  return {
    window: shown('.window-mark .window-span').map(box),
    current: shown('.current-mark').map(box),
    arithmetic: box(document.querySelector('.arith-body')),
    shownArithmetic: box(document.querySelector('.explain')),
    heading: document.querySelector('.arith-heading').textContent,
    dock: box(document.querySelector('.dock')),
    buttons: [...document.querySelectorAll('.player [data-action]')].filter((b) => b.offsetParent)
      .filter((b) => ['first', 'back', 'play', 'forward', 'end'].includes(b.dataset.action)).map(box),
    scrollWidth: document.documentElement.scrollWidth,
    width: innerWidth,
    height: innerHeight,
  };
}"""
)


def inside(box: dict, left: float, top: float, right: float, bottom: float) -> bool:
    return (
        box["left"] >= left - 0.5
        and box["top"] >= top - 0.5
        and box["right"] <= right + 0.5
        and box["bottom"] <= bottom + 0.5
    )


def assert_the_step_reads_on_one_screen(page: Page, step: int, total: int, lang: str, channels: int) -> None:
    m = page.evaluate(MEASURE_STEP)
    where = f"step {step} of {total} ({lang})"
    assert m["scrollWidth"] <= m["width"], f"{where}: the page is {m['scrollWidth']} px wide"
    assert len(m["window"]) == channels and len(m["current"]) == 1, m
    # The grids' marks (the window over every channel) above the docked arithmetic and player, not under them.
    for box in [*m["window"], *m["current"]]:
        assert inside(box, 0, 0, m["width"], m["dock"]["top"]), f"{where}: {box} is not above the dock {m['dock']}"
    # The arithmetic: on screen, and all of it in the part of the dock that shows (no scrolling inside).
    shown = m["shownArithmetic"]
    assert inside(m["arithmetic"], 0, 0, m["width"], m["height"]), f"{where}: arithmetic {m['arithmetic']}"
    assert inside(m["arithmetic"], shown["left"], shown["top"], shown["right"], shown["bottom"]), where
    assert str(step) in m["heading"], (where, m["heading"])
    assert len(m["buttons"]) == 5 and all(inside(b, 0, 0, m["width"], m["height"]) for b in m["buttons"]), where


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", PHONES, ids=[f"{w}x{h}" for w, h in PHONES])
@pytest.mark.parametrize("example", STEP_EXAMPLES)
def test_window_output_cell_arithmetic_and_player_share_the_screen_at_every_tap(
    browser, live_server, artifacts, example, size, lang
):
    context, page, errors = open_phone(browser, live_server, STEP_EXAMPLES[example], lang, size)
    counter = page.get_by_test_id("step-counter")
    total = int(counter.inner_text().split("/")[1])
    channels = 2 if example == "two-channels" else 1
    assert "user-scalable=no" not in page.locator("meta[name=viewport]").get_attribute("content")
    page.get_by_test_id("play").tap()  # Play, and Pause a moment later: wherever it stopped reads on one screen
    page.wait_for_timeout(700)
    page.get_by_test_id("play").tap()
    step = int(counter.inner_text().split("/")[0])
    assert step > 1
    expect(page.get_by_test_id("arithmetic")).to_contain_text(str(step))
    assert_the_step_reads_on_one_screen(page, step, total, lang, channels)
    for _ in range(3):
        page.get_by_test_id("step-forward").tap()
        step = min(total, step + 1)
        expect(counter).to_have_text(f"{step} / {total}")
        assert_the_step_reads_on_one_screen(page, step, total, lang, channels)
    page.get_by_test_id("step-back").tap()
    expect(counter).to_have_text(f"{step - 1} / {total}")
    assert_the_step_reads_on_one_screen(page, step - 1, total, lang, channels)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # scrolled down to the kernel and the rest
    page.get_by_test_id("last").tap()
    expect(counter).to_have_text(f"{total} / {total}")
    assert_the_step_reads_on_one_screen(page, total, total, lang, channels)
    page.evaluate("window.scrollTo(0, 0)")  # back at the settings
    page.get_by_test_id("first").tap()
    expect(counter).to_have_text(f"1 / {total}")
    assert_the_step_reads_on_one_screen(page, 1, total, lang, channels)
    page.screenshot(path=artifacts / f"matrix-phone-{example}-{lang}-{size[0]}x{size[1]}.png")
    assert errors == []
    context.close()


THREE_CHANNELS = [[[(c * 7 + r * 5 + k * 3) % 11 - 5 for k in range(5)] for r in range(5)] for c in range(3)]
TWO_FILTERS = [
    [[[(f + c + r * 3 + k) % 5 - 2 for k in range(3)] for r in range(3)] for c in range(3)] for f in range(2)
]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", PHONES, ids=[f"{w}x{h}" for w, h in PHONES])
def test_three_channels_and_two_filters_on_a_phone_scroll_neither_sideways_nor_out_of_view(
    browser, live_server, size, lang
):
    maps = "/".join("|".join(grid_query(m) for m in f) for f in TWO_FILTERS)
    query = f"input={'|'.join(grid_query(m) for m in THREE_CHANNELS)}&kernel={maps}&padding=1"
    context, page, errors = open_phone(browser, live_server, query, lang, size)
    counter = page.get_by_test_id("step-counter")
    # Too tall for one screen with four lines of sums docked: each tap still shows the output cell being
    # written above the dock and the sums, and nothing scrolls sideways (the windows may be scrolled past).
    for step, button in [(2, "step-forward"), (3, "step-forward"), (50, "last"), (49, "step-back"), (1, "first")]:
        page.get_by_test_id(button).tap()
        expect(counter).to_have_text(f"{step} / 50")
        m = page.evaluate(MEASURE_STEP)
        assert m["scrollWidth"] <= m["width"], f"step {step}: the page is {m['scrollWidth']} px wide"
        assert len(m["window"]) == 3 and len(m["current"]) == 1, m
        current = m["current"][0]
        assert inside(current, 0, 0, m["width"], m["dock"]["top"]), f"step {step}: {current}, dock {m['dock']}"
        assert inside(m["arithmetic"], 0, 0, m["width"], m["height"]), f"step {step}: {m['arithmetic']}"
    assert errors == []
    context.close()


def reference(x) -> list[str]:
    kernel = np.asarray(DEFAULT_KERNEL, dtype=float)[None, None]
    out = conv2d(np.asarray(x, dtype=float)[None], kernel, [0.0], (1, 1), (1, 1), (0,) * 4)
    return [f"{v:g}".replace("-", "−") for v in np.asarray(out).ravel()]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example", EXAMPLES)
def test_typing_into_a_cell_on_the_phone_keeps_the_value_and_the_focus(browser, live_server, example, lang):
    context, page, errors = open_phone(browser, live_server, EXAMPLES[example] + "&show_all=1", lang)
    cell = page.locator("[data-testid=input-grid] .cell:not(.pad) input").nth(2)
    label = cell.get_attribute("aria-label")
    cell.tap()
    page.keyboard.press("Control+A")
    page.keyboard.type("12", delay=150)
    expect(cell).to_have_value("12")
    page.wait_for_timeout(600)  # the batched recompute has run
    expect(cell).to_have_value("12")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == label
    if example == "default":
        typed = [row[:] for row in DEFAULT_INPUT]
        typed[0][2] = 12
        expect(page.locator("[data-testid=output-grid] .cell")).to_have_text(reference(typed))
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert errors == []
    context.close()


# Every step, however the student moves it: the window over the last channel and the output cell it
# writes, both whole between the top of the screen and the top of the dock (the sums and the player).
# Measured on the real marks once they have glided to the step (their transitions finished).
SEEN_AT_STEP = (
    """() => {
  for (const animation of document.getAnimations()) {
    if (animation.effect && animation.effect.target && animation.effect.target.closest('.mark')) animation.finish();
  }
"""
    + MARK_HELPERS
    + """  return {
    counter: document.querySelector('[data-testid=step-counter]').textContent,
    scrollY: scrollY,
    at: performance.now(),
    windows: shown('[data-testid=input-grid] .window-mark .window-span').map(box),
    current: shown('[data-testid=output-grid] .current-mark').map(box),
    dockTop: document.querySelector('.dock').getBoundingClientRect().top,
    width: innerWidth,
    height: innerHeight,
  };
}"""
)

# Playing, the measure runs as each step is drawn (a MutationObserver on the counter), so no step slips by.
RECORD_PLAYING = f"""() => {{
  const seen = {SEEN_AT_STEP};
  window.stepsSeen = [];
  new MutationObserver(() => window.stepsSeen.push(seen())).observe(
    document.querySelector('[data-testid=step-counter]'), {{childList: true, characterData: true, subtree: true}});
}}"""

LAYERS = {
    "default": "",
    "3-channels-2-filters": f"input={'|'.join(grid_query(m) for m in THREE_CHANNELS)}"
    f"&kernel={'/'.join('|'.join(grid_query(m) for m in f) for f in TWO_FILTERS)}&padding=1",
}
MOVES = ["next-button", "scrubber", "arrow-key", "autoplay"]


def out_of_view(m: dict, channels: int) -> list[str]:
    """What of the step is not whole between the screen's top and the dock's top (empty: all is)."""
    if len(m["windows"]) != channels or len(m["current"]) != 1:
        return [f"{m['counter']}: {len(m['windows'])} windows, {len(m['current'])} output cells shown"]
    floor = min(m["dockTop"], m["height"])
    marks = {"the last channel's window": m["windows"][-1], "the output cell": m["current"][0]}
    return [
        f"{m['counter']}: {name} {b} (dock at {floor})"
        for name, b in marks.items()
        if not inside(b, 0, 0, m["width"], floor)
    ]


KEEP_CLEAR = 6  # px: keep-in-view.js keeps the marks this far from the screen's top and the dock's


def unscrolled(before: dict, after: dict) -> dict:
    """The step `after` as it would have been had the page not scrolled since `before` (the marks only)."""
    by = after["scrollY"] - before["scrollY"]

    def back(box: dict) -> dict:
        return {**box, "top": box["top"] + by - KEEP_CLEAR, "bottom": box["bottom"] + by + KEEP_CLEAR}

    return {**after, "windows": [back(b) for b in after["windows"]], "current": [back(b) for b in after["current"]]}


def steps_seen(page: Page, move: str, total: int) -> list[dict]:
    """Take every step from 1 to the last as `move` does, measuring each once its marks are at rest."""
    counter = page.get_by_test_id("step-counter")
    if move == "autoplay":
        page.get_by_test_id("last").tap()  # Play from the end starts again at step 1 and plays every step
        expect(counter).to_have_text(f"{total} / {total}")
        page.evaluate(RECORD_PLAYING)
        page.get_by_test_id("play").tap()
        expect(page.get_by_test_id("play")).to_have_attribute(
            "aria-pressed", "false", timeout=total * 6000
        )  # a busy machine draws few frames
        return page.evaluate("window.stepsSeen")
    if move == "arrow-key":
        page.get_by_test_id("first").focus()  # a tablet's keyboard: focus on the player, then the arrows
    seen = []
    for step in range(1, total + 1):
        if move == "next-button":
            page.get_by_test_id("first" if step == 1 else "step-forward").tap()
        elif move == "scrubber":
            page.get_by_test_id("scrubber").fill(str(step - 1))
        else:
            page.keyboard.press("Home" if step == 1 else "ArrowRight")
        expect(counter).to_have_text(f"{step} / {total}")
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
        seen.append(page.evaluate(SEEN_AT_STEP))
    return seen


@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize("size", PHONES, ids=[f"{w}x{h}" for w, h in PHONES])
@pytest.mark.parametrize("layer", LAYERS)
def test_every_step_shows_the_last_channels_window_and_its_output_cell_above_the_dock(
    browser, live_server, layer, size, move
):
    context, page, errors = open_phone(browser, live_server, LAYERS[layer], "en", size)
    total = int(page.get_by_test_id("step-counter").inner_text().split("/")[1])
    channels = 3 if layer == "3-channels-2-filters" else 1
    seen = steps_seen(page, move, total)
    assert [m["counter"] for m in seen] == [f"{step} / {total}" for step in range(1, total + 1)]
    missed = [out_of_view(m, channels) for m in seen if out_of_view(m, channels)]
    assert missed == [], f"{len(missed)} of {total} steps out of view: {missed[:3]}"
    if move == "autoplay":  # the page moves only at a step that would leave the screen, not on every frame
        scrolled = [(a, b) for a, b in pairwise(seen) if a["scrollY"] != b["scrollY"]]
        assert [b["counter"] for a, b in scrolled if not out_of_view(unscrolled(a, b), channels)] == []
        if layer == "default":
            assert scrolled == []
    assert errors == []
    context.close()


def drag_down_to_the_top(cdp, page: Page) -> None:
    """A finger on the grids dragging the page down, 30 px a frame, again until the page is at its top."""
    for _ in range(8):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": 180, "y": 120}]})
        for k in range(1, 19):
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": 180, "y": 120 + 30 * k}]})
            page.wait_for_timeout(16)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        if page.evaluate("scrollY") == 0:
            return


@pytest.mark.parametrize("hand", ["wheel", "finger"])
def test_playing_leaves_a_hand_scroll_alone_then_follows_the_step_again(browser, live_server, hand):
    context, page, errors = open_phone(browser, live_server, LAYERS["3-channels-2-filters"], "en", (360, 740))
    counter = page.get_by_test_id("step-counter")
    page.evaluate(RECORD_PLAYING)
    page.evaluate(
        "for (const type of ['wheel', 'touchmove'])"
        " addEventListener(type, () => (window.handAt = performance.now()), {passive: true})"
    )
    page.get_by_test_id("play").tap()
    expect(counter).not_to_have_text(re.compile(r"^[1-5] / "), timeout=60_000)  # a few steps in
    # The student scrolls back up to the settings while it plays: with a mouse wheel, or a finger dragging the
    # page down (touch points sent through Chromium's input pipeline, which scrolls the page as a phone does).
    if hand == "wheel":
        page.mouse.move(180, 200)
        page.mouse.wheel(0, -5000)
    else:
        drag_down_to_the_top(context.new_cdp_session(page), page)
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false", timeout=300_000)
    seen, hand_at = page.evaluate("[window.stepsSeen, window.handAt]")
    settled = hand_at + 400  # the wheel's own short glide to the top has ended
    left_alone = [m for m in seen if settled < m["at"] < hand_at + 1400]
    followed = [m for m in seen if m["at"] > hand_at + 2000]
    assert left_alone and followed, (hand_at, [(m["at"], m["counter"]) for m in seen])
    # Within the 1.5 s after the hand scroll the page stays at the top, though the step is out of view.
    assert all(m["scrollY"] == 0 for m in left_alone), [(m["counter"], m["scrollY"]) for m in left_alone]
    assert all(out_of_view(m, 3) for m in left_alone)
    # Then playing brings the window and its output cell back above the dock and keeps them there.
    assert [problem for m in followed for problem in out_of_view(m, 3)] == []
    assert errors == []
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", PHONES, ids=[f"{w}x{h}" for w, h in PHONES])
def test_the_dock_keeps_its_height_while_the_student_steps_through_a_layer(browser, live_server, size, lang):
    # Sums that wrap to more lines at some steps than at others: the dock keeps the tallest height it has
    # shown, so its top edge (and the grids above it) hold still from tap to tap; a new layer starts over.
    context, page, errors = open_phone(browser, live_server, LAYERS["3-channels-2-filters"], lang, size)
    total = int(page.get_by_test_id("step-counter").inner_text().split("/")[1])
    dock = page.locator(".dock")

    def heights() -> list[float]:
        seen = []
        for step in range(1, total + 1):
            expect(page.get_by_test_id("step-counter")).to_have_text(f"{step} / {total}")
            page.evaluate("new Promise(requestAnimationFrame)")  # the frame that lays the new sums out
            seen.append(round(dock.bounding_box()["height"], 1))
            if step < total:
                page.get_by_test_id("step-forward").tap()
        return seen

    first = heights()
    assert first == sorted(first), f"the dock shrank while stepping: {first}"
    page.get_by_test_id("first").tap()
    second = heights()
    assert len(set(second)) == 1, f"the dock changed height on the second pass: {sorted(set(second))}"
    assert second[0] == first[-1]
    assert errors == []
    context.close()


RECORD_DOCK = """() => {
  window.dockHeights = [];
  new ResizeObserver(([entry]) => window.dockHeights.push(Math.round(entry.borderBoxSize[0].blockSize * 10) / 10))
    .observe(document.querySelector('.dock'));
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_dock_keeps_its_height_while_the_student_types_into_the_window(browser, live_server, lang):
    # New numbers in the same layer make sums of other lengths: the dock still keeps the tallest height it has
    # shown, so the grid under the student's finger holds still from key to key.
    context, page, errors = open_phone(browser, live_server, LAYERS["3-channels-2-filters"], lang, (360, 740))
    page.evaluate(RECORD_DOCK)
    arithmetic = page.get_by_test_id("arithmetic")
    cell = page.locator("[data-testid=input-grid] .cell[data-r='1'][data-c='1'] input").first
    for text in ["-123.25", "1", "-40.5", "0"]:
        cell.tap()
        page.keyboard.press("Control+A")
        page.keyboard.type(text, delay=150)
        expect(arithmetic).to_contain_text(text.replace("-", "−"))
        page.wait_for_load_state("networkidle")  # the last key's answer is drawn
        page.evaluate("new Promise(requestAnimationFrame)")  # the frame that lays the new sums out
    seen = page.evaluate("window.dockHeights")
    assert len(seen) >= 2, f"the sums never changed the dock: {seen}"
    assert seen == sorted(seen), f"the dock shrank while the student typed: {seen}"
    assert errors == []
    context.close()
