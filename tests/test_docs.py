"""The API explorer at /docs: FastAPI's own pages off, and the root path behind a proxy (the page in Chromium:
tests/browser/test_docs_page.py)."""

from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


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
