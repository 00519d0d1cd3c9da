"""Reading and checking an answer: a number (exact, or within a stated tolerance), a cell, a shape.

Numbers may be written 3, −3, 2.5, 2,5 (decimal comma) or 7/4; shapes 16×16×32, 16x16x32, 16*16*32 or
with spaces, in the order the question states (C×H×W); cells as "row, col" (what the page sends) or input[row][col].
"""

import re
from dataclasses import dataclass
from fractions import Fraction

from .exercise import Exercise, num

MAX_ANSWER_CHARS = 64
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_SHAPE_SPLIT = re.compile(r"\s*[x×X*,]\s*|\s+")
_CELL = re.compile(r"(?:input)?\s*[\[(]?\s*(\d{1,4})\s*(?:\]\s*\[|[,;]|\s)\s*(\d{1,4})\s*[\])]?", re.IGNORECASE)


@dataclass(frozen=True)
class Checked:
    correct: bool
    readable: bool  # false: the answer could not be read as the kind asked for
    expected_text: str


def _clean(text: str) -> str:
    return text.strip().replace("−", "-").replace("–", "-").replace("\u00a0", " ")


def parse_number(text: str) -> float | None:
    clean = _clean(text).replace(" ", "")
    if clean.count(",") == 1 and "." not in clean:
        clean = clean.replace(",", ".")
    if "/" in clean:
        top, _, bottom = clean.partition("/")
        if _NUMBER.match(top) and _NUMBER.match(bottom) and float(bottom) != 0:
            return float(Fraction(top) / Fraction(bottom))
        return None
    return float(clean) if _NUMBER.match(clean) else None


def parse_ints(text: str, count: int | None = None) -> list[int] | None:
    parts = [p for p in _SHAPE_SPLIT.split(_clean(text).strip("()[] ")) if p]
    if not parts or not all(re.fullmatch(r"\d{1,7}", p) for p in parts):
        return None
    values = [int(p) for p in parts]
    return values if count is None or len(values) == count else None


def expected_text(exercise: Exercise) -> str:
    if exercise.answer_kind == "shape":
        return "×".join(map(str, exercise.expected))
    if exercise.answer_kind == "cell":
        return f"input[{exercise.expected[0]}][{exercise.expected[1]}]"
    return num(exercise.expected)


def check(exercise: Exercise, answer: str) -> Checked:
    expected = expected_text(exercise)
    if len(answer) > MAX_ANSWER_CHARS:
        return Checked(False, False, expected)
    if exercise.answer_kind == "number":
        value = parse_number(answer)
        if value is None:
            return Checked(False, False, expected)
        # Whole answers are exact; a tolerance is stated where averages make decimals.
        return Checked(abs(value - float(exercise.expected)) <= exercise.tolerance + 1e-9, True, expected)
    if exercise.answer_kind == "cell":
        match = _CELL.fullmatch(_clean(answer))
        values = [int(match[1]), int(match[2])] if match else None
    else:
        values = parse_ints(answer, len(exercise.expected))
    if values is None:
        return Checked(False, False, expected)
    return Checked(values == list(exercise.expected), True, expected)
