"""Every lesson URL, in both languages, in a real browser: translated, no errors, no foreign requests."""

import re

import pytest

from app.api.routes.lessons import LESSONS

LANGUAGES = ("en", "zh-CN")
SLUGS = [lesson.slug for lesson in LESSONS]


def test_lessons_routes(client):
    assert client.get("/lessons").status_code == 200
    for slug in SLUGS:
        assert client.get(f"/lessons/{slug}").status_code == 200
    missing = client.get("/lessons/no-such-lesson")
    assert missing.status_code == 404
    assert missing.json()["field"] == "slug"


def _untranslated(page) -> list[str]:
    """Elements still empty or showing their key: a string missing from the dictionaries."""
    return page.eval_on_selector_all(
        "[data-i18n]",
        "els => els.filter(e => !e.textContent.trim() || e.textContent === e.dataset.i18n).map(e => e.dataset.i18n)",
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lessons_index(watched_page, live_server, artifacts, lang):
    page = watched_page.page
    page.goto(f"{live_server.url}/lessons?lang={lang}")
    page.wait_for_selector("[data-testid=lesson-link] .lesson-title:not(:empty)")
    assert page.locator("[data-testid=lesson-link]").count() == len(LESSONS)
    assert _untranslated(page) == []
    page.screenshot(path=str(artifacts / f"lessons-index-{lang}.png"), full_page=True)
    assert watched_page.console_errors == []
    assert watched_page.foreign_requests == []


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("slug", SLUGS)
def test_every_lesson_url(watched_page, live_server, artifacts, slug, lang):
    page = watched_page.page
    page.goto(f"{live_server.url}/lessons/{slug}?lang={lang}")
    page.wait_for_selector("[data-testid=lesson] h1:not(:empty)")
    assert _untranslated(page) == []
    first = page.inner_text("[data-testid=lesson] p >> nth=0")
    assert bool(re.search(r"[\u4e00-\u9fff]", first)) == (lang == "zh-CN"), first
    links = page.eval_on_selector_all("[data-lab-link]", "els => els.map(e => e.getAttribute('href'))")
    assert links and all(f"lang={lang}" in href for href in links)
    page.screenshot(path=str(artifacts / f"lesson-{slug}-{lang}.png"), full_page=True)
    assert watched_page.console_errors == []
    assert watched_page.foreign_requests == []


def test_lesson_opens_the_matrix_lab_prepared(watched_page, live_server):
    page = watched_page.page
    page.goto(f"{live_server.url}/lessons/correlation-vs-convolution?lang=en")
    page.click("[data-lab-link] >> nth=1")
    page.wait_for_url(re.compile(r".*/\?.*flip=1.*"))
    page.wait_for_load_state("networkidle")
    assert "kernel=1,2,3;4,5,6;7,8,9" in page.url
    assert watched_page.console_errors == []
    assert watched_page.foreign_requests == []
