"""Practice API: exercises without answers, checks, assignments, completion codes that refuse any change."""

import re

import httpx
import pytest

from app.config import Settings, SettingsError
from app.practice import assignment as assignments
from app.practice import completion
from app.practice.answers import check
from app.practice.catalog import TOPICS, generate
from app.practice.wording import ENGLISH

from .conftest import ROOT, start_convscope, start_server, stop_server

SECRET = b"a-classroom-secret-of-32-characters!"
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
ITEMS = [{"topic": "conv_cell", "count": 2, "level": 2}, {"topic": "padding_source", "count": 1, "level": 3}]


def a_code() -> str:
    token = assignments.encode(assignments.build([assignments.Item("conv_cell", 3, 1)], "Week 3 · 卷积", 4242))
    done = completion.Completion(token, "Li Wei 李伟", ("12", "−3", "7/4"), 2, 3, 1_764_576_000, 754)
    return completion.issue(done, SECRET)


def test_a_genuine_code_carries_everything_it_signs():
    done = completion.verify(a_code(), SECRET)
    assert (done.student, done.answers, done.score, done.total, done.seconds) == (
        "Li Wei 李伟",
        ("12", "−3", "7/4"),
        2,
        3,
        754,
    )
    assert assignments.decode(done.assignment).title == "Week 3 · 卷积"


def test_every_single_character_change_of_a_code_is_refused():
    code = a_code()
    changed = 0
    for position in range(len(code)):
        for char in ALPHABET:
            if char == code[position]:
                continue
            with pytest.raises(completion.CodeError):
                completion.verify(code[:position] + char + code[position + 1 :], SECRET)
            changed += 1
        with pytest.raises(completion.CodeError):  # and every deleted character
            completion.verify(code[:position] + code[position + 1 :], SECRET)
    assert changed == len(code) * (len(ALPHABET) - 1) - sum(c not in ALPHABET for c in code)


def test_a_code_is_refused_under_another_secret():
    with pytest.raises(completion.CodeError) as refused:
        completion.verify(a_code(), b"another-secret-of-enough-length!!")
    assert refused.value.status == "altered"


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        ("32×16×16", True),
        ("32x16x16", True),
        ("32 * 16 * 16", True),
        ("32 16 16", True),
        ("(32, 16, 16)", True),
        ("16×16×32", False),
        ("32×16", False),
        ("32×16×16×1", False),
    ],
    ids=["times-sign", "letter-x", "star-spaces", "spaces", "tuple", "h-w-c-order", "too-few", "too-many"],
)
def test_shape_answers_accept_the_usual_ways_of_writing_them_in_the_stated_order(answer, right):
    from dataclasses import replace

    exercise = replace(generate("output_size", 2, 3), expected=[32, 16, 16])  # C×H×W, as the question says
    assert exercise.shape_order == "C×H×W"
    assert check(exercise, answer).correct is right


@pytest.mark.parametrize(
    ("typed", "value", "tolerance", "right"),
    [
        ("−3", -3, 0, True),
        ("-3", -3, 0, True),
        ("7/4", 1.75, 0, True),
        ("1,75", 1.75, 0, True),
        ("1.7", 1.75, 0, False),
        ("1.74", 1.75, 0.01, True),
        ("1.73", 1.75, 0.01, False),
    ],
    ids=["real-minus", "ascii-minus", "fraction", "decimal-comma", "exact-means-exact", "within-tolerance", "beyond"],
)
def test_number_answers_are_exact_unless_a_tolerance_is_stated(typed, value, tolerance, right):
    from dataclasses import replace

    exercise = replace(generate("conv_cell", 1, 0), expected=value, tolerance=tolerance)
    assert check(exercise, typed).correct is right


def test_every_question_and_solution_key_is_in_both_languages_of_the_page():
    source = (ROOT / "static/js/messages/practice.js").read_text(encoding="utf-8")
    english, chinese = source.split('addMessages("zh-CN"')
    for key in ENGLISH:
        assert f'"{key}":' in english, key
        assert f'"{key}":' in chinese, key
    for topic in TOPICS:
        assert f'"topic.{topic}":' in english and f'"topic.{topic}":' in chinese


def test_an_exercise_comes_without_its_answer_and_the_check_gives_answer_and_solution(client):
    exercise = client.get("/api/v1/exercises", params={"topic": "pool_cell", "level": 2, "seed": 11}).json()
    assert "expected" not in exercise and exercise["layer"]["endpoint"] == "/api/v1/pool2d"
    engine = generate("pool_cell", 2, 11)
    checked = client.post("/api/v1/exercises/check", json={"id": exercise["id"], "answer": str(engine.expected)})
    assert checked.json()["correct"] is True
    assert checked.json()["solution"][0]["text"] == engine.solution[0].text()


@pytest.mark.parametrize(
    ("method", "path", "payload", "field", "rule"),
    [
        ("get", "/api/v1/exercises?topic=nope", None, "topic", "literal_error"),
        ("get", "/api/v1/exercises?topic=conv_cell&level=4", None, "level", "less_than_equal"),
        ("post", "/api/v1/exercises/check", {"id": "conv_cell.9", "answer": "1"}, "id", "exercise_id"),
        ("post", "/api/v1/assignments", {"items": []}, "items", "too_short"),
        ("post", "/api/v1/assignments", {"items": [{"topic": "conv_cell", "count": 11}]}, "items.0.count", ""),
        ("get", "/api/v1/assignments/2.abc.c1-1", None, "assignment", "token_version"),
        ("get", "/api/v1/assignments/1.abc.c1-1x", None, "assignment", "token_form"),
        ("get", "/api/v1/assignments/1.abc.c1-1/variant?student=%20", None, "student", "name_required"),
        ("post", "/api/v1/completions", {"assignment": "1.abc.c1-1", "student": "A", "answers": []}, "answers", ""),
    ],
    ids=[
        "unknown-topic",
        "level-too-high",
        "bad-exercise-id",
        "no-items",
        "count-too-high",
        "token-version",
        "token-altered",
        "blank-name",
        "answers-missing",
    ],
)
def test_bad_requests_are_4xx_in_the_one_error_shape(client, method, path, payload, field, rule):
    response = client.request(method.upper(), path, json=payload)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["field"] == field and set(body) == {"detail", "field", "rule", "errors"}
    assert not rule or body["rule"] == rule


def test_a_token_is_canonical_so_an_edited_token_is_refused_or_another_assignment():
    assignment = assignments.build([assignments.Item("receptive_field", 2, 3)], "T", 77)
    token = assignments.encode(assignment)
    assert assignments.decode(token) == assignment
    for position in range(len(token)):
        for char in "0az_-.A":
            edited = token[:position] + char + token[position + 1 :]
            if edited == token:
                continue
            try:
                other = assignments.decode(edited)
            except Exception as error:  # refused, naming the field
                assert getattr(error, "field", None) in ("assignment", "items", "title", "seed"), edited
            else:
                assert other != assignment and assignments.encode(other) == edited


def complete(url: str, student: str) -> dict:
    made = httpx.post(f"{url}/api/v1/assignments", json={"title": "Restart", "items": ITEMS}).json()
    variant = assignments.exercises(assignments.decode(made["token"]), student)
    answers = [",".join(map(str, e.expected)) if e.answer_kind == "cell" else str(e.expected) for e in variant]
    answers[0] = "999"  # one wrong
    body = {"assignment": made["token"], "student": student, "answers": answers, "seconds": 61}
    return httpx.post(f"{url}/api/v1/completions", json=body).json()


def verify(url: str, codes: str) -> dict:
    return httpx.post(f"{url}/api/v1/completions/verify", json={"codes": codes}).json()


def test_genuine_codes_verify_after_a_restart_with_the_same_secret_and_not_with_another():
    env = {"CONVSCOPE_SECRET": "the-same-secret-before-and-after"}
    first = start_server(env=env)
    try:
        done = complete(first.url, "Ada")
    finally:
        stop_server(first)
    assert (done["score"], done["total"]) == (2, 3)
    second = start_server(env=env)
    try:
        pasted = f"name,code\nAda,{done['code']}\n{done['code'][:-2]}xx\nnot a code\n"
        result = verify(second.url, pasted)
    finally:
        stop_server(second)
    statuses = [(r["line"], r["status"]) for r in result["results"]]
    assert statuses == [(2, "genuine"), (3, "altered"), (4, "unreadable")]  # the CSV header is skipped
    genuine = result["results"][0]
    assert (genuine["student"], genuine["score"], genuine["total"], genuine["seconds"]) == ("Ada", 2, 3, 61)
    other = start_server(env={"CONVSCOPE_SECRET": "a-different-secret-on-this-one"})
    try:
        assert verify(other.url, done["code"])["results"][0]["status"] == "altered"
    finally:
        stop_server(other)


def test_convscope_serve_without_a_secret_warns_and_shares_one_random_secret_across_workers():
    server = start_convscope(workers=2, clean=True)
    process, url = server.process, server.url
    try:
        done = complete(url, "Grace")
        # New connections land on either worker; every one must accept the code.
        statuses = {verify(url, done["code"])["results"][0]["status"] for _ in range(12)}
        assert statuses == {"genuine"}
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    stderr = stderr.decode()
    assert "CONVSCOPE_SECRET is not set" in stderr and "will not verify after a restart" in stderr


def test_the_secret_setting_is_checked_and_never_printed():
    with pytest.raises(SettingsError, match="CONVSCOPE_SECRET"):
        Settings.from_env({"CONVSCOPE_SECRET": "short"})
    settings = Settings.from_env({"CONVSCOPE_SECRET": "x" * 40})
    assert settings.secret == "x" * 40 and "x" * 40 not in repr(settings)


def test_a_code_is_compact():
    code = a_code()
    assert re.fullmatch(r"CS1-[A-Za-z0-9_-]+", code) and len(code) < 200


def test_the_largest_completion_still_verifies():
    import secrets as random_text

    items = [assignments.Item("conv_cell", 10, 1)] * 4
    token = assignments.encode(assignments.build(items, "T" * 80, assignments.MAX_SEED))
    answers = tuple(random_text.token_urlsafe(48)[:64] for _ in range(40))  # incompressible
    done = completion.Completion(token, "N" * 80, answers, 40, 40, 2**31, 7 * 24 * 3600)
    assert completion.verify(completion.issue(done, SECRET), SECRET) == done
