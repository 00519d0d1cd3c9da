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
    assert not siblings, f"{path.name} imports {siblings}"


def test_the_app_never_imports_tests_or_bench():
    for path in APP.rglob("*.py"):
        assert not {n for n in imports(path) if n.split(".")[0] in ("tests", "bench")}, path


def exception_classes() -> dict[str, tuple[Path, ast.ClassDef]]:
    found = {}
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                getattr(base, "id", getattr(base, "attr", "")).endswith(("Error", "Exception", "Rejected"))
                for base in node.bases
            ):
                found[node.name] = (path, node)
    return found


def takes_a_rule(node: ast.ClassDef) -> bool:
    init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
    return init is not None and "rule" in {a.arg for a in init.args.args}


# Errors that carry no field or rule and never reach the API: a start-up setting, a CLI argument, a code's verdict;
# and Starlette's HTTPException for a body refused in the middleware (its own handler gives it the same shape).
MESSAGE_ONLY = {"SettingsError", "SourceError", "CodeError", "BodyTooLarge"}
# Subclasses that add only a status of their own before RuleError's arguments (the status decides the reply).
STATUS_FIRST = {"ApiError", "ImageRejected"}


def test_every_error_is_one_base():
    """Every exception with a field and a rule is a RuleError (field, rule, message, params): one handler maps it."""
    from app.api.errors import ApiError
    from app.core.errors import EngineError, RuleError
    from app.images.decode_errors import ImageRejected

    classes = exception_classes()
    ruled = {name for name, (_, node) in classes.items() if takes_a_rule(node)} - {"RuleError"}
    assert ruled == STATUS_FIRST, "one (field, rule, message, params) base; only a status may come first"
    assert all(issubclass(cls, RuleError) for cls in (ApiError, EngineError, ImageRejected))
    others = set(classes) - ruled - MESSAGE_ONLY - {"RuleError", "EngineError"}
    assert not others, f"new exception classes must derive from RuleError or be listed as message-only: {others}"


def test_one_handler_maps_every_rule_error():
    from app.api.errors import ApiError
    from app.core.errors import EngineError, RuleError
    from app.main import create_app

    handlers = create_app().exception_handlers
    assert RuleError in handlers
    assert EngineError not in handlers and ApiError not in handlers


def top_level_imports(folder: str) -> dict[Path, set[str]]:
    return {path: imports(path) for path in sorted((ROOT / folder).rglob("*.py")) if "vendor" not in path.parts}


def test_tests_never_import_bench():
    """bench/ may use tests/support and tests/reference.py; tests/ runs bench scripts as scripts, never imports them."""
    for path, names in top_level_imports("tests").items():
        benches = {n.split(".")[1] + ".py" for n in names if n.split(".")[0] == "bench" and "." in n}
        assert not benches, path


def test_benchmarks_take_shared_helpers_from_tests_support_not_conftest():
    for path, names in top_level_imports("bench").items():
        assert "tests.conftest" not in names, path


def test_shared_helpers_import_no_app_and_no_pytest():
    for path, names in top_level_imports("tests/support").items():
        assert not {n for n in names if n.split(".")[0] in ("app", "pytest", "bench")}, path


class FakeItem:
    def __init__(self, path: Path, fixtures: tuple[str, ...] = ()) -> None:
        self.path, self.fixturenames, self.marks = path, fixtures, set()

    def add_marker(self, mark) -> None:
        self.marks.add(mark.name)


@pytest.mark.parametrize(
    ("path", "fixtures", "marks"),
    [
        pytest.param("tests/browser/test_matrix_lab.py", ("live_server",), {"browser"}, id="browser_folder"),
        pytest.param("tests/test_hardening.py", ("watched_page", "live_server"), {"browser"}, id="browser_fixture"),
        pytest.param("tests/test_docker.py", (), {"system"}, id="docker"),
        pytest.param("tests/test_replicas.py", (), {"system"}, id="replicas"),
        pytest.param("tests/test_kubernetes.py", (), {"system"}, id="kubernetes"),
        pytest.param("tests/test_load.py", (), {"system"}, id="load"),
        pytest.param("tests/test_shutdown.py", (), {"system"}, id="shutdown"),
        pytest.param("tests/test_api.py", ("client",), set(), id="fast"),
    ],
)
def test_browser_and_system_markers_come_from_the_folder_file_or_fixture(path, fixtures, marks):
    from .conftest import pytest_collection_modifyitems

    assert (ROOT / path).exists()
    item = FakeItem(ROOT / path, fixtures)
    pytest_collection_modifyitems([item])
    assert item.marks == marks


def test_the_browser_test_of_the_docs_lives_under_tests_browser():
    fast = ast.parse((ROOT / "tests" / "test_docs.py").read_text(encoding="utf-8"))
    arguments = {a.arg for node in ast.walk(fast) if isinstance(node, ast.FunctionDef) for a in node.args.args}
    assert not arguments & {"browser", "watched_page", "live_server"}
    assert (ROOT / "tests" / "browser" / "test_docs_page.py").exists()


LAYER_ROUTES = ("conv.py", "pool.py", "transpose.py", "backward.py", "animation.py", "network.py")


@pytest.mark.parametrize("name", LAYER_ROUTES)
def test_layer_routes_compute_off_the_event_loop_through_offload(name):
    """One rule for where work runs: every POST handler that computes a layer is async and awaits offload.run,
    so heavy requests take a heavy slot (a plain `def` would run in the thread pool without one)."""
    tree = ast.parse((APP / "api" / "routes" / name).read_text(encoding="utf-8"))
    handlers = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and any("router.post" in ast.unparse(d) for d in node.decorator_list)
    ]
    assert handlers
    for handler in handlers:
        assert isinstance(handler, ast.AsyncFunctionDef), handler.name
        assert "offload.run(" in ast.unparse(handler), handler.name
