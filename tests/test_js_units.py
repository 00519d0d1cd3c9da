"""The front end's pure modules (geometry, arithmetic, formats, URL state, receptive-field lattice) under Node's
own test runner: `node --test tests/js/`. Part of the whole suite, so the README's test command runs them."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JS_TESTS = ROOT / "tests" / "js"


def test_node_is_installed():
    """Missing Node is a failure, not a skip: CI installs Debian's nodejs (.ci/run)."""
    assert shutil.which("node"), "node is not on PATH: install Node.js 20+ (Debian: apt-get install nodejs)"


@pytest.mark.parametrize("test_file", sorted(p.name for p in JS_TESTS.glob("*.test.mjs")))
def test_js_unit_file_passes(test_file):
    node = shutil.which("node")
    assert node, "node is not on PATH: install Node.js 20+ (Debian: apt-get install nodejs)"
    run = subprocess.run(
        [node, "--test", "--test-reporter=spec", str(JS_TESTS / test_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, f"node --test {test_file} failed:\n{run.stdout}\n{run.stderr}"


def test_every_js_test_file_is_collected():
    """A file that does not end in .test.mjs would be silently ignored by both runners."""
    strays = [p.name for p in JS_TESTS.iterdir() if p.suffix in {".js", ".mjs"} and not p.name.endswith(".test.mjs")]
    assert strays == ["golden.mjs"], f"helpers other than golden.mjs, or misnamed tests: {strays}"
