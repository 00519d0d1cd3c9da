"""One generated exercise: its layer request, its question, its expected answer, its worked solution.

Words travel as message keys with parameters (the page translates them); `text()` renders the
English for API clients. Arithmetic is written the way the labs' arithmetic panel writes it.
"""

from dataclasses import dataclass, field

from .wording import english

ANSWER_KINDS = ("number", "cell", "shape")


@dataclass(frozen=True)
class Line:
    """A sentence by message key; `params` fill its `{name}` slots."""

    key: str
    params: dict = field(default_factory=dict)

    def text(self) -> str:
        return english(self.key, self.params)

    def as_dict(self) -> dict:
        return {"key": self.key, "params": self.params, "text": self.text()}


@dataclass(frozen=True)
class Exercise:
    topic: str
    level: int
    seed: int
    prompt: Line
    answer_kind: str  # number | cell | shape
    endpoint: str  # the REST endpoint the body is for, e.g. /api/v1/conv2d
    body: dict  # the exact JSON body of that endpoint
    target: dict  # what the question points at (output cell, padded cell, layer), for drawing
    expected: float | int | list[int]
    solution: tuple[Line, ...]
    lab: dict  # how to open a lab in this exact state
    tolerance: float = 0.0  # accepted absolute difference; 0 means exact
    shape_order: str | None = None  # "C×H×W" for shape answers

    @property
    def id(self) -> str:
        return exercise_id(self.topic, self.level, self.seed)

    def public(self) -> dict:
        """Everything a student may see before answering: no expected answer, no solution."""
        return {
            "id": self.id,
            "topic": self.topic,
            "level": self.level,
            "seed": self.seed,
            "prompt": self.prompt.as_dict(),
            "answer_kind": self.answer_kind,
            "tolerance": self.tolerance,
            "shape_order": self.shape_order,
            "layer": {"endpoint": self.endpoint, "body": self.body},
            "target": self.target,
            "lab": self.lab,
        }


def exercise_id(topic: str, level: int, seed: int) -> str:
    return f"{topic}.{level}.{seed}"


def num(value: float) -> str:
    """A number as the labs print it: integers bare, otherwise up to 3 decimals, a real minus sign."""
    value = float(value)
    text = str(int(value)) if value.is_integer() else f"{value:.3f}".rstrip("0").rstrip(".")
    return text.replace("-", "−")


def factor(value: float) -> str:
    """A factor in a product: negatives in parentheses, "(−1)×2"."""
    return f"({num(value)})" if value < 0 else num(value)


MAX_TERMS = 9


def join_terms(terms: list[str], separator: str) -> str:
    """Long sums elided in the middle, as the labs do, so a line fits a projector."""
    if len(terms) <= MAX_TERMS:
        return separator.join(terms)
    return separator.join([*terms[:4], "…", *terms[-2:]])


def math(text: str) -> Line:
    """A line of pure arithmetic: the same in every language."""
    return Line("sol.math", {"text": text})
