"""The real container: built by Docker Engine from the Dockerfile users build, run as compose.yaml says.

`docker-compose up -d` starts it with compose's hardening (read-only root, tmpfs /tmp, no capabilities,
no-new-privileges, memory and process limits); the tests then use it as a class would, over a loopback port, and
finally `docker-compose down` stops it while a JSON Lines trace is streaming, which must arrive whole.
Where no engine runs, these tests fail and say how to start one (`deploy/docker/engine.sh`); they never skip.
"""

import io
import json
import os
import re
import subprocess
import threading
import time
from html.parser import HTMLParser

import httpx
import numpy as np
import pytest
import yaml
from fastapi.testclient import TestClient
from PIL import Image

from app.main import create_app

from . import reference
from .conftest import ROOT, free_port
from .docker_engine import Project, docker, health, require_base_image, require_engine, wait_until

pytestmark = pytest.mark.timeout(1800)  # a cold build (base, dependencies) on a busy 2-core machine

COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]["convscope"]
PAGES = ["/", "/images", "/network", "/lessons", "/docs"]
GRACEFUL_SHUTDOWN_S = int(re.search(r"timeout_graceful_shutdown=(\d+)", (ROOT / "app" / "cli.py").read_text())[1])
STREAM_SIZE = 256  # the trace of a 256×256 layer: 64,516 frames, several MB, so it is surely mid-stream at `down`


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value and value.startswith("/static/"):
                self.links.append(value)


@pytest.fixture(scope="module")
def service():
    require_engine()
    require_base_image()
    port = free_port()
    publish = {"CONVSCOPE_PUBLISH": f"127.0.0.1:{port}"}  # loopback only: nothing outside this machine reaches it
    project = Project(f"convscope-test-{os.getpid()}", ROOT / "compose.yaml", publish)
    project.build()
    print(f"\nimage built in {project.build_seconds:.0f} s")
    try:
        project.compose("up", "-d")
        project.url = f"http://127.0.0.1:{port}"
        wait_until("the container answers /healthz", lambda: httpx.get(f"{project.url}/healthz").status_code == 200)
        yield project
    finally:
        project.down()


def test_compose_runs_it_hardened(service):
    host = service.inspect("convscope")["HostConfig"]
    assert host["ReadonlyRootfs"] is True
    assert "/tmp" in host["Tmpfs"]
    assert host["CapDrop"] == ["ALL"]
    assert "no-new-privileges:true" in host["SecurityOpt"]
    assert host["Memory"] == int(COMPOSE["mem_limit"].rstrip("m")) * 1024 * 1024
    assert host["PidsLimit"] == COMPOSE["pids_limit"]
    assert host["RestartPolicy"]["Name"] == COMPOSE["restart"]


def test_compose_waits_longer_than_the_servers_graceful_shutdown():
    assert int(COMPOSE["stop_grace_period"].rstrip("s")) > GRACEFUL_SHUTDOWN_S


def test_server_and_every_worker_run_as_uid_10001(service):
    container = service.container("convscope")
    processes = docker("top", container, "-o", "pid,uid,args").splitlines()[1:]
    workers = int(COMPOSE["environment"]["CONVSCOPE_WORKERS"])
    assert len(processes) >= 1 + workers, processes  # the supervisor and its workers
    assert {line.split()[1] for line in processes} == {"10001"}, processes
    assert docker("exec", container, "id", "-u").strip() == "10001"


def test_root_file_system_is_read_only_and_tmp_writable(service):
    container = service.container("convscope")
    write = "import sys; open(sys.argv[1], 'w').write('x')"
    # Even root (its own files, no capabilities needed) cannot write: the file system itself refuses.
    refused = subprocess.run(
        ["docker", "exec", "-u", "0", container, "python", "-c", write, "/srv/convscope/x"],
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "Read-only file system" in refused.stderr, refused.stderr
    docker("exec", container, "python", "-c", write, "/tmp/x")


def test_image_holds_the_app_and_nothing_else(service):
    listing = set(docker("exec", service.container("convscope"), "ls", "-A", "/srv/convscope").split())
    assert {"app", "templates", "static", "pyproject.toml", "constraints.txt", "README.md"} <= listing
    assert not listing & {".venv", ".git", "tests", "bench", "deploy", "Dockerfile", ".ci"}, listing


def test_healthz(service):
    response = httpx.get(f"{service.url}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_and_its_static_assets(service, path):
    page = httpx.get(f"{service.url}{path}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    parser = _Assets()
    parser.feed(page.text)
    assert parser.links, f"{path} links no script or style"
    for link in parser.links:
        assert httpx.get(f"{service.url}{link}").status_code == 200, link


def test_conv_request_matches_the_reference(service):
    x = [[(r * 7 + c * 3) % 11 - 5 for c in range(9)] for r in range(8)]
    kernel = [[1, 0, -1], [2, 0, -2], [1, 0, -1]]
    body = {"input": x, "kernel": kernel, "stride": 2, "padding": 1}
    response = httpx.post(f"{service.url}/api/v1/conv2d", json=body)
    assert response.status_code == 200, response.text
    expected = reference.conv2d(np.array([x], float), np.array([[kernel]], float), [0.0], (2, 2), (1, 1), (1, 1, 1, 1))
    np.testing.assert_allclose(response.json()["output"], expected, rtol=1e-6)


def test_upload_is_answered_as_this_checkout_answers_it(service):
    picture = Image.radial_gradient("L").resize((48, 40)).convert("RGB")
    data = io.BytesIO()
    picture.save(data, format="PNG")
    files = {"image": ("gradient.png", data.getvalue(), "image/png")}
    form = {"kernel_preset": "sobel_x", "max_side": "32"}
    response = httpx.post(f"{service.url}/api/v1/images/conv2d", files=files, data=form, timeout=60)
    assert response.status_code == 200, response.text
    with TestClient(create_app()) as local:
        expected = local.post("/api/v1/images/conv2d", files=files, data=form).json()
    assert response.json() == expected
    assert response.json()["source"]["size"] == [27, 32]


def test_animation_is_a_gif_with_a_picture_per_frame(service):
    body = {"input": [[(r * 5 + c) % 7 - 3 for c in range(5)] for r in range(5)], "kernel": [[1, 0, -1]] * 3}
    frames = httpx.post(f"{service.url}/api/v1/conv2d", json=body).json()["frame_count"]
    response = httpx.post(f"{service.url}/api/v1/conv2d/animation", json=body | {"format": "gif"}, timeout=60)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/gif"
    assert Image.open(io.BytesIO(response.content)).n_frames == frames


def test_docker_reports_it_healthy(service):
    # The image's HEALTHCHECK runs every 30 s; the first verdict comes after one interval.
    wait_until("docker reports the container healthy", lambda: health(service, "convscope") == "healthy", 150, 2)


def test_compose_down_lets_a_trace_in_flight_finish(service):
    """`docker-compose down` sends SIGTERM; uvicorn finishes the responses in flight before the container exits.

    The stop and the removal run as `stop`, then `down`, so that the container's log is still there to
    read: a failure prints what the server said while it was stopping.
    """
    body = {
        "input": [[(i * j) % 7 for j in range(STREAM_SIZE)] for i in range(STREAM_SIZE)],
        "kernel": [[1, 0, -1]] * 3,
    }
    expected = (STREAM_SIZE - 2) ** 2
    stopped = {}

    def down() -> None:
        started = time.monotonic()
        stopped["stop"] = service.compose("stop", check=False, timeout=120)
        stopped["seconds"] = time.monotonic() - started
        stopped["log"] = service.compose("logs", "--no-color", check=False, timeout=60).stdout[-4000:]
        stopped["result"] = service.compose("down", check=False, timeout=120)

    frames, broken = [], None
    with httpx.stream("POST", f"{service.url}/api/v1/conv2d/frames", json=body, timeout=120) as response:
        assert response.status_code == 200
        lines = response.iter_lines()
        frames.append(next(lines))
        stopper = threading.Thread(target=down)
        stopper.start()
        time.sleep(2.0)  # compose is stopping the container while this response is still being sent
        try:
            frames.extend(line for line in lines if line)
        except httpx.HTTPError as error:
            broken = error
    stopper.join(timeout=180)
    said = f"after {len(frames)} of {expected} frames; the server's log while stopping:\n{stopped.get('log')}"
    assert broken is None, f"{broken!r} {said}"
    assert len(frames) == expected, said
    assert [json.loads(line)["step"] for line in (frames[0], frames[-1])] == [0, expected - 1]
    assert stopped["stop"].returncode == 0, stopped["stop"].stderr
    # Well inside stop_grace_period: the server stopped by itself, not by the SIGKILL that follows it.
    assert stopped["seconds"] < int(COMPOSE["stop_grace_period"].rstrip("s")), said
    assert stopped["result"].returncode == 0, stopped["result"].stderr
    assert not service.compose("ps", "-q").stdout.strip()
    assert re.search(r"Removing .*convscope", stopped["result"].stderr)
