"""Small defects of the Matrix lab that issue #10 fixed, each pinned down by what a user does."""

import re

from playwright.sync_api import Page, expect

CHANNELS = ["1,2,3;4,5,6;7,8,9", "9,8,7;6,5,4;3,2,1", "0,1,0;1,0,1;0,1,0"]
FILTER_1 = ["1,0;0,1", "2,0;0,2", "3,0;0,3"]
FILTER_2 = ["0,-1;-1,0", "0,-2;-2,0", "5,5;5,5"]


def open_lab(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_test_id("step-counter")).not_to_have_text("0 / 0")


def set_number(page: Page, testid: str, value: str) -> None:
    field = page.get_by_test_id(testid)
    field.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value, delay=150)


def test_three_filters_with_groups_and_back_keep_filter_two_kernels(watched_page, live_server):
    page = watched_page.page
    kernel = "/".join("|".join(f) for f in (FILTER_1, FILTER_2))
    open_lab(page, f"{live_server.url}/?input={'|'.join(CHANNELS)}&kernel={kernel}")
    page.locator("details.advanced > summary").click()
    set_number(page, "filters", "3")
    expect(page.locator("[data-testid=groups] option[value='3']")).to_have_count(1)
    page.get_by_test_id("groups").select_option("3")
    expect(page.get_by_test_id("groups")).to_have_value("3")
    expect(page).to_have_url(re.compile(r"groups=3"))
    set_number(page, "filters", "2")
    expect(page).not_to_have_url(re.compile(r"groups="))
    query = page.evaluate("new URLSearchParams(location.search).get('kernel')")
    assert query == kernel, "filter 2's per-channel kernels were replaced"
    assert watched_page.console_errors == []


def test_the_top_speed_says_what_it_does_and_is_not_over_in_a_blink(watched_page, live_server):
    page = watched_page.page
    open_lab(page, live_server.url)
    speed = page.get_by_test_id("speed")
    speed.fill(speed.get_attribute("max"))
    label = page.locator("[data-speed-value]").inner_text()
    assert re.fullmatch(r"\d+ rows/s", label), label
    assert "rows per second" in speed.get_attribute("aria-valuetext")
    started = page.evaluate("performance.now()")
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("step-counter")).to_have_text("9 / 9")
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    elapsed = page.evaluate("performance.now()") - started
    rows = 3  # the default example: a 3×3 output
    per_second = int(label.split()[0])
    # It moves a whole row at a time, so it ends after (rows - 1) rows' worth of time at the least.
    assert elapsed >= 1000 * (rows - 1) / per_second * 0.8, f"played in {elapsed:.0f} ms"
