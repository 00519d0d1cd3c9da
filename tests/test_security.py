"""Security: headers on every response, body limits before reading, JSON only, no stack traces, CORS off by default."""

import socket
import time
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

CONV = {"input": [[1, 2], [3, 4]], "kernel": [[1]]}


def directives(response) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/", None),
        ("GET", "/docs", None),
        ("GET", "/healthz", None),
        ("GET", "/openapi.json", None),
        ("GET", "/static/js/docs.js", None),
        ("POST", "/api/v1/conv2d", CONV),
        ("POST", "/api/v1/conv2d", {"input": "nope"}),
        ("GET", "/no-such-page", None),
    ],
    ids=["page", "docs", "healthz", "openapi", "static", "conv", "error-422", "error-404"],
)
def test_every_response_carries_the_security_headers(client, method, path, body):
    response = client.request(method, path, json=body)
    policy = directives(response)
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert "'unsafe-eval'" not in response.headers["content-security-policy"]
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'self'"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_frame_ancestors_come_from_settings():
    settings = Settings(frame_ancestors="'self' https://moodle.school.example")
    with TestClient(create_app(settings)) as client:
        policy = directives(client.get("/"))
    assert policy["frame-ancestors"] == "'self' https://moodle.school.example"


def raw_request(url: str, head: bytes, body: bytes, timeout: float = 5) -> tuple[bytes, float]:
    """Send bytes over a socket and read the answer: what a client that lies about its body would do."""
    parts = urlsplit(url)
    started = time.monotonic()
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(head + body)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer, time.monotonic() - started


def test_oversize_content_length_is_refused_before_the_body_is_read(live_server):
    head = (
        b"POST /api/v1/conv2d HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000000000\r\n\r\n"
    )
    # Only 2 bytes of the promised gigabyte are sent: an answer means the server did not wait for the rest.
    answer, seconds = raw_request(live_server.url, head, b"{}")
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"rule":"body_too_large"' in answer
    assert seconds < 2


def test_oversize_chunked_body_is_cut_off_while_streaming(live_server):
    chunk = b"[" + b"1," * 600_000
    head = (
        b"POST /api/v1/conv2d HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    body = b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (chunk, chunk)) + b"0\r\n\r\n"
    answer, _ = raw_request(live_server.url, head, body)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", b'{"input": [[1]], "kernel": [[1]]}'),
        ("application/x-www-form-urlencoded", b"input=1&kernel=1"),
        (
            "multipart/form-data; boundary=x",
            b'--x\r\nContent-Disposition: form-data; name="input"\r\n\r\n1\r\n--x--\r\n',
        ),
        ("", b'{"input": [[1]], "kernel": [[1]]}'),
    ],
    ids=["text-plain", "form-urlencoded", "multipart", "no-content-type"],
)
@pytest.mark.parametrize("path", ["/api/v1/conv2d", "/api/v1/pool2d", "/api/v1/conv2d/frames"])
def test_json_endpoints_refuse_what_a_simple_form_can_send(client, path, content_type, body):
    headers = {"content-type": content_type} if content_type else {}
    response = client.post(path, content=body, headers=headers)
    assert response.status_code == 415
    assert response.json()["rule"] == "application_json"


def test_an_unexpected_error_says_only_internal_error():
    app = create_app(Settings())

    @app.get("/test-only/boom")
    def boom() -> None:
        raise RuntimeError("secret detail /etc/passwd line 42")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/test-only/boom")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "internal error",
        "field": "",
        "rule": "internal_error",
        "errors": [{"field": "", "rule": "internal_error", "message": "internal error", "params": {}}],
    }
    assert "Traceback" not in response.text and "secret" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]


def test_user_input_comes_back_only_as_json_never_as_html(client):
    hostile = "<script>alert(1)</script>"
    for response in (
        client.post("/api/v1/conv2d", json={**CONV, hostile: 1}),
        client.post("/api/v1/conv2d", json={**CONV, "padding_mode": hostile}),
        client.get(f"/api/v1/{hostile}"),
    ):
        assert 400 <= response.status_code < 500
        assert response.headers["content-type"] == "application/json"
        assert response.headers["x-content-type-options"] == "nosniff"


def preflight(client: TestClient, origin: str):
    return client.options(
        "/api/v1/conv2d",
        headers={
            "origin": origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )


def test_cors_is_off_by_default(client):
    assert "access-control-allow-origin" not in preflight(client, "https://elsewhere.example").headers
    response = client.post("/api/v1/conv2d", json=CONV, headers={"origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_allows_only_the_configured_origins():
    settings = Settings(cors_origins=("https://course.school.example",))
    with TestClient(create_app(settings)) as client:
        allowed = preflight(client, "https://course.school.example")
        refused = preflight(client, "https://elsewhere.example")
        post = client.post("/api/v1/conv2d", json=CONV, headers={"origin": "https://course.school.example"})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://course.school.example"
    assert "access-control-allow-origin" not in refused.headers
    assert post.headers["access-control-allow-origin"] == "https://course.school.example"


def test_an_allowed_origin_can_read_a_413():
    settings = Settings(cors_origins=("https://course.school.example",), max_body_bytes=1000)
    with TestClient(create_app(settings)) as client:
        response = client.post(
            "/api/v1/conv2d",
            content=b"[" + b"1," * 1000 + b"1]",
            headers={"content-type": "application/json", "origin": "https://course.school.example"},
        )
    assert response.status_code == 413
    assert response.headers["access-control-allow-origin"] == "https://course.school.example"
