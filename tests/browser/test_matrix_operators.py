"""The arithmetic's × and · read as operators in 简体中文 too, not as full-width CJK glyphs.

On a Chinese system the UI font (system-ui) is a CJK face, whose "×" and "·" are a full em wide, so
"4×1 + 6×0" spreads out like a list. The test makes Chromium's page font that CJK face (the
Noto Sans CJK SC subset the animations ship, served to the page by the test) and measures each
operator glyph of the arithmetic in em, with Range boxes.
"""

import pytest
from playwright.sync_api import expect

from app.render.text import CAPTION_FONTS

CJK_FACE = CAPTION_FONTS["zh-CN"]  # holds × and · (and the digits) as Noto Sans CJK SC draws them
CJK_SYSTEM_FONT = """
@font-face { font-family: "CJK System UI"; src: url("/test-fonts/cjk.otf"); }
:root { --font: "CJK System UI", sans-serif; }
"""
# The width of the first `char` in `selector`'s text, in em of the element that holds it.
GLYPH_EM = """([selector, char]) => {
  const host = document.querySelector(selector);
  const walker = document.createTreeWalker(host, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent.indexOf(char);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + 1);
      return range.getBoundingClientRect().width / parseFloat(getComputedStyle(node.parentElement).fontSize);
    }
  }
  return null;
}"""
FULL_WIDTH_EM = 1.0


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_products_and_the_step_separator_are_narrow_under_a_cjk_system_font(browser, live_server, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)  # the test's style tag
    page = context.new_page()
    face = CJK_FACE.read_bytes()
    page.route("**/test-fonts/cjk.otf", lambda route: route.fulfill(body=face, content_type="font/otf"))
    page.goto(f"{live_server.url}/?lang={lang}&step=4")
    expect(page.get_by_test_id("step-counter")).to_have_text("4 / 9")
    page.add_style_tag(content=CJK_SYSTEM_FONT)
    page.evaluate("document.fonts.load('16px \"CJK System UI\"', '×·')")
    page.wait_for_function("document.fonts.check('16px \"CJK System UI\"', '×')")
    # The CJK face is in use for the page's words: its own "×" is full-width.
    assert page.evaluate(GLYPH_EM, [".panel-shape", "×"]) == pytest.approx(FULL_WIDTH_EM, abs=0.05)
    times = page.evaluate(GLYPH_EM, [".arith-body", "×"])
    dot = page.evaluate(GLYPH_EM, [".arith-heading", "·"])
    assert times < 0.9 * FULL_WIDTH_EM, f"× is {times:.2f} em"
    assert dot < 0.6 * FULL_WIDTH_EM, f"· is {dot:.2f} em"
    context.close()
