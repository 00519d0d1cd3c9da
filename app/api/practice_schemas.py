"""Request and response models of the practice API: exercises, checks, assignments, completion codes."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from ..practice.assignment import MAX_COUNT, MAX_ITEMS, MAX_NAME_CHARS, MAX_TITLE_CHARS, MAX_TOKEN_CHARS
from ..practice.catalog import TOPICS
from .schemas import StrictModel

Topic = Literal[tuple(TOPICS)]  # type: ignore[valid-type]
Level = Annotated[int, Field(ge=1, le=3)]
AnswerText = Annotated[str, Field(max_length=64, description="As typed: 3, −2.5, 7/4, 16×16×32, or 'row, col'.")]
MAX_VERIFY_CHARS = 1_000_000
MAX_VERIFY_CODES = 500


class LineModel(BaseModel):
    key: str = Field(description="Message key (the page translates it).")
    params: dict[str, str | int | float]
    text: str = Field(description="The line in English.")


class LayerRequest(BaseModel):
    endpoint: str = Field(description="The REST endpoint this body is for, e.g. /api/v1/conv2d.")
    body: dict = Field(description="The exact JSON body: post it there to recompute the answer.")


class ExerciseModel(BaseModel):
    id: str = Field(description="topic.level.seed: names the exercise for /api/v1/exercises/check.")
    topic: str
    level: int
    seed: int
    prompt: LineModel
    answer_kind: Literal["number", "cell", "shape"]
    tolerance: float = Field(description="Accepted absolute difference; 0: exact.")
    shape_order: str | None = Field(description="The order a shape answer is written in, e.g. C×H×W.")
    layer: LayerRequest
    target: dict = Field(description="What the question points at (an output cell, a padded cell…).")
    lab: dict = Field(description="Which lab shows this exercise, and in which state.")


class TopicModel(BaseModel):
    topic: str
    levels: list[int]
    code: str = Field(description="The topic's letter in an assignment token.")


class CheckRequest(StrictModel):
    id: Annotated[str, Field(max_length=80, description="The exercise's id (topic.level.seed).")]
    answer: AnswerText


class CheckResponse(BaseModel):
    id: str
    correct: bool
    readable: bool = Field(description="false: the answer could not be read as the kind asked for.")
    expected: float | list[int]
    expected_text: str
    tolerance: float
    solution: list[LineModel]


class ItemModel(StrictModel):
    topic: Topic
    count: Annotated[int, Field(ge=1, le=MAX_COUNT)] = 1
    level: Level = 1


class AssignmentRequest(StrictModel):
    title: Annotated[str, Field(max_length=MAX_TITLE_CHARS)] = ""
    items: Annotated[list[ItemModel], Field(min_length=1, max_length=MAX_ITEMS)]
    seed: Annotated[int, Field(ge=0, le=36**8 - 1, description="Omit for a fresh random one.")] | None = None


class AssignmentModel(BaseModel):
    token: str = Field(description="The whole assignment, URL-safe: /practice?a=<token>.")
    title: str
    seed: int
    total: int
    items: list[dict]
    path: str = Field(description="The page a student opens (prefix it with the server's address).")


class VariantModel(AssignmentModel):
    student: str
    exercises: list[ExerciseModel]


Token = Annotated[str, Field(max_length=MAX_TOKEN_CHARS)]
Student = Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]


class CompleteRequest(StrictModel):
    assignment: Token
    student: Student
    answers: Annotated[list[AnswerText], Field(max_length=40, description="One per exercise, in order; '' for none.")]
    seconds: Annotated[int, Field(ge=0, le=7 * 24 * 3600, description="Time spent, as the page measured it.")] = 0


class ResultModel(BaseModel):
    id: str
    answer: str
    correct: bool
    expected_text: str


class CompleteResponse(BaseModel):
    code: str = Field(description="The completion code the student hands in.")
    student: str
    score: int
    total: int
    finished_at: int = Field(description="Unix seconds, the server's clock.")
    seconds: int
    results: list[ResultModel]


class VerifyRequest(StrictModel):
    codes: Annotated[str, Field(max_length=MAX_VERIFY_CHARS, description="Codes, one per line or in a CSV.")]


class VerifiedModel(BaseModel):
    line: int = Field(description="Line of the pasted text (1-based).")
    code: str
    status: Literal["genuine", "altered", "unreadable"]
    message: str
    student: str | None = None
    assignment: str | None = None
    title: str | None = None
    score: int | None = None
    total: int | None = None
    finished_at: int | None = None
    seconds: int | None = None


class VerifyResponse(BaseModel):
    genuine: int
    refused: int
    results: list[VerifiedModel]
