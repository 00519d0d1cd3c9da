"""Predict, then reveal: outputs stay blank until their step, and Predict mode scores a student's answers.

The answers a test types come from tests/reference.py (loops over the definitions); the page's
own numbers are only ever compared against them. Typing is at a person's pace (delay=150).
"""

import math
import re

import numpy as np
from playwright.sync_api import Page, expect

from tests.reference import conv2d, pool2d

DEFAULT_INPUT = [[3, 1, 0, 2, 5], [4, 6, 1, 0, 2], [2, 1, 7, 3, 1], [0, 2, 4, 8, 6], [1, 5, 2, 3, 9]]
DEFAULT_KERNEL = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]
SECOND_CHANNEL = [[9 - v for v in row] for row in DEFAULT_INPUT]
LAPLACE = [[0, 1, 0], [1, -4, 1], [0, 1, 0]]


def shown(value: float) -> str:
    text = f"{round(float(value), 3):g}"
    return ("0" if text == "-0" else text).replace("-", "−")


def matrix_query(m) -> str:
    return ";".join(",".join(f"{v:g}" for v in row) for row in m)


def open_lab(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_test_id("step-counter")).not_to_have_text("0 / 0")


def visible_outputs(page: Page) -> list[str]:
    """What a person sees in each output cell (innerText leaves out hidden text)."""
    return page.locator("[data-testid=output-grid] .cell").all_inner_texts()


def answer(page: Page, text: str) -> None:
    field = page.get_by_test_id("predict-answer")
    field.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text, delay=150)
    page.keyboard.press("Enter")


def test_the_default_page_shows_no_output_before_its_step(watched_page, live_server):
    page = watched_page.page
    open_lab(page, live_server.url)
    expected = [
        shown(v)
        for v in conv2d(
            np.array([DEFAULT_INPUT], float), np.array([[DEFAULT_KERNEL]], float), [0], (1, 1), (1, 1), (0, 0, 0, 0)
        ).ravel()
    ]
    assert visible_outputs(page) == [expected[0]] + [""] * 8
    page.get_by_test_id("step-forward").click()
    page.get_by_test_id("step-forward").click()
    expect(page.get_by_test_id("step-counter")).to_have_text("3 / 9")
    assert visible_outputs(page) == expected[:3] + [""] * 6
    page.get_by_test_id("show-all").check()
    assert visible_outputs(page) == expected
    expect(page).to_have_url(re.compile(r"show_all=1"))
    page.reload()
    expect(page.get_by_test_id("show-all")).to_be_checked()
    assert visible_outputs(page) == expected
    page.get_by_test_id("show-all").uncheck()
    assert visible_outputs(page) == expected[:3] + [""] * 6
    assert "show_all" not in page.url
    assert watched_page.console_errors == []


def test_predict_mode_scores_a_two_channel_conv_with_bias_and_relu(watched_page, live_server):
    page = watched_page.page
    query = f"?input={matrix_query(DEFAULT_INPUT)}|{matrix_query(SECOND_CHANNEL)}"
    query += f"&kernel={matrix_query(DEFAULT_KERNEL)}|{matrix_query(LAPLACE)}&bias=-2&activation=relu&predict=1"
    open_lab(page, f"{live_server.url}/{query}")
    x = np.array([DEFAULT_INPUT, SECOND_CHANNEL], float)
    w = np.array([[DEFAULT_KERNEL, LAPLACE]], float)
    expected = np.maximum(conv2d(x, w, [-2], (1, 1), (1, 1), (0, 0, 0, 0)), 0).ravel()
    expect(page.get_by_test_id("predict-tolerance")).to_have_text("Answers are checked exactly.")
    for step, value in enumerate(expected):
        expect(page.get_by_test_id("step-counter")).to_have_text(f"{step + 1} / 9")
        expect(page.get_by_test_id("predict-question")).to_contain_text(f"output[0][{step // 3}][{step % 3}]")
        assert visible_outputs(page)[step] == "", "the answer shows before the student gave one"
        expect(page.get_by_test_id("arithmetic")).not_to_contain_text(f"= {shown(value)}")
        if step in (1, 4):  # two wrong first tries
            answer(page, f"{value + 1:g}")
            expect(page.get_by_test_id("predict-feedback")).to_contain_text("Not quite")
            assert visible_outputs(page)[step] == ""
        answer(page, f"{value:g}")
        expect(page.get_by_test_id("predict-feedback")).to_have_text(f"Right: {shown(value)}.")
        assert visible_outputs(page)[step] == shown(value)
        expect(page.get_by_test_id("arithmetic")).to_contain_text("ReLU(")
        if step < 8:
            page.get_by_test_id("predict-next").click()
    expect(page.get_by_test_id("predict-score")).to_contain_text("7 of 9 right on the first try")
    assert watched_page.console_errors == []


def test_predict_mode_max_pool_by_clicking_the_winning_cell(watched_page, live_server):
    page = watched_page.page
    open_lab(page, f"{live_server.url}/?mode=pool&pool=max&predict=1")
    expect(page.get_by_test_id("predict-question")).to_contain_text("click the winning input cell")
    x = np.array(DEFAULT_INPUT, float)
    for step in range(4):
        i, j = divmod(step, 2)
        window = x[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
        a, b = np.unravel_index(int(np.argmax(window)), window.shape)
        loser = np.unravel_index(int(np.argmin(window)), window.shape)
        expect(page.get_by_test_id("step-counter")).to_have_text(f"{step + 1} / 4")
        expect(page.get_by_test_id("input-grid")).to_have_attribute("data-winner", "")
        if step == 2:
            page.locator(
                f"[data-testid=input-grid] .cell[data-r='{2 * i + loser[0]}'][data-c='{2 * j + loser[1]}']"
            ).click()
            expect(page.get_by_test_id("predict-feedback")).to_contain_text("not the largest")
        page.locator(f"[data-testid=input-grid] .cell[data-r='{2 * i + a}'][data-c='{2 * j + b}']").click()
        expect(page.get_by_test_id("predict-feedback")).to_contain_text(f"holding {shown(window.max())} wins")
        expect(page.get_by_test_id("input-grid")).to_have_attribute("data-winner", f"{2 * i + a},{2 * j + b}")
        assert visible_outputs(page)[step] == shown(window.max())
        if step < 3:
            page.get_by_test_id("predict-next").click()
    expect(page.get_by_test_id("predict-score")).to_contain_text("3 of 4 right on the first try")
    assert watched_page.console_errors == []


def test_predict_mode_avg_pool_accepts_the_stated_tolerance(watched_page, live_server):
    page = watched_page.page
    open_lab(page, f"{live_server.url}/?mode=pool&pool=avg&pool_size=3&pool_stride=1&predict=1")
    expect(page.get_by_test_id("predict-tolerance")).to_contain_text("±0.01")
    out = pool2d(np.array([DEFAULT_INPUT], float), "avg", (3, 3), (1, 1), (0, 0)).ravel()
    for step, value in enumerate(out[:3]):
        answer(page, f"{value:.2f}")
        expect(page.get_by_test_id("predict-feedback")).to_contain_text("Right")
        if step < 2:
            page.get_by_test_id("predict-next").click()
    page.get_by_test_id("predict-next").click()
    answer(page, f"{out[3] + 0.05:.2f}")  # outside the tolerance
    expect(page.get_by_test_id("predict-feedback")).to_contain_text("Not quite")
    page.get_by_test_id("predict-reveal").click()
    expect(page.get_by_test_id("predict-feedback")).to_have_text(f"The answer is {shown(out[3])}.")
    expect(page.get_by_test_id("predict-score")).to_contain_text("3 of 4 right on the first try")
    assert watched_page.console_errors == []


def test_predict_mode_sigmoid_states_its_tolerance_and_checks_against_the_engine(watched_page, live_server):
    page = watched_page.page
    open_lab(page, f"{live_server.url}/?activation=sigmoid&bias=0.5&predict=1")
    expect(page.get_by_test_id("predict-tolerance")).to_contain_text("±0.01")
    pre = conv2d(
        np.array([DEFAULT_INPUT], float), np.array([[DEFAULT_KERNEL]], float), [0.5], (1, 1), (1, 1), (0, 0, 0, 0)
    ).ravel()
    value = 1 / (1 + math.exp(-pre[0]))
    answer(page, f"{value:.2f}")
    expect(page.get_by_test_id("predict-feedback")).to_contain_text("Right")
    expect(page.get_by_test_id("predict-score")).to_contain_text("1 of 1 right on the first try")


def test_the_score_resets_when_the_layer_changes(watched_page, live_server):
    page = watched_page.page
    open_lab(page, f"{live_server.url}/?predict=1")
    first = conv2d(
        np.array([DEFAULT_INPUT], float), np.array([[DEFAULT_KERNEL]], float), [0], (1, 1), (1, 1), (0, 0, 0, 0)
    ).ravel()[0]
    answer(page, f"{first:g}")
    expect(page.get_by_test_id("predict-score")).to_contain_text("1 of 1 right on the first try")
    page.get_by_test_id("stride").fill("2")
    expect(page.get_by_test_id("step-counter")).to_have_text("1 / 4")
    expect(page.get_by_test_id("predict-score")).to_contain_text("0 of 0 right on the first try")
    assert visible_outputs(page)[0] == ""


def test_playing_in_predict_mode_stops_at_the_next_question(watched_page, live_server):
    page = watched_page.page
    open_lab(page, live_server.url)
    page.get_by_test_id("predict-mode").click()
    expect(page.get_by_test_id("predict-mode")).to_have_attribute("aria-pressed", "true")
    expect(page).to_have_url(re.compile(r"predict=1"))
    expect(page.get_by_test_id("predict-answer")).to_be_focused()
    page.get_by_test_id("predict-reveal").click()
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("step-counter")).to_have_text("2 / 9")
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    assert visible_outputs(page)[1] == ""


def test_lessons_that_ask_for_a_prediction_open_in_predict_mode(watched_page, live_server):
    page = watched_page.page
    page.goto(f"{live_server.url}/lessons/correlation-vs-convolution")
    link = page.locator("a[href*='flip=1']").first
    assert "predict=1" in (link.get_attribute("href") or "")
    link.click()
    expect(page.get_by_test_id("predict-mode")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("predict")).to_be_visible()
