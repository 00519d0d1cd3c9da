"""A class of students against a multi-worker ConvScope over loopback: errors, latency, throughput, worker memory.

Each simulated student opens the page and loads its assets (the /static links of the HTML and the ES modules
they import), then, until time is up, keeps working: a conv2d request on a random small matrix followed by
paging through its frames, a pool2d request with paging, and now and then an image upload (skipped if the
server has no /api/v1/images/conv2d). The script starts its own server (`convscope serve --workers N`) on a
free loopback port unless given --url, and reads the workers' resident memory (VmRSS in /proc) at start,
after 1,000 requests (warmed up), after 10,000 and at the end.

    .venv/bin/python bench/load.py                        # 60 students, 60 s, 4 workers
    .venv/bin/python bench/load.py --students 100 --seconds 120 --json results.json
    .venv/bin/python bench/load.py --url http://127.0.0.1:8080/convscope   # a running server, behind a proxy

Exit status 1 if any request failed (a non-2xx answer, a transport error or a wrong frame page).
"""

import argparse
import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.servers import free_port, wait_for_healthz  # noqa: E402

SAMPLES = sorted((ROOT / "static" / "samples").glob("*.png"))
IMPORT = re.compile(rb"""(?:import|from)\s*["'](\.{1,2}/[^"']+)["']""")
RSS_CHECKPOINTS = (1_000, 10_000)  # after warm-up (imports, first allocations), then the memory-flatness mark


@dataclass
class Report:
    students: int
    seconds: float
    requests: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    uploads: bool = True
    rss_kib_start: dict[int, int] = field(default_factory=dict)
    rss_kib_after: dict[int, dict[int, int]] = field(default_factory=dict)  # requests served -> pid -> KiB
    rss_kib_end: dict[int, int] = field(default_factory=dict)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

    def summary(self) -> dict:
        data = asdict(self)
        del data["latencies_ms"]
        return data | {
            "throughput_rps": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(self.percentile(0.50), 1),
            "p99_ms": round(self.percentile(0.99), 1),
            "max_ms": round(max(self.latencies_ms, default=0.0), 1),
        }


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value and "/static/" in value:
                self.links.append(value)


class Student:
    """One browser's worth of requests; every answer is checked, every failure counted."""

    def __init__(self, client: httpx.AsyncClient, report: Report, rng: random.Random, on_request) -> None:
        self.client, self.report, self.rng, self.on_request = client, report, rng, on_request

    async def call(self, method: str, url: str, **kwargs) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            self.fail(f"{method} {url}: {type(exc).__name__} {exc}")
            return None
        self.report.latencies_ms.append((time.perf_counter() - started) * 1000)
        self.report.requests += 1
        self.on_request()
        if response.status_code == 404 and url.startswith("/api/v1/images/"):
            return response
        if not 200 <= response.status_code < 300:
            self.fail(f"{method} {url}: {response.status_code} {response.text[:200]}")
            return None
        return response

    def fail(self, message: str) -> None:
        self.report.errors += 1
        if len(self.report.error_samples) < 20:
            self.report.error_samples.append(message)

    async def open_page(self) -> None:
        page = await self.call("GET", "/")
        if page is None:
            return
        parser = _Links()
        parser.feed(page.text)
        seen: set[str] = set()
        # Absolute URLs, resolved as a browser does: the links carry the server's path prefix behind a proxy.
        queue = [urljoin(str(page.url), link) for link in parser.links]
        while queue:
            link = queue.pop().split("#")[0]
            if link in seen:
                continue
            seen.add(link)
            asset = await self.call("GET", link)
            if asset is not None and link.split("?")[0].endswith(".js"):
                queue += [urljoin(link.split("?")[0], m.decode()) for m in IMPORT.findall(asset.content)]

    def matrix(self, rows: int, cols: int) -> list[list[int]]:
        return [[self.rng.randint(-9, 9) for _ in range(cols)] for _ in range(rows)]

    async def page_through(self, path: str, body: dict, pages: int) -> None:
        """Ask for a layer, then for its next pages of frames as the animation would."""
        start = 0
        for _ in range(pages):
            response = await self.call("POST", path, json={**body, "frame_start": start, "frame_limit": 20})
            if response is None:
                return
            data = response.json()
            if data["frame_start"] != start or len(data["frames"]) != min(20, data["frame_count"] - start):
                self.fail(f"POST {path}: a page of frames starting at {start} came back wrong")
                return
            if data["next_frame_start"] is None:
                return
            start = data["next_frame_start"]

    async def convolve(self) -> None:
        size = self.rng.randint(5, 28)
        body = {
            "input": self.matrix(size, size),
            "kernel": self.matrix(3, 3),
            "stride": self.rng.choice([1, 1, 2]),
            "padding": self.rng.choice([0, 1, "same"]) if size > 3 else 0,
            "activation": self.rng.choice(["none", "relu"]),
        }
        if body["padding"] == "same":
            body["stride"] = 1
        await self.page_through("/api/v1/conv2d", body, pages=3)

    async def pool(self) -> None:
        size = self.rng.randint(4, 28)
        body = {"input": self.matrix(size, size), "mode": self.rng.choice(["max", "avg"]), "kernel_size": 2}
        await self.page_through("/api/v1/pool2d", body, pages=2)

    async def upload(self) -> None:
        sample = self.rng.choice(SAMPLES)
        response = await self.call(
            "POST",
            "/api/v1/images/conv2d",
            files={"image": (sample.name, sample.read_bytes(), "image/png")},
            data={"params": "{}", "kernel_preset": "sobel_x", "max_side": "64"},
        )
        if response is not None and response.status_code == 404:
            self.report.uploads = False

    async def run(self, deadline: float, think: float) -> None:
        await self.open_page()
        turn = 0
        while time.monotonic() < deadline:
            await self.convolve()
            await self.pool()
            if self.report.uploads and SAMPLES and turn % 5 == 4:
                await self.upload()
            turn += 1
            await asyncio.sleep(self.rng.uniform(0, 2 * think))


def worker_pids(server_pid: int) -> list[int]:
    """The uvicorn worker processes: the children spawned with multiprocessing's `spawn_main`."""
    try:
        children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    except OSError:
        return []
    workers = [int(pid) for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    return workers or [server_pid]


def rss_kib(pids: list[int]) -> dict[int, int]:
    sizes = {}
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes[pid] = int(line.split()[1])
    return sizes


async def run_load(
    url: str, students: int, seconds: float, server_pid: int | None = None, think: float = 0.1
) -> Report:
    """`students` concurrent students for `seconds` against `url`; memory read from `server_pid`'s workers."""
    report = Report(students=students, seconds=seconds)
    pids = worker_pids(server_pid) if server_pid else []
    report.rss_kib_start = rss_kib(pids)

    def on_request() -> None:
        if pids and report.requests in RSS_CHECKPOINTS:
            report.rss_kib_after[report.requests] = rss_kib(pids)

    limits = httpx.Limits(max_connections=students, max_keepalive_connections=students)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        started = time.monotonic()
        deadline = started + seconds
        rngs = [random.Random(seed) for seed in range(students)]
        await asyncio.gather(*(Student(client, report, rng, on_request).run(deadline, think) for rng in rngs))
        report.seconds = round(time.monotonic() - started, 2)
    report.rss_kib_end = rss_kib(pids)
    return report


def start_server(workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "CONVSCOPE_LOG_LEVEL": "warning"}
    command = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen([*command, "--workers", str(workers)], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_healthz(process, url, "the server", 60, ready=lambda: len(worker_pids(process.pid)) >= workers)
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from None
    return process, url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4, help="server workers when the script starts the server")
    parser.add_argument("--think", type=float, default=0.1, help="mean pause between a student's rounds (s)")
    parser.add_argument("--url", help="an already running server, path prefix included (memory is then not read)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    process = None
    url = args.url
    if url is None:
        process, url = start_server(args.workers)
    try:
        report = asyncio.run(run_load(url, args.students, args.seconds, process and process.pid, args.think))
    finally:
        if process is not None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
    summary = report.summary()
    print(json.dumps(summary, indent=2))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
