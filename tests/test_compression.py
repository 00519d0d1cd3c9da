"""Text answers go gzipped above a kilobyte; JSON Lines streams and pictures do not."""

import pytest

ACCEPT_GZIP = {"Accept-Encoding": "gzip"}


def test_network_answer_is_compressed_to_under_half(client):
    """The Network lab's biggest answer: every layer's maps as numbers."""
    plain = client.post("/api/v1/network", json={"preset": "tiny_cifar"}, headers={"Accept-Encoding": "identity"})
    packed = client.post("/api/v1/network", json={"preset": "tiny_cifar"}, headers=ACCEPT_GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    wire = int(packed.headers["content-length"])
    assert wire < 0.5 * len(plain.content)
    assert packed.json() == plain.json()  # httpx decodes it: the same answer


@pytest.mark.parametrize(
    ("path", "kind"),
    [("/images", "text/html"), ("/static/js/image-lab.js", "javascript"), ("/static/css/base.css", "text/css")],
)
def test_pages_scripts_and_styles_are_compressed(client, path, kind):
    response = client.get(path, headers=ACCEPT_GZIP)
    assert kind in response.headers["content-type"]
    assert response.headers.get("content-encoding") == "gzip"


def test_small_answers_stay_plain(client):
    response = client.get("/healthz", headers=ACCEPT_GZIP)
    assert "content-encoding" not in response.headers


def test_json_lines_streams_are_not_compressed(client):
    body = {"input": [[1, 2, 3, 4]] * 40, "kernel": [[1, 0], [0, -1]]}
    with client.stream("POST", "/api/v1/conv2d/frames", json=body, headers=ACCEPT_GZIP) as response:
        assert response.headers["content-type"].startswith("application/jsonl")
        assert "content-encoding" not in response.headers
        lines = [line for line in response.iter_lines() if line]
    assert len(lines) == 39 * 3


def test_animations_are_not_compressed_again(client):
    body = {"input": [[1, 2, 3], [4, 5, 6], [7, 8, 9]] * 4, "kernel": [[1, 0], [0, -1]], "format": "gif"}
    response = client.post("/api/v1/conv2d/animation", json=body, headers=ACCEPT_GZIP)
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
