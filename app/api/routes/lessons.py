"""GET /lessons and /lessons/{slug}: the guided lessons.

A lesson is a shareable URL. Its words live in the i18n dictionaries (English and 简体中文,
`static/js/messages/lessons.js`); here are only its order and the labs it opens, each in a
prepared state written in the lab's own URL format (see `static/js/state.js`). Labs for a
lesson whose question asks for a prediction open in Predict mode (`predict=1`).
"""

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..errors import ApiError
from ..templates import render

router = APIRouter(include_in_schema=False)

IMPULSE = "0,0,0,0,0;0,0,0,0,0;0,0,1,0,0;0,0,0,0,0;0,0,0,0,0"
RAMP6 = "1,2,3,4,5,6;2,3,4,5,6,7;3,4,5,6,7,8;4,5,6,7,8,9;5,6,7,8,9,10;6,7,8,9,10,11"
SEVEN = ";".join(",".join(str((r * 7 + c) % 10) for c in range(7)) for r in range(7))
EIGHT = ";".join(",".join(str((r * 8 + c) % 10) for c in range(8)) for r in range(8))
MOUNTAIN = "1,2,2,1,0,1;2,4,5,3,1,2;2,5,9,6,2,1;1,3,6,4,2,0;0,1,2,2,7,1;1,0,1,1,2,1"
EDGES = "-2,-1,0,1,2;-2,-1,0,1,2;-2,-1,0,1,2;-2,-1,0,1,2;-2,-1,0,1,2"


@dataclass(frozen=True)
class Lesson:
    slug: str
    paragraphs: int
    labs: tuple[tuple[str, str], ...]  # (href, key of the button's label)
    figure: str | None = None  # a small picture drawn by static/js/lessons.js


LESSONS = (
    Lesson(
        "correlation-vs-convolution",
        3,
        (
            (f"/?input={IMPULSE}&kernel=1,2,3;4,5,6;7,8,9&padding=1&predict=1", "open.correlation"),
            (f"/?input={IMPULSE}&kernel=1,2,3;4,5,6;7,8,9&padding=1&flip=1&predict=1", "open.convolution"),
        ),
    ),
    Lesson(
        "padding-and-odd-kernels",
        3,
        (
            ("/?kernel=1,0,-1;1,0,-1;1,0,-1&padding=same", "open.odd_same"),
            ("/?kernel=1,-1;1,-1&padding=same", "open.even_same"),
        ),
        figure="even-split",
    ),
    Lesson("stride", 2, ((f"/?input={RAMP6}&kernel=1,1,1;1,1,1;1,1,1&stride=2&padding=1", "open.stride"),)),
    Lesson(
        "output-size",
        3,
        (
            (f"/?input={SEVEN}&kernel=1,0,0;0,1,0;0,0,1&stride=2", "open.size_7"),
            (f"/?input={EIGHT}&kernel=1,0,0;0,1,0;0,0,1&stride=2", "open.size_8"),
        ),
        figure="size-formula",
    ),
    Lesson(
        "multi-channel-filters",
        3,
        (
            (
                "/?input=1,2,0,1;0,1,3,1;2,1,0,2;1,0,1,1|0,1,1,0;2,0,1,3;1,1,2,0;0,2,1,1"
                "&kernel=1,0;0,1|0,1;1,0/1,1;1,1|-1,-1;-1,-1",
                "open.multi",
            ),
        ),
    ),
    Lesson("relu", 2, ((f"/?input={EDGES}&kernel=1,0,-1;1,0,-1;1,0,-1&activation=relu&predict=1", "open.relu"),)),
    Lesson(
        "max-vs-mean-pooling",
        3,
        (
            (f"/?mode=pool&pool=max&input={MOUNTAIN}&predict=1", "open.max_pool"),
            (f"/?mode=pool&pool=avg&input={MOUNTAIN}&predict=1", "open.avg_pool"),
        ),
        figure="rising-water",
    ),
    Lesson(
        "what-pooling-buys",
        3,
        (
            ("/?mode=pool&pool=max&input=9,0,0,0;0,0,0,0;0,0,0,0;0,0,0,0", "open.shift_a"),
            ("/?mode=pool&pool=max&input=0,0,0,0;0,9,0,0;0,0,0,0;0,0,0,0", "open.shift_b"),
            ("/network?preset=vgg_block", "open.vgg"),
        ),
    ),
    Lesson(
        "fc-as-convolution",
        3,
        (("/network?preset=tiny_cifar#fc", "open.tiny_cifar"), ("/network?preset=tiny_cifar_gap#fc", "open.gap")),
    ),
    Lesson("transposed-convolution", 2, (("/network#transpose", "open.transpose"),)),
    Lesson(
        "backward-pass",
        4,
        (
            ("/backward?input=1,2,0,1;0,3,1,2;2,1,0,1;1,0,2,3&kernel=1,2;3,4", "open.bw_transposed"),
            (f"/backward?input={RAMP6}&kernel=1,1,1;1,1,1;1,1,1&stride=2", "open.bw_stride"),
            (f"/backward?mode=pool&pool=max&input={MOUNTAIN}", "open.bw_max_pool"),
            ("/backward#learn", "open.bw_learn"),
        ),
    ),
)
LESSONS_BY_SLUG = {lesson.slug: lesson for lesson in LESSONS}


@router.get("/lessons", response_class=HTMLResponse)
def lessons_index(request: Request) -> HTMLResponse:
    return _lessons(request, None)


@router.get("/lessons/{slug}", response_class=HTMLResponse)
def lesson_page(request: Request, slug: str) -> HTMLResponse:
    if slug not in LESSONS_BY_SLUG:
        raise ApiError(404, "slug", "known_lesson", f"no lesson called {slug!r}; /lessons lists them")
    return _lessons(request, LESSONS_BY_SLUG[slug])


def _lessons(request: Request, lesson: Lesson | None) -> HTMLResponse:
    index = LESSONS.index(lesson) if lesson else None
    return render(
        request,
        "lessons.html",
        "/lessons",
        lessons=LESSONS,
        lesson=lesson,
        previous=LESSONS[index - 1] if index else None,
        next=LESSONS[index + 1] if index is not None and index + 1 < len(LESSONS) else None,
    )
