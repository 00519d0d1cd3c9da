"""POST /api/v1/conv_transpose2d against PyTorch's golden cases, and scatter == direct."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import EngineError
from app.core.transpose import conv_transpose2d, scatter

GOLDEN = json.loads((Path(__file__).parent / "golden" / "conv_transpose2d.json").read_text())["cases"]
VALUES = [c for c in GOLDEN if "expected" in c]
ERRORS = [c for c in GOLDEN if "error" in c]


def test_golden_file_holds_all_cases():
    assert (len(VALUES), len(ERRORS)) == (21, 11)


@pytest.mark.parametrize("case", VALUES, ids=[c["name"] for c in VALUES])
def test_matches_torch(client, case):
    for view in ("scatter", "direct"):
        response = client.post("/api/v1/conv_transpose2d", json=case["request"] | {"view": view})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["output_shape"] == case["expected"]["output_shape"]
        np.testing.assert_allclose(body["output"], case["expected"]["output"], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", ERRORS, ids=[c["name"] for c in ERRORS])
def test_refuses_what_torch_refuses(client, case):
    response = client.post("/api/v1/conv_transpose2d", json=case["request"])
    assert 400 <= response.status_code < 500, response.text
    body = response.json()
    assert body["field"] in {"stride", "padding", "output_padding", "groups", "kernel", "bias"}
    assert body["detail"]


def test_output_padding_rule_says_stride_or_dilation(client):
    case = next(c for c in ERRORS if c["name"] == "error_output_padding_equals_stride")
    body = client.post("/api/v1/conv_transpose2d", json=case["request"]).json()
    assert (body["field"], body["rule"]) == ("output_padding", "below_stride_or_dilation")
    assert "smaller than either stride or dilation" in body["detail"]


def test_output_size_zero_is_refused(client):
    case = next(c for c in ERRORS if c["name"] == "error_output_size_zero")
    body = client.post("/api/v1/conv_transpose2d", json=case["request"]).json()
    assert body["rule"] == "output_at_least_1"
    assert "too small" in body["detail"]


def test_shape_formula_has_numbers_substituted(client):
    case = next(c for c in VALUES if c["name"] == "n3_k3_s2_p1_output_padding_1_gives_6")
    shape = client.post("/api/v1/conv_transpose2d", json=case["request"]).json()["shape"]["height"]
    # (n−1)·s − 2p + d(k−1) + output_padding + 1 with n=3, s=2, p=1, d=1, k=3, op=1
    assert shape["formula"] == "(3 − 1)×2 − 2×1 + 1×(3 − 1) + 1 + 1 = 6"
    assert (shape["inserted"], shape["pad_before"], shape["pad_after"]) == (5, 1, 2)


def test_direct_view_is_zero_inserted_padded_and_flipped(client):
    request = {"input": [[1, 2], [3, 4]], "kernel": [[1, 2], [3, 4]], "stride": 2, "view": "direct"}
    body = client.post("/api/v1/conv_transpose2d", json=request).json()
    assert body["direct"]["zero_inserted"] == [[[1, 0, 2], [0, 0, 0], [3, 0, 4]]]
    # pad d(k−1) − p = 1 on every side
    assert body["direct"]["padding"] == [1, 1, 1, 1]
    assert body["direct"]["kernel"] == [[[[4, 3], [2, 1]]]]
    assert len(body["frames"]) == body["frame_count"] == 16  # one per output cell


def test_scatter_frames_stamp_value_times_kernel(client):
    request = {"input": [[1, 2], [3, 4]], "kernel": [[1, 2], [3, 4]], "stride": 2, "padding": 1}
    body = client.post("/api/v1/conv_transpose2d", json=request).json()
    assert body["frame_count"] == 4  # one per input cell
    last = body["frames"][3]
    assert last["cell"] == [0, 1, 1]
    assert last["origin"] == [1, 1]  # i·s − p
    assert last["stamp"] == [[[4, 8], [12, 16]]]


def test_paging_scatter_frames(client):
    request = {"input": [[1, 2], [3, 4]], "kernel": [[1]], "frame_start": 1, "frame_limit": 2}
    body = client.post("/api/v1/conv_transpose2d", json=request).json()
    assert [f["step"] for f in body["frames"]] == [1, 2]
    assert body["next_frame_start"] == 3


@pytest.mark.parametrize(
    ("field", "value"),
    [("output_padding", -1), ("stride", 0), ("padding", [1, 2, 3]), ("view", "sideways"), ("kernel", [[[1]]])],
    ids=["negative_output_padding", "zero_stride", "padding_three_items", "unknown_view", "three_dim_kernel"],
)
def test_bad_fields_name_the_field(client, field, value):
    request = {"input": [[1, 2], [3, 4]], "kernel": [[1]]} | {field: value}
    response = client.post("/api/v1/conv_transpose2d", json=request)
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_limits_refuse_huge_stretch(client):
    request = {"input": [[1] * 64] * 64, "kernel": [[1]], "stride": 1000}
    response = client.post("/api/v1/conv_transpose2d", json=request)
    assert response.status_code == 422
    assert response.json()["rule"] == "limit"


@st.composite
def configurations(draw):
    groups = draw(st.integers(1, 3))
    c_in = groups * draw(st.integers(1, 2))
    out_per_group = draw(st.integers(1, 2))
    h, w = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    d = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    p = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    op = tuple(draw(st.integers(0, max(si, di) - 1)) for si, di in zip(s, d))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(-4, 5, size=(c_in, h, w)).astype(float)
    weight = rng.integers(-4, 5, size=(c_in, out_per_group, kh, kw)).astype(float)
    bias = rng.integers(-4, 5, size=out_per_group * groups).astype(float)
    return x, weight, bias, dict(stride=s, padding=p, output_padding=op, dilation=d, groups=groups)


@settings(max_examples=200, deadline=None)
@given(configurations())
def test_scatter_view_equals_direct_view(config):
    x, weight, bias, kwargs = config
    try:
        result = conv_transpose2d(x, weight, bias, **kwargs)
    except EngineError as error:
        assert error.rule == "output_at_least_1"
        return
    np.testing.assert_array_equal(scatter(result), result.output)
