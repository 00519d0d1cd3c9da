"""Each page preloads every module its script imports, so a phone fetches them in one round trip."""

import re
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parents[1] / "static" / "js"
IMPORT = re.compile(r'(?:from|import)\s+"(\.{1,2}/[^"]+)"')


def imported_by(entry: str) -> set[str]:
    """Every module reachable from `entry` by static imports, as paths under static/js (read independently)."""
    seen: set[str] = set()
    todo = [JS / entry]
    while todo:
        module = todo.pop()
        for target in IMPORT.findall(module.read_text(encoding="utf-8")):
            path = (module.parent / target).resolve()
            name = path.relative_to(JS).as_posix()
            if name not in seen:
                seen.add(name)
                todo.append(path)
    return seen - {entry}


@pytest.mark.parametrize(
    ("page", "entry"),
    [
        ("/", "matrix-lab.js"),
        ("/images", "image-lab.js"),
        ("/network", "network-lab.js"),
        ("/backward", "backward-lab.js"),
        ("/lessons", "lessons.js"),
        ("/practice", "practice/student.js"),
    ],
)
def test_a_page_preloads_exactly_the_modules_its_script_imports(client, page, entry):
    html = client.get(page).text
    preloaded = re.findall(r'<link rel="modulepreload" href="/static/js/([^"]+)">', html)
    assert sorted(preloaded) == sorted(imported_by(entry))
    assert f'<script type="module" src="/static/js/{entry}?v=' in html
    assert html.index("modulepreload") < html.index(f"/static/js/{entry}?v=")  # asked for before the entry runs
