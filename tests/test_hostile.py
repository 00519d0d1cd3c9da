"""A corpus of hostile requests (tests/hostile/*.json), each answered with its expected 4xx within a second.

Each file is one request and what must come back:
  why       what makes it hostile
  method    GET or POST; path
  json      a body to send as JSON, or
  raw       a body sent as is (for what JSON cannot express: NaN, 1e400, truncation), or
  raw_base64  bytes that are not text, or
  repeat    [[text, times], ...] joined: big bodies without big files
  multipart {"fields": {...}, "files": {name: {filename, content_type, base64 | repeat}}}
  headers   extra headers (an empty content-type removes it)
  status    the expected status; field: the field the error must name (optional)
They go to a real uvicorn server, so the body limits are those of the real HTTP stack.
"""

import base64
import json
import time
from pathlib import Path

import httpx
import pytest

CORPUS = Path(__file__).parent / "hostile"
CASES = sorted(CORPUS.glob("*.json"))


def expand(parts: list[list]) -> bytes:
    return b"".join(text.encode() * times for text, times in parts)


def file_bytes(spec: dict) -> bytes:
    return expand(spec["repeat"]) if "repeat" in spec else base64.b64decode(spec["base64"])


def build(case: dict) -> dict:
    """The keyword arguments of an httpx request for one corpus entry."""
    headers = {"content-type": "application/json"}
    request: dict = {}
    if "json" in case:
        request["content"] = json.dumps(case["json"]).encode()
    elif "raw" in case:
        request["content"] = case["raw"].encode()
    elif "raw_base64" in case:
        request["content"] = base64.b64decode(case["raw_base64"])
    elif "repeat" in case:
        request["content"] = expand(case["repeat"])
    elif "multipart" in case:
        headers = {}
        request["data"] = case["multipart"]["fields"]
        request["files"] = {
            name: (spec["filename"], file_bytes(spec), spec["content_type"])
            for name, spec in case["multipart"]["files"].items()
        } or None
    headers |= case.get("headers", {})
    request["headers"] = {k: v for k, v in headers.items() if v}
    return request


def test_the_corpus_is_not_empty():
    assert len(CASES) >= 50


@pytest.fixture(scope="module")
def http(live_server):
    with httpx.Client(base_url=live_server.url, timeout=10) as client:
        yield client


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_hostile_request_gets_its_4xx_fast(http, path):
    case = json.loads(path.read_text())
    request = build(case)
    started = time.monotonic()
    response = http.request(case["method"], case["path"], **request)
    seconds = time.monotonic() - started
    assert response.status_code == case["status"], f"{case['why']}: {response.status_code} {response.text[:300]}"
    assert seconds < 1.0, f"{case['why']}: answered in {seconds:.2f} s"
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert {"detail", "field", "rule", "errors"} <= set(body)
    if "field" in case:
        assert body["field"] == case["field"], f"{case['why']}: {body}"
