"""Three replicas behind nginx (compose.replicas.yaml), under /convscope: a class plays through the proxy while one
replica crashes, and not one student request fails; the crashed replica is started again by its restart policy.

The crash is a SIGKILL of the replica's main process from the host, as the kernel's out-of-memory killer would
send it. (`docker kill` would not do: Docker counts it as a manual stop and restarts nothing after one.)
"""

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser

import httpx
import pytest

from .conftest import ROOT, free_port
from .docker_engine import Project, health, require_base_image, require_engine, wait_until

pytestmark = pytest.mark.timeout(1800)

REPLICAS = ["convscope-1", "convscope-2", "convscope-3"]
PREFIX = "/convscope"
VICTIM = "convscope-2"
STUDENTS, SECONDS, CRASH_AFTER = 15, 30, 10


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value for name, value in attrs if name in ("src", "href") and value and "/static/" in value]


@pytest.fixture(scope="module")
def replicas():
    require_engine()
    require_base_image()
    port = free_port()
    env = {
        "CONVSCOPE_PUBLISH": f"127.0.0.1:{port}",  # nginx on loopback only
        "CONVSCOPE_SECRET": secrets.token_hex(32),
        "CONVSCOPE_WORKERS": "1",  # three replicas of one worker: this machine has two cores
    }
    project = Project(f"convscope-replicas-{os.getpid()}", ROOT / "compose.replicas.yaml", env)
    project.build()
    print(f"\nimages built in {project.build_seconds:.0f} s")
    try:
        project.compose("up", "-d")
        project.url = f"http://127.0.0.1:{port}{PREFIX}"
        for replica in REPLICAS:
            wait_until(f"{replica} healthy", lambda replica=replica: health(project, replica) == "healthy", 180, 1)
        yield project
    finally:
        project.down()


def test_pages_and_assets_are_served_under_the_prefix(replicas):
    page = httpx.get(f"{replicas.url}/")
    assert page.status_code == 200
    parser = _Assets()
    parser.feed(page.text)
    assert parser.links and all(link.startswith(f"{PREFIX}/static/") for link in parser.links), parser.links
    origin = replicas.url.removesuffix(PREFIX)
    for link in parser.links:
        assert httpx.get(f"{origin}{link}").status_code == 200, link
    bare = httpx.get(origin + PREFIX)
    assert bare.status_code == 301 and bare.headers["location"].endswith(f"{PREFIX}/")


def test_api_answers_through_the_proxy(replicas):
    body = {"input": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "kernel": [[1, 0], [0, -1]]}
    answers = [httpx.post(f"{replicas.url}/api/v1/conv2d", json=body) for _ in range(6)]
    assert all(answer.status_code == 200 for answer in answers)
    assert len({answer.content for answer in answers}) == 1  # every replica computes the same bytes


def test_replicas_share_one_secret_and_the_prefix(replicas):
    for replica in REPLICAS:
        environment = dict(item.split("=", 1) for item in replicas.inspect(replica)["Config"]["Env"])
        assert environment["CONVSCOPE_SECRET"] == replicas.env["CONVSCOPE_SECRET"], replica
        assert environment["CONVSCOPE_ROOT_PATH"] == PREFIX, replica


def test_a_class_loses_no_request_while_a_replica_crashes_and_comes_back(replicas, tmp_path):
    restarts = replicas.inspect(VICTIM)["RestartCount"]
    results = tmp_path / "load.json"
    load = [sys.executable, str(ROOT / "bench" / "load.py"), "--url", replicas.url, "--think", "0.3"]
    load += ["--students", str(STUDENTS), "--seconds", str(SECONDS), "--json", str(results)]
    class_ = subprocess.Popen(load, cwd=ROOT, stdout=subprocess.DEVNULL)  # bench/load.py as a script: no import
    time.sleep(CRASH_AFTER)
    os.kill(replicas.inspect(VICTIM)["State"]["Pid"], signal.SIGKILL)
    crashed_at = time.monotonic()
    class_.wait(timeout=SECONDS + 120)
    report = json.loads(results.read_text())
    print(f"\nthrough the proxy, {VICTIM} crashed at {CRASH_AFTER} s: {report}")
    assert report["errors"] == 0, report["error_samples"]
    assert report["requests"] > STUDENTS * 10
    # nginx saw the crash (a reset or refused connection) and sent those requests to the other replicas.
    log = replicas.compose("logs", "--no-color", "nginx").stdout
    assert "upstream" in log, log[-2000:]

    wait_until(f"{VICTIM} restarted", lambda: replicas.inspect(VICTIM)["RestartCount"] > restarts, 60, 1)
    wait_until(f"{VICTIM} healthy again", lambda: health(replicas, VICTIM) == "healthy", 120, 1)
    print(f"{VICTIM} healthy again {time.monotonic() - crashed_at:.0f} s after the crash")
