"""Typing into the Matrix lab's cells as a person does: key by key, about six keys a second.

Each test clicks a real cell, selects its text, types with `keyboard.type(text, delay=150)`, then
reads the cell's value, where the focus is, and the recomputed output. Expected outputs come
from tests/reference.py (loops over the definition), never from the page.
"""

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.reference import conv2d

DEFAULT_INPUT = [[3, 1, 0, 2, 5], [4, 6, 1, 0, 2], [2, 1, 7, 3, 1], [0, 2, 4, 8, 6], [1, 5, 2, 3, 9]]
DEFAULT_KERNEL = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]
TYPED = ["12", "-3.5", "0.25"]


def shown(values) -> list[str]:
    """How the page writes numbers: up to 3 decimals, integers plain, a real minus sign."""
    out = []
    for v in np.asarray(values, dtype=float).ravel():
        text = f"{round(float(v), 3):g}" if abs(v) < 1000 else f"{v:.0f}"
        out.append(("0" if text == "-0" else text).replace("-", "−"))
    return out


def reference(x, k, bias=0.0, padding=0):
    x = np.asarray(x, dtype=float)[None]
    w = np.asarray(k, dtype=float)[None, None]
    return conv2d(x, w, [bias], (1, 1), (1, 1), (padding,) * 4)


def open_lab(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_test_id("step-counter")).not_to_have_text("0 / 0")


def type_into(page: Page, cell, text: str) -> None:
    """Click the cell, select what it holds, and type at a person's pace."""
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text, delay=150)


def focused_label(page: Page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.getAttribute('aria-label')")


def output_texts(page: Page) -> list[str]:
    return page.locator("[data-testid=output-grid] .cell").all_inner_texts()


@pytest.mark.parametrize("text", TYPED)
def test_typing_into_an_input_cell_keeps_every_key_and_the_focus(watched_page, live_server, text):
    page = watched_page.page
    open_lab(page, f"{live_server.url}/?show_all=1")
    cell = page.locator("[data-testid=input-grid] .cell[data-r='1'][data-c='2'] input")
    label = cell.get_attribute("aria-label")
    type_into(page, cell, text)
    expect(cell).to_have_value(text)
    assert focused_label(page) == label
    x = [row[:] for row in DEFAULT_INPUT]
    x[1][2] = float(text)
    expect(page.locator("[data-testid=output-grid] .cell")).to_have_text(shown(reference(x, DEFAULT_KERNEL)))
    page.wait_for_timeout(400)  # the server's echo has arrived: the typed text still stands
    expect(cell).to_have_value(text)
    assert focused_label(page) == label
    assert watched_page.console_errors == []


@pytest.mark.parametrize("text", TYPED)
def test_typing_into_a_kernel_cell_keeps_every_key_and_the_focus(watched_page, live_server, text):
    page = watched_page.page
    open_lab(page, f"{live_server.url}/?show_all=1")
    cell = page.locator("[data-testid=kernel-grid] .cell[data-r='0'][data-c='1'] input")
    label = cell.get_attribute("aria-label")
    type_into(page, cell, text)
    expect(cell).to_have_value(text)
    assert focused_label(page) == label
    k = [row[:] for row in DEFAULT_KERNEL]
    k[0][1] = float(text)
    expect(page.locator("[data-testid=output-grid] .cell")).to_have_text(shown(reference(DEFAULT_INPUT, k)))
    page.wait_for_timeout(400)
    expect(cell).to_have_value(text)
    assert focused_label(page) == label
    assert watched_page.console_errors == []


@pytest.mark.parametrize("text", ["2.5", "-1.25", "10"])
def test_typing_a_bias_keeps_every_key_and_the_focus(watched_page, live_server, text):
    page = watched_page.page
    open_lab(page, f"{live_server.url}/?show_all=1")
    bias = page.get_by_test_id("bias-1")
    type_into(page, bias, text)
    expect(bias).to_have_value(text)
    assert page.evaluate("document.activeElement.dataset.testid") == "bias-1"
    expected = shown(reference(DEFAULT_INPUT, DEFAULT_KERNEL, bias=float(text)))
    expect(page.locator("[data-testid=output-grid] .cell")).to_have_text(expected)
    page.wait_for_timeout(400)
    expect(bias).to_have_value(text)
    assert watched_page.console_errors == []


def test_typing_into_a_padded_input_after_a_shape_change_keeps_the_focus(watched_page, live_server):
    """Padding changes the grid's shape; typing afterwards must still land in the cell under the cursor."""
    page = watched_page.page
    open_lab(page, f"{live_server.url}/?show_all=1&padding=1")
    cell = page.locator("[data-testid=input-grid] .cell[data-r='3'][data-c='3'] input")
    label = cell.get_attribute("aria-label")
    type_into(page, cell, "-7.5")
    expect(cell).to_have_value("-7.5")
    assert focused_label(page) == label
    x = [row[:] for row in DEFAULT_INPUT]
    x[2][2] = -7.5
    expected = shown(reference(x, DEFAULT_KERNEL, padding=1))
    expect(page.locator("[data-testid=output-grid] .cell")).to_have_text(expected)


def test_a_cell_grown_by_a_paste_returns_the_focus_to_the_same_cell(watched_page, live_server):
    page = watched_page.page
    open_lab(page, f"{live_server.url}/?show_all=1")
    cell = page.locator("[data-testid=input-grid] .cell[data-r='4'][data-c='4'] input")
    cell.click()
    page.evaluate(
        """(text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            document.activeElement.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
        }""",
        "1\t2\n3\t4",
    )
    expect(page.get_by_test_id("step-counter")).to_have_text("1 / 16")
    assert page.evaluate("document.activeElement.closest('.cell')?.dataset.r") == "4"
    assert page.evaluate("document.activeElement.closest('.cell')?.dataset.c") == "4"
    expect(page.locator("[data-testid=input-grid] .cell[data-r='4'][data-c='4'] input")).to_have_value("1")
    page.keyboard.type("8", delay=150)
    expect(page.locator("[data-testid=input-grid] .cell[data-r='4'][data-c='4'] input")).to_have_value("8")
