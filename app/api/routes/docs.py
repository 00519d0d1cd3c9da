"""GET /docs: the OpenAPI explorer from vendored Swagger UI, so it works offline and under the strict CSP.

FastAPI's own page loads Swagger UI from a CDN and starts it with an inline script; ours serves the
bundle from /static and starts it from `static/js/docs.js`, inside the site's header (a way back to the labs).
"""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..templates import render

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    root_path = request.scope.get("root_path", "")
    openapi_url = root_path + (request.app.openapi_url or "/openapi.json")
    return render(request, "docs.html", "/docs", openapi_url=openapi_url)
