"""The import rules of the code, read from the source with ast (nothing is imported to check them).

app.core ← app.layers ← app.api.routes: the engine knows no web code, the layer service knows no
route and no web framework, and no route imports another route.
"""

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

APP = ROOT / "app"
WEB = ("fastapi", "starlette", "uvicorn", "httpx", "jinja2", "multipart")
# The Image lab's route still reads compute/ROOT from these siblings until it moves to app/images/lab.py (issue 11):
# pinned, so the list can only shrink.
KNOWN_SIBLINGS = {"images.py": {"conv", "pool", "pages"}}


def module_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def imports(path: Path) -> set[str]:
    """Every module `path` imports, as an absolute dotted name (relative imports resolved)."""
    package = module_of(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def sources(folder: str) -> list[Path]:
    return sorted((APP / folder).rglob("*.py"))


def web_imports(path: Path) -> set[str]:
    return {name for name in imports(path) if name.split(".")[0] in WEB}


@pytest.mark.parametrize("path", sources("core"), ids=lambda p: p.name)
def test_core_imports_no_web_code(path):
    names = imports(path)
    assert not web_imports(path)
    assert not {n for n in names if n.startswith("app.") and not n.startswith("app.core")}, "core imports only core"


@pytest.mark.parametrize("path", sources("layers"), ids=lambda p: p.name)
def test_layer_service_imports_no_route_and_no_web_framework(path):
    names = imports(path)
    assert not web_imports(path)
    assert not {n for n in names if n.startswith("app.api.routes") or n == "app.main"}
    api = {n.split(".")[2] for n in names if n.startswith("app.api.")}
    assert api <= {"schemas", "network_schemas", "backward_schemas"}, "only the request models from app.api"


@pytest.mark.parametrize("path", sources("api/routes"), ids=lambda p: p.name)
def test_routes_never_import_other_routes(path):
    own = path.stem
    siblings = {n.split(".")[3] for n in imports(path) if n.startswith("app.api.routes.")} - {own, "__init__"}
    assert siblings <= KNOWN_SIBLINGS.get(path.name, set())


def test_the_app_never_imports_tests_or_bench():
    for path in APP.rglob("*.py"):
        assert not {n for n in imports(path) if n.split(".")[0] in ("tests", "bench")}, path
