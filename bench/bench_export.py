"""Whole export requests for the layers the Matrix lab can show: status, size, time and peak memory per format.

Each request runs in a fresh process, so `peak MB` is that request's peak RSS (the idle app
is about 80 MB). CPU time is the figure to trust on a busy machine. A layer too large for one
file is refused with the steps that fit; the part the lab then offers is measured too.

Run: .venv/bin/python bench/bench_export.py
"""

import json
import resource
import subprocess
import sys
import time


def stack(channels: int, side: int, seed: int) -> list:
    return [
        [[(c * 7 + r * 5 + col * 3 + seed) % 11 - 5 for col in range(side)] for r in range(side)]
        for c in range(channels)
    ]


CASES = {  # issue 10's examples, then the lab's largest sizes (static/js/state.js: 16×16, 7×7, 4 channels, 4 filters)
    "3 ch × 2 filters, 5×5, padding 1 (50 steps)": (
        "conv2d",
        {"input": stack(3, 5, 1), "kernel": [stack(3, 3, f) for f in range(2)], "padding": 1},
    ),
    "12×12, 3×3, padding 1 (144 steps)": (
        "conv2d",
        {"input": stack(1, 12, 2)[0], "kernel": stack(1, 3, 3)[0], "padding": 1},
    ),
    "16×16, 3×3, padding 1 (256 steps)": (
        "conv2d",
        {"input": stack(1, 16, 4)[0], "kernel": stack(1, 3, 5)[0], "padding": 1},
    ),
    "max pool 2×2 on 16×16 (64 steps)": ("pool2d", {"input": stack(1, 16, 6)[0], "kernel_size": 2, "mode": "max"}),
    "4 ch × 4 filters, 16×16, 7×7 (400 steps)": (
        "conv2d",
        {"input": stack(4, 16, 7), "kernel": [stack(4, 7, f) for f in range(4)]},
    ),
    "4 ch × 4 filters, 16×16, 3×3, padding 1 (1,024 steps)": (
        "conv2d",
        {"input": stack(4, 16, 7), "kernel": [stack(4, 3, f) for f in range(4)], "padding": 1},
    ),
}


def one(name: str, fmt: str) -> dict:
    from fastapi.testclient import TestClient

    from app.main import create_app

    kind, body = CASES[name]
    with TestClient(create_app()) as client:
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.post(f"/api/v1/{kind}/animation", json=body | {"format": fmt})
        row = {"status": response.status_code, "bytes": len(response.content)}
        if response.status_code == 422 and "x-convscope-steps-that-fit" in response.headers:
            fit = int(response.headers["x-convscope-steps-that-fit"])
            row["refused"] = response.json()["field"]
            response = client.post(f"/api/v1/{kind}/animation", json=body | {"format": fmt, "frame_limit": fit})
            row |= {"part": f"1–{fit}", "part_status": response.status_code, "bytes": len(response.content)}
        row["s"] = round(time.perf_counter() - wall, 2)
        row["cpu_s"] = round(time.process_time() - cpu, 2)
        row["cell"] = response.headers.get("x-convscope-cell-px")
    row["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return row


def main() -> None:
    print(f"{'case':54} {'fmt':5} {'status':>10} {'KB':>7} {'wall s':>7} {'cpu s':>6} {'cell':>5} {'peak MB':>8}")
    for name in CASES:
        for fmt in ("gif", "webp", "apng"):
            done = subprocess.run([sys.executable, __file__, name, fmt], capture_output=True, text=True, check=True)
            row = json.loads(done.stdout.strip().splitlines()[-1])
            status = str(row["status"]) + (f"→{row['part_status']} ({row['part']})" if "part" in row else "")
            print(
                f"{name:54} {fmt:5} {status:>10} {row['bytes'] / 1024:7.0f} {row['s']:7.2f} {row['cpu_s']:6.2f} "
                f"{row['cell'] or '-':>5} {row['peak_mb']:8}",
                flush=True,
            )


if __name__ == "__main__":
    if len(sys.argv) == 3:
        print(json.dumps(one(sys.argv[1], sys.argv[2])))
    else:
        main()
