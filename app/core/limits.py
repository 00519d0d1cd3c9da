"""Explicit bounds on the work one request may ask for.

The engine checks them before it allocates anything, so that no input can make the
server spend unbounded time or memory. The web layer fills them from settings
(every field is a `CONVSCOPE_*` variable, app/config.py).
"""

from dataclasses import dataclass

from .errors import EngineError

MAX_ABS_VALUE = 1e12  # a fixed rule, not a setting: every number sent is within ±this, so products stay finite


@dataclass(frozen=True)
class Limits:
    max_input_cells: int = 65_536  # C×H×W of a JSON input
    max_channels: int = 64
    max_filters: int = 64
    max_kernel_size: int = 31  # per side
    max_padded_cells: int = 262_144  # C×Hp×Wp after padding
    max_output_cells: int = 262_144  # F×Ho×Wo, also the number of frames
    max_macs: int = 50_000_000  # multiply-adds of the whole layer
    max_frames_per_page: int = 5_000
    max_page_values: int = 2_000_000  # numbers in one page of frames
    max_layers: int = 32  # layers of one network stack
    max_layer_weights: int = 2_000_000  # one network layer's weights, when computing numbers
    memory_budget_bytes: int = 256 * 1024 * 1024  # working memory of one request, estimated from the shapes


def check_at_most(value: int, limit: int, field: str, what: str) -> None:
    if value > limit:
        raise EngineError(
            field,
            "limit",
            f"{what} is {value:,}, above this server's limit of {limit:,}",
            {"what": what, "value": value, "limit": limit},
        )


def check_memory(nbytes: int, limits: Limits, field: str) -> None:
    """Refuse, before allocating, work whose arrays would not fit the per-request memory budget."""
    if nbytes > limits.memory_budget_bytes:
        raise EngineError(
            field,
            "memory_budget",
            f"this needs about {nbytes / 2**20:,.0f} MB of working memory, above this server's budget of "
            f"{limits.memory_budget_bytes / 2**20:,.0f} MB per request; use a smaller input, kernel or padding",
            {"megabytes": round(nbytes / 2**20), "budget": round(limits.memory_budget_bytes / 2**20)},
        )
