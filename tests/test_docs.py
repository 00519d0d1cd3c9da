"""The API explorer at /docs: offline (vendored Swagger UI), under the strict CSP, behind a root path."""

from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


def test_docs_page_shows_every_operation_with_no_console_errors_or_foreign_requests(watched_page, live_server):
    page = watched_page.page
    page.goto(f"{live_server.url}/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    shown = {summary.inner_text().split("\n")[0] for summary in page.locator(".opblock-summary-path").all()}
    schema = page.request.get(f"{live_server.url}/openapi.json").json()
    assert set(schema["paths"]) <= {path.replace("\u200b", "") for path in shown}
    assert watched_page.console_errors == []
    assert watched_page.foreign_requests == []


def test_fastapi_default_docs_are_off(client):
    assert client.get("/redoc").status_code == 404
    assert client.get("/docs/oauth2-redirect").status_code == 404
    assert client.get("/openapi.json").status_code == 200


def test_docs_page_uses_the_root_path_behind_a_proxy():
    with TestClient(create_app(Settings()), root_path="/convscope") as client:
        page = client.get("/docs").text
    assert 'data-openapi-url="/convscope/openapi.json"' in page
    assert 'src="/convscope/static/js/docs.js"' in page
    assert 'href="/convscope/static/vendor/swagger-ui/swagger-ui.css"' in page
