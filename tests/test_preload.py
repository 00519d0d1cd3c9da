"""The Matrix lab preloads every module its script imports, so a phone fetches them in one round trip."""

import re
from pathlib import Path

JS = Path(__file__).resolve().parents[1] / "static" / "js"
IMPORT = re.compile(r'(?:from|import)\s+"(\.{1,2}/[^"]+)"')


def imported_by(entry: str) -> set[str]:
    """Every module reachable from `entry` by static imports, as paths under static/js."""
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
    return seen


def test_matrix_lab_preloads_exactly_the_modules_it_imports(client):
    page = client.get("/").text
    preloaded = set(re.findall(r'<link rel="modulepreload" href="/static/js/([^"]+)">', page))
    assert preloaded == imported_by("matrix-lab.js")
