"""Click to pixels in the Image lab, in Chromium against a real server: 512×512 RGB, eight 3×3 filters.

What a student feels, timed inside the page (it announces `il-painted` one animation frame after its
canvases are painted): changing one filter's preset (the page asks for that filter's map only),
changing a setting every map depends on (the bias: all eight maps), a new picture (the same file
chosen again: sent and answered in full), switching the signed/absolute view (no request), and
hovering a new cell of a map (the answer lists no numbers at 512 px: the window's are fetched); and
opening the lab on a phone over slow 4G, navigation to the first maps on screen.
Each is reported as min / median / max over RUNS runs, with the page's own marks (`il:run`,
`il:request`, `il:headers`, `il:body`, `il:painted`, `il:frame`, counted from the click) splitting the
median into the page's own work, the server, the transfer and painting; and the answers' bytes, raw and
gzipped as on the wire, for every form of the API (maps=png, the API's default; maps=levels;
maps=binary, what the page uses).

    .venv/bin/python bench/bench_image_lab.py [RUNS]
"""

import gzip
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


from tests.support.image_lab import (
    CHANGE_BIAS,
    CHANGE_PRESET,
    NEW_PICTURE,
    PRESETS,
    STAGES,
    SWITCH_VIEW,
    TIME_HOVERS,
    hover_to_numbers,
    open_lab_at_512,
    photo_like,
)
from tests.support.servers import CHROMIUM, start_server, stop_server

RUNS = 10


def timed_runs(page, script: str, args: list, pause_ms: int) -> list[tuple[float, dict]]:
    """Run `script` once per argument; each run's click-to-pixels ms and the page's stage marks."""
    runs = []
    for arg in args:
        elapsed = page.evaluate(script, arg)
        runs.append((elapsed, page.evaluate(STAGES)))
        page.wait_for_timeout(pause_ms)  # the channel breakdown's request that follows, as a student reads the maps
    return runs


def click_to_pixels(page, runs: int = RUNS) -> dict[str, list[tuple[float, dict]]]:
    return {
        "change one filter (one map asked for)": timed_runs(
            page, CHANGE_PRESET, [["emboss", "sobel_x"][k % 2] for k in range(runs)], 1500
        ),
        "change the bias (all eight maps)": timed_runs(page, CHANGE_BIAS, [str(k % 2 + 1) for k in range(runs)], 1500),
        "new picture (sent and answered in full)": timed_runs(page, NEW_PICTURE, [None] * runs, 2500),
        "switch signed/absolute (no request)": [
            (page.evaluate(SWITCH_VIEW, ["absolute", "signed"][k % 2]), {}) for k in range(runs)
        ],
    }


SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}


def first_maps_on_a_phone(browser, url: str, runs: int) -> list[float]:
    """Opening the lab on a phone over slow 4G (Lighthouse's: 150 ms round trips, 1.6 Mbit/s): ms from
    navigation to the first maps on screen (the page's `il:frame` mark), each load in a fresh context."""
    times = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        page.goto(f"{url}/images")
        page.wait_for_selector("html:not(.loading)", state="attached", timeout=60_000)
        times.append(page.evaluate("performance.getEntriesByName('il:frame')[0].startTime"))
        context.close()
    return times


def answer_bytes(url: str, data: bytes) -> list[tuple[str, int, int]]:
    """Each form of the answer: its bytes and its bytes gzipped as the server sends them (level 1)."""
    form = {"kernel_preset": ",".join(PRESETS), "color": "rgb", "max_side": "512", "params": json.dumps({"padding": 1})}
    lean = form | {"include_focus": "false"}
    one = lean | {"kernel_preset": PRESETS[0], "include_input": "false", "maps": "binary"}
    cases = [
        ("maps=png (API default), new picture", form),
        ("maps=levels, new picture", lean | {"maps": "levels"}),
        ("maps=levels, same picture", lean | {"maps": "levels", "include_input": "false"}),
        ("maps=binary, new picture", lean | {"maps": "binary"}),
        ("maps=binary, same picture (all 8 maps)", lean | {"maps": "binary", "include_input": "false"}),
        ("maps=binary, one filter (a filter change)", one),
    ]
    rows = []
    for name, fields in cases:
        response = httpx.post(
            f"{url}/api/v1/images/conv2d",
            files={"image": ("p.png", data)},
            data=fields,
            timeout=60,
            headers={"Accept-Encoding": "identity"},
        )
        response.raise_for_status()
        rows.append((name, len(response.content), len(gzip.compress(response.content, 1))))
    return rows


def summary(runs: list[tuple[float, dict]]) -> str:
    times = [elapsed for elapsed, _ in runs]
    line = f"min {min(times):5.0f}  median {statistics.median(times):5.0f}  max {max(times):5.0f} ms"
    stages = [s for _, s in runs if s]
    if stages:
        medians = {name: statistics.median(s[name] for s in stages) for name in stages[0]}
        line += "   median ms after the click: " + ", ".join(
            f"{name[3:]} {value:.0f}" for name, value in medians.items()
        )
    return line


def main() -> None:
    from playwright.sync_api import sync_playwright

    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    data = photo_like()
    server = start_server()
    try:
        print(f"load average: {', '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} cores")
        for name, raw, zipped in answer_bytes(server.url, data):
            print(f"{name:45s} {raw / 1e6:5.2f} MB   gzipped (on the wire) {zipped / 1e6:5.2f} MB")
        with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
            picture = Path(folder) / "photo.png"
            picture.write_bytes(data)
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            first = first_maps_on_a_phone(browser, server.url, runs)
            print(f"{'open the lab on a phone, slow 4G (first maps)':45s} {summary([(ms, {}) for ms in first])}")
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            open_lab_at_512(page, server.url, picture)
            for name, measured in click_to_pixels(page, runs).items():
                print(f"{name:45s} {summary(measured)}")
            page.evaluate(TIME_HOVERS)
            hovers = hover_to_numbers(page, runs)
            print(f"{'hover a new cell (window fetched)':45s} {summary([(ms, {}) for ms in hovers])}")
            print(f"load average after: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
            browser.close()
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
