"""Driving the Image lab the way the benchmark measures it, shared by bench/ and the browser tests.

App-free (numpy, Pillow and a Playwright page only): bench/ imports this, tests/ never import bench/.
"""

import io
from pathlib import Path

import numpy as np
from PIL import Image

PRESETS = ["sobel_x", "sobel_y", "laplacian", "sharpen", "box_blur", "gaussian_3x3", "emboss", "outline"]


def photo_like(side: int = 512) -> bytes:
    """A smooth scene with edges and some grain, saved as PNG (compresses like a photo, not like noise)."""
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:side, 0:side] / side
    base = 120 + 80 * np.sin(6 * x) * np.cos(4 * y) + 40 * ((x - 0.5) ** 2 + (y - 0.4) ** 2 < 0.05)
    rgb = np.stack([base, base * 0.8 + 30 * y, 255 - base * 0.6]) + rng.normal(0, 6, (3, side, side))
    buffer = io.BytesIO()
    Image.fromarray(np.clip(np.moveaxis(rgb, 0, 2), 0, 255).astype(np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


def timed_change(argument: str, change: str, painted: str = "maps") -> str:
    """A page function: mark the click, run `change` (JS statements using `argument`), and resolve with the
    milliseconds until the page reports `painted` ("maps" or "view") through its il-painted event."""
    return f"""async ({argument}) => {{
  const painted = new Promise((resolve) => {{
    const listen = (event) => {{
      if (event.detail.kind === "{painted}") {{
        document.removeEventListener("il-painted", listen);
        resolve(event.detail.at);
      }}
    }};
    document.addEventListener("il-painted", listen);
  }});
  const start = performance.mark("il:click").startTime;
  {change}
  return (await painted) - start;
}}"""


CHANGE_PRESET = timed_change(
    "preset",
    'const select = document.querySelector("[data-filters] select"); select.value = preset;'
    ' select.dispatchEvent(new Event("change"));',
)
CHANGE_BIAS = timed_change(
    "value",
    "const input = document.querySelector('[data-control=\"bias\"]'); input.value = value;"
    ' input.dispatchEvent(new Event("change"));',
)
NEW_PICTURE = timed_change("", 'document.querySelector("[data-testid=file-input]").dispatchEvent(new Event("change"));')
SWITCH_VIEW = timed_change(
    "view",
    'const radio = document.querySelector(`[data-control="view"][value="${view}"]`); radio.checked = true;'
    ' radio.dispatchEvent(new Event("change"));',
    painted="view",
)

STAGES = """() => {
  const marks = performance.getEntriesByType("mark").filter((m) => m.name.startsWith("il:"));
  const last = (name, before) => marks.filter((m) => m.name === name && m.startTime <= before).pop()?.startTime;
  const frame = last("il:frame", Infinity);
  const click = last("il:click", frame);
  const stages = {};
  for (const name of ["il:run", "il:request", "il:headers", "il:body", "il:painted", "il:frame"]) {
    stages[name] = last(name, frame) - click;
  }
  performance.clearMarks();
  return stages;
}"""


def open_lab_at_512(page, url: str, picture: Path, lang: str = "en") -> None:
    """The lab with the photo-like picture, RGB, max side 512, padding 1 and bench_images' eight filters."""
    page.goto(f"{url}/images?lang={lang}")
    page.wait_for_selector("[data-testid=feature-map]", timeout=30_000)
    page.get_by_test_id("color-rgb").check()
    page.select_option('[data-control="max-side"]', "512")
    page.fill('[data-control="padding"]', "1")
    page.dispatch_event('[data-control="padding"]', "change")
    for _ in range(4):
        page.get_by_test_id("add-filter").click()
    for index, preset in enumerate(PRESETS):  # the four defaults stay where bench_images has them
        page.locator("[data-filters] select").nth(index).select_option(preset)
    page.get_by_test_id("file-input").set_input_files(str(picture))
    page.wait_for_function(  # a function, not a string: the page's CSP forbids eval
        """() => document.querySelectorAll('[data-testid=feature-map]').length === 8
          && document.querySelector('[data-shape]').textContent.includes('3×512×512')""",
        timeout=60_000,
    )
    page.wait_for_timeout(2500)  # the focus and pooling requests that follow the maps


TIME_HOVERS = """() => {
  // From the mousemove that lands on a new cell of a feature map to the frame after its numbers are in the page.
  window.__hover = { moved: null, times: [] };
  document.addEventListener("mousemove", (event) => {
    if (event.target.dataset?.testid === "feature-map") window.__hover.moved = event.timeStamp;
  }, true);
  document.addEventListener("il-painted", (event) => {
    const moved = window.__hover.moved;
    if (event.detail.kind === "window" && moved !== null) {
      window.__hover.moved = null;
      requestAnimationFrame(() => window.__hover.times.push(performance.now() - moved));
    }
  });
}"""


def hover_to_numbers(page, moves: int = 10, map_index: int = 0, side: int = 512) -> list[float]:
    """Move the mouse (one jump each) to `moves` cells of a feature map never hovered before; each move's
    milliseconds until its window's numbers are on screen (TIME_HOVERS must be installed first)."""
    target = page.locator("[data-testid=feature-map]").nth(map_index)
    target.scroll_into_view_if_needed()
    for k in range(moves):
        box = target.bounding_box()  # again each time: the first hover docks the numbers and may scroll the page
        done = page.evaluate("() => window.__hover.times.length")
        i, j = 40 + 41 * k, 470 - 37 * k
        page.mouse.move(box["x"] + (j + 0.5) * box["width"] / side, box["y"] + (i + 0.5) * box["height"] / side)
        page.wait_for_function("(n) => window.__hover.times.length > n", arg=done, timeout=10_000)
        page.wait_for_timeout(150)  # a student reads the numbers before moving on
    return page.evaluate("() => window.__hover.times")
