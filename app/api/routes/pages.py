"""The lab pages: Jinja2 templates whose scripts and styles are all served from /static."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..listings import kernel_presets, sample_listing
from ..templates import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def matrix_lab(request: Request) -> HTMLResponse:
    return render(request, "index.html", "/")


@router.get("/images", response_class=HTMLResponse)
def image_lab(request: Request) -> HTMLResponse:
    # The lists the lab starts from go in the page: its first maps do not wait a round trip for them.
    answers = {
        "/api/v1/kernels": kernel_presets(),
        "/api/v1/images/samples": sample_listing(request.scope.get("root_path", "")),
    }
    return render(request, "images.html", "/images", answers=answers)


@router.get("/network", response_class=HTMLResponse)
def network_lab(request: Request) -> HTMLResponse:
    return render(request, "network.html", "/network")


@router.get("/backward", response_class=HTMLResponse)
def backward_lab(request: Request) -> HTMLResponse:
    return render(request, "backward.html", "/backward")


@router.get("/practice", response_class=HTMLResponse)
def practice(request: Request) -> HTMLResponse:
    return render(request, "practice.html", "/practice")


@router.get("/practice/teacher", response_class=HTMLResponse)
def practice_teacher(request: Request) -> HTMLResponse:
    return render(request, "practice-teacher.html", "/practice")


@router.get("/practice/verify", response_class=HTMLResponse)
def practice_verify(request: Request) -> HTMLResponse:
    return render(request, "practice-verify.html", "/practice")
