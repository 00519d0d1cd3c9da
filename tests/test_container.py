"""What the Docker image would run, proved without a Docker engine.

The test plays the Dockerfile itself: it sends the build context through `.dockerignore`,
replays COPY, ENV, WORKDIR, SHELL and RUN (pip lines run in a fresh virtual environment that
stands in for the image's Python), then starts the exec-form CMD as an unprivileged user and
probes it. A Dockerfile that forgets a folder, or a `.dockerignore` that drops one, fails here.
"""

import json
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import httpx
import pytest
import yaml

from .conftest import ROOT, free_port

DOCKERFILE = ROOT / "Dockerfile"
# RUN commands that manage the image's users: the emulation runs the server as `nobody` instead.
USER_MANAGEMENT = ("useradd", "groupadd", "adduser", "addgroup")
# A Python whose files an unprivileged user can read (pyenv's may live under a private /root).
IMAGE_PYTHON = shutil.which("python3", path="/usr/local/bin:/usr/bin") or sys.executable


@dataclass
class Dockerfile:
    """The instructions of a Dockerfile, joined across line continuations."""

    instructions: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def parse(cls, path: Path) -> "Dockerfile":
        text = re.sub(r"\\\n\s*", " ", path.read_text())
        parsed = cls()
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                keyword, _, rest = line.partition(" ")
                parsed.instructions.append((keyword.upper(), rest.strip()))
        return parsed

    def all(self, keyword: str) -> list[str]:
        return [rest for kw, rest in self.instructions if kw == keyword]

    def last(self, keyword: str) -> str:
        found = self.all(keyword)
        assert found, f"the Dockerfile has no {keyword}"
        return found[-1]


def env_pairs(rest: str) -> dict[str, str]:
    """`ENV A=1 B="two words"` as a dict (the key=value form only, which hadolint asks for)."""
    pairs = {}
    for token in shlex.split(rest):
        key, sep, value = token.partition("=")
        assert sep, f"ENV {rest!r}: use the KEY=value form"
        pairs[key] = value
    return pairs


def dockerignore_patterns(context: Path) -> list[tuple[bool, re.Pattern]]:
    """(negated, regex) per line of .dockerignore, with Docker's `*`, `?` and `**`."""
    patterns = []
    for raw in (context / ".dockerignore").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        line = str(PurePosixPath(line.lstrip("!").strip().lstrip("/")))
        regex = ""
        for part in re.split(r"(\*\*/?|\*|\?)", line):
            regex += {"**/": "(.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(part, re.escape(part))
        patterns.append((negated, re.compile(regex + r"\Z")))
    return patterns


def is_ignored(relative: PurePosixPath, patterns: list[tuple[bool, re.Pattern]]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parents decides."""
    candidates = [str(relative), *(str(parent) for parent in relative.parents if str(parent) != ".")]
    ignored = False
    for negated, regex in patterns:
        if any(regex.match(candidate) for candidate in candidates):
            ignored = not negated
    return ignored


def copy_build_context(source: Path, target: Path) -> None:
    patterns = dockerignore_patterns(source)
    for path in sorted(source.rglob("*")):
        relative = PurePosixPath(path.relative_to(source).as_posix())
        if path.is_file() and not path.is_symlink() and not is_ignored(relative, patterns):
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)


@dataclass
class Image:
    """The emulated image: a root folder, a venv for its Python, and the final ENV, WORKDIR, USER and CMD."""

    root: Path
    venv: Path
    env: dict[str, str]
    workdir: Path
    cmd: list[str]
    healthcheck: list[str]

    def path(self, inside: str) -> Path:
        return self.root / inside.lstrip("/")


def build(dockerfile: Dockerfile, context: Path, root: Path) -> Image:
    venv = root / "usr" / "local"
    subprocess.run([IMAGE_PYTHON, "-m", "venv", venv], check=True)
    env: dict[str, str] = {"PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin", "HOME": "/nonexistent"}
    workdir = root
    shell = ["/bin/sh", "-c"]
    for keyword, rest in dockerfile.instructions:
        if keyword == "ENV":
            env.update(env_pairs(rest))
        elif keyword == "WORKDIR":
            workdir = root / rest.lstrip("/")
            workdir.mkdir(parents=True, exist_ok=True)
        elif keyword == "SHELL":
            shell = json.loads(rest)
        elif keyword == "COPY":
            *sources, destination = shlex.split(rest)
            assert not any(s.startswith("--") for s in sources), "COPY flags are not emulated"
            target = workdir / destination
            for source in sources:
                origin = context / source
                assert origin.exists(), f"COPY {source}: not in the build context (check .dockerignore)"
                if origin.is_dir():
                    shutil.copytree(origin, target, dirs_exist_ok=True)
                elif destination.endswith("/"):
                    target.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(origin, target / origin.name)
                else:
                    shutil.copy2(origin, target)
        elif keyword == "RUN":
            if rest.split()[0] in USER_MANAGEMENT:
                continue
            subprocess.run([*shell, rest], cwd=workdir, env=env, check=True, stdout=subprocess.DEVNULL)
    healthcheck = dockerfile.last("HEALTHCHECK")
    return Image(
        root=root,
        venv=venv,
        env=env,
        workdir=workdir,
        cmd=json.loads(dockerfile.last("CMD")),
        healthcheck=json.loads(healthcheck.split(" CMD ", 1)[1]),
    )


def as_nobody(command: list[str]) -> list[str]:
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> Image:
    base = tmp_path_factory.mktemp("container")
    context, root = base / "context", base / "image"
    copy_build_context(ROOT, context)
    built = build(Dockerfile.parse(DOCKERFILE), context, root)
    for directory in (base, *base.parents):  # let `nobody` reach the image, as a container's user would
        if directory != Path("/"):
            directory.chmod(directory.stat().st_mode | 0o055)
    subprocess.run(["chmod", "-R", "go+rX", str(base)], check=True)
    return built


@dataclass
class Running:
    url: str
    process: subprocess.Popen
    env: dict[str, str]


@pytest.fixture(scope="module")
def container(image: Image) -> Iterator[Running]:
    port = free_port()
    # As `docker run -p 127.0.0.1:PORT:PORT`: only loopback here, the image's own host setting is checked below.
    env = {**image.env, "CONVSCOPE_PORT": str(port), "CONVSCOPE_HOST": "127.0.0.1"}
    command = [shutil.which(image.cmd[0], path=env["PATH"]) or image.cmd[0], *image.cmd[1:]]
    process = subprocess.Popen(
        as_nobody(command), cwd=image.workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"the image's CMD exited with {process.returncode}: {process.stderr.read().decode()[-3000:]}"
                )
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the image's CMD did not answer /healthz within 60 s"
            time.sleep(0.2)
        yield Running(url, process, env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value and value.startswith("/static/"):
                self.links.append(value)


def test_image_listens_on_all_interfaces_with_several_workers(image: Image) -> None:
    assert image.env["CONVSCOPE_HOST"] == "0.0.0.0"
    assert int(image.env["CONVSCOPE_WORKERS"]) > 1
    assert "EXPOSE 8000" in DOCKERFILE.read_text()


def test_image_runs_as_a_non_root_user() -> None:
    user = Dockerfile.parse(DOCKERFILE).last("USER")
    assert user.split(":")[0] not in ("root", "0")


def test_dockerignore_keeps_the_venv_tests_and_git_out(image: Image) -> None:
    context = image.root.parent / "context"
    for name in (".venv", ".git", "tests", "bench"):
        assert not (context / name).exists(), name
    assert not list(context.rglob("__pycache__"))


def test_server_and_workers_are_not_root(container: Running) -> None:
    pid = container.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    assert children, "the server started no worker processes"
    for process in (pid, *map(int, children)):
        status = Path(f"/proc/{process}/status").read_text()
        uids = next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1:]
        assert set(uids) == {"65534"}, (process, uids)


def test_healthz(container: Running) -> None:
    response = httpx.get(f"{container.url}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthcheck_command_passes(image: Image, container: Running) -> None:
    command = [shutil.which(image.healthcheck[0], path=container.env["PATH"]), *image.healthcheck[1:]]
    result = subprocess.run(as_nobody(command), env=container.env, cwd=image.workdir, capture_output=True, timeout=10)
    assert result.returncode == 0, result.stderr.decode()


def test_page_and_its_static_assets(container: Running) -> None:
    page = httpx.get(f"{container.url}/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    parser = _Assets()
    parser.feed(page.text)
    for link in parser.links:
        assert httpx.get(f"{container.url}{link}").status_code == 200, link


def test_static_files_are_served(container: Running) -> None:
    for path in ("/static/js/docs.js", "/static/vendor/swagger-ui/swagger-ui.css"):
        response = httpx.get(f"{container.url}{path}")
        assert response.status_code == 200, path


def test_docs_page_is_served(container: Running) -> None:
    response = httpx.get(f"{container.url}/docs")
    assert response.status_code == 200
    assert "/static/js/docs.js" in response.text


def test_conv_request(container: Running) -> None:
    body = {"input": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "kernel": [[1, 0], [0, -1]]}
    response = httpx.post(f"{container.url}/api/v1/conv2d", json=body)
    assert response.status_code == 200
    # cross-correlation: out[i][j] = x[i][j] - x[i+1][j+1] = -4 everywhere
    assert response.json()["output"] == [[[-4, -4], [-4, -4]]]


def test_compose_builds_this_image_and_outlasts_graceful_shutdown() -> None:
    service = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]["convscope"]
    assert service["build"] == "."
    assert "8000:8000" in service["ports"]
    assert int(service["stop_grace_period"].rstrip("s")) > 30  # the CLI's timeout_graceful_shutdown
