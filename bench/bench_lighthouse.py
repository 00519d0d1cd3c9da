"""Lighthouse (Chromium's own audit) on the main pages, mobile and desktop presets: what a student's
browser reports for performance, accessibility, layout shift (CLS), largest paint (LCP) and blocking
time (TBT). Issue 13's goal: performance and accessibility 95+, CLS under 0.1 everywhere.

Lighthouse is a Node tool, not a project dependency; install it once outside the repository:

    npm install --prefix /tmp/lh lighthouse
    .venv/bin/python bench/bench_lighthouse.py            # or LIGHTHOUSE=/path/to/lighthouse

It starts `convscope serve` on a free port (as production runs it) and drives Debian's Chromium
(CHROME_PATH, default /usr/bin/chromium) headless. Scores vary by a few points on a busy machine:
each page is audited `--runs` times and the median is printed.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.servers import start_convscope, stop_server  # noqa: E402

PAGES = ["/", "/images", "/network", "/lessons"]
PRESETS = ["mobile", "desktop"]
CANDIDATES = ["/tmp/lh/node_modules/.bin/lighthouse", str(ROOT / "node_modules/.bin/lighthouse")]
CHROME_FLAGS = " ".join(
    (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    )
)
INSTALL = "Lighthouse is missing: npm install --prefix /tmp/lh lighthouse (or set LIGHTHOUSE=/path/to/lighthouse)"


def find_lighthouse() -> str:
    for candidate in [os.environ.get("LIGHTHOUSE", ""), *CANDIDATES, shutil.which("lighthouse") or ""]:
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit(INSTALL)


def audit(lighthouse: str, url: str, preset: str) -> dict[str, float]:
    """One Lighthouse run: the two category scores (0–100) and three metrics."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [
            lighthouse,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            "--only-categories=performance,accessibility",
            f"--chrome-flags={CHROME_FLAGS}",
        ]
        if preset == "desktop":
            command.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
        if Path("/dev/shm").is_dir():
            env["TMPDIR"] = "/dev/shm"  # Chromium's fresh profile in memory: the disk's waits are not the page's
        for _ in range(3):  # Chromium now and then fails to start on a loaded machine: try again
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=240)
            if done.returncode == 0 and report.exists():
                break
        else:
            raise SystemExit(f"lighthouse failed on {url} ({preset}):\n{done.stderr[-2000:]}")
        data = json.loads(report.read_text())
    audits = data["audits"]
    return {
        "performance": round(data["categories"]["performance"]["score"] * 100),
        "accessibility": round(data["categories"]["accessibility"]["score"] * 100),
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "failing": [
            key
            for key, item in audits.items()
            if item.get("score") is not None and item["score"] < 0.9 and item.get("scoreDisplayMode") == "binary"
        ],
    }


def median(runs: list[dict]) -> dict:
    keys = ("performance", "accessibility", "cls", "lcp_ms", "tbt_ms")
    result = {key: statistics.median(run[key] for run in runs) for key in keys}
    result["failing"] = sorted({key for run in runs for key in run["failing"]})
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="audits per page and preset (median printed)")
    parser.add_argument("--pages", nargs="*", default=PAGES)
    parser.add_argument("--presets", nargs="*", default=PRESETS, choices=PRESETS)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--url", help="audit a server already running there instead of starting one")
    args = parser.parse_args()
    lighthouse = find_lighthouse()
    server = None if args.url else start_convscope()
    base = args.url.rstrip("/") if args.url else server.url
    results = []
    try:
        header = f"{'page':<10} {'preset':<8} {'perf':>4} {'a11y':>4} {'CLS':>6} {'LCP ms':>7} {'TBT ms':>7}"
        print(header + "  failing audits")
        for path in args.pages:
            for preset in args.presets:
                row = median([audit(lighthouse, base + path, preset) for _ in range(args.runs)])
                results.append({"page": path, "preset": preset, **row})
                print(
                    f"{path:<10} {preset:<8} {row['performance']:>4.0f} {row['accessibility']:>4.0f} "
                    f"{row['cls']:>6.3f} {row['lcp_ms']:>7.0f} {row['tbt_ms']:>7.0f}  {', '.join(row['failing'])}",
                    flush=True,
                )
    finally:
        if server is not None:
            stop_server(server)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
