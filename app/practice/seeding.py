"""Deterministic randomness for exercises: the same seed gives the same numbers everywhere.

Seeds go through SHA-256 (never Python's `hash()`, which is salted per process) into numpy's
PCG64, whose stream is fixed for a given numpy release, so every machine and every worker of a
release generates the same exercise from the same seed.
"""

import hashlib
import unicodedata

import numpy as np

SEED_BITS = 53  # seeds stay exact as JavaScript numbers
MAX_SEED = 2**SEED_BITS - 1


def _digest(*parts: object) -> bytes:
    text = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8")).digest()


def exercise_rng(topic: str, level: int, seed: int) -> np.random.Generator:
    """The generator that draws one exercise's numbers."""
    material = int.from_bytes(_digest("convscope/exercise/v1", topic, level, seed), "big")
    return np.random.Generator(np.random.PCG64(material))


def student_key(name: str) -> str:
    """A name as the variant sees it: NFKC, case-folded, inner spaces collapsed ("Li  Wei" = "li wei")."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def variant_seed(assignment_seed: int, name: str, index: int) -> int:
    """Exercise `index`'s seed for one student of an assignment."""
    digest = _digest("convscope/variant/v1", assignment_seed, student_key(name), index)
    return int.from_bytes(digest[:8], "big") & MAX_SEED
