"""What a person feels in the Matrix lab, measured in Chromium: keystroke -> new output, Tab presses to Play,
and the longest main-thread task while a 288-step layer plays at top speed (the 50 ms budget lives here).

Starts its own server (as the tests do) and drives Debian's Chromium. For each kind of cell it
clicks the cell, selects its text and presses one key; the time runs from the keydown (page
clock, performance.now()) until the text of the output cell that depends on it changes
(a MutationObserver). Medians over several keys; the machine is busy, so read them as rough.

Run: .venv/bin/python bench/bench_matrix_lab.py [--shots DIR]
"""

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from tests.support.servers import CHROMIUM, start_server, stop_server

KEYS = "918273645"
ARM = """([selector, watched]) => {
  const target = document.querySelector(watched);
  window.__changed = null;
  window.__painted = null;
  window.__down = null;
  const seen = target.textContent;
  document.addEventListener("keydown", () => (window.__down = performance.now()), {once: true, capture: true});
  new MutationObserver((records, observer) => {
    if (target.textContent !== seen) {
      window.__changed = performance.now();
      observer.disconnect();
      // The frame that shows it: its rendering work (style, layout, paint) ends before the next task.
      requestAnimationFrame(() => setTimeout(() => (window.__painted = performance.now())));
    }
  }).observe(target, {subtree: true, childList: true, characterData: true});
}"""


def keystroke_ms(page, cell: str, watched: str, until: str = "__changed") -> list[float]:
    """Keydown -> the output cell's new text (`__changed`) or -> the frame that shows it (`__painted`)."""
    times = []
    for key in KEYS:
        page.click(cell)
        page.keyboard.press("Control+A")
        page.evaluate(ARM, [cell, watched])
        page.keyboard.press(key)
        page.wait_for_function(f"() => window.{until} !== null", timeout=10000)
        times.append(page.evaluate(f"window.{until} - window.__down"))
        page.wait_for_timeout(250)
    return times


def phone_keystroke_to_pixels(browser, url: str) -> list[float]:
    """A mid-range phone: 390×844, touch, the CPU slowed 4× (Lighthouse's mobile preset); one input cell."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("() => document.querySelector('[data-testid=step-counter]').textContent !== '0 / 0'")
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    cell = "[data-testid=input-grid] .cell[data-r='0'][data-c='0'] input"
    out = "[data-testid=output-grid] .cell[data-r='0'][data-c='0']"
    times = keystroke_ms(page, cell, out, until="__painted")
    context.close()
    return times


def tabs_to_play(page) -> int:
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.locator("body").focus()
    for presses in range(1, 200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement?.dataset?.testid") == "play":
            return presses
    return -1


LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
}).observe({type: "longtask", buffered: true});
"""


def long_tasks_while_playing(browser, url: str) -> list[float]:
    """Durations (ms) of main-thread tasks over 50 ms while a 12×12, 2-filter layer plays at top speed."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.add_init_script(LONG_TASKS)
    rows = ";".join(",".join(str((r * 7 + c * 3) % 10) for c in range(12)) for r in range(12))
    kernel = "1,0,-1;1,0,-1;1,0,-1"
    page.goto(f"{url}/?input={rows}&kernel={kernel}/{kernel}&padding=1")
    page.wait_for_function("() => document.querySelector('[data-testid=step-counter]').textContent === '1 / 288'")
    page.get_by_test_id("speed").fill(page.get_by_test_id("speed").get_attribute("max"))
    page.evaluate("window.__longTasks = []")
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=step-counter]').textContent === '288 / 288'", timeout=30_000
    )
    durations = page.evaluate("window.__longTasks")
    page.close()
    return durations


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shots", type=Path, help="save 1280×800 / 1024×768 screenshots (EN, ZH) here")
    parser.add_argument("--tag", default="now", help="suffix for screenshot names")
    args = parser.parse_args()
    server = start_server()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{server.url}/?show_all=1")
            page.wait_for_function("() => document.querySelector('[data-testid=step-counter]').textContent !== '0 / 0'")
            out = "[data-testid=output-grid] .cell[data-r='0'][data-c='0']"
            cases = {
                "input cell (0,0)": "[data-testid=input-grid] .cell[data-r='0'][data-c='0'] input",
                "kernel cell (0,0)": "[data-testid=kernel-grid] .cell[data-r='0'][data-c='0'] input",
                "bias": "[data-testid=bias-1]",
            }
            print(f"{'keystroke -> output text (ms)':34} {'median':>8} {'min':>8} {'max':>8}")
            for name, cell in cases.items():
                times = keystroke_ms(page, cell, out)
                print(f"{name:34} {statistics.median(times):8.1f} {min(times):8.1f} {max(times):8.1f}")
            times = phone_keystroke_to_pixels(browser, f"{server.url}/?show_all=1")
            spread = f"{statistics.median(times):8.1f} {min(times):8.1f} {max(times):8.1f}"
            print(f"{'phone, 4x slower CPU: key -> frame':34} {spread}")
            page.goto(server.url)
            page.wait_for_function("() => document.querySelector('[data-testid=step-counter]').textContent !== '0 / 0'")
            print(f"Tab presses from the top to Play: {tabs_to_play(page)}")
            tasks = long_tasks_while_playing(browser, server.url)
            longest = max(tasks, default=0.0)
            print(f"playing 288 steps at top speed: {len(tasks)} tasks over 50 ms, longest {longest:.0f} ms")
            if args.shots:
                args.shots.mkdir(parents=True, exist_ok=True)
                for width, height in ((1280, 800), (1024, 768)):
                    for lang in ("en", "zh-CN"):
                        page.set_viewport_size({"width": width, "height": height})
                        page.goto(f"{server.url}/?lang={lang}")
                        page.wait_for_function(
                            "() => document.querySelector('[data-testid=step-counter]').textContent !== '0 / 0'"
                        )
                        page.wait_for_timeout(300)
                        path = args.shots / f"matrix-{args.tag}-{lang}-{width}x{height}.png"
                        page.screenshot(path=path)
                        print(f"screenshot: {path}")
            browser.close()
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
