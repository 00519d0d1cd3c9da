"""Pages arrive in the student's language: the server fills every string from the front end's own catalogues.

The language is picked as the page's script picks it (`?lang=`, the last choice, the browser's languages); the
strings are those the page's modules would assemble, a later catalogue overriding an earlier one.
"""

import re

import pytest

from app.api.catalogue import match_language, page_messages
from app.api.modules import evaluation_order

PAGES = ["/", "/images", "/network", "/backward", "/lessons", "/lessons/stride", "/practice", "/docs"]
EMPTY = re.compile(r'<(\w+)\b[^<>]*\sdata-i18n="([^"]+)"[^<>]*></\1>')


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("path", PAGES)
def test_every_string_of_a_page_arrives_filled_in_its_language(client, path, lang):
    html = client.get(path, params={"lang": lang}).text
    assert f'<html lang="{lang}" data-served' in html
    strings = page_messages(tuple(re.findall(r'<script type="module"[^>]*/static/js/([\w./-]+\.js)', html)), lang)
    # Empty only where the script must fill in values ("Lesson {number} of {count}").
    assert [key for _, key in EMPTY.findall(html) if "{" not in strings.get(key, "")] == []
    for attribute in ("title", "aria-label", "placeholder", "label"):
        for tag in re.findall(rf"<[^<>]*\sdata-i18n-{attribute}=[^<>]*>", html):
            assert re.search(rf'\s{attribute}="[^"]+"', tag), tag
    if lang == "zh-CN":
        nav = re.search(r'data-i18n="nav.matrix"[^>]*>([^<]+)<', html)[1]
        assert re.search(r"[\u4e00-\u9fff]", nav)
    # The language switch shows its choices, the page's own chosen, before any script runs.
    switch = html.split("data-language-select")[1].split("</select>")[0]
    options = re.findall(r'<option value="(en|zh-CN)"( selected)?>', switch)
    assert options == [(v, " selected" if v == lang else "") for v in ("en", "zh-CN")]


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "expected"),
    [
        pytest.param("zh-CN", "en", "en-US", "zh-CN", id="the_address_wins"),
        pytest.param(None, "zh-CN", "en-US", "zh-CN", id="then_the_last_choice"),
        pytest.param(None, None, "zh-TW,zh;q=0.9,en;q=0.8", "zh-CN", id="then_the_browser_any_chinese"),
        pytest.param(None, None, "fr-FR,en;q=0.5", "en", id="the_first_language_we_have"),
        pytest.param(None, None, "fr-FR", "en", id="else_english"),
        pytest.param("klingon", None, "zh", "zh-CN", id="an_unknown_tag_is_passed_over"),
    ],
)
def test_the_language_is_picked_as_the_script_picks_it(client, query, cookie, accept, expected):
    params = {"lang": query} if query else {}
    client.cookies.clear()
    if cookie:
        client.cookies.set("convscope_lang", cookie)
    html = client.get("/lessons", params=params, headers={"Accept-Language": accept}).text
    client.cookies.clear()
    assert f'<html lang="{expected}"' in html


def test_pages_in_different_languages_are_kept_apart_by_caches(client):
    assert {"accept-language", "cookie"} <= {v.strip().lower() for v in client.get("/").headers["vary"].split(",")}


@pytest.mark.parametrize(
    ("entry", "skip_link"),
    [
        pytest.param("matrix-lab.js", "Skip to the lab", id="the_labs_share_common_js"),
        pytest.param("lessons.js", "Skip to the lesson", id="a_page_catalogue_overrides_common_js"),
    ],
)
def test_a_later_catalogue_overrides_an_earlier_one(entry, skip_link):
    assert page_messages((entry,), "en")["nav.skip"] == skip_link


def test_a_missing_chinese_string_falls_back_to_english():
    english, chinese = page_messages(("matrix-lab.js",), "en"), page_messages(("matrix-lab.js",), "zh-CN")
    assert set(english) <= set(chinese)


def test_modules_are_read_in_the_order_the_browser_evaluates_them():
    order = evaluation_order("lessons.js")
    assert order[-1] == "lessons.js"
    assert order.index("i18n.js") < order.index("messages/common.js") < order.index("messages/lessons.js")


@pytest.mark.parametrize(("tag", "expected"), [("zh", "zh-CN"), ("zh-Hans-CN", "zh-CN"), ("en-GB", "en"), ("de", None)])
def test_language_tags_match_as_in_the_script(tag, expected):
    assert match_language(tag) == expected


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize(
    ("path", "menu", "entries"),
    [("/", "data-preset", 15), ("/images", 'data-control="sample"', 18)],
    ids=["matrix_lab_presets", "image_lab_samples"],
)
def test_menus_the_script_would_fill_arrive_drawn_in_the_pages_language(client, path, menu, entries, lang):
    # Drawn before any script runs, they show at their final width: nothing beside them moves on start.
    html = client.get(path, params={"lang": lang}).text
    options = re.findall(r"<option\b[^>]*>([^<]+)</option>", html.split(menu, 1)[1].split("</select>", 1)[0])
    assert len(options) == entries  # the placeholder and every preset or sample
    chinese = [o for o in options if re.search(r"[\u4e00-\u9fff]", o)]
    assert bool(chinese) == (lang == "zh-CN"), options
