"""The pages' strings, sent already in the page's language.

The front end's catalogues (static/js/i18n.js and the modules that call `addMessages`) stay the one source
of every string. Read here once per process, they let the server fill a page's `data-i18n` elements and
attributes before it leaves: the first paint is in the student's language, and the script that starts the
page finds nothing to translate, lay out again or move. The script still switches languages on the page.

A page's strings are what its scripts would assemble: each module's `addMessages` calls, in the order the
browser evaluates the modules (imports first), later keys overriding earlier ones, English as the fallback.
"""

import json
import re
from functools import lru_cache

from fastapi import Request
from markupsafe import escape

from .modules import JS, evaluation_order

LANGUAGES = ("en", "zh-CN")
COOKIE = "convscope_lang"  # written by static/js/i18n.js when a student picks a language

BLOCK = re.compile(r'addMessages\("([\w-]+)", \{\n(.*?)\n\}\);', re.S)
BASE = re.compile(r'^  ("?[\w-]+"?): \{\n(.*?)\n  \},$', re.S | re.M)  # i18n.js's own `messages` table
PAIR = re.compile(r'"([\w.\-]+)":\s*"((?:[^"\\]|\\.)*)"', re.S)
TEXT = re.compile(r'(<(\w+)\b[^<>]*?\sdata-i18n="([^"{}]+)"[^<>]*>)(</\2>)')
TAG = re.compile(r"<\w+\b[^<>]*\sdata-i18n-[^<>]*>")
ATTRIBUTE = re.compile(r'\sdata-i18n-(title|aria-label|placeholder|label)="([^"{}]+)"')
PLACEHOLDER = re.compile(r"\{\w+\}")
SCRIPT = re.compile(r'<script type="module"[^>]*\ssrc="[^"]*/static/js/([\w./-]+\.js)')


def _strings(source: str) -> dict[str, str]:
    return {key: json.loads('"' + value.replace("\\'", "'") + '"') for key, value in PAIR.findall(source)}


@lru_cache(maxsize=64)
def _module_messages(module: str) -> tuple[tuple[str, dict[str, str]], ...]:
    """The `addMessages(lang, {...})` calls of one module (for i18n.js, its built-in table), in source order."""
    source = (JS / module).read_text(encoding="utf-8")
    if module == "i18n.js":
        return tuple((lang.strip('"'), _strings(body)) for lang, body in BASE.findall(source))
    return tuple((lang, _strings(body)) for lang, body in BLOCK.findall(source))


@lru_cache(maxsize=64)
def page_messages(entries: tuple[str, ...], lang: str) -> dict[str, str]:
    """The strings a page whose module scripts are `entries` would have in `lang`, English beneath."""
    merged: dict[str, str] = {}
    for wanted in ("en", lang) if lang != "en" else ("en",):
        for module in ("i18n.js", *(m for entry in entries for m in evaluation_order(entry))):
            for block_lang, strings in _module_messages(module):
                if block_lang == wanted:
                    merged.update(strings)
    return merged


def match_language(tag: str | None) -> str | None:
    """The supported language closest to a BCP 47 tag ("zh", "zh-Hans-CN" -> "zh-CN"), as the script matches it."""
    if not tag:
        return None
    tag = tag.strip()
    if tag in LANGUAGES:
        return tag
    lowered = tag.lower()
    return "zh-CN" if lowered.startswith("zh") else "en" if lowered.startswith("en") else None


def page_language(request: Request) -> str:
    """`?lang=`, then the student's last choice (a cookie), then the browser's languages, then English."""
    candidates = [request.query_params.get("lang"), request.cookies.get(COOKIE)]
    accept = request.headers.get("accept-language", "")
    candidates += [part.split(";")[0] for part in accept.split(",")]
    for tag in candidates:
        match = match_language(tag)
        if match:
            return match
    return "en"


def translate_html(html: str, lang: str) -> str:
    """Fill the empty `data-i18n` elements and the `data-i18n-*` attributes of a rendered page, set its lang."""
    entries = tuple(dict.fromkeys(SCRIPT.findall(html)))
    # A string with {placeholders} waits for the script, which knows their values.
    strings = {key: value for key, value in page_messages(entries, lang).items() if not PLACEHOLDER.search(value)}

    def text(match: re.Match) -> str:
        value = strings.get(match[3])
        return match[0] if value is None else f"{match[1]}{escape(value)}{match[4]}"

    def attributes(match: re.Match) -> str:
        tag = match[0]
        added = "".join(
            f' {name}="{escape(strings[key])}"'
            for name, key in ATTRIBUTE.findall(tag)
            if key in strings and not re.search(rf"\s{name}=", tag)
        )
        return f"{tag[:-1]}{added}>"

    html = TAG.sub(attributes, TEXT.sub(text, html))
    title = re.search(r'<meta name="page-title-key" content="([^"]+)">', html)
    if title and title[1] in strings:
        html = html.replace("<title>ConvScope</title>", f"<title>{escape(strings[title[1]])} · ConvScope</title>", 1)
    return html.replace('<html lang="en"', f'<html lang="{lang}" data-served', 1)
