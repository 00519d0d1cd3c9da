"""Issue 12's hostile-but-small requests, measured against a real uvicorn server in its own process.

For each case: a fresh one-worker server (so its memory high-water mark belongs to that case), then the
request(s) while a thread polls /healthz every 10 ms. Printed per case: wall time, reply size, the longest
/healthz answer meanwhile, and the worker's peak RSS growth (VmHWM after minus VmRSS before).

    .venv/bin/python bench/bench_hardening.py            # every case
    .venv/bin/python bench/bench_hardening.py bias_conv2d pool_image_upload
"""

import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.servers import start_convscope, stop_server  # noqa: E402

BIAS = [{}] * 699_000


def _png_265() -> bytes:
    """A 265×265 RGB PNG that compresses to well under a kilobyte (two flat halves)."""
    pixels = np.zeros((265, 265, 3), np.uint8)
    pixels[:, 132:] = (200, 30, 30)
    out = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def _json(path: str, body: dict) -> dict:
    return {
        "method": "POST",
        "url": path,
        "content": json.dumps(body, separators=(",", ":")).encode(),
        "headers": {"content-type": "application/json"},
    }


def _multipart(path: str, fields: dict[str, str]) -> dict:
    """A text-only multipart form: what any web page can make a browser send (a CORS simple request)."""
    boundary = "convscopebench"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()]
    content = ("".join(parts) + f"--{boundary}--\r\n").encode()
    return {
        "method": "POST",
        "url": path,
        "content": content,
        "headers": {"content-type": f"multipart/form-data; boundary={boundary}"},
    }


def _kernel(k: int) -> list:
    return (np.ones((k, k)) / (k * k)).tolist()


CASES = {
    "idle": lambda: {"method": "GET", "url": "/healthz"},  # the baseline: what the machine's load alone costs
    "bias_conv2d": lambda: _json("/api/v1/conv2d", {"input": [[1, 2], [3, 4]], "kernel": [[1]], "bias": BIAS}),
    "bias_network": lambda: _json(
        "/api/v1/network",
        {"input": [[1, 2], [3, 4]], "layers": [{"type": "conv", "out_channels": 1, "kernel_size": 1, "bias": BIAS}]},
    ),
    "bias_transpose": lambda: _json(
        "/api/v1/conv_transpose2d", {"input": [[1, 2], [3, 4]], "kernel": [[1]], "bias": BIAS}
    ),
    "pool_image_upload": lambda: {
        "method": "POST",
        "url": "/api/v1/images/pool2d",
        "data": {
            "color": "rgb",
            "max_side": "265",
            "shift_x": "1",
            "params": json.dumps({"mode": "max", "kernel_size": 31, "stride": 1}),
        },
        "files": {"image": ("a.png", _png_265(), "image/png")},
    },
    "conv_image_sample": lambda: _multipart(
        "/api/v1/images/conv2d",
        {"sample": "shapes", "color": "rgb", "params": json.dumps({"kernel": _kernel(31), "padding": 84})},
    ),
    "pool_json_256": lambda: _json(
        "/api/v1/pool2d",
        {
            "input": np.random.default_rng(0).integers(0, 255, (256, 256)).tolist(),
            "kernel_size": 31,
            "stride": 1,
            "frame_limit": 0,
        },
    ),
    "presets_urlencoded": lambda: {
        "method": "POST",
        "url": "/api/v1/images/conv2d",
        # Starlette caps one urlencoded field at 1 MiB and a form at 1,000 fields: nine fields of 122,223 names.
        "content": b"sample=shapes" + b"".join([b"&kernel_preset=" + b",".join([b"sobel_x"] * 122_223)] * 9),
        "headers": {"content-type": "application/x-www-form-urlencoded"},
    },
}


def status_of(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0]) * 1024
    return values


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class HealthProbe(threading.Thread):
    """GET /healthz every 10 ms on its own connection; remembers the slowest answer."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.worst, self.done = url, 0.0, threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=600) as client:
            while not self.done.is_set():
                started = time.perf_counter()
                client.get("/healthz")
                self.worst = max(self.worst, time.perf_counter() - started)
                time.sleep(0.01)


def measure(name: str, copies: int = 1, env: dict | None = None) -> dict:
    request = CASES[name]()
    server = start_convscope(env=env)
    try:
        pid = server.process.pid
        with httpx.Client(base_url=server.url) as warm:
            warm.get("/healthz")
        before = status_of(pid)["VmRSS"]
        cpu_before = cpu_seconds(pid)
        probe = HealthProbe(server.url)
        probe.start()
        time.sleep(0.05)

        def one(_: int) -> tuple[int, int, float]:
            with httpx.Client(base_url=server.url, timeout=600) as client:
                started = time.perf_counter()
                response = client.request(**request)
                return response.status_code, len(response.content), time.perf_counter() - started

        with ThreadPoolExecutor(copies) as pool:
            results = list(pool.map(one, range(copies)))
        if name == "idle":
            time.sleep(2)
        time.sleep(0.05)
        probe.done.set()
        probe.join()
        peak = status_of(pid)["VmHWM"]
        return {
            "case": name if copies == 1 else f"{name} ×{copies}",
            "status": sorted({r[0] for r in results}),
            "seconds": round(max(r[2] for r in results), 3),
            "reply_bytes": max(r[1] for r in results),
            "server_cpu_s": round(cpu_seconds(pid) - cpu_before, 3),
            "healthz_worst_ms": round(probe.worst * 1000, 1),
            "load_avg": round(os.getloadavg()[0], 1),
            "peak_rss_growth_mb": round((peak - before) / 2**20, 1),
        }
    finally:
        stop_server(server)


def half_open(kind: str, wait: float = 40.0) -> dict:
    """Send part of a request and time how long the server keeps the connection."""
    server = start_convscope()
    try:
        port = int(server.url.rsplit(":", 1)[1])
        head = b"POST /api/v1/conv2d HTTP/1.1\r\nHost: localhost\r\n"
        payload = {
            "headers": head,
            "body": head + b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"input":',
            "idle": None,
        }[kind]
        with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
            started = time.monotonic()
            if payload is None:  # a finished request, then silence on the kept-alive connection
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                sock.recv(65536)
            else:
                sock.sendall(payload)
            try:
                while sock.recv(65536):
                    pass
                closed = time.monotonic() - started
            except TimeoutError:
                closed = None
        return {"case": f"half_open_{kind}", "closed_after_s": None if closed is None else round(closed, 2)}
    finally:
        stop_server(server)


def static_redirect() -> dict:
    server = start_convscope()
    try:
        response = httpx.get(server.url + "/static", headers={"host": "evil.example"})
        return {
            "case": "static_redirect",
            "status": response.status_code,
            "location": response.headers.get("location"),
            "server": response.headers.get("server"),
        }
    finally:
        stop_server(server)


def cli_tiff(tmp: Path = Path("/tmp")) -> dict:
    path = tmp / "bench_hardening_tiff.png"
    Image.new("L", (8, 8), 128).save(path, format="TIFF")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "render",
            "--image",
            str(path),
            "--kernel",
            "box_blur",
            "--still",
            "final",
            "-o",
            str(tmp / "bench_hardening_out.png"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    return {"case": "cli_tiff_as_png", "exit": run.returncode, "stderr": run.stderr.strip()[:200]}


def main(names: list[str]) -> None:
    names = names or [*CASES, "bias_conv2d×4", "pool_image_upload×4", "half_open", "static", "cli"]
    names = [n.replace("x4", "×4") for n in names]
    for name in names:
        if name == "half_open":
            for kind in ("headers", "body", "idle"):
                print(json.dumps(half_open(kind)), flush=True)
        elif name == "static":
            print(json.dumps(static_redirect()), flush=True)
        elif name == "cli":
            print(json.dumps(cli_tiff()), flush=True)
        elif "×" in name:
            base, copies = name.split("×")
            print(json.dumps(measure(base, int(copies))), flush=True)
        else:
            print(json.dumps(measure(name)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
