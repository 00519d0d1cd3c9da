"""Practice in a real browser: a teacher builds a three-topic assignment, a student does it with the keyboard
(in English, and in 简体中文), and the teacher verifies the codes and exports the CSV."""

import csv
import io
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from app.practice import assignment as assignments
from app.practice.answers import expected_text

VIEWPORTS = [(390, 844), (1024, 768), (1280, 800)]
TOPICS = [("conv_cell", 2), ("output_size", 2), ("padding_source", 2)]  # number, C×H×W shape, clicked cell
STUDENTS = {"en": "Ada Lovelace", "zh-CN": "李伟"}


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url}: {width} px wide"


def build_assignment(page, url: str, lang: str, title: str) -> str:
    page.goto(f"{url}/practice/teacher?lang={lang}")
    page.locator("[data-testid=assignment-title]").click()
    page.keyboard.type(title, delay=150)
    for topic, level in TOPICS:
        page.locator(f"[data-count='{topic}']").focus()
        page.keyboard.press("Control+a")
        page.keyboard.type("1", delay=150)
        page.keyboard.press("Tab")  # on to the level select
        assert page.evaluate("document.activeElement.dataset.level") == topic
        for _ in range(level - 1):
            page.keyboard.press("ArrowDown")
    assert page.locator("[data-total]").inner_text().startswith("3") or "3" in page.locator("[data-total]").inner_text()
    page.locator("[data-testid=create]").focus()
    page.keyboard.press("Enter")
    link = page.locator("[data-testid=assignment-link]")
    link.wait_for(state="visible")
    assert page.evaluate("document.activeElement.dataset.testid") == "assignment-link"
    return link.input_value()


def answer_as_typed(exercise, wrong: bool) -> str:
    if exercise.answer_kind == "shape":
        return " x ".join(str(v) for v in exercise.expected)  # "x" and spaces, as students type it
    if wrong:
        return str(exercise.expected + 1000)
    return expected_text(exercise).replace("−", "-")


def do_exercise(page, exercise, wrong: bool) -> None:
    page.locator("[data-testid=prompt]").wait_for(state="visible")
    if exercise.answer_kind == "cell":
        # The grid is one Tab stop: focus starts on input[0][0]; arrows move, Enter picks.
        assert page.evaluate("document.activeElement.classList.contains('pgrid-pick')")
        r, c = exercise.expected
        for _ in range(r):
            page.keyboard.press("ArrowDown")
        for _ in range(c):
            page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.dataset.row") == str(r)
        page.keyboard.press("Enter")
        assert page.locator("[data-picked]").inner_text().endswith(f"input[{r}][{c}]")
        page.locator("[data-testid=check]").focus()
        page.keyboard.press("Enter")
    else:
        assert page.evaluate("document.activeElement.dataset.testid") == "answer"
        page.keyboard.type(answer_as_typed(exercise, wrong), delay=150)
        page.keyboard.press("Enter")
    verdict = page.locator("[data-testid=verdict]")
    verdict.wait_for(state="visible")
    assert ("is-wrong" if wrong else "is-right") in verdict.get_attribute("class")
    assert expected_text(exercise) in verdict.inner_text()
    assert page.locator("[data-testid=solution] li").count() >= 2
    assert page.evaluate("document.activeElement.dataset.testid") == "next"


def check_lab_link(page, exercise) -> None:
    href = page.locator("[data-testid=lab-link]").get_attribute("href")
    query = parse_qs(urlparse(href).query)
    if exercise.lab["kind"] == "matrix":
        assert urlparse(href).path == "/" and query["mode"] == ["conv"]
        assert query["input"][0].split(";")[0].split(",")[0] == str(exercise.body["input"][0][0])
    else:
        assert urlparse(href).path == "/network" and "layers" in query


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_student_does_a_three_topic_assignment_and_the_teacher_verifies_the_code(
    watched_page, live_server, artifacts, lang
):
    page = watched_page.page
    link = build_assignment(page, live_server.url, lang, "Week 3")
    token = parse_qs(urlparse(link).query)["a"][0]
    name = STUDENTS[lang]
    variant = assignments.exercises(assignments.decode(token), name)
    assert [e.topic for e in variant] == [topic for topic, _ in TOPICS]

    page.goto(f"{link}&lang={lang}")
    page.locator("[data-testid=student-name]").click()  # as a student does, once it shows
    page.keyboard.type(name, delay=150)
    page.keyboard.press("Enter")
    for n, exercise in enumerate(variant):
        do_exercise(page, exercise, wrong=n == 0)
        check_lab_link(page, exercise)
        page.screenshot(path=str(artifacts / f"practice-student-{n + 1}-{lang}-1280.png"), full_page=True)
        page.keyboard.press("Enter")  # Next / Finish
    code_box = page.locator("[data-testid=code]")
    code_box.wait_for(state="visible")
    code = code_box.input_value()
    assert re.fullmatch(r"CS1-[A-Za-z0-9_-]+", code)
    assert re.search(r"\b2\b", page.locator("[data-testid=score]").inner_text())
    assert bool(re.search(r"[\u4e00-\u9fff]", page.locator("[data-testid=score]").inner_text())) == (lang == "zh-CN")
    page.screenshot(path=str(artifacts / f"practice-code-{lang}-1280.png"), full_page=True)

    page.goto(f"{live_server.url}/practice/verify?lang={lang}")
    altered = code[:20] + ("A" if code[20] != "A" else "B") + code[21:]
    page.locator("[data-testid=codes]").fill(f"name,code\n{name},{code}\n{altered}\nhello\n")  # set-up: a paste
    page.locator("[data-testid=verify]").click()
    rows = page.locator("[data-testid=verify-table] tbody tr")
    rows.first.wait_for()
    statuses = page.locator(".verify-status").evaluate_all("cells => cells.map(c => c.dataset.status)")
    assert statuses == ["genuine", "altered", "unreadable"]  # the CSV's header row is skipped
    assert name in rows.nth(0).inner_text() and "2 / 3" in rows.nth(0).inner_text()
    with page.expect_download() as download:
        page.locator("[data-testid=export]").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    genuine = [row for row in table if row["status"] == "genuine"]
    assert [(row["name"], row["score"], row["total"]) for row in genuine] == [(name, "2", "3")]
    assert genuine[0]["finished_at"].endswith("Z") and int(genuine[0]["seconds"]) > 0
    page.screenshot(path=str(artifacts / f"practice-verified-{lang}-1280.png"), full_page=True)
    assert watched_page.console_errors == []
    assert watched_page.foreign_requests == []


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize(("width", "height"), VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_every_practice_page_fits_the_screen_in_both_languages(browser, live_server, artifacts, lang, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    token = assignments.encode(
        assignments.build([assignments.Item(t, 1, lv) for t, lv in TOPICS] + [assignments.Item("param_count", 1, 3)])
    )
    try:
        for name, path in (
            ("free", f"/practice?lang={lang}"),
            ("teacher", f"/practice/teacher?lang={lang}"),
            ("verify", f"/practice/verify?lang={lang}"),
        ):
            page.goto(f"{live_server.url}{path}")
            page.locator("h1").wait_for()
            page.wait_for_load_state("networkidle")
            no_sideways_scroll(page)
            page.screenshot(path=str(artifacts / f"practice-{name}-{lang}-{width}.png"), full_page=True)
        page.goto(f"{live_server.url}/practice?a={token}&lang={lang}")
        page.locator("[data-testid=student-name]").fill("Screen Test")
        page.locator("[data-testid=start]").click()
        for n, answer in enumerate(["1", "1x1x1", None, "1"]):  # a number, a shape, a cell, a number
            page.locator("[data-testid=prompt]").wait_for(state="visible")
            if answer:
                page.locator("[data-testid=answer]").fill(answer)
            else:
                page.locator(".pgrid-pick").first.click()
            page.locator("[data-testid=check]").click()
            page.locator("[data-testid=verdict]").wait_for(state="visible")
            no_sideways_scroll(page)
            page.screenshot(path=str(artifacts / f"practice-exercise-{n + 1}-{lang}-{width}.png"), full_page=True)
            page.locator("[data-testid=next]").click()
        page.locator("[data-testid=code]").wait_for(state="visible")
        no_sideways_scroll(page)
        page.screenshot(path=str(artifacts / f"practice-done-{lang}-{width}.png"), full_page=True)
        assert errors == []
    finally:
        context.close()


def test_a_reload_keeps_the_answers_already_given(watched_page, live_server):
    page = watched_page.page
    token = assignments.encode(assignments.build([assignments.Item("transpose_size", 2, 1)], "Reload"))
    exercise = assignments.exercises(assignments.decode(token), "Ada")[0]
    page.goto(f"{live_server.url}/practice?a={token}&lang=en")
    page.locator("[data-testid=student-name]").click()  # as a student does, once it shows
    page.keyboard.type("Ada", delay=150)
    page.keyboard.press("Enter")
    page.locator("[data-testid=answer]").wait_for(state="visible")
    page.keyboard.type(str(exercise.expected), delay=150)
    page.keyboard.press("Enter")
    page.locator("[data-testid=verdict]").wait_for(state="visible")
    page.reload()
    expect(page.locator("[data-testid=student-name]")).to_have_value("Ada")  # remembered for this tab
    page.locator("[data-testid=start]").click()
    page.locator("[data-testid=prompt]").wait_for(state="visible")
    assert page.locator("[data-progress]").inner_text() == "Exercise 2 of 2"
    assert watched_page.console_errors == []


def start_one_exercise(page, url: str, topic: str, level: int, lang: str):
    """Open a one-exercise assignment as a student would (typing the name, Enter) and return its exercise."""
    token = assignments.encode(assignments.build([assignments.Item(topic, 1, level)], topic))
    page.goto(f"{url}/practice?a={token}&lang={lang}")
    page.locator("[data-testid=student-name]").click()  # as a student does, once it shows
    page.keyboard.type("Ada", delay=150)
    page.keyboard.press("Enter")
    return assignments.exercises(assignments.decode(token), "Ada")[0]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("level", [1, 2, 3], ids=["weight", "input", "through_relu"])
def test_a_gradient_question_shows_the_given_output_gradient_and_opens_the_same_layer_in_the_backward_lab(
    watched_page, live_server, artifacts, lang, level
):
    page = watched_page.page
    exercise = start_one_exercise(page, live_server.url, "gradient_cell", level, lang)
    page.locator("[data-testid=prompt]").wait_for(state="visible")
    given = exercise.body["grad_output"]
    drawn = page.locator(".pgrid-grad").evaluate_all("cells => cells.map(c => c.textContent)")
    assert [float(text.replace("−", "-")) for text in drawn] == [v for row in given for v in row]
    assert page.locator(".pgrid-target").inner_text() == "?"
    settings = page.locator("[data-settings]").inner_text()
    if exercise.body.get("stride", 1) > 1:  # what the student needs to answer is written out
        assert f"stride={exercise.body['stride']}" in settings
    do_exercise(page, exercise, wrong=False)
    page.screenshot(path=str(artifacts / f"practice-gradient-{level}-{lang}-1280.png"), full_page=True)

    href = page.locator("[data-testid=lab-link]").get_attribute("href")
    assert urlparse(href).path == "/backward"
    page.goto(f"{live_server.url}{href}")
    target = exercise.target
    if "grad_weight" in target:
        f, c, a, b = target["grad_weight"]
        grid, row, col = page.locator(f"[data-testid=grad-weight-{f}-{c}]"), a, b
    else:
        ch, row, col = target["grad_input"]
        grid = page.locator(f"[data-testid=grad-input-{ch}]").first
    grid.wait_for()
    shown = grid.locator(f"[data-r='{row}'][data-c='{col}']").inner_text()
    assert float(shown.replace("−", "-")) == exercise.expected  # the lab computes the answer the exercise expects
    assert watched_page.console_errors == []


@pytest.mark.parametrize("level", [1, 3])
def test_a_transposed_convolution_question_opens_the_panel_on_the_same_layer(watched_page, live_server, level):
    page = watched_page.page
    exercise = start_one_exercise(page, live_server.url, "transpose_size", level, "en")
    do_exercise(page, exercise, wrong=False)
    href = page.locator("[data-testid=lab-link]").get_attribute("href")
    page.goto(f"{live_server.url}{href}")
    page.locator("[data-testid=transpose-agree].ok").wait_for()
    body = exercise.body
    for name in ("stride", "padding", "output_padding", "dilation"):
        assert page.locator(f"[data-tr={name}]").input_value() == str(body.get(name, {"dilation": 1}.get(name, 0)))
    assert page.locator("[data-tr=input]").input_value() == ";".join(",".join(map(str, r)) for r in body["input"])
    assert f"= {exercise.expected}" in page.locator("[data-tr-formula]").inner_text()
    assert watched_page.console_errors == []
