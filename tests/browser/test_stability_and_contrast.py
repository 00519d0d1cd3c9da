"""Pages that hold still and read clearly: layout shift (CLS) and axe-core's accessibility audit.

CLS is summed from Chromium's own `layout-shift` entries (PerformanceObserver, buffered, shifts
without recent input) from navigation until the page's requests are done. axe-core is vendored
under tests/vendor (MPL-2.0), injected into the test's page only, never served to users.
"""

from pathlib import Path

import pytest

AXE = (Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js").read_text()
PAGES = ["/", "/images", "/network", "/backward", "/practice", "/lessons", "/lessons/stride"]
SIZES = [(390, 844), (1280, 800)]
LANGUAGES = ["en", "zh-CN"]
CLS_GOOD = 0.1  # web.dev's line for "good"

WATCH_SHIFTS = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__cls += entry.value;
  }
}).observe({ type: "layout-shift", buffered: true });
"""


def layout_shift(browser, url: str, size: tuple[int, int]) -> float:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.add_init_script(WATCH_SHIFTS)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    value = page.evaluate("window.__cls")
    context.close()
    return value


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("path", PAGES)
def test_layout_shift_stays_under_a_tenth(browser, live_server, path, size):
    shifts = {lang: layout_shift(browser, f"{live_server.url}{path}?lang={lang}", size) for lang in LANGUAGES}
    print(f"CLS {path} {size}: {shifts}")
    assert max(shifts.values()) < CLS_GOOD, shifts


def axe_findings(browser, url: str, size: tuple[int, int]) -> list[dict]:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate(AXE)
    result = page.evaluate("async () => (await axe.run(document, { resultTypes: ['violations'] })).violations")
    context.close()
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_axe_finds_nothing_serious(browser, live_server, size, lang):
    findings = {path: axe_findings(browser, f"{live_server.url}{path}?lang={lang}", size) for path in PAGES}
    assert {path: f for path, f in findings.items() if f} == {}
