"""Practice API: exercises (without their answers), checking an answer, assignments and completion codes."""

import logging
import re
import secrets
import threading
import time
from typing import Annotated

from fastapi import APIRouter, Query, Request

from ...core.errors import EngineError
from ...practice import assignment as assignments
from ...practice import completion
from ...practice.answers import check, expected_text
from ...practice.catalog import CODES, TOPICS, generate
from ...practice.seeding import MAX_SEED
from ..errors import ERROR_RESPONSES, ApiError
from ..json_route import JSONRoute
from ..practice_schemas import (
    MAX_VERIFY_CODES,
    AssignmentModel,
    AssignmentRequest,
    CheckRequest,
    CheckResponse,
    CompleteRequest,
    CompleteResponse,
    ExerciseModel,
    Level,
    Topic,
    TopicModel,
    VariantModel,
    VerifyRequest,
    VerifyResponse,
)

router = APIRouter(prefix="/api/v1", tags=["practice"], route_class=JSONRoute, responses=ERROR_RESPONSES)
log = logging.getLogger("convscope.practice")
_secret_lock = threading.Lock()


def completion_secret(request: Request) -> bytes:
    """CONVSCOPE_SECRET, or (unset, e.g. uvicorn started by hand) one random secret for this process."""
    state = request.app.state
    with _secret_lock:
        if not hasattr(state, "completion_secret"):
            configured = state.settings.secret
            if not configured:
                log.warning(
                    "CONVSCOPE_SECRET is not set: completion codes use a random secret of this process; "
                    "they will not verify after a restart or on another worker (start with `convscope serve`, "
                    "or set CONVSCOPE_SECRET)"
                )
                configured = secrets.token_urlsafe(32)
            state.completion_secret = configured.encode("utf-8")
    return state.completion_secret


def _item_dicts(assignment: assignments.Assignment) -> list[dict]:
    return [{"topic": i.topic, "count": i.count, "level": i.level} for i in assignment.items]


def _assignment(assignment: assignments.Assignment) -> dict:
    token = assignments.encode(assignment)
    return {
        "token": token,
        "title": assignment.title,
        "seed": assignment.seed,
        "total": assignment.total,
        "items": _item_dicts(assignment),
        "path": f"/practice?a={token}",
    }


def _parse_id(exercise_id: str):
    match = re.fullmatch(r"([a-z_]+)\.([1-9])\.(\d{1,16})", exercise_id)
    if not match or match[1] not in TOPICS or int(match[3]) > MAX_SEED:
        raise ApiError(422, "id", "exercise_id", "id must be topic.level.seed, as an exercise's id gives it")
    return generate(match[1], int(match[2]), int(match[3]))


@router.get("/exercises/topics", response_model=list[TopicModel])
def topics() -> list[dict]:
    """Every topic and its levels."""
    return [{"topic": name, "levels": list(module.LEVELS), "code": CODES[name]} for name, module in TOPICS.items()]


@router.get("/exercises", response_model=ExerciseModel)
def exercise(
    topic: Topic,
    level: Level = 1,
    seed: Annotated[int | None, Query(ge=0, le=MAX_SEED, description="Omit for a random one.")] = None,
) -> dict:
    """One exercise with the exact layer request it is about, but not its answer."""
    return generate(topic, level, secrets.randbelow(MAX_SEED + 1) if seed is None else seed).public()


@router.post("/exercises/check", response_model=CheckResponse)
def check_answer(body: CheckRequest) -> dict:
    """Whether an answer is right, the expected answer and the worked solution."""
    ex = _parse_id(body.id)
    checked = check(ex, body.answer)
    return {
        "id": ex.id,
        "correct": checked.correct,
        "readable": checked.readable,
        "expected": ex.expected,
        "expected_text": checked.expected_text,
        "tolerance": ex.tolerance,
        "solution": [line.as_dict() for line in ex.solution],
    }


@router.post("/assignments", response_model=AssignmentModel)
def create_assignment(body: AssignmentRequest) -> dict:
    """Build an assignment: the answer is its link token (nothing is stored)."""
    items = [assignments.Item(i.topic, i.count, i.level) for i in body.items]
    return _assignment(assignments.build(items, body.title, body.seed))


def _decode(token: str) -> assignments.Assignment:
    try:
        return assignments.decode(token)
    except EngineError as error:
        raise ApiError(422, "assignment", error.rule, error.message) from None


@router.get("/assignments/{token}", response_model=AssignmentModel)
def read_assignment(token: str) -> dict:
    """What a token holds: title, topics, counts and levels."""
    return _assignment(_decode(token))


@router.get("/assignments/{token}/variant", response_model=VariantModel)
def variant(token: str, student: Annotated[str, Query(min_length=1, max_length=80)]) -> dict:
    """One student's exercises (from the assignment's seed and the name), without answers."""
    assignment = _decode(token)
    exercises = assignments.exercises(assignment, student)
    return _assignment(assignment) | {
        "student": assignments.check_name(student),
        "exercises": [e.public() for e in exercises],
    }


@router.post("/completions", response_model=CompleteResponse)
def complete(body: CompleteRequest, request: Request) -> dict:
    """Grade a student's answers (regenerating their variant) and sign the result as a completion code."""
    assignment = _decode(body.assignment)
    student = assignments.check_name(body.student)
    exercises = assignments.exercises(assignment, student)
    if len(body.answers) != len(exercises):
        raise ApiError(
            422,
            "answers",
            "one_per_exercise",
            f"answers needs one entry per exercise ({len(exercises)}); got {len(body.answers)}",
        )
    results = []
    for ex, answer in zip(exercises, body.answers):
        checked = check(ex, answer)
        results.append({"id": ex.id, "answer": answer, "correct": checked.correct, "expected_text": expected_text(ex)})
    score = sum(r["correct"] for r in results)
    done = completion.Completion(
        body.assignment, student, tuple(body.answers), score, len(exercises), int(time.time()), body.seconds
    )
    code = completion.issue(done, completion_secret(request))
    return {
        "code": code,
        "student": student,
        "score": score,
        "total": len(exercises),
        "finished_at": done.finished_at,
        "seconds": done.seconds,
        "results": results,
    }


CODE_IN_TEXT = re.compile(r"CS1-[^\s,;\"'|]*")


@router.post("/completions/verify", response_model=VerifyResponse)
def verify(body: VerifyRequest, request: Request) -> dict:
    """Say for each pasted code (one per line, or anywhere in a CSV row) whether it is genuine and unaltered."""
    secret = completion_secret(request)
    results = []
    for number, line in enumerate(body.codes.splitlines(), start=1):
        if not line.strip():
            continue
        found = CODE_IN_TEXT.findall(line)
        if not found and number == 1 and re.search(r"[,;\t]", line):
            continue  # a CSV's header row
        found = found or [line.strip()[:80]]
        for code in found:
            results.append(_verify_one(number, code, secret))
            if len(results) > MAX_VERIFY_CODES:
                raise ApiError(422, "codes", "limit", f"at most {MAX_VERIFY_CODES} codes at a time")
    genuine = sum(r["status"] == "genuine" for r in results)
    return {"genuine": genuine, "refused": len(results) - genuine, "results": results}


def _verify_one(line: int, code: str, secret: bytes) -> dict:
    try:
        done = completion.verify(code, secret)
    except completion.CodeError as error:
        return {"line": line, "code": code, "status": error.status, "message": str(error)}
    try:
        title = assignments.decode(done.assignment).title
    except EngineError:
        title = None
    return {
        "line": line,
        "code": code,
        "status": "genuine",
        "message": "genuine and unaltered",
        "student": done.student,
        "assignment": done.assignment,
        "title": title,
        "score": done.score,
        "total": done.total,
        "finished_at": done.finished_at,
        "seconds": done.seconds,
    }
