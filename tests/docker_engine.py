"""Docker Engine and docker-compose for the container tests: the real engine, or a failure that says how to get one.

The image is the one users build (the repository's Dockerfile, `FROM python:3.11-slim-bookworm`). Where Docker Hub
is out of reach, `deploy/docker/stand-in-base.sh` makes that base from Debian's archive first (cached by label).
"""

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from .conftest import ROOT

STAND_IN = ROOT / "deploy" / "docker" / "stand-in-base.sh"
ENGINE = ROOT / "deploy" / "docker" / "engine.sh"
# BuildKit skips the throw-away container that the classic builder commits for every instruction (a full copy of
# the file system each on vfs). docker-compose builds through the `docker` command for that; Debian's, which
# matches its engine, has BuildKit built in, where a newer client elsewhere on the PATH would want buildx.
BUILD_ENV = {"DOCKER_BUILDKIT": "1", "COMPOSE_DOCKER_CLI_BUILD": "1"}
if Path("/usr/bin/docker").exists():
    BUILD_ENV["PATH"] = f"/usr/bin:{os.environ.get('PATH', '')}"


def require_engine() -> None:
    """Fail (never skip) where no engine answers: the container tests are part of CI."""
    missing = [tool for tool in ("docker", "docker-compose") if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"{' and '.join(missing)} not installed: `bash {ENGINE.relative_to(ROOT)}` installs and starts them"
        )
    info = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True)
    if info.returncode != 0:
        pytest.fail(
            f"no Docker Engine answers ({info.stderr.strip()[-300:]}): "
            f"`bash {ENGINE.relative_to(ROOT)}` starts one (dockerd --storage-driver=vfs)"
        )


def require_base_image() -> None:
    """The Dockerfile's FROM: pulled already, or the stand-in made (or kept) by the script."""
    result = subprocess.run(["bash", str(STAND_IN)], capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, f"{STAND_IN.name} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"


@dataclass
class Project:
    """One `docker-compose -p NAME -f FILE` project, so a test never touches another's containers."""

    name: str
    file: Path
    env: dict[str, str] = field(default_factory=dict)
    build_seconds: float = 0.0
    url: str = ""  # where the project serves, once it is up

    def compose(self, *args: str, check: bool = True, timeout: float = 1200) -> subprocess.CompletedProcess:
        command = ["docker-compose", "--ansi", "never", "-p", self.name, "-f", str(self.file), *args]
        env = {**os.environ, **BUILD_ENV, **self.env}
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            pytest.fail(f"{' '.join(command[6:])} failed ({result.returncode}):\n{result.stderr[-4000:]}")
        return result

    def build(self) -> None:
        started = time.monotonic()
        self.compose("build")
        self.build_seconds = time.monotonic() - started

    def container(self, service: str) -> str:
        found = self.compose("ps", "-q", service).stdout.split()
        assert found, f"compose started no container for {service}"
        return found[0]

    def inspect(self, service: str) -> dict:
        return docker_json("inspect", self.container(service))[0]

    def down(self) -> None:
        self.compose("down", "--volumes", "--remove-orphans", check=False, timeout=120)


def docker(*args: str, timeout: float = 120) -> str:
    result = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"docker {' '.join(args)}: {result.stderr[-2000:]}"
    return result.stdout


def docker_json(*args: str) -> list[dict]:
    return json.loads(docker(*args))


def wait_until(what: str, check, seconds: float = 120, every: float = 0.5):
    """Poll `check()` until it returns a truthy value; fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = check()
        except (httpx.HTTPError, AssertionError, KeyError):
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {seconds:.0f} s")
        time.sleep(every)


def health(project: Project, service: str) -> str:
    return project.inspect(service)["State"].get("Health", {}).get("Status", "none")
