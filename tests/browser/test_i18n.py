"""Both languages on every page: no string key left unresolved, server errors in the page's language.

`t(key)` answers the key itself when no catalogue has it, so a raw key on screen is a missing
translation; the scan reads every `data-i18n*` element and every text node outside Swagger UI.
"""

import html
import re

import pytest
from playwright.sync_api import expect

PAGES = ["/", "/images", "/network", "/lessons", "/lessons/stride", "/docs"]
LANGUAGES = ["en", "zh-CN"]

UNRESOLVED = """() => {
  const key = /^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+$/;
  const found = [];
  for (const el of document.querySelectorAll("[data-i18n]")) {
    if (el.textContent.trim() === el.dataset.i18n) found.push(el.dataset.i18n);
  }
  for (const attr of ["title", "aria-label", "placeholder"]) {
    for (const el of document.querySelectorAll(`[data-i18n-${attr}]`)) {
      if (el.getAttribute(attr) === el.getAttribute(`data-i18n-${attr}`)) found.push(el.getAttribute(attr));
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest("#swagger-ui, script, style, pre, code")) continue;
    if (key.test(node.textContent.trim())) found.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll("[aria-label], [title]")) {
    for (const value of [el.getAttribute("aria-label"), el.getAttribute("title")]) {
      if (value && key.test(value)) found.push(value);
    }
  }
  if (key.test(document.title.split(" · ")[0])) found.push(document.title);
  return found;
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_resolves_every_string_key(browser, live_server, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    for path in PAGES:
        page.goto(f"{live_server.url}{path}?lang={lang}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate(UNRESOLVED) == [], path
        skip = page.locator(".skip-link")
        assert skip.text_content() not in ("", "nav.skip"), path
        if lang == "zh-CN":
            assert re.search(r"[\u4e00-\u9fff]", skip.text_content()), path
    context.close()


def test_image_lab_says_a_server_error_in_chinese(watched_page, live_server):
    page = watched_page.page
    page.goto(f"{live_server.url}/images?lang=zh-CN")
    expect(page.get_by_test_id("feature-map")).to_have_count(4, timeout=15_000)
    page.get_by_test_id("file-input").set_input_files(
        files=[{"name": "notes.png", "mimeType": "image/png", "buffer": b"these are not pixels"}]
    )
    error = page.get_by_test_id("error")
    expect(error).to_contain_text("不是可接受格式的图片", timeout=15_000)
    expect(error).to_contain_text("PNG")  # the server's list of formats, sent as params
    assert "not an image" not in error.text_content()


def test_network_lab_says_a_misplaced_layer_in_chinese(watched_page, live_server):
    page = watched_page.page
    page.goto(f"{live_server.url}/network?lang=zh-CN")
    page.wait_for_selector(".layer-card", timeout=15_000)
    page.locator("[data-add-type]").select_option("max_pool")
    page.locator("[data-add-layer]").click()  # appended after the classifier's flatten and linear layers
    status = page.locator("[data-status]")
    expect(status).to_contain_text("需要 C×H×W 的特征图", timeout=15_000)
    expect(status).to_contain_text("展平层之前")


SERVED_PAGES = ["/", "/images", "/network", "/backward", "/lessons", "/lessons/stride", "/practice", "/docs"]
SCRIPT_STRINGS = """() => [...document.querySelectorAll("[data-i18n]")]
  .map((el) => [el.dataset.i18n, el.textContent])"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_server_sends_every_page_in_the_very_words_its_script_would_write(browser, live_server, lang):
    """Each `data-i18n` element arrives filled (app/api/catalogue.py) with the text the page's own catalogue gives
    it, so starting the page rewrites nothing: compared element by element, before any script and after."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    for path in SERVED_PAGES:
        url = f"{live_server.url}{path}?lang={lang}"
        served = page.request.get(url).text()
        assert f'<html lang="{lang}"' in served, path
        sent = [(key, text) for key, text in re.findall(r'data-i18n="([^"]+)"[^<>]*>([^<]*)<', served)]
        page.goto(url)
        page.wait_for_load_state("networkidle")
        written = page.evaluate(SCRIPT_STRINGS)[: len(sent)]
        unescaped = [(key, html.unescape(text)) for key, text in sent]
        # The static markup comes first in document order; a script may add (never reorder) elements later.
        # (Empty only where the script fills in values: tests/test_catalogue.py holds that.)
        mismatched = [(a, b) for a, b in zip(unescaped, written, strict=True) if a[0] == b[0] and a[1] and a[1] != b[1]]
        assert sum(1 for _, text in sent if text) >= 10, path  # at least the header
        assert mismatched == [], path
    context.close()
