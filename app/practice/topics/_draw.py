"""Small drawing helpers shared by the topic generators (integers, so answers stay exact)."""

import numpy as np

from ...core.errors import EngineError

MAX_TRIES = 64


def ints(rng: np.random.Generator, lo: int, hi: int, shape: tuple[int, ...]) -> list:
    """Whole numbers lo..hi (inclusive) as nested lists: the JSON a request body holds."""
    return rng.integers(lo, hi, size=shape, endpoint=True).tolist()


def pick(rng: np.random.Generator, options: tuple | list):
    return options[int(rng.integers(len(options)))]


def first_valid(rng: np.random.Generator, draw):
    """Redraw until the engine accepts the configuration; every level has valid draws, so this ends fast."""
    for _ in range(MAX_TRIES):
        try:
            return draw(rng)
        except EngineError:
            continue
    raise RuntimeError("no valid configuration drawn")  # a generator bug, caught by the property tests
