"""The API against vectors computed by PyTorch 2.13 (tests/golden/generate.py made them)."""

import json
from pathlib import Path

import numpy as np
import pytest

from app.core.errors import EngineError
from app.core.padding import pad

GOLDEN = Path(__file__).parent / "golden"


def cases(name: str) -> list[dict]:
    return json.loads((GOLDEN / f"{name}.json").read_text())["cases"]


def ids(items: list[dict]) -> list[str]:
    return [case["name"] for case in items]


def answer(client, path: str, case: dict, **extra) -> dict | None:
    """The API's answer to a golden case; None once an error case is seen refused as torch refuses it."""
    response = client.post(path, json=case["request"] | extra)
    if "error" in case:
        assert response.status_code == 422, response.text
        assert response.json()["field"]
        return None
    assert response.status_code == 200, response.text
    return response.json()


CONV = cases("conv2d")
POOL = cases("pool2d")
PAD = cases("pad")


@pytest.mark.parametrize("case", CONV, ids=ids(CONV))
def test_conv2d_matches_torch(client, case):
    body = answer(client, "/api/v1/conv2d", case, frame_limit=0)
    if body is None:
        return
    expected = case["expected"]
    assert body["output_shape"] == expected["output_shape"]
    np.testing.assert_allclose(body["output"], expected["output"], rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(body["padded_input"], expected["padded_input"])
    assert body["padding"] == expected["padding"]


@pytest.mark.parametrize("case", POOL, ids=ids(POOL))
def test_pool2d_matches_torch(client, case):
    body = answer(client, "/api/v1/pool2d", case, frame_limit=5000)
    if body is None:
        return
    expected = case["expected"]
    assert body["output_shape"] == expected["output_shape"]
    ours = np.array(body["output"], dtype=float)  # null -> nan
    theirs = np.array(expected["output"], dtype=float)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9, equal_nan=True)
    if "indices" in expected:
        width = len(case["request"]["input"][0][0])
        for frame in body["frames"]:
            c, i, j = frame["out"]
            if frame["value"] is None:  # torch's index for an all-padding window means nothing
                assert frame["argmax"] is None
                continue
            row, col = frame["argmax"]
            assert row * width + col == expected["indices"][c][i][j], frame


@pytest.mark.parametrize("case", PAD, ids=ids(PAD))
def test_pad_matches_torch(case):
    request = case["request"]
    x = np.array(request["input"], dtype=float)
    if "error" in case:
        with pytest.raises(EngineError):
            pad(x, tuple(request["padding"]), request["mode"])
        return
    np.testing.assert_array_equal(pad(x, tuple(request["padding"]), request["mode"]), case["expected"]["output"])
