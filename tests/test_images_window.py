"""POST /api/v1/images/conv2d/window: one feature-map pixel's arithmetic, equal to the map the picture endpoint sends.

Expectations come from elsewhere: the full map of /images/conv2d with include_values (where the answer is small
enough to list it), and a numpy reference written here (np.pad in the mode, the textbook window sum, bias,
activation) on the picture decoded by Pillow or read back from the answer's own padded input.
"""

import base64
import io
import json

import numpy as np
import pytest
from PIL import Image

from app.core.kernels import PRESETS_BY_NAME
from tests.support.image_lab import photo_like

CONV = "/api/v1/images/conv2d"
WINDOW = "/api/v1/images/conv2d/window"
NUMPY_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}
ACTIVATE = {
    "none": lambda x: x,
    "relu": lambda x: max(x, 0.0),
    "leaky_relu": lambda x: x if x >= 0 else 0.01 * x,
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "tanh": np.tanh,
}
SOBEL_X = np.array(PRESETS_BY_NAME["sobel_x"].values, dtype=float)
SHARPEN = np.array(PRESETS_BY_NAME["sharpen"].values, dtype=float)


def reference(pixels: np.ndarray, kernel: np.ndarray, params: dict, i: int, j: int) -> dict:
    """C×H×W pixels, C×kh×kw kernel: the window, per-channel sums, value and activated value by the definition."""
    p = params.get("padding", 0)
    s = params.get("stride", 1)
    d = params.get("dilation", 1)
    mode = NUMPY_MODE[params.get("padding_mode", "zeros")]
    padded = np.pad(pixels, ((0, 0), (p, p), (p, p)), mode=mode)
    kh, kw = kernel.shape[-2:]
    rows = i * s + d * np.arange(kh)
    cols = j * s + d * np.arange(kw)
    window = padded[:, rows[:, None], cols[None, :]]
    sums = [float(np.sum(window[c] * kernel[c])) for c in range(window.shape[0])]
    value = sum(sums) + params.get("bias", 0.0)
    return {
        "window": window,
        "sums": sums,
        "value": value,
        "activated": ACTIVATE[params.get("activation", "none")](value),
    }


def sample_pixels(name: str, color: str) -> np.ndarray:
    with Image.open(f"static/samples/{name}.png") as image:
        array = np.asarray(image.convert("RGB" if color == "rgb" else "L"), dtype=float)
    return array[None] if color == "gray" else np.moveaxis(array, 2, 0)


def full_answer(client, sample: str, color: str, kernel: np.ndarray, params: dict) -> dict:
    body = {"kernel": kernel.tolist(), **params}
    data = {"sample": sample, "color": color, "params": json.dumps(body), "include_values": "true", "maps": "levels"}
    response = client.post(CONV, data=data)
    assert response.status_code == 200, response.text
    return response.json()


def crop_of(pixels: np.ndarray, rows: list[int], cols: list[int]) -> dict:
    height, width = pixels.shape[1:]
    return {"size": [height, width], "rows": rows, "cols": cols, "pixels": pixels[:, rows][:, :, cols].tolist()}


REPLICATE = {"padding": 1, "padding_mode": "replicate"}
CASES = {
    "zero padding at the top-left corner": ("cifar_cat", "rgb", SOBEL_X, {"padding": 1}, (0, 0)),
    "zero padding at the bottom-right corner": ("cifar_cat", "rgb", SOBEL_X, {"padding": 1}, (31, 31)),
    "stride 2 skips rows and columns": ("shapes", "rgb", SHARPEN, {"padding": 1, "stride": 2}, (47, 20)),
    "dilation 2 spreads the taps": ("mountain", "gray", SOBEL_X, {"dilation": 2, "padding": 2}, (0, 63)),
    "grey picture, one channel": ("digit_7", "gray", SHARPEN, {"padding": 1}, (10, 12)),
    "bias then relu clips a negative sum": ("cifar_dog", "rgb", -SOBEL_X, {"bias": -50, "activation": "relu"}, (5, 5)),
    "bias then sigmoid": ("cifar_cat", "rgb", SOBEL_X / 100, {"bias": 1.5, "activation": "sigmoid"}, (14, 9)),
    "tanh after a fractional kernel": ("letters", "gray", SHARPEN / 9, {"activation": "tanh", "bias": -3}, (20, 40)),
    "leaky relu keeps a hundredth": ("cifar_dog", "rgb", -SOBEL_X, {"activation": "leaky_relu"}, (6, 6)),
    "reflect padding mirrors the edge": ("shapes", "rgb", SHARPEN, {"padding": 2, "padding_mode": "reflect"}, (0, 97)),
    "replicate padding repeats the edge": (
        "mountain",
        "gray",
        SOBEL_X,
        {"padding": 1, "padding_mode": "replicate"},
        (0, 0),
    ),
    "circular padding wraps around": ("cifar_cat", "rgb", SOBEL_X, {"padding": 1, "padding_mode": "circular"}, (31, 0)),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_sample_window_equals_the_map_and_the_definition(client, case):
    sample, color, kernel2d, params, (i, j) = CASES[case]
    pixels = sample_pixels(sample, color)
    kernel = np.repeat(kernel2d[None], pixels.shape[0], axis=0)
    body = {"sample": sample, "color": color, "max_side": 128, "params": {"kernel": kernel.tolist(), **params}}
    answer = client.post(WINDOW, json=body | {"i": i, "j": j})
    assert answer.status_code == 200, answer.text
    got = answer.json()
    expected = reference(pixels, kernel, params, i, j)
    full = full_answer(client, sample, color, kernel, params)
    assert got["output_shape"] == full["output_shape"]
    assert got["activated"] == pytest.approx(full["values"]["output"][0][i][j], rel=1e-12, abs=1e-12)
    assert got["activated"] == pytest.approx(expected["activated"], rel=1e-12, abs=1e-12)
    assert got["value"] == pytest.approx(expected["value"], rel=1e-12, abs=1e-9)
    assert np.array_equal(np.array(got["window"], dtype=float), expected["window"])
    assert got["channel_sums"] == pytest.approx(expected["sums"], rel=1e-12, abs=1e-9)
    assert np.allclose(got["products"], np.array(got["window"]) * kernel)
    assert got["bias"] == params.get("bias", 0)
    assert got["channels"] == (["R", "G", "B"] if color == "rgb" else ["gray"])


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_crop_of_the_picture_gives_the_same_numbers_as_the_sample(client, case):
    """The page holds an upload's shrunk picture: the rows and columns the answer names are all it sends."""
    sample, color, kernel2d, params, (i, j) = CASES[case]
    pixels = sample_pixels(sample, color)
    body = {"color": color, "params": {"kernel": kernel2d.tolist(), **params}, "i": i, "j": j}
    whole = client.post(WINDOW, json=body | {"sample": sample}).json()
    rows = sorted({r for r in whole["rows"] if r >= 0})
    cols = sorted({c for c in whole["cols"] if c >= 0})
    cropped = client.post(WINDOW, json=body | {"crop": crop_of(pixels, rows, cols)})
    assert cropped.status_code == 200, cropped.text
    assert cropped.json() == whole


def test_groups_read_only_their_own_channels(client):
    """groups=3 on RGB: filter 2 reads the blue channel alone (depthwise), as the map does."""
    kernel = np.stack([SOBEL_X[None], SHARPEN[None], -SOBEL_X[None]])
    params = {"groups": 3, "padding": 1, "bias": [1, 2, 3]}
    full = full_answer(client, "cifar_cat", "rgb", kernel, params)
    body = {"sample": "cifar_cat", "color": "rgb", "params": {"kernel": kernel.tolist(), **params}}
    got = client.post(WINDOW, json=body | {"filter": 2, "i": 3, "j": 30}).json()
    assert got["channels"] == ["B"]
    assert got["activated"] == pytest.approx(full["values"]["output"][2][3][30], rel=1e-12)
    blue = sample_pixels("cifar_cat", "rgb")[2:]
    assert got["value"] == pytest.approx(reference(blue, -SOBEL_X[None], {"padding": 1, "bias": 3}, 3, 30)["value"])


def test_presets_name_the_kernel_as_in_the_picture_endpoint(client):
    body = {"sample": "shapes", "color": "rgb", "kernel_preset": ["laplacian", "sobel_y"], "params": {"padding": 1}}
    got = client.post(WINDOW, json=body | {"filter": 1, "i": 40, "j": 41}).json()
    kernel = np.repeat(np.array(PRESETS_BY_NAME["sobel_y"].values, dtype=float)[None], 3, axis=0)
    assert got["weights"] == kernel.tolist()
    assert got["value"] == pytest.approx(
        reference(sample_pixels("shapes", "rgb"), kernel, {"padding": 1}, 40, 41)["value"]
    )


def shrunk_upload(side: int) -> tuple[bytes, np.ndarray]:
    """A photo-like PNG of `side` pixels (no resizing by the server) and its pixels, as Pillow reads them."""
    data = photo_like(side)
    pixels = np.moveaxis(np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=float), 2, 0)
    return data, pixels


def test_an_upload_of_200_px_matches_the_listed_map_through_a_crop(client):
    data, pixels = shrunk_upload(200)
    params = {"padding": 1, "bias": 2.5, "activation": "relu"}
    kernel = np.repeat(SOBEL_X[None], 3, axis=0)
    form = {"color": "rgb", "max_side": "200", "params": json.dumps({"kernel": kernel.tolist(), **params})}
    full = client.post(CONV, files={"image": ("p.png", data, "image/png")}, data=form | {"include_values": "true"})
    output = np.array(full.json()["values"]["output"][0])
    for i, j in [(0, 0), (0, 199), (199, 0), (100, 57), (199, 199)]:
        rows = [r for r in range(i - 1, i + 2) if 0 <= r < 200]
        cols = [c for c in range(j - 1, j + 2) if 0 <= c < 200]
        body = {"crop": crop_of(pixels, rows, cols), "color": "rgb", "params": {"kernel": kernel.tolist(), **params}}
        got = client.post(WINDOW, json=body | {"i": i, "j": j}).json()
        assert got["activated"] == pytest.approx(output[i, j], rel=1e-12, abs=1e-12), (i, j)


def test_at_512_px_where_no_numbers_are_listed_the_window_gives_the_maps_level(client):
    """The case the hover needed: 512×512 RGB lists no values; the window's value lands on the map's level."""
    data, pixels = shrunk_upload(512)
    kernel = np.repeat(SOBEL_X[None], 3, axis=0)
    form = {"color": "rgb", "max_side": "512", "maps": "levels", "include_values": "true"}
    form["params"] = json.dumps({"kernel": kernel.tolist(), "padding": 1})
    answer = client.post(CONV, files={"image": ("p.png", data, "image/png")}, data=form).json()
    assert answer["values"] is None
    feature = answer["filters"][0]["map"]
    assert feature["scale"] == "diverging"
    levels = np.asarray(Image.open(io.BytesIO(base64.b64decode(feature["levels"].split(",", 1)[1]))), dtype=int)
    for i, j in [(0, 0), (511, 511), (256, 300), (123, 4)]:
        rows = [r for r in range(i - 1, i + 2) if 0 <= r < 512]
        cols = [c for c in range(j - 1, j + 2) if 0 <= c < 512]
        body = {
            "crop": crop_of(pixels, rows, cols),
            "color": "rgb",
            "params": {"kernel": kernel.tolist(), "padding": 1},
        }
        got = client.post(WINDOW, json=body | {"i": i, "j": j}).json()
        assert got["value"] == pytest.approx(reference(pixels, kernel, {"padding": 1}, i, j)["value"], abs=1e-9)
        expected_level = round(got["value"] / feature["range"] * 127 + 127)
        assert abs(levels[i, j] - expected_level) <= 1, (i, j)


GOOD = {"sample": "cifar_cat", "color": "rgb", "kernel_preset": ["sobel_x"], "params": {"padding": 1}, "i": 0, "j": 0}
GRAY_CROP = {"size": [4, 4], "rows": [0, 1], "cols": [0, 1], "pixels": [[[1, 2], [3, 4]]]}
BAD = {
    "i below the output's height": ({"i": 32}, "i", "in_output"),
    "j below the output's width": ({"j": 32}, "j", "in_output"),
    "filter below the filter count": ({"filter": 1}, "filter", "in_output"),
    "i not negative": ({"i": -1}, "i", "greater_than_equal"),
    "i and j required": ({"i": None}, "i", "missing"),
    "a known sample": ({"sample": "nope"}, "sample", "known_sample"),
    "max_side within the server's limit": ({"max_side": 1000}, "max_side", "limit"),
    "one source, not both": ({"crop": GRAY_CROP, "color": "gray"}, "crop", "one_source"),
    "one source, not none": ({"sample": None}, "crop", "one_source"),
    "one kernel source": ({"params": {"kernel": [[1]]}}, "kernel_preset", "one_kernel_source"),
    "no input in params": ({"params": {"input": [[1]]}}, "input", "not_for_images"),
    "a known padding mode": ({"params": {"padding_mode": "mirror"}}, "padding_mode", "literal_error"),
    "reflect padding below the size": (
        {"params": {"padding": 40, "padding_mode": "reflect"}},
        "padding",
        "reflect_pad_below_size",
    ),
    "no unknown fields": ({"x": 1}, "x", "extra_forbidden"),
}
CROP = {"sample": None, "color": "gray", "kernel_preset": ["sobel_x"], "params": {"padding": 1}, "i": 0, "j": 0}
BAD_CROPS = {
    "the crop holds every row the window reads": ({"rows": [0], "pixels": [[[1, 2]]]}, "crop.rows", "covers_window"),
    "the crop holds every column the window reads": ({"cols": [1, 2]}, "crop.cols", "covers_window"),
    "crop rows increase": ({"rows": [1, 0]}, "crop.rows", "sorted_in_picture"),
    "crop rows lie in the picture": ({"rows": [0, 4]}, "crop.rows", "sorted_in_picture"),
    "crop pixels are channels × rows × cols": ({"pixels": [[[1, 2, 3], [3, 4, 5]]]}, "crop.pixels", "shape_matches"),
    "crop pixels have the colour's channels": ({"pixels": [[[1, 2], [3, 4]]] * 3}, "crop.pixels", "shape_matches"),
    "crop pixels are 0..255": ({"pixels": [[[1, 2], [3, 256]]]}, "crop.pixels", "pixel_range"),
    "crop size within the server's side": ({"size": [600, 4]}, "crop.size", "limit"),
    "crop rows no more than a kernel's side": (
        {"size": [64, 64], "rows": list(range(32)), "pixels": [[[1, 2]] * 32]},
        "crop.rows",
        "limit",
    ),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_requests_are_4xx_naming_the_field_and_rule(client, case):
    change, field, rule = BAD[case]
    body = {k: v for k, v in (GOOD | change).items() if v is not None}
    response = client.post(WINDOW, json=body)
    assert response.status_code == 422, response.text
    assert (response.json()["field"], response.json()["rule"]) == (field, rule)


@pytest.mark.parametrize("case", list(BAD_CROPS), ids=list(BAD_CROPS))
def test_bad_crops_are_4xx_naming_the_field_and_rule(client, case):
    change, field, rule = BAD_CROPS[case]
    body = {k: v for k, v in CROP.items() if v is not None} | {"crop": GRAY_CROP | change}
    response = client.post(WINDOW, json=body)
    assert response.status_code == 422, response.text
    assert (response.json()["field"], response.json()["rule"]) == (field, rule)


def test_a_form_body_is_refused_as_not_json(client):
    response = client.post(WINDOW, data={"sample": "cifar_cat"})
    assert response.status_code == 415
    assert response.json()["rule"] == "application_json"
