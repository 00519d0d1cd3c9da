"""An assignment as one compact, URL-safe, versioned link token; nothing is stored on the server.

    1.<seed in base 36>.<items>[.<title as base64url>]      items: <topic letter><count>-<level>, "_" between

e.g. `1.k3j9x2.c3-2_p2-1_o1-3.V2VlayAz` (3 conv cells at level 2, 2 pooling cells at level 1, 1 output size at
level 3, "Week 3"). Every student's numbers come from the seed and their name (`seeding.variant_seed`).
Tokens are canonical: one assignment has exactly one token, so an edited token is a different assignment.
"""

import base64
import binascii
import re
import secrets
from dataclasses import dataclass

from ..core.errors import EngineError
from .catalog import CODES, TOPIC_OF_CODE, TOPICS, generate
from .exercise import Exercise
from .seeding import variant_seed

VERSION = "1"
MAX_ITEMS = 16
MAX_COUNT = 10  # exercises of one item
MAX_TOTAL = 40  # exercises of one assignment
MAX_TITLE_CHARS = 80
MAX_NAME_CHARS = 80
MAX_SEED = 36**8 - 1
MAX_TOKEN_CHARS = 400
_ITEM = re.compile(r"([a-z])([1-9]\d?)-([1-9])")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Item:
    topic: str
    count: int
    level: int


@dataclass(frozen=True)
class Assignment:
    seed: int
    items: tuple[Item, ...]
    title: str = ""

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)


def _bad(rule: str, message: str, field: str = "assignment") -> EngineError:
    return EngineError(field, rule, message)


def new_seed() -> int:
    return secrets.randbelow(MAX_SEED + 1)


def build(items: list[Item], title: str = "", seed: int | None = None) -> Assignment:
    """Check a teacher's choices and fix the seed (a fresh random one unless given)."""
    if not items:
        raise _bad("at_least_one_item", "choose at least one topic", "items")
    if len(items) > MAX_ITEMS:
        raise _bad("too_many_items", f"an assignment has at most {MAX_ITEMS} items", "items")
    for n, item in enumerate(items):
        if item.topic not in TOPICS:
            raise _bad("known_topic", f"topic must be one of {', '.join(TOPICS)}", f"items.{n}.topic")
        if item.level not in TOPICS[item.topic].LEVELS:
            raise _bad("known_level", f"{item.topic} has levels 1 to 3", f"items.{n}.level")
        if not 1 <= item.count <= MAX_COUNT:
            raise _bad("count_range", f"count must be 1 to {MAX_COUNT}", f"items.{n}.count")
    assignment = Assignment(new_seed() if seed is None else seed, tuple(items), " ".join(title.split()))
    if assignment.total > MAX_TOTAL:
        raise _bad("too_many_exercises", f"an assignment has at most {MAX_TOTAL} exercises", "items")
    if len(assignment.title) > MAX_TITLE_CHARS:
        raise _bad("title_length", f"the title has at most {MAX_TITLE_CHARS} characters", "title")
    if not 0 <= assignment.seed <= MAX_SEED:
        raise _bad("seed_range", f"seed must be 0 to {MAX_SEED}", "seed")
    return assignment


def _base36(n: int) -> str:
    text = ""
    while True:
        n, digit = divmod(n, 36)
        text = _DIGITS[digit] + text
        if n == 0:
            return text


def encode(assignment: Assignment) -> str:
    items = "_".join(f"{CODES[i.topic]}{i.count}-{i.level}" for i in assignment.items)
    parts = [VERSION, _base36(assignment.seed), items]
    if assignment.title:
        parts.append(base64.urlsafe_b64encode(assignment.title.encode("utf-8")).decode("ascii").rstrip("="))
    return ".".join(parts)


def decode(token: str) -> Assignment:
    """The assignment a token names; refuses anything that is not exactly a token this version writes."""
    if len(token) > MAX_TOKEN_CHARS:
        raise _bad("token_length", f"an assignment link has at most {MAX_TOKEN_CHARS} characters")
    parts = token.split(".")
    if parts[0] != VERSION:
        raise _bad("token_version", "this is not an assignment link of this version (it should start with 1.)")
    if len(parts) not in (3, 4) or not re.fullmatch(r"[0-9a-z]{1,8}", parts[1]):
        raise _bad("token_form", "the assignment link is cut short or altered")
    items = []
    for text in parts[2].split("_"):
        match = _ITEM.fullmatch(text)
        if not match or match[1] not in TOPIC_OF_CODE:
            raise _bad("token_form", "the assignment link is cut short or altered")
        items.append(Item(TOPIC_OF_CODE[match[1]], int(match[2]), int(match[3])))
    title = ""
    if len(parts) == 4:
        try:
            title = base64.urlsafe_b64decode(parts[3] + "=" * (-len(parts[3]) % 4)).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise _bad("token_form", "the assignment link is cut short or altered") from None
    assignment = build(items, title, int(parts[1], 36))
    if encode(assignment) != token:
        raise _bad("token_form", "the assignment link is cut short or altered")
    return assignment


def check_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise _bad("name_required", "enter your name or student number", "student")
    if len(clean) > MAX_NAME_CHARS:
        raise _bad("name_length", f"a name has at most {MAX_NAME_CHARS} characters", "student")
    return clean


def exercises(assignment: Assignment, student: str) -> list[Exercise]:
    """One student's variant: every exercise drawn from the assignment's seed, the name and its place."""
    name = check_name(student)
    result = []
    for item in assignment.items:
        for _ in range(item.count):
            index = len(result)
            result.append(generate(item.topic, item.level, variant_seed(assignment.seed, name, index)))
    return result
