"""Click to pixels in the Image lab, in Chromium against a real server: 512×512 RGB, eight 3×3 filters.

What a student feels: from changing one filter's preset (or switching the signed/absolute view)
to the new feature maps painted on the page, timed inside the page (the page announces
`il-painted` when its maps are on screen). Also reports the answer's bytes as JSON and gzipped
(what crosses the network), for the compact form the page uses (maps=levels) and the coloured
PNG form (maps=png, the API's default).

    .venv/bin/python bench/bench_image_lab.py
"""

import gzip
import json
import statistics
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_images import PRESETS, photo_like  # bench/ is on the path when run as a script

from tests.conftest import CHROMIUM, start_server, stop_server

CLICKS = 9

CHANGE_PRESET = """async (preset) => {
  const painted = new Promise((resolve) => {
    const listen = (event) => {
      if (event.detail.kind === "maps") {
        document.removeEventListener("il-painted", listen);
        resolve(event.detail.at);
      }
    };
    document.addEventListener("il-painted", listen);
  });
  const select = document.querySelector("[data-filters] select");
  const start = performance.now();
  select.value = preset;
  select.dispatchEvent(new Event("change"));
  return (await painted) - start;
}"""

SWITCH_VIEW = """async (view) => {
  const painted = new Promise((resolve) => {
    const listen = (event) => {
      if (event.detail.kind === "view") {
        document.removeEventListener("il-painted", listen);
        resolve(event.detail.at);
      }
    };
    document.addEventListener("il-painted", listen);
  });
  const radio = document.querySelector(`[data-control="view"][value="${view}"]`);
  const start = performance.now();
  radio.checked = true;
  radio.dispatchEvent(new Event("change"));
  return (await painted) - start;
}"""


def open_lab_at_512(page, url: str, picture: Path) -> None:
    """The lab with the photo-like picture, RGB, max side 512 and eight filters (4 defaults + 4 added)."""
    page.goto(f"{url}/images?lang=en")
    page.wait_for_selector("[data-testid=feature-map]", timeout=30_000)
    page.get_by_test_id("color-rgb").check()
    page.select_option('[data-control="max-side"]', "512")
    for _ in range(4):
        page.get_by_test_id("add-filter").click()
    page.get_by_test_id("file-input").set_input_files(str(picture))
    page.wait_for_function(  # a function, not a string: the page's CSP forbids eval
        """() => document.querySelectorAll('[data-testid=feature-map]').length === 8
          && document.querySelector('[data-shape]').textContent.includes('3×512×512')""",
        timeout=60_000,
    )
    page.wait_for_timeout(1500)  # the focus and pooling requests that follow the maps


def click_to_pixels(page, clicks: int = CLICKS) -> dict[str, list[float]]:
    presets = ["emboss", "sobel_x"]
    change = []
    for k in range(clicks):
        change.append(page.evaluate(CHANGE_PRESET, presets[k % 2]))
        page.wait_for_timeout(1500)  # the channel breakdown's request that follows, as a student reads the maps
    views = [page.evaluate(SWITCH_VIEW, ["absolute", "signed"][k % 2]) for k in range(clicks)]
    return {"change a filter (one request)": change, "switch signed/absolute (no request)": views}


def answer_bytes(url: str, data: bytes) -> list[tuple[str, int, int]]:
    form = {"kernel_preset": ",".join(PRESETS), "color": "rgb", "max_side": "512", "params": json.dumps({"padding": 1})}
    lean = form | {"maps": "levels", "include_focus": "false"}
    cases = [
        ("maps=png (API default, before)", form),
        ("maps=levels, new picture", lean),
        ("maps=levels, same picture (a click)", lean | {"include_input": "false"}),
    ]
    rows = []
    for name, fields in cases:
        response = httpx.post(f"{url}/api/v1/images/conv2d", files={"image": ("p.png", data)}, data=fields, timeout=60)
        response.raise_for_status()
        rows.append((name, len(response.content), len(gzip.compress(response.content, 6))))
    return rows


def main() -> None:
    from playwright.sync_api import sync_playwright

    data = photo_like()
    server = start_server()
    try:
        for name, raw, zipped in answer_bytes(server.url, data):
            print(f"{name:40s} JSON {raw / 1e6:5.2f} MB   gzipped {zipped / 1e6:5.2f} MB")
        with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
            picture = Path(folder) / "photo.png"
            picture.write_bytes(data)
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            open_lab_at_512(page, server.url, picture)
            for name, times in click_to_pixels(page).items():
                print(f"{name:40s} median {statistics.median(times):6.0f} ms   best {min(times):6.0f} ms")
            browser.close()
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
