"""Practice: what generating and checking costs, and what a student feels in the browser.

Engine: milliseconds to generate one exercise, per topic (all levels). API (in process): GET an exercise,
POST a check, POST a completion of a 12-exercise assignment, verify 100 codes. Browser (real Chromium
against a real server): Enter on "Check" → the worked solution on screen, and "New exercise" → the new
question drawn. Reports medians.

    .venv/bin/python bench/bench_practice.py
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.practice import assignment as assignments
from app.practice.catalog import TOPICS, generate

RUNS = 30


def median_ms(action, runs: int = RUNS) -> float:
    times = []
    for n in range(runs):
        start = time.perf_counter()
        action(n)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def engine() -> None:
    print("engine: one exercise (median over levels and seeds)")
    for topic, module in TOPICS.items():
        ms = median_ms(lambda n, t=topic, m=module: generate(t, m.LEVELS[n % len(m.LEVELS)], n), 300)
        print(f"  {topic:16s} {ms:6.2f} ms")


def api() -> None:
    client = TestClient(create_app(Settings(secret="bench-secret-of-enough-length")))
    print("API, in process")
    ms = median_ms(lambda n: client.get("/api/v1/exercises", params={"topic": "conv_cell", "level": 3, "seed": n}))
    print(f"  GET /api/v1/exercises            {ms:6.2f} ms")
    ms = median_ms(lambda n: client.post("/api/v1/exercises/check", json={"id": f"pool_cell.3.{n}", "answer": "2"}))
    print(f"  POST /api/v1/exercises/check     {ms:6.2f} ms")
    items = [assignments.Item(topic, 1, 3) for topic in list(TOPICS)] + [assignments.Item("conv_cell", 4, 2)]
    token = assignments.encode(assignments.build(items, "bench", 1))
    body = {"assignment": token, "student": "Ada", "answers": ["1"] * 12, "seconds": 600}
    ms = median_ms(lambda n: client.post("/api/v1/completions", json=body | {"student": f"Ada {n}"}))
    code = client.post("/api/v1/completions", json=body).json()["code"]
    print(f"  POST /api/v1/completions (12)    {ms:6.2f} ms   code: {len(code)} characters")
    pasted = "\n".join([code] * 100)
    ms = median_ms(lambda n: client.post("/api/v1/completions/verify", json={"codes": pasted}), 10)
    print(f"  POST /api/v1/completions/verify  {ms:6.2f} ms for 100 codes")


def browser() -> None:
    from playwright.sync_api import sync_playwright

    from tests.support.servers import CHROMIUM, start_server, stop_server

    server = start_server(env={"CONVSCOPE_SECRET": "bench-secret-of-enough-length"})
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = chromium.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{server.url}/practice?lang=en")
            page.locator("[data-testid=prompt]").wait_for(state="visible")
            checks, news = [], []
            for _ in range(15):
                page.locator("[data-testid=answer]").fill("1")
                page.locator("[data-testid=answer]").focus()
                start = time.perf_counter()
                page.keyboard.press("Enter")
                page.locator("[data-testid=solution] li").first.wait_for(state="visible")
                checks.append((time.perf_counter() - start) * 1000)
                before = page.locator("[data-testid=prompt]").inner_text() + page.locator("[data-figure]").inner_text()
                start = time.perf_counter()
                page.locator("form[data-picker] button").click()
                page.wait_for_function(
                    "before => document.querySelector('[data-testid=prompt]').textContent"
                    " + document.querySelector('[data-figure]').innerText !== before && "
                    "document.querySelector('[data-result]').hidden",
                    arg=before,
                )
                news.append((time.perf_counter() - start) * 1000)
            chromium.close()
    finally:
        stop_server(server)
    print("browser (Chromium, real server)")
    print(f"  Enter on Check -> solution shown   {statistics.median(checks):6.1f} ms")
    print(f"  New exercise -> question drawn     {statistics.median(news):6.1f} ms")


if __name__ == "__main__":
    engine()
    api()
    browser()
