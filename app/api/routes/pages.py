"""The lab pages: Jinja2 templates whose scripts and styles are all served from /static."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..catalogue import page_language
from ..conv_answer import first_layer
from ..deps import SettingsDep
from ..listings import FIRST_SAMPLE, kernel_presets, preset_menu, sample_listing, sample_menu
from ..templates import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def matrix_lab(request: Request, settings: SettingsDep) -> HTMLResponse:
    # The presets and the default layer's answer go in the page: the first grids wait for no round trip.
    answers = {"/api/v1/kernels": kernel_presets()}
    posted = {"/api/v1/conv2d": first_layer(settings)}
    menu = preset_menu(page_language(request))
    return render(request, "index.html", "/", answers=answers, posted=posted, preset_menu=menu)


@router.get("/images", response_class=HTMLResponse)
def image_lab(request: Request) -> HTMLResponse:
    # The lists the lab starts from go in the page: its first maps do not wait a round trip for them.
    samples = sample_listing(request.scope.get("root_path", ""))
    answers = {"/api/v1/kernels": kernel_presets(), "/api/v1/images/samples": samples}
    # The sample menu is drawn by the server too, so the source card shows with the first paint.
    menu = sample_menu(samples, page_language(request))
    return render(request, "images.html", "/images", answers=answers, sample_menu=menu, first_sample=FIRST_SAMPLE)


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
