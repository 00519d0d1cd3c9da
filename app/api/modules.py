"""Which ES modules a page's script imports, so the page can ask for all of them at once.

Without a build step a browser discovers imports one level at a time: on a phone each level is another
round trip before the lab can draw. A page lists its entry's whole static import graph as
`<link rel="modulepreload">`, read from the files once per process.
"""

import re
from functools import lru_cache

from ..paths import STATIC

JS = STATIC / "js"
STATIC_IMPORT = re.compile(r'^\s*(?:import|export)\b[^;"]*?"(\.{1,2}/[^"]+\.js)"', re.MULTILINE)


@lru_cache(maxsize=32)
def evaluation_order(entry: str) -> tuple[str, ...]:
    """`entry` and its static imports in the order a browser evaluates them: each module after its imports."""
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        order.append(name)  # placed before its imports are visited: a cycle stops here, as the browser's does
        module = JS / name
        position = len(order) - 1
        for target in STATIC_IMPORT.findall(module.read_text(encoding="utf-8")):
            visit((module.parent / target).resolve().relative_to(JS.resolve()).as_posix())
        order.append(order.pop(position))  # ... and moved after them

    visit(entry)
    return tuple(order)


@lru_cache(maxsize=32)
def imports_of(entry: str) -> tuple[str, ...]:
    """Every module `entry` (a path under static/js) imports, directly or not, sorted; not `entry` itself."""
    return tuple(sorted(set(evaluation_order(entry)) - {entry}))
