"""Settings from CONVSCOPE_* variables: parsed once, and a bad one stops the server with a message naming it."""

import os
import subprocess
import sys
from dataclasses import fields

import pytest

from app.config import Settings, SettingsError
from app.core.limits import Limits

from .conftest import ROOT


def test_defaults_need_no_environment():
    settings = Settings.from_env({})
    assert settings == Settings()
    assert settings.host == "127.0.0.1"  # a laptop serves only itself until the teacher says 0.0.0.0
    assert settings.cors_origins == ()
    assert settings.frame_ancestors == "'self'"


def test_every_setting_and_limit_is_read_from_its_variable():
    environ = {}
    expected = {}
    for f in fields(Settings):
        if f.type in (int, "int"):
            environ[f"CONVSCOPE_{f.name.upper()}"] = "7"
            expected[f.name] = 7
    for f in fields(Limits):
        environ[f"CONVSCOPE_{f.name.upper()}"] = "9"
    settings = Settings.from_env(environ)
    for name, value in expected.items():
        assert getattr(settings, name) == value, name
    assert all(getattr(settings.limits, f.name) == 9 for f in fields(Limits))


def test_text_settings_and_lists():
    settings = Settings.from_env(
        {
            "CONVSCOPE_HOST": " 0.0.0.0 ",
            "CONVSCOPE_LOG_LEVEL": "warning",
            "CONVSCOPE_ROOT_PATH": "/convscope",
            "CONVSCOPE_FRAME_ANCESTORS": "'self' https://moodle.school.example",
            "CONVSCOPE_CORS_ORIGINS": "https://a.example, http://b.example:8080,,",
            "CONVSCOPE_MAX_BODY_BYTES": "4_000_000",
        }
    )
    assert settings.host == "0.0.0.0"
    assert settings.log_level == "warning"
    assert settings.root_path == "/convscope"
    assert settings.frame_ancestors == "'self' https://moodle.school.example"
    assert settings.cors_origins == ("https://a.example", "http://b.example:8080")
    assert settings.max_body_bytes == 4_000_000


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("CONVSCOPE_PORT", "eighty", "whole number"),
        ("CONVSCOPE_PORT", "70000", "between 1 and 65535"),
        ("CONVSCOPE_PORT", "0", "between 1 and 65535"),
        ("CONVSCOPE_WORKERS", "0", "at least 1"),
        ("CONVSCOPE_WORKERS", "2.5", "whole number"),
        ("CONVSCOPE_LOG_LEVEL", "loud", "one of"),
        ("CONVSCOPE_ROOT_PATH", "convscope", "start with /"),
        ("CONVSCOPE_ROOT_PATH", "/convscope/", "not end with one"),
        ("CONVSCOPE_FRAME_ANCESTORS", "'self'; script-src *", "space-separated"),
        ("CONVSCOPE_CORS_ORIGINS", "https://course.example/", "no path or trailing /"),
        ("CONVSCOPE_CORS_ORIGINS", "course.example", "origins like"),
        ("CONVSCOPE_MAX_BODY_BYTES", "-1", "at least 1"),
        ("CONVSCOPE_MAX_KERNEL_SIZE", "0", "at least 1"),
        ("CONVSCOPE_MAX_MACS", "lots", "whole number"),
    ],
    ids=[
        "port-not-a-number",
        "port-above-65535",
        "port-zero",
        "workers-zero",
        "workers-fraction",
        "log-level-unknown",
        "root-path-relative",
        "root-path-trailing-slash",
        "frame-ancestors-injects-directive",
        "cors-origin-with-path",
        "cors-origin-without-scheme",
        "body-limit-negative",
        "engine-limit-zero",
        "engine-limit-not-a-number",
    ],
)
def test_bad_values_are_refused_with_the_variable_named(variable, value, says):
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({variable: value})
    assert variable in str(raised.value)
    assert says in str(raised.value)


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CONVSCOPE_")}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.parametrize(
    ("args", "env", "variable"),
    [
        ((), {"CONVSCOPE_PORT": "http"}, "CONVSCOPE_PORT"),
        (("--port", "99999"), {}, "CONVSCOPE_PORT"),
        ((), {"CONVSCOPE_MAX_OUTPUT_CELLS": "0"}, "CONVSCOPE_MAX_OUTPUT_CELLS"),
        ((), {"CONVSCOPE_CORS_ORIGINS": "*.example"}, "CONVSCOPE_CORS_ORIGINS"),
    ],
    ids=["bad-port-variable", "bad-port-flag", "bad-limit", "bad-cors-origin"],
)
def test_serve_exits_2_with_a_message_naming_the_variable(args, env, variable):
    result = run_cli("serve", *args, env=env)
    assert result.returncode == 2
    assert result.stderr.startswith(f"convscope: {variable}")
    assert "Traceback" not in result.stderr


def test_render_limits_are_the_animation_settings_defaults_included():
    """RenderLimits is built from Settings, and its defaults are Settings' defaults (one place for the caps)."""
    from app.render import RenderLimits

    assert RenderLimits() == RenderLimits.of(Settings())
    custom = Settings.from_env({"CONVSCOPE_MAX_ANIMATION_FRAMES": "9", "CONVSCOPE_MAX_ANIMATION_PIXELS": "99"})
    assert (RenderLimits.of(custom).max_frames, RenderLimits.of(custom).max_pixels) == (9, 99)
