"""Every page on a phone, a tablet and a projector: no sideways scrolling, one compact header bar.

Real Chromium against a real server, at the sizes students and teachers use. The Matrix lab's
body belongs to its own layout work; here only its header is held to the phone rule when the
body is wider than the screen.
"""

import pytest
from playwright.sync_api import expect

PAGES = ["/images", "/network", "/lessons", "/lessons/stride", "/docs"]
SIZES = [(390, 844), (768, 1024), (1024, 768), (1280, 800)]
LANGUAGES = ["en", "zh-CN"]
HEADER_MAX_PX = 64  # one bar: about 44 px of touch target plus its padding


def open_page(browser, live_server, path: str, size: tuple[int, int], lang: str):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}{path}?lang={lang}")
    page.wait_for_load_state("networkidle")
    return context, page, errors


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_page_scrolls_sideways_and_the_header_is_one_bar(browser, live_server, size, lang):
    context, page, errors = open_page(browser, live_server, PAGES[0], size, lang)
    for path in PAGES:
        page.goto(f"{live_server.url}{path}?lang={lang}")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size[0], f"{path} is {width} px wide at {size[0]} px"
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= HEADER_MAX_PX, path
        language = page.locator("[data-language-select]").bounding_box()
        assert language["x"] >= 0 and language["x"] + language["width"] <= size[0], path
    assert errors == []
    context.close()


def test_matrix_lab_header_fits_a_phone(browser, live_server):
    context, page, errors = open_page(browser, live_server, "/", (390, 844), "en")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= HEADER_MAX_PX
    assert page.evaluate("document.querySelector('.site-header').scrollWidth") <= 390
    assert errors == []
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_phone_navigation_folds_behind_a_menu_button(browser, live_server, lang):
    context, page, errors = open_page(browser, live_server, "/images", (390, 844), lang)
    nav_links = page.locator(".site-nav a")
    expect(nav_links.first).to_be_hidden()
    menu = page.locator("[data-menu-button]")
    box = menu.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    assert menu.get_attribute("aria-label") == ("Menu" if lang == "en" else "菜单")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav_links).to_have_count(5)
    for link in nav_links.all():
        expect(link).to_be_visible()
        assert link.bounding_box()["height"] >= 44
    page.keyboard.press("Escape")
    expect(nav_links.first).to_be_hidden()
    assert page.evaluate("document.activeElement.dataset.menuButton") == ""
    menu.click()
    nav_links.nth(2).click()
    page.wait_for_url("**/network")
    assert errors == []
    context.close()


def test_wide_screens_show_the_navigation_without_a_menu(browser, live_server):
    context, page, _ = open_page(browser, live_server, "/lessons", (1024, 768), "en")
    expect(page.locator("[data-menu-button]")).to_be_hidden()
    expect(page.locator(".site-nav a")).to_have_count(5)
    for link in page.locator(".site-nav a").all():
        expect(link).to_be_visible()
    context.close()


def test_pinch_zoom_stays_allowed(client):
    for path in ["/", *PAGES]:
        html = client.get(path).text
        viewport = html.split('name="viewport" content="', 1)[1].split('"', 1)[0]
        assert "width=device-width" in viewport
        assert "user-scalable" not in viewport and "maximum-scale" not in viewport


def test_docs_keeps_the_site_header_with_a_way_back_to_the_labs(browser, live_server):
    context, page, errors = open_page(browser, live_server, "/docs", (1280, 800), "zh-CN")
    page.wait_for_selector(".opblock", timeout=15_000)
    expect(page.locator(".site-nav a[aria-current=page]")).to_have_text("API 文档")
    page.locator(".site-nav a", has_text="图像实验室").click()
    page.wait_for_url("**/images")
    assert errors == []
    context.close()
