"""Health, the output-size explainer and the preset kernels."""

from typing import Annotated

from fastapi import APIRouter, Query

from ...core.shape import explain_axis
from ..errors import ERROR_RESPONSES
from ..listings import kernel_presets
from ..schemas import AxisShapeModel, Health, KernelPreset

router = APIRouter(responses={422: ERROR_RESPONSES[422]})
Size = Annotated[int, Query(ge=1, le=100_000)]


@router.get("/healthz", response_model=Health, tags=["meta"])
async def healthz() -> dict:
    """On the event loop, never queued behind the thread pool: it answers while every thread is busy."""
    return {"status": "ok"}


@router.get("/api/v1/output-size", response_model=AxisShapeModel, tags=["meta"])
def output_size(
    n: Size,
    k: Size,
    p: Annotated[int, Query(ge=0, le=100_000, description="Padding on each side.")] = 0,
    s: Size = 1,
    d: Size = 1,
    ceil_mode: bool = False,
    p_after: Annotated[int | None, Query(ge=0, le=100_000, description="Padding after, if not p.")] = None,
) -> dict:
    """One axis of any sliding-window layer: the size and the arithmetic behind it."""
    return explain_axis("height", n, k, s, d, p, p_after, ceil_mode).as_dict()


@router.get("/api/v1/kernels", response_model=list[KernelPreset], tags=["meta"])
def kernels() -> list[dict]:
    return kernel_presets()
