"""The API explorer at /docs in Chromium: offline (vendored Swagger UI), every operation shown, under the strict CSP."""


def test_docs_page_shows_every_operation_with_no_console_errors_or_foreign_requests(watched_page, live_server):
    page = watched_page.page
    page.goto(f"{live_server.url}/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    shown = {summary.inner_text().split("\n")[0] for summary in page.locator(".opblock-summary-path").all()}
    schema = page.request.get(f"{live_server.url}/openapi.json").json()
    assert set(schema["paths"]) <= {path.replace("\u200b", "") for path in shown}
    assert watched_page.console_errors == []
    assert watched_page.foreign_requests == []
