"""Shared fixtures: an in-process client, a real uvicorn server, and a real Chromium.

The browser fixtures drive Debian's Chromium through Playwright (no downloaded browser)
and record console errors and any request that leaves the test server.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("CONVSCOPE_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def app():
    return create_app(Settings())


@pytest.fixture(scope="session")
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen


def wait_for_healthz(process: subprocess.Popen, url: str, name: str, seconds: float = 30) -> LiveServer:
    """Poll `/healthz` until the server answers; fail with its last words if it exits or never answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {process.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return LiveServer(url, process)
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{name} did not answer /healthz within {seconds:g} s")


def start_server(env: dict[str, str] | None = None, workers: int = 1, cwd: Path = ROOT) -> LiveServer:
    """Start `uvicorn app.main:app` on a free loopback port and wait for /healthz."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    process = subprocess.Popen(
        command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    return wait_for_healthz(process, f"http://127.0.0.1:{port}", "uvicorn")


def start_convscope(
    env: dict[str, str] | None = None, workers: int = 1, *, clean: bool = False, seconds: float = 30
) -> LiveServer:
    """`convscope serve` on a free port, as production runs it (its protocol, timeouts, headers, shared secret).

    `clean` drops every CONVSCOPE_* variable of this process first, so only `env` configures the server.
    """
    port = free_port()
    base = {k: v for k, v in os.environ.items() if not (clean and k.startswith("CONVSCOPE_"))}
    environment = {**base, "CONVSCOPE_LOG_LEVEL": "warning", **(env or {})}
    command = [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return wait_for_healthz(process, f"http://127.0.0.1:{port}", "convscope serve", seconds)


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    server = start_server()
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """A page plus what it said on the console and where it tried to connect."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)


@pytest.fixture
def watched_page(browser, live_server) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    watched = Watched(page)
    page.on("console", lambda msg: msg.type == "error" and watched.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: watched.console_errors.append(str(exc)))

    def on_request(request) -> None:
        if not request.url.startswith((live_server.url, "data:", "blob:")):
            watched.foreign_requests.append(request.url)

    page.on("request", on_request)
    yield watched
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
