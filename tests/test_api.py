"""REST API v1: forms of input, frames, paging, streaming, and every rule a request can break."""

import json

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.core.limits import Limits
from app.main import create_app

IMAGE = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]
SOBEL = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]


def conv(client, **body):
    return client.post("/api/v1/conv2d", json={"input": IMAGE, "kernel": SOBEL} | body)


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("kernel", "shape"),
    [
        pytest.param([[1, 0], [0, 1]], [1, 3, 3], id="kh_x_kw_is_one_filter"),
        pytest.param([[[1, 0], [0, 1]]], [1, 3, 3], id="c_x_kh_x_kw_is_one_filter"),
        pytest.param([[[[1, 0], [0, 1]]], [[[0, 1], [1, 0]]]], [2, 3, 3], id="f_x_c_x_kh_x_kw_gives_f_maps"),
    ],
)
def test_kernel_forms_and_output_is_always_f_h_w(client, kernel, shape):
    body = conv(client, kernel=kernel).json()
    assert body["output_shape"] == shape
    assert np.array(body["output"]).shape == tuple(shape)


def test_a_frame_shows_window_products_sums_and_the_value(client):
    body = conv(client, padding=1, bias=10, frame_limit=1).json()
    frame = body["frames"][0]
    assert frame["out"] == [0, 0, 0] and frame["origin"] == [0, 0]
    assert frame["window"] == [[[0, 0, 0], [0, 1, 2], [0, 5, 6]]]
    assert frame["products"] == [[[0, 0, 0], [0, 0, 4], [0, 0, 6]]]
    assert frame["channel_sums"] == [10]
    assert frame["bias"] == 10 and frame["value"] == 20 and frame["activated"] == 20
    assert body["output"][0][0][0] == 20


def test_flip_kernel_is_a_true_convolution(client):
    cross = conv(client, kernel=[[1, 2], [3, 4]]).json()
    flipped = conv(client, kernel=[[4, 3], [2, 1]], flip_kernel=True).json()
    assert cross["output"] == flipped["output"]
    assert flipped["kernel"] == [[[[1, 2], [3, 4]]]]


def test_relu_applies_after_the_bias(client):
    body = conv(client, bias=-50, activation="relu", frame_limit=1).json()
    assert body["frames"][0]["value"] < 0 and body["frames"][0]["activated"] == 0
    assert min(np.ravel(body["output"])) == 0


def test_multi_channel_filter_sums_its_kernels_plus_bias(client):
    x = [IMAGE, np.multiply(IMAGE, -1).tolist()]
    body = client.post(
        "/api/v1/conv2d", json={"input": x, "kernel": [[[1]], [[2]]], "bias": [0.5], "frame_limit": 1}
    ).json()
    frame = body["frames"][0]
    assert frame["channel_sums"] == [1, -2] and frame["value"] == -0.5


@pytest.mark.parametrize(
    ("padding", "applied"),
    [
        pytest.param(1, [1, 1, 1, 1], id="int"),
        pytest.param([1, 2], [1, 1, 2, 2], id="ph_pw"),
        pytest.param([0, 1, 2, 0], [0, 1, 2, 0], id="four_sides"),
        pytest.param("valid", [0, 0, 0, 0], id="valid"),
        pytest.param("same", [1, 1, 1, 1], id="same_odd_kernel"),
    ],
)
def test_padding_forms(client, padding, applied):
    assert conv(client, padding=padding).json()["padding"] == applied


def test_same_with_an_even_kernel_puts_the_extra_on_bottom_right(client):
    body = conv(client, kernel=[[1, 1], [1, 1]], padding="same").json()
    assert body["padding"] == [0, 1, 0, 1] and body["output_shape"] == [1, 4, 4]


def test_shape_explains_the_floor(client):
    body = conv(client, stride=2, padding=1).json()
    assert (
        body["shape"]["height"]["formula"] == "floor((4 + 1 + 1 − 1×(3−1) − 1) / 2) + 1 = floor(3 / 2) + 1 = 1 + 1 = 2"
    )


def test_paging_walks_the_whole_trace(client):
    first = conv(client, padding=1, frame_limit=10).json()
    assert first["frame_count"] == 16 and len(first["frames"]) == 10 and first["next_frame_start"] == 10
    rest = conv(client, padding=1, frame_start=10, frame_limit=10).json()
    assert [f["step"] for f in rest["frames"]] == list(range(10, 16)) and rest["next_frame_start"] is None
    assert conv(client, frame_limit=0).json()["frames"] == []


def test_a_page_deep_in_a_large_trace_is_right(client):
    x = np.arange(210 * 210, dtype=float).reshape(210, 210) % 17
    body = client.post(
        "/api/v1/conv2d", json={"input": x.tolist(), "kernel": SOBEL, "frame_start": 40_000, "frame_limit": 100}
    ).json()
    assert body["frame_count"] == 208 * 208
    output = np.array(body["output"])
    for frame in body["frames"]:
        f, i, j = frame["out"]
        assert frame["step"] == i * 208 + j
        assert frame["value"] == output[f, i, j]
        assert frame["window"][0] == x[i : i + 3, j : j + 3].tolist()


def test_frames_stream_as_json_lines(client):
    response = client.post("/api/v1/conv2d/frames", json={"input": IMAGE, "kernel": SOBEL, "padding": 1})
    assert response.headers["content-type"].startswith("application/jsonl")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert [line["step"] for line in lines] == list(range(16))
    assert lines == conv(client, padding=1).json()["frames"]


def test_pool_frames_show_padding_as_null_and_the_winner(client):
    body = client.post(
        "/api/v1/pool2d", json={"input": IMAGE, "kernel_size": 3, "stride": 2, "padding": 1, "frame_limit": 1}
    ).json()
    frame = body["frames"][0]
    assert frame["window"] == [[None, None, None], [None, 1, 2], [None, 5, 6]]
    assert frame["value"] == 6 and frame["argmax"] == [1, 1]
    assert body["padded_input"][0][0] == [None] * 6


def test_avg_pool_frames_carry_sum_and_divisor(client):
    body = client.post(
        "/api/v1/pool2d",
        json={"input": IMAGE, "mode": "avg", "kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False},
    ).json()
    frame = body["frames"][0]
    assert frame["sum"] == 14 and frame["divisor"] == 4 and frame["value"] == 3.5


def test_global_pooling_is_one_window_per_channel(client):
    body = client.post("/api/v1/pool2d", json={"input": IMAGE, "mode": "avg", "global": True}).json()
    assert body["output"] == [[[8.5]]] and body["frame_count"] == 1


def test_pool_stream(client):
    response = client.post("/api/v1/pool2d/frames", json={"input": IMAGE})
    assert len(response.text.splitlines()) == 4


def test_output_size_explainer(client):
    body = client.get("/api/v1/output-size", params={"n": 5, "k": 2, "s": 2, "p": 1, "ceil_mode": True}).json()
    assert body["size"] == 3 and "dropped" in body["formula"]
    too_big = client.get("/api/v1/output-size", params={"n": 4, "k": 5}).json()
    assert too_big["valid"] is False and "do not fit" in too_big["problem"]


@pytest.mark.parametrize(("p", "p_after"), [(2, None), (1, 2), (2, 0)], ids=["both_sides", "after", "before"])
def test_output_size_with_ceil_mode_pads_at_most_half_the_pooling_window(client, p, p_after):
    params = {"n": 5, "k": 2, "s": 2, "p": p, "ceil_mode": True} | ({"p_after": p_after} if p_after is not None else {})
    body = client.get("/api/v1/output-size", params=params).json()
    assert body["valid"] is False and body["size"] is None
    assert "at most half the kernel" in body["problem"]
    # The same padding is fine for a convolution (no ceil_mode): only pooling has the rule.
    assert client.get("/api/v1/output-size", params=params | {"ceil_mode": False}).json()["valid"] is True


def test_kernel_presets(client):
    presets = {preset["name"]: preset for preset in client.get("/api/v1/kernels").json()}
    for name in ("identity", "box_blur", "gaussian_3x3", "gaussian_5x5", "sharpen", "outline", "sobel_x", "sobel_y"):
        assert name in presets and presets[name]["description"]
    for name in ("prewitt_x", "prewitt_y", "laplacian", "emboss"):
        assert name in presets
    assert np.isclose(np.sum(presets["gaussian_5x5"]["values"]), 1)


BAD_CONV = [
    ("ragged_rows", {"input": [[1, 2], [3]]}, "input"),
    ("empty_matrix", {"input": [[]]}, "input"),
    ("strings_are_not_numbers", {"input": [["1", "2"], ["3", "4"]]}, "input"),
    ("input_not_a_list", {"input": 5}, "input"),
    ("too_many_dimensions", {"input": [[[[1]]]]}, "input"),
    ("huge_number", {"input": [[1e300, 1], [1, 1]]}, "input"),
    ("stride_zero", {"stride": 0}, "stride"),
    ("stride_negative", {"stride": [-1, 1]}, "stride"),
    ("dilation_zero", {"dilation": 0}, "dilation"),
    ("groups_must_divide_channels", {"groups": 3}, "groups"),
    ("bias_one_per_filter", {"bias": [1, 2]}, "bias"),
    ("reflect_pad_below_size", {"padding": 4, "padding_mode": "reflect"}, "padding"),
    ("circular_pad_at_most_size", {"padding": 5, "padding_mode": "circular"}, "padding"),
    ("kernel_larger_than_padded_input", {"kernel": [[1] * 5] * 5}, "kernel"),
    ("unknown_padding_mode", {"padding_mode": "mirror"}, "padding_mode"),
    ("unknown_activation", {"activation": "gelu"}, "activation"),
    ("same_needs_stride_1", {"padding": "same", "stride": 2}, "padding"),
    ("negative_padding", {"padding": -1}, "padding"),
    ("three_padding_numbers", {"padding": [1, 2, 3]}, "padding"),
    ("unknown_field", {"strides": 2}, "strides"),
    ("frame_limit_above_page", {"frame_limit": 10**6}, "frame_limit"),
    ("frame_start_past_the_end", {"frame_start": 1000}, "frame_start"),
    ("kernel_channels_match_input", {"kernel": [[[1]], [[1]]]}, "kernel"),
    ("stride_string_is_not_an_integer", {"stride": "2"}, "stride"),
    ("stride_float_is_not_an_integer", {"stride": 2.0}, "stride"),
    ("padding_string_item_is_not_an_integer", {"padding": [1, "1"]}, "padding"),
    ("groups_string_is_not_an_integer", {"groups": "1"}, "groups"),
    ("bias_string_is_not_a_number", {"bias": "1"}, "bias"),
]


@pytest.mark.parametrize(("case", "override", "field"), BAD_CONV, ids=[c[0] for c in BAD_CONV])
def test_bad_conv_requests_name_the_field(client, case, override, field):
    response = conv(client, **override)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["field"] == field, body
    assert body["rule"] and body["detail"] and "{" not in body["detail"]


@pytest.mark.parametrize(
    ("case", "body", "field"),
    [
        ("padding_at_most_half_kernel", {"kernel_size": 2, "padding": 2}, "padding"),
        ("avg_has_no_dilation", {"mode": "avg", "dilation": 2}, "dilation"),
        ("kernel_larger_than_input", {"kernel_size": 9}, "kernel_size"),
        ("unknown_mode", {"mode": "median"}, "mode"),
        ("divisor_override_zero", {"mode": "avg", "divisor_override": 0}, "divisor_override"),
    ],
)
def test_bad_pool_requests_name_the_field(client, case, body, field):
    response = client.post("/api/v1/pool2d", json={"input": IMAGE} | body)
    assert response.status_code == 422 and response.json()["field"] == field, response.text


@pytest.mark.parametrize(
    ("case", "content", "status"),
    [
        ("nan_literal", b'{"input": [[NaN]], "kernel": [[1]]}', 422),
        ("infinity_literal", b'{"input": [[Infinity]], "kernel": [[1]]}', 422),
        ("number_overflowing_to_infinity", b'{"input": [[1e400]], "kernel": [[1]]}', 422),
        ("deep_nesting", b"[" * 100_000 + b"]" * 100_000, 422),
        ("truncated_json", b'{"input": [[1, 2]', 422),
        ("body_is_not_an_object", b"[1, 2]", 422),
    ],
)
def test_malformed_json_is_a_422(client, case, content, status):
    response = client.post("/api/v1/conv2d", content=content, headers={"content-type": "application/json"})
    assert response.status_code == status, response.text
    assert response.json()["detail"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_non_json_content_types_are_refused(client, content_type):
    response = client.post(
        "/api/v1/conv2d", content=b'{"input": [[1]], "kernel": [[1]]}', headers={"content-type": content_type}
    )
    assert response.status_code == 415 and response.json()["field"] == "content-type"


def test_oversize_body_is_refused_before_parsing(client):
    response = client.post(
        "/api/v1/conv2d", content=b" " * (3 * 1024 * 1024), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413 and response.json()["rule"] == "body_too_large"


@pytest.mark.parametrize(
    ("limit", "body", "field"),
    [
        ("max_input_cells", {"input": [[1] * 41]}, "input"),
        ("max_filters", {"kernel": [[[[1]]]] * 3}, "kernel"),
        ("max_kernel_size", {"input": [[1] * 6] * 6, "kernel": [[1] * 5] * 5}, "kernel"),
        ("max_padded_cells", {"padding": 9}, "padding"),
        ("max_output_cells", {"input": [[1] * 10], "padding": [0, 5]}, "input"),
    ],
)
def test_limits_are_configurable(limit, body, field):
    limits = Limits(max_input_cells=40, max_filters=2, max_kernel_size=4, max_padded_cells=200, max_output_cells=15)
    with TestClient(create_app(Settings(limits=limits))) as small:
        response = small.post("/api/v1/conv2d", json={"input": [[1, 2], [3, 4]], "kernel": [[1]]} | body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field and response.json()["rule"] == "limit"


def test_errors_are_json_everywhere(client):
    assert client.get("/no/such/page").json()["rule"] == "not_found"
    assert client.get("/api/v1/conv2d").json()["rule"] == "method_not_allowed"
