"""Real servers for the tests and the benchmarks: uvicorn or `convscope serve` on a free port, ready at /healthz."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CONVSCOPE_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen


def wait_for_healthz(
    process: subprocess.Popen, url: str, name: str, seconds: float = 30, ready: Callable[[], bool] = lambda: True
) -> LiveServer:
    """Poll `/healthz` until the server answers (and `ready()` holds); fail with its last words if it exits
    or never answers. The one wait for a server, for the tests and the benchmarks alike."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            words = process.stderr.read().decode()[-2000:] if process.stderr else f"exit status {process.returncode}"
            raise RuntimeError(f"{name} exited: {words}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200 and ready():
                return LiveServer(url, process)
        except httpx.HTTPError:
            pass
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
