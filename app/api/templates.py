"""The pages' shared layout: Jinja2 templates from templates/, each page told the version and its nav link, and
sent in the student's language (catalogue.py)."""

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..paths import TEMPLATES
from .catalogue import page_language, translate_html
from .modules import imports_of

templates = Jinja2Templates(directory=TEMPLATES)
templates.env.globals["imports_of"] = imports_of


def render(request: Request, template: str, active: str, **context: object) -> HTMLResponse:
    """A page in the shared layout; `active` is the nav link marked as the current page."""
    lang = page_language(request)
    context |= {"version": __version__, "root_path": request.scope.get("root_path", ""), "active": active, "lang": lang}
    html = templates.get_template(template).render({"request": request, **context})
    # The language follows ?lang=, a cookie and Accept-Language: a shared cache must keep them apart.
    headers = {"Vary": "Accept-Language, Cookie"}
    return HTMLResponse(translate_html(html, lang), headers=headers)
