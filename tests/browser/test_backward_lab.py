"""The Backward lab in a real Chromium against a real server, as a student uses it.

Expected gradients come from loop references written here, by the definition (no shared code),
or from the torch-generated goldens, never from the page itself. Every test ends by checking
that the page logged no errors and asked no other host for anything.
"""

import re
from itertools import product

import numpy as np
import pytest
from playwright.sync_api import expect

DEFAULT_INPUT = [[3, 1, 0, 2, 5], [4, 6, 1, 0, 2], [2, 1, 7, 3, 1], [0, 2, 4, 8, 6], [1, 5, 2, 3, 9]]
DEFAULT_KERNEL = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]
SOBEL = [[1, 0, -1], [2, 0, -2], [1, 0, -1]]
TYPE_DELAY_MS = 150


FIT_INPUT = [
    [0, -2, -3, -1, 2, -2, 1, -3],
    [1, 3, -2, -3, -1, 0, -2, -1],
    [-1, -2, 4, 0, -2, -3, 2, -2],
    [-3, -1, 1, 5, 3, -1, -2, 0],
    [-2, 2, -1, 0, 6, 1, -3, -1],
    [0, -3, -2, 3, -1, 4, 0, -2],
    [-1, 1, 0, -2, -3, -1, 5, 1],
    [-2, -1, -3, 1, 0, -2, -1, 3],
]


def correlate(x, k):
    """PyTorch's conv2d (cross-correlation), valid, by the definition."""
    kh, kw = len(k), len(k[0])
    return np.array(
        [
            [sum(x[i + a][j + b] * k[a][b] for a in range(kh) for b in range(kw)) for j in range(len(x[0]) - kw + 1)]
            for i in range(len(x) - kh + 1)
        ],
        dtype=float,
    )


def grad_input_reference(grad, kernel, stride=1, padding=0, height=5, width=5):
    """d(Σ grad × conv(x)) / dx by the definition: every output cell adds grad × kernel to the cells it read."""
    kh, kw = len(kernel), len(kernel[0])
    padded = [[0.0] * (width + 2 * padding) for _ in range(height + 2 * padding)]
    for i, j in product(range(len(grad)), range(len(grad[0]))):
        for a, b in product(range(kh), range(kw)):
            padded[i * stride + a][j * stride + b] += grad[i][j] * kernel[a][b]
    return [row[padding : padding + width] for row in padded[padding : padding + height]]


def grad_weight_reference(x, grad, kh=3, kw=3):
    return [
        [sum(x[i + a][j + b] * grad[i][j] for i in range(len(grad)) for j in range(len(grad[0]))) for b in range(kw)]
        for a in range(kh)
    ]


def shown(matrix):
    """How the page writes numbers: at most 4 decimals, no trailing zeros."""
    return [re.sub(r"\.?0+$", "", f"{v:.4f}") if v != int(v) else str(int(v)) for v in np.ravel(matrix)]


def grid_values(page, testid):
    return [float(v) for v in page.locator(f"[data-testid={testid}] .bw-cell").all_inner_texts()]


def assert_clean(watched, allowed: tuple[str, ...] = ()):
    errors = [e for e in watched.console_errors if not any(a in e for a in allowed)]
    assert errors == [], errors
    assert watched.foreign_requests == [], watched.foreign_requests


def untranslated(page) -> list[str]:
    keys = page.eval_on_selector_all(
        "[data-i18n]", "els => els.filter(e => e.textContent === e.dataset.i18n).map(e => e.dataset.i18n)"
    )
    return keys + re.findall(r"\bbw\.[a-z_.]+", page.locator("body").inner_text())


def open_lab(watched, live_server, query=""):
    page = watched.page
    page.goto(f"{live_server.url}/backward{query}")
    expect(page.get_by_test_id("views-agree")).to_contain_text("✓")
    return page


def type_into(page, testid, text):
    cell = page.get_by_test_id(testid)
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text, delay=TYPE_DELAY_MS)
    return cell


def test_default_output_gradient_is_ones_and_gradients_match_the_definition(watched_page, live_server):
    page = open_lab(watched_page, live_server)
    ones = np.ones((3, 3))
    cells = page.locator("[data-testid=grad-editor] input")
    assert cells.count() == 9 and set(cells.evaluate_all("els => els.map(e => e.value)")) == {"1"}
    assert grid_values(page, "grad-input-0") == np.ravel(grad_input_reference(ones, DEFAULT_KERNEL)).tolist()
    expected_w = grad_weight_reference(DEFAULT_INPUT, ones)
    assert grid_values(page, "grad-weight-0-0") == np.ravel(expected_w).tolist()
    expect(page.get_by_test_id("bias-sentence")).to_contain_text("9")
    assert_clean(watched_page)


def test_typing_an_output_gradient_cell_recomputes_every_gradient(watched_page, live_server):
    page = open_lab(watched_page, live_server)
    cell = type_into(page, "grad-cell-0-1-2", "-2.5")
    grad = np.ones((3, 3))
    grad[1, 2] = -2.5
    expected = shown(grad_input_reference(grad, DEFAULT_KERNEL))
    expect(page.locator("[data-testid=grad-input-0] .bw-cell")).to_have_text(expected)
    expect(cell).to_have_value("-2.5")
    assert page.evaluate("document.activeElement.dataset.testid") == "grad-cell-0-1-2"
    expected_w = shown(grad_weight_reference(DEFAULT_INPUT, grad))
    expect(page.locator("[data-testid=grad-weight-0-0] .bw-cell")).to_have_text(expected_w)
    expect(page.get_by_test_id("views-agree")).to_contain_text("✓")
    # Scatter's last step and gather's last step hold the same padded-input gradient.
    page.get_by_test_id("scatter-slider").fill("8")
    page.get_by_test_id("gather-slider").fill("24")
    assert grid_values(page, "scatter-total-0") == grid_values(page, "gather-total-0")
    # A cell that is not a number is marked and not sent.
    type_into(page, "grad-cell-0-0-0", "x")
    expect(page.get_by_test_id("grad-cell-0-0-0")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-testid=grad-input-0] .bw-cell")).to_have_text(expected)
    assert_clean(watched_page)


def test_stride_leaves_holes_and_the_gather_view_says_so(watched_page, live_server):
    page = open_lab(watched_page, live_server, "?stride=2&padding=1")
    expect(page.get_by_test_id("gather-recipe")).to_contain_text("Insert 1 zero(s) between rows")
    grad = np.ones((3, 3))
    expected = shown(grad_input_reference(grad, DEFAULT_KERNEL, stride=2, padding=1))
    expect(page.locator("[data-testid=grad-input-0] .bw-cell")).to_have_text(expected)
    assert page.locator("[data-testid=gather-grids] .is-hole").count() > 0
    page.get_by_test_id("scatter-next").click()
    expect(page.get_by_test_id("scatter-sentence")).to_contain_text("rows 0–2, columns 2–4")
    assert_clean(watched_page)


def test_max_pool_routes_to_the_winner_with_one_arrow(watched_page, live_server):
    x = "1,2,2,1;2,4,5,3;2,5,9,6;1,3,6,4"
    page = watched_page.page
    page.goto(f"{live_server.url}/backward?mode=pool&pool=max&input={x}")
    expect(page.get_by_test_id("routing-sentence")).to_contain_text("input cell (1, 1) = 4")
    expect(page.locator("[data-testid=routing-stage] line")).to_have_count(1)
    page.get_by_test_id("routing-next").click()
    expect(page.get_by_test_id("routing-sentence")).to_contain_text("input cell (1, 2) = 5")
    rows = [[float(v) for v in r.split(",")] for r in x.split(";")]
    expected = np.zeros((4, 4))
    for i, j in product(range(2), range(2)):
        window = [(rows[2 * i + a][2 * j + b], 2 * i + a, 2 * j + b) for a in range(2) for b in range(2)]
        _, r, c = max(window, key=lambda item: item[0])  # max() keeps the first on ties, as torch
        expected[r, c] += 1
    expect(page.locator("[data-testid=grad-input-0] .bw-cell")).to_have_text(shown(expected))
    assert_clean(watched_page)


def test_avg_pool_spreads_over_the_real_cells(watched_page, live_server):
    page = watched_page.page
    page.goto(
        f"{live_server.url}/backward?mode=pool&pool=avg&pool_size=3&pool_stride=2&pool_padding=1&count_pad=0"
        "&input=1,2,3,4;5,6,7,8;9,10,11,12;13,14,15,16"
    )
    expect(page.get_by_test_id("routing-sentence")).to_contain_text("spread over its 4 real cells: 1 ÷ 4 = 0.25")
    expect(page.locator("[data-testid=routing-stage] line")).to_have_count(4)
    assert_clean(watched_page)


def test_learn_a_kernel_recovers_sobel(watched_page, live_server):
    page = open_lab(watched_page, live_server)
    lr = page.get_by_test_id("fit-lr")
    lr.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("0.03", delay=TYPE_DELAY_MS)
    page.get_by_test_id("fit-run").click()
    expect(page.get_by_test_id("fit-status")).to_contain_text("60 steps: the loss fell from")
    learned = np.array(grid_values(page, "fit-kernel")).reshape(3, 3)
    np.testing.assert_allclose(learned, SOBEL, atol=0.01)
    final = float(
        re.search(r"loss = (-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)", page.get_by_test_id("fit-sentence").inner_text()).group(1)
    )
    page.get_by_test_id("fit-slider").fill("0")
    expect(page.get_by_test_id("fit-sentence")).to_contain_text("After 0 step(s)")
    first = float(
        re.search(r"loss = (-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)", page.get_by_test_id("fit-sentence").inner_text()).group(1)
    )
    assert final < first / 1000
    assert grid_values(page, "fit-kernel") == [0.0] * 9
    # Step 0's gradient in the Backward view: the zero kernel, output gradient 2(y − target)/N.
    page.get_by_test_id("fit-open").click()
    expect(page.get_by_test_id("views-agree")).to_contain_text("✓")
    expect(page.locator("[data-testid=grad-editor] input")).to_have_count(36)
    target = correlate(FIT_INPUT, SOBEL)
    grad = -2 * np.array(target) / target.size  # the zero kernel's output is 0
    values = page.locator("[data-testid=grad-editor] input").evaluate_all("els => els.map(e => Number(e.value))")
    np.testing.assert_allclose(values, grad.ravel(), atol=1e-4)
    np.testing.assert_allclose(
        grid_values(page, "grad-weight-0-0"), np.ravel(grad_weight_reference(FIT_INPUT, grad)), atol=1e-4
    )
    assert grid_values(page, "grad-input-0") == [0.0] * 64  # through a zero kernel nothing reaches the input
    assert "grad=" in page.url
    assert_clean(watched_page)


def test_learning_rate_too_large_diverges_visibly(watched_page, live_server):
    page = open_lab(watched_page, live_server)
    page.get_by_test_id("fit-lr").fill("1")
    page.get_by_test_id("fit-run").click()
    expect(page.get_by_test_id("fit-status")).to_contain_text("learning rate is too large")
    assert_clean(watched_page)


def test_chinese_every_string_and_sentence(watched_page, live_server):
    page = open_lab(watched_page, live_server)
    page.locator("[data-language-select]").select_option("zh-CN")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_test_id("views-agree")).to_contain_text("两种视角得到相同的梯度")
    expect(page.get_by_test_id("scatter-sentence")).to_contain_text("印到填充后输入的第 0–2 行")
    expect(page.get_by_test_id("weight-sentence")).to_contain_text("∂损失/∂w[0, 0, 0, 0]")
    expect(page.get_by_test_id("bw-summary")).to_contain_text("激活函数：无。")  # the activation's name too
    type_into(page, "grad-cell-0-0-0", "4")
    grad = np.ones((3, 3))
    grad[0, 0] = 4
    expect(page.locator("[data-testid=grad-input-0] .bw-cell")).to_have_text(
        shown(grad_input_reference(grad, DEFAULT_KERNEL))
    )
    page.get_by_test_id("fit-run").click()
    expect(page.get_by_test_id("fit-status")).to_contain_text("损失从")
    assert untranslated(page) == []
    assert_clean(watched_page)


def test_errors_read_in_the_page_language(watched_page, live_server):
    page = watched_page.page
    page.goto(f"{live_server.url}/backward?lang=zh-CN&input=1,2;3,4&kernel=1,1,1;1,1,1;1,1,1")
    expect(page.get_by_test_id("bw-error")).to_contain_text("卷积核放不进填充后的输入")
    expect(page.get_by_test_id("bw-views")).to_be_hidden()
    assert_clean(watched_page, allowed=("status of 422",))


def test_copy_as_pytorch_carries_the_layer_and_gradient(watched_page, live_server):
    page = open_lab(watched_page, live_server, "?padding=1&padding_mode=circular&activation=tanh")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    type_into(page, "grad-cell-0-0-0", "7")
    code = page.get_by_test_id("pytorch-code")
    expect(code).to_contain_text("grad_output = torch.tensor([[[7., 1., 1., 1., 1.]")
    text = code.inner_text()
    assert 'mode="circular"' in text and "torch.tanh(y)" in text and "loss.backward()" in text
    assert "requires_grad=True" in text
    page.get_by_test_id("copy-pytorch").click()
    expect(page.get_by_test_id("copy-status")).to_contain_text("loss.backward()")
    assert page.evaluate("navigator.clipboard.readText()") == text
    assert_clean(watched_page)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1024, 768), (1280, 800)])
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_screenshots(watched_page, live_server, artifacts, width, height, lang):
    page = watched_page.page
    page.set_viewport_size({"width": width, "height": height})
    page = open_lab(watched_page, live_server, f"?stride=2&padding=1&lang={lang}")
    page.get_by_test_id("scatter-next").click()
    page.get_by_test_id("fit-run").click()
    expect(page.get_by_test_id("fit-result")).to_be_visible()
    # Wide grids scroll inside their own box; the page itself never scrolls sideways.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, "the page scrolls sideways"
    page.screenshot(path=artifacts / f"backward-lab-{lang}-{width}.png", full_page=True)
    page.goto(f"{live_server.url}/backward?mode=pool&pool=max&input=1,2,2,1;2,4,5,3;2,5,9,6;1,3,6,4&lang={lang}")
    expect(page.locator("[data-testid=routing-stage] line")).to_have_count(1)
    page.screenshot(path=artifacts / f"backward-lab-pool-{lang}-{width}.png", full_page=True)
    assert_clean(watched_page)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_lesson_opens_the_backward_lab_where_stride_leaves_holes(watched_page, live_server, artifacts, lang):
    page = watched_page.page
    page.goto(f"{live_server.url}/lessons/backward-pass?lang={lang}")
    assert untranslated(page) == []
    page.screenshot(path=artifacts / f"lesson-backward-pass-{lang}.png", full_page=True)
    page.locator("a[href*='stride=2']").click()
    expect(page.get_by_test_id("views-agree")).to_contain_text("✓")
    ones = [[1.0] * 3] * 3
    expected = grad_input_reference(np.ones((2, 2)), ones, stride=2, height=6, width=6)
    assert expected[5] == [0.0] * 6 and [row[5] for row in expected] == [0.0] * 6  # the holes the lesson asks about
    expect(page.locator("[data-testid=grad-input-0] .bw-cell")).to_have_text(shown(expected))
    expect(page.get_by_test_id("forward-output").locator(".bw-cell")).to_have_count(4)
    assert_clean(watched_page)


def test_the_gather_view_downloads_as_a_gif(watched_page, live_server):
    page = open_lab(watched_page, live_server, "?stride=2")
    with page.expect_download() as download:
        page.get_by_test_id("gather-gif").click()
    assert download.value.suggested_filename == "convscope-backward-gather.gif"
    with open(download.value.path(), "rb") as gif:
        assert gif.read(6) == b"GIF89a"
    expect(page.get_by_test_id("gif-status")).to_have_text("GIF saved.")
    assert_clean(watched_page)


def test_the_matrix_lab_opens_its_layer_in_the_backward_lab(watched_page, live_server):
    """A student changes the layer in the Matrix lab, then asks for its gradients: the same layer arrives."""
    page = watched_page.page
    page.goto(f"{live_server.url}/")
    stride = page.get_by_test_id("stride")
    stride.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("2", delay=TYPE_DELAY_MS)
    expect(page.get_by_test_id("step-counter")).to_have_text(re.compile(r"/ 4$"))
    expect(page.get_by_test_id("open-backward")).to_have_attribute("href", re.compile(r"/backward\?.*stride=2"))
    query = page.evaluate("location.search")
    page.get_by_test_id("open-backward").click()
    page.wait_for_url("**/backward?*")
    assert page.evaluate("location.search") == query
    expect(page.get_by_test_id("views-agree")).to_contain_text("✓")
    expected = shown(grad_input_reference(np.ones((2, 2)), DEFAULT_KERNEL, stride=2))
    expect(page.locator("[data-testid=grad-input-0] .bw-cell")).to_have_text(expected)
    assert_clean(watched_page)
