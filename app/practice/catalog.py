"""Every topic by name, and `generate(topic, level, seed)`: the one way an exercise is made."""

from types import ModuleType

from ..core.errors import EngineError
from .exercise import Exercise
from .seeding import MAX_SEED, exercise_rng
from .topics import (
    conv_cell,
    gradient_cell,
    output_size,
    padding_source,
    param_count,
    pool_cell,
    receptive_field,
    same_padding,
    transpose_size,
)

# The order is the order of the teacher's checklist; `code` is the topic's letter in an assignment link
# (never change one: old links would change meaning).
TOPICS: dict[str, ModuleType] = {
    module.TOPIC: module
    for module in (
        conv_cell,
        pool_cell,
        output_size,
        same_padding,
        padding_source,
        receptive_field,
        param_count,
        transpose_size,
        gradient_cell,
    )
}
CODES = {
    "conv_cell": "c",
    "pool_cell": "p",
    "output_size": "o",
    "same_padding": "s",
    "padding_source": "r",
    "receptive_field": "f",
    "param_count": "n",
    "transpose_size": "t",
    "gradient_cell": "g",
}
TOPIC_OF_CODE = {code: topic for topic, code in CODES.items()}


def check_choice(topic: str, level: int, seed: int) -> None:
    """Refuse an unknown topic, a level the topic lacks, or a seed out of range, naming the field."""
    if topic not in TOPICS:
        raise EngineError("topic", "known_topic", f"topic must be one of {', '.join(TOPICS)}")
    if level not in TOPICS[topic].LEVELS:
        levels = ", ".join(map(str, TOPICS[topic].LEVELS))
        raise EngineError("level", "known_level", f"{topic} has levels {levels}; got {level}")
    if not 0 <= seed <= MAX_SEED:
        raise EngineError("seed", "seed_range", f"seed must be a whole number from 0 to {MAX_SEED}")


def generate(topic: str, level: int, seed: int) -> Exercise:
    check_choice(topic, level, seed)
    return TOPICS[topic].generate(exercise_rng(topic, level, seed), level, seed)
