"""Shared fixtures: an in-process client, a real uvicorn server, and a real Chromium.

The browser fixtures drive Debian's Chromium through Playwright (no downloaded browser)
and record console errors and any request that leaves the test server.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

from .support.servers import (  # noqa: F401  (the test modules import these from here)
    CHROMIUM,
    ROOT,
    LiveServer,
    free_port,
    start_convscope,
    start_server,
    stop_server,
    wait_for_healthz,
)

ARTIFACTS = ROOT / "tests" / "artifacts"
BROWSER_FIXTURES = {"browser", "watched_page"}
SYSTEM_FILES = {"test_docker.py", "test_replicas.py", "test_kubernetes.py", "test_load.py", "test_shutdown.py"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by where it lives, so `make test-fast` (-m "not browser and not system") needs no list."""
    for item in items:
        path = Path(str(item.path))
        if "browser" in path.parent.parts[-1:] or BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
        if path.name in SYSTEM_FILES:
            item.add_marker(pytest.mark.system)


@pytest.fixture(scope="session")
def app():
    return create_app(Settings())


@pytest.fixture(scope="session")
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


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
        latency = int(os.environ.get("CONVSCOPE_TEST_LATENCY_MS", "0"))
        if latency:
            slow_every_page(chromium, latency)
        yield chromium
        chromium.close()


def slow_every_page(chromium, latency_ms: int) -> None:
    """Give every page of every context a network round trip of `latency_ms`, as a classroom's Wi-Fi does.

    A race hunt, not a suite: `CONVSCOPE_TEST_LATENCY_MS=400 make test` shows the tests that act on the page
    before it is ready, which a loaded CI machine otherwise reveals one at a time.
    """
    new_context = chromium.new_context

    def slowed(page) -> None:
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        conditions = {"offline": False, "latency": latency_ms, "downloadThroughput": -1, "uploadThroughput": -1}
        session.send("Network.emulateNetworkConditions", conditions)

    def new_slow_context(**options):
        context = new_context(**options)
        context.on("page", slowed)
        return context

    chromium.new_context = new_slow_context


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
