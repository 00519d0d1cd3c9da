"""The Matrix lab by keyboard alone: one Tab stop per grid, arrows inside, Enter/F2 to edit, Escape to leave.

The pattern is WAI-ARIA's grid with a roving tabindex. Expected outputs come from tests/reference.py.
"""

import numpy as np
from playwright.sync_api import Page, expect

from tests.reference import conv2d

DEFAULT_INPUT = [[3, 1, 0, 2, 5], [4, 6, 1, 0, 2], [2, 1, 7, 3, 1], [0, 2, 4, 8, 6], [1, 5, 2, 3, 9]]
DEFAULT_KERNEL = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]
MAX_TABS_TO_PLAY = 26  # it took 67 before the grids became single Tab stops


def shown(values) -> list[str]:
    out = []
    for v in np.asarray(values, dtype=float).ravel():
        text = f"{round(float(v), 3):g}"
        out.append(("0" if text == "-0" else text).replace("-", "−"))
    return out


def open_lab(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_test_id("step-counter")).not_to_have_text("0 / 0")


def focused_cell(page: Page) -> tuple[str | None, str | None, str | None]:
    """(grid testid, row, column) of the focused cell."""
    return tuple(
        page.evaluate(
            """() => {
                const cell = document.activeElement.closest('.cell');
                const grid = document.activeElement.closest('[data-testid]');
                return [grid && grid.dataset.testid, cell && cell.dataset.r, cell && cell.dataset.c];
            }"""
        )
    )


def tabs_to(page: Page, testid: str) -> int:
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for presses in range(1, 150):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.dataset.testid") == testid:
            return presses
    raise AssertionError(f"Tab never reached {testid}")


def test_each_grid_is_a_single_tab_stop_and_play_is_near(watched_page, live_server):
    page = watched_page.page
    open_lab(page, live_server.url)
    for grid in ("input-grid", "kernel-grid", "output-grid"):
        assert page.locator(f"[data-testid={grid}] [tabindex='0']").count() == 1, grid
        assert page.locator(f"[data-testid={grid}] [role=grid]").count() >= 1
    presses = tabs_to(page, "play")
    print(f"Tab presses from the top to Play: {presses}")
    assert presses <= MAX_TABS_TO_PLAY
    # Tab leaves a grid in one press, Shift+Tab comes back to the cell last used.
    page.locator("[data-testid=input-grid] .cell[data-r='2'][data-c='3'] input").focus()
    page.keyboard.press("Tab")
    assert focused_cell(page)[0] != "input-grid"
    page.keyboard.press("Shift+Tab")
    assert focused_cell(page) == ("input-grid", "2", "3")
    assert watched_page.console_errors == []


def test_arrows_move_typing_replaces_and_enter_f2_escape_edit(watched_page, live_server):
    page = watched_page.page
    open_lab(page, f"{live_server.url}/?show_all=1")
    page.locator("[data-testid=input-grid] .cell[data-r='0'][data-c='0'] input").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    assert focused_cell(page) == ("input-grid", "1", "1")
    page.keyboard.type("-7", delay=150)  # typing replaces the number under the focus
    page.keyboard.press("Enter")  # keeps it and moves down
    assert focused_cell(page) == ("input-grid", "2", "1")
    page.keyboard.press("F2")  # edit in place: ←/→ now move the caret
    page.keyboard.press("ArrowLeft")
    page.keyboard.type("5", delay=150)
    assert focused_cell(page) == ("input-grid", "2", "1")
    page.keyboard.press("Escape")  # leave the edit; arrows move between cells again
    page.keyboard.press("ArrowRight")
    assert focused_cell(page) == ("input-grid", "2", "2")
    x = [row[:] for row in DEFAULT_INPUT]
    x[1][1] = -7
    x[2][1] = float(f"5{DEFAULT_INPUT[2][1]}")
    # Once the focus has left it, a cell shows its number the page's way (a real minus sign).
    expect(page.locator("[data-testid=input-grid] .cell[data-r='1'][data-c='1'] input")).to_have_value("−7")
    expect(page.locator("[data-testid=input-grid] .cell[data-r='2'][data-c='1'] input")).to_have_value(
        f"5{DEFAULT_INPUT[2][1]}"
    )
    expected = conv2d(np.array([x], float), np.array([[DEFAULT_KERNEL]], float), [0], (1, 1), (1, 1), (0,) * 4)
    expect(page.locator("[data-testid=output-grid] .cell")).to_have_text(shown(expected))
    assert watched_page.console_errors == []


def test_arrows_skip_padding_and_stop_at_the_edge(watched_page, live_server):
    page = watched_page.page
    open_lab(page, f"{live_server.url}/?padding=1")
    page.locator("[data-testid=input-grid] .cell[data-r='1'][data-c='1'] input").focus()
    page.keyboard.press("ArrowLeft")  # column 0 is padding: nowhere to go
    assert focused_cell(page) == ("input-grid", "1", "1")
    page.keyboard.press("End")
    assert focused_cell(page) == ("input-grid", "1", "5")
    page.keyboard.press("Control+End")
    assert focused_cell(page) == ("input-grid", "5", "5")


def test_output_cells_take_focus_and_enter_jumps_the_player(watched_page, live_server):
    page = watched_page.page
    open_lab(page, live_server.url)
    page.locator("[data-testid=kernel-grid] .cell[data-r='0'][data-c='0'] input").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if focused_cell(page)[0] == "output-grid":
            break
    assert focused_cell(page) == ("output-grid", "0", "0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    assert focused_cell(page) == ("output-grid", "1", "1")
    expect(page.get_by_test_id("step-counter")).to_have_text("1 / 9")  # arrows move the focus, not the player
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("step-counter")).to_have_text("5 / 9")
    expect(page.get_by_test_id("input-grid")).to_have_attribute("data-window", "1,1")
    assert watched_page.console_errors == []
