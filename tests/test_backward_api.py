"""REST API v1, backward pass: every gradient as torch.autograd gives it, the frames of each view,
paging, streaming, limits, and every rule a request can break (torch's refusals are refusals)."""

import json

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.core.limits import Limits
from app.main import create_app

from .test_backward_golden import CONV, FIT, POOL, ids

IMAGE = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]
KERNEL = [[1, 2], [3, -1]]
TOL = {"rtol": 1e-9, "atol": 1e-9}


def backward(client, **body):
    return client.post("/api/v1/conv2d/backward", json={"input": IMAGE, "kernel": KERNEL} | body)


def pool_backward(client, **body):
    return client.post("/api/v1/pool2d/backward", json={"input": IMAGE} | body)


@pytest.mark.parametrize("case", CONV, ids=ids(CONV))
def test_conv2d_backward_route_matches_autograd(client, case):
    response = client.post("/api/v1/conv2d/backward", json=case["request"] | {"frame_limit": 0})
    if "error" in case:
        assert response.status_code == 422, response.text
        assert response.json()["field"] and response.json()["rule"]
        return
    assert response.status_code == 200, response.text
    body, expected = response.json(), case["expected"]
    for key in ("output", "grad_input", "grad_weight", "grad_bias"):
        np.testing.assert_allclose(body[key], expected[key], **TOL, err_msg=key)


@pytest.mark.parametrize("case", POOL, ids=ids(POOL))
def test_pool2d_backward_route_matches_autograd(client, case):
    response = client.post("/api/v1/pool2d/backward", json=case["request"] | {"frame_limit": 0})
    if "error" in case:
        assert response.status_code == 422, response.text
        return
    assert response.status_code == 200, response.text
    np.testing.assert_allclose(response.json()["grad_input"], case["expected"]["grad_input"], **TOL)


@pytest.mark.parametrize("case", FIT, ids=ids(FIT))
def test_fit_route_matches_torch_gradient_descent(client, case):
    response = client.post("/api/v1/conv2d/fit", json=case["request"])
    assert response.status_code == 200, response.text
    body, expected = response.json(), case["expected"]
    np.testing.assert_allclose(body["losses"], expected["losses"], **TOL)
    np.testing.assert_allclose(body["kernels"], expected["kernels"], **TOL)
    np.testing.assert_allclose(body["final_output"], expected["final_output"], **TOL)
    assert body["steps"] == len(expected["losses"]) and body["diverged"] is False


def test_default_grad_output_is_all_ones(client):
    body = backward(client).json()
    assert body["grad_output"] == np.ones((1, 3, 3)).tolist()
    assert body["grad_bias"] == [9]


def test_two_d_grad_output_for_one_filter(client):
    grad = [[1, 0, 0], [0, 0, 0], [0, 0, 2]]
    body = backward(client, grad_output=grad).json()
    assert body["grad_output"] == [grad]


def test_scatter_frames_stamp_grad_times_kernel(client):
    body = backward(client, grad_output=[[2, 0, 0], [0, 0, 0], [0, 0, 0]], frame_limit=2).json()
    first, second = body["frames"]
    assert first["out"] == [0, 0, 0] and first["origin"] == [0, 0] and first["channels"] == [0]
    assert first["grad"] == 2 and first["stamp"] == [[[2, 4], [6, -2]]]
    assert second["stamp"] == [[[0, 0], [0, 0]]]
    assert body["next_frame_start"] == 2 and body["frame_count"] == 9


def test_gather_view_says_how_and_agrees_with_scatter(client):
    body = backward(client, stride=2, padding=1, view="gather", frame_limit=1000).json()
    gather = body["gather"]
    assert gather["inserted_zeros"] == [1, 1] and gather["dilation"] == [1, 1]
    assert gather["kernel"] == [[[[-1, 3], [2, 1]]]]  # flipped on both axes
    values = np.zeros(np.array(body["grad_padded_input"]).shape)
    for frame in body["frames"]:
        c, r, col = frame["out"]
        values[c, r, col] = frame["value"]
    np.testing.assert_allclose(values, body["grad_padded_input"])
    assert np.array(body["grad_input"]).shape == (1, 4, 4)


def test_weight_frames_correlate_input_with_output_gradient(client):
    body = backward(client, view="weight", frame_limit=10).json()
    assert body["frame_count"] == 4
    sums = [frame["value"] for frame in body["frames"]]
    np.testing.assert_allclose(sums, np.ravel(body["grad_weight"]))
    first = body["frames"][0]
    assert first["window"] == [[1, 2, 3], [5, 6, 7], [9, 10, 11]] and first["grad"] == np.ones((3, 3)).tolist()


def test_weight_frames_name_the_kernel_as_sent_under_flip(client):
    body = backward(client, view="weight", flip_kernel=True, frame_limit=1).json()
    assert body["frames"][0]["weight"] == [0, 0, 0, 0] and body["frames"][0]["tap"] == [1, 1]


def test_relu_blocks_the_gradient_where_the_output_is_zero(client):
    body = backward(client, bias=-40, activation="relu").json()
    derivative = np.array(body["activation_derivative"])
    assert set(derivative.ravel()) <= {0, 1}
    np.testing.assert_array_equal(derivative, np.array(body["output"]) > 0)


def test_reflect_padding_hands_gradient_back_to_the_copied_cell(client):
    body = backward(client, kernel=[[1]], padding=1, padding_mode="reflect").json()
    # A 1×1 kernel: each padded cell's gradient is 1; reflect copies of row/col 1 land there.
    grad = np.array(body["grad_input"])[0]
    assert grad[0, 0] == 1 and grad[1, 1] == 4 and grad[0, 1] == 2


def test_max_pool_routing_frames_send_all_to_the_winner(client):
    body = pool_backward(client, grad_output=[[[5, 0], [0, 0]]], frame_limit=1).json()
    frame = body["frames"][0]
    assert frame["argmax"] == [1, 1] and frame["share"] == [[0, 0], [0, 5]] and frame["grad"] == 5
    assert body["grad_input"][0][1][1] == 5


def test_avg_pool_routing_frames_spread_over_real_cells(client):
    body = pool_backward(client, mode="avg", kernel_size=3, stride=2, padding=1, count_include_pad=False).json()
    frame = body["frames"][0]
    assert frame["divisor"] == 4
    assert frame["share"][0] == [None, None, None] and frame["share"][1] == [None, 0.25, 0.25]


def test_backward_streams_json_lines(client):
    response = client.post(
        "/api/v1/conv2d/backward/frames", json={"input": IMAGE, "kernel": KERNEL, "view": "weight", "frame_start": 1}
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/jsonl")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert [line["step"] for line in lines] == [1, 2, 3]
    pooled = client.post("/api/v1/pool2d/backward/frames", json={"input": IMAGE})
    assert [json.loads(line)["step"] for line in pooled.text.splitlines()] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("path", "body", "field", "rule"),
    [
        pytest.param(
            "conv2d/backward",
            {"grad_output": [[1, 2], [3, 4]]},
            "grad_output",
            "shape_matches_output",
            id="grad_output_must_match_the_output_shape",
        ),
        pytest.param(
            "conv2d/backward",
            {"grad_output": [[1, 2, "x"]]},
            "grad_output",
            "array_numbers",
            id="grad_output_cells_are_numbers",
        ),
        pytest.param("conv2d/backward", {"view": "both"}, "view", "literal_error", id="view_is_one_of_three"),
        pytest.param(
            "conv2d/backward", {"frame_start": 99}, "frame_start", "within_trace", id="frame_start_within_trace"
        ),
        pytest.param(
            "conv2d/backward",
            {"padding": "same", "stride": 2},
            "padding",
            "same_needs_stride_1",
            id="torch_refuses_same_with_stride",
        ),
        pytest.param(
            "conv2d/backward",
            {"kernel": [[1] * 5] * 5},
            "kernel",
            "kernel_larger_than_padded_input",
            id="torch_refuses_a_kernel_larger_than_the_input",
        ),
        pytest.param(
            "pool2d/backward",
            {"grad_output": [[[1]]]},
            "grad_output",
            "shape_matches_output",
            id="pool_grad_output_must_match",
        ),
        pytest.param(
            "pool2d/backward",
            {"padding": 2},
            "padding",
            "at_most_half_kernel",
            id="torch_refuses_pool_padding_above_half_kernel",
        ),
        pytest.param(
            "conv2d/fit", {"target": [[1]]}, "target", "shape_matches_output", id="fit_target_must_match_the_output"
        ),
        pytest.param(
            "conv2d/fit",
            {"target": [[0] * 3] * 3, "learning_rate": 0},
            "learning_rate",
            "greater_than",
            id="fit_learning_rate_positive",
        ),
        pytest.param(
            "conv2d/fit", {"target": [[0] * 3] * 3, "steps": 501}, "steps", "limit", id="fit_steps_within_the_limit"
        ),
    ],
)
def test_rules(client, path, body, field, rule):
    response = client.post(f"/api/v1/{path}", json={"input": IMAGE, "kernel": KERNEL} | body)
    if path.startswith("pool"):
        response = client.post(f"/api/v1/{path}", json={"input": IMAGE} | body)
    assert response.status_code == 422, response.text
    assert (response.json()["field"], response.json()["rule"]) == (field, rule)


def test_limits_apply_as_to_the_forward_routes():
    settings = Settings(limits=Limits(max_input_cells=10, max_page_values=100))
    with TestClient(create_app(settings)) as small:
        too_big = backward(small)
        assert too_big.status_code == 422 and too_big.json()["field"] == "input"
        page = small.post(
            "/api/v1/conv2d/backward",
            json={"input": [[1, 2], [3, 4]], "kernel": [[1]], "view": "weight", "frame_limit": 50},
        )
        assert page.status_code == 422 and page.json()["field"] == "frame_limit"


def test_gather_view_bounded_by_the_padded_cell_limit():
    settings = Settings(limits=Limits(max_padded_cells=40))
    with TestClient(create_app(settings)) as small:
        ok = backward(small, stride=3)
        assert ok.status_code == 200
        refused = backward(small, stride=3, kernel=[[1] * 3] * 3, view="gather", input=[[1] * 6] * 6)
        assert refused.status_code == 422 and refused.json()["field"] == "stride"


def test_fit_diverges_visibly_rather_than_overflowing(client):
    body = client.post(
        "/api/v1/conv2d/fit",
        json={"input": IMAGE, "kernel": KERNEL, "target": [[0] * 3] * 3, "learning_rate": 100, "steps": 100},
    ).json()
    assert body["diverged"] is True and body["steps"] < 100
    assert body["losses"][-1] > body["losses"][0]


def test_openapi_documents_the_backward_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/conv2d/backward",
        "/api/v1/pool2d/backward",
        "/api/v1/conv2d/fit",
        "/api/v1/conv2d/backward/frames",
        "/api/v1/pool2d/backward/frames",
    ):
        assert path in paths


def test_streams_chunk_by_numbers_not_only_by_frames(monkeypatch):
    """A weight frame holds 3×Ho×Wo numbers: each streamed chunk stays within one page's numbers."""
    from app.api import paging as routes

    chunks = []
    real = routes.stream_lines

    def spy(build, total, start, chunk):
        chunks.append(chunk)
        return real(build, total, start, chunk)

    monkeypatch.setattr(routes, "stream_lines", spy)
    with TestClient(create_app(Settings(limits=Limits(max_page_values=1000)))) as small:
        body = {"input": np.ones((20, 20)).tolist(), "kernel": np.ones((3, 3)).tolist(), "view": "weight"}
        response = small.post("/api/v1/conv2d/backward/frames", json=body)
    assert response.status_code == 200
    assert len(response.text.splitlines()) == 9
    assert chunks == [1000 // (3 * 18 * 18 + 12)]


def test_gather_view_animation_is_a_gif_with_one_frame_per_padded_cell(client):
    from io import BytesIO

    from PIL import Image

    body = {"input": IMAGE, "kernel": KERNEL, "stride": 2, "padding": 1, "frame_ms": 100}
    response = client.post("/api/v1/conv2d/backward/animation", json=body)
    assert response.status_code == 200 and response.headers["content-type"] == "image/gif"
    assert "convscope-conv2d_backward.gif" in response.headers["content-disposition"]
    frames = backward(client, stride=2, padding=1, view="gather", frame_limit=0).json()["frame_count"]
    with Image.open(BytesIO(response.content)) as gif:
        assert gif.n_frames == frames  # a step per padded-input cell
    assert client.post("/api/v1/conv2d/backward/animation", json=body).content == response.content
    still = client.post("/api/v1/conv2d/backward/animation", json=body | {"still": "final"})
    assert still.headers["content-type"] == "image/png"


def test_animation_draws_the_gather_view_only(client):
    response = client.post(
        "/api/v1/conv2d/backward/animation", json={"input": IMAGE, "kernel": KERNEL, "view": "scatter"}
    )
    assert response.status_code == 422 and response.json()["field"] == "view"
