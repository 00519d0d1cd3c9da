"""The image API: uploads and samples in, numbers that match a naive reference, clean 4xx for bad input."""

import base64
import io
import json
import re
import tempfile

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from app.config import Settings
from app.core.kernels import PRESETS
from app.images.samples import SAMPLES
from app.main import create_app
from tests.test_images_decode import (
    encoded,
    gif_of_tiny_sub_blocks,
    jpeg_of_repeated_scans,
    jpeg_of_tiny_markers,
    png_claiming,
    png_of_empty_chunks,
    rle_bmp,
)

CONV = "/api/v1/images/conv2d"
POOL = "/api/v1/images/pool2d"


def upload(data: bytes, name: str = "picture.png", content_type: str = "image/png") -> dict:
    return {"image": (name, data, content_type)}


def naive_correlate(padded: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """C×Hp×Wp with C×kh×kw -> Ho×Wo, one window at a time (the textbook definition)."""
    _, hp, wp = padded.shape
    _, kh, kw = kernel.shape
    out = np.empty((hp - kh + 1, wp - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(padded[:, i : i + kh, j : j + kw] * kernel)
    return out


def png_of(data_url: str) -> Image.Image:
    assert data_url.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(data_url.split(",", 1)[1])))
    image.load()
    return image


@pytest.mark.parametrize("preset", [p.name for p in PRESETS])
def test_each_preset_matches_a_naive_correlation(client, preset):
    answer = client.post(
        CONV, data={"sample": "shapes", "kernel_preset": preset, "color": "rgb", "include_values": "true"}
    ).json()
    padded = np.array(answer["values"]["padded_input"], dtype=float)
    kernel = np.array(next(p.values for p in PRESETS if p.name == preset))
    # On RGB a 2-D preset is one filter: the same kernel on R, G and B, responses summed.
    expected = naive_correlate(padded, np.repeat(kernel[None], 3, axis=0))
    assert np.allclose(answer["values"]["output"][0], expected, atol=1e-9)
    assert answer["filters"][0]["preset"] == preset
    feature = answer["filters"][0]["map"]
    assert feature["min"] == pytest.approx(expected.min()) and feature["max"] == pytest.approx(expected.max())
    assert png_of(feature["signed"]).size == (expected.shape[1], expected.shape[0])


def test_several_filters_each_get_a_map_and_the_focus_adds_up(client):
    params = {"padding": 1, "bias": [5, -5]}
    answer = client.post(
        CONV,
        data={
            "sample": "cifar_cat",
            "kernel_preset": "sobel_x,sobel_y",
            "color": "rgb",
            "params": json.dumps(params),
            "focus_filter": "1",
            "include_values": "true",
        },
    ).json()
    assert answer["output_shape"] == [2, 32, 32]
    assert [f["preset"] for f in answer["filters"]] == ["sobel_x", "sobel_y"]
    padded = np.array(answer["values"]["padded_input"], dtype=float)
    sobel_y = np.array(next(p.values for p in PRESETS if p.name == "sobel_y"))
    focus = answer["focus"]
    assert [c["name"] for c in focus["channels"]] == ["R", "G", "B"]
    for channel, plane in zip(focus["channels"], padded):
        response = naive_correlate(plane[None], sobel_y[None])
        assert channel["map"]["min"] == pytest.approx(response.min())
        assert channel["map"]["max"] == pytest.approx(response.max())
    total = naive_correlate(padded, np.repeat(sobel_y[None], 3, axis=0)) - 5
    assert focus["sum"]["min"] == pytest.approx(total.min()) and focus["sum"]["max"] == pytest.approx(total.max())
    assert [png_of(c["picture"]).size for c in answer["input"]["channels"]] == [(32, 32)] * 3


def test_explicit_kernel_and_activation_travel_in_params(client):
    params = {"kernel": [[0, 0], [0, -1]], "activation": "relu", "bias": 100, "stride": 2}
    answer = client.post(
        CONV, data={"sample": "checkerboard", "params": json.dumps(params), "include_values": "true"}
    ).json()
    padded = np.array(answer["values"]["padded_input"], dtype=float)
    expected = np.maximum(naive_correlate(padded, np.array([[[0, 0], [0, -1]]]))[::2, ::2] + 100, 0)
    assert np.allclose(answer["values"]["output"][0], expected)
    assert answer["shape"]["height"]["size"] == 32


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "BMP", "WEBP"])
def test_every_accepted_format_uploads(client, fmt):
    response = client.post(CONV, files=upload(encoded(fmt), f"x.{fmt.lower()}"), data={"kernel_preset": "sobel_x"})
    assert response.status_code == 200, response.text
    assert response.json()["source"] == {
        "kind": "upload",
        "sample": None,
        "format": fmt,
        "original_size": [30, 40],
        "size": [30, 40],
    }


def test_wrong_extension_with_valid_content_works(client):
    response = client.post(
        CONV, files=upload(encoded("PNG"), "holiday.jpg", "image/jpeg"), data={"kernel_preset": "sobel_x"}
    )
    assert response.status_code == 200
    assert response.json()["source"]["format"] == "PNG"


def test_resized_to_max_side(client):
    data = encoded("PNG", Image.new("RGB", (300, 200)))
    answer = client.post(CONV, files=upload(data), data={"kernel_preset": "identity", "max_side": "64"}).json()
    assert answer["source"]["original_size"] == [200, 300] and answer["source"]["size"] == [43, 64]


HOSTILE = [
    ("non_image", b"just some text", 415),
    ("html", b"<!doctype html><script>alert(1)</script>", 415),
    ("svg", b"<svg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/>", 415),
    ("tiff_not_allowed", encoded("TIFF"), 415),
    ("empty", b"", 422),
    ("png_bomb_header", png_claiming(30_000, 30_000), 413),
    ("png_bomb_under_pillow_limit", png_claiming(6_000, 6_000), 413),
    ("truncated_png", encoded("PNG", Image.new("RGB", (300, 300)))[:120], 422),
    ("png_of_empty_chunks", png_of_empty_chunks(), 422),
    ("gif_of_tiny_sub_blocks", gif_of_tiny_sub_blocks(), 422),
    ("jpeg_of_tiny_markers", jpeg_of_tiny_markers(), 422),
    ("rle_bmp_of_one_pixel_runs", rle_bmp(4000, 1000), 422),
    ("jpeg_of_repeated_scans", jpeg_of_repeated_scans(50_000), 422),
    ("truncated_jpeg", encoded("JPEG", Image.new("RGB", (300, 300)))[:400], None),
    ("truncated_gif", encoded("GIF", Image.new("RGB", (300, 300)))[:60], None),
    ("truncated_webp", encoded("WEBP", Image.new("RGB", (300, 300)))[:40], None),
    ("truncated_bmp", encoded("BMP", Image.new("RGB", (300, 300)))[:100], None),
]


@pytest.mark.parametrize(("case", "data", "status"), HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_upload_gets_a_clean_4xx(client, case, data, status):
    response = client.post(
        CONV, files=upload(data, '<img src=x onerror="alert(1)">.png'), data={"kernel_preset": "sobel_x"}
    )
    assert 400 <= response.status_code < 500 and (status is None or response.status_code == status)
    body = response.json()
    assert body["field"] == "image" and body["rule"]
    assert "onerror" not in response.text and "<img" not in response.text  # the file name is never echoed


def test_oversize_upload_is_413():
    with TestClient(create_app(Settings(max_upload_bytes=2_000))) as small:
        response = small.post(CONV, files=upload(b"\0" * 10_000), data={"kernel_preset": "sobel_x"})
    assert response.status_code == 413
    assert response.json()["rule"] in ("body_too_large", "upload_too_large")


def test_decoded_pixel_limit_is_configurable():
    with TestClient(create_app(Settings(max_image_pixels=1_000))) as strict:
        response = strict.post(CONV, files=upload(encoded("PNG")), data={"kernel_preset": "sobel_x"})
    assert response.status_code == 413 and response.json()["rule"] == "too_many_pixels"


def test_large_upload_stays_in_memory(client, monkeypatch):
    def no_disk(self):
        raise AssertionError("the upload was spooled to disk")

    monkeypatch.setattr(tempfile.SpooledTemporaryFile, "rollover", no_disk)
    noise = np.random.default_rng(1).integers(0, 256, (700, 700, 3), dtype=np.uint8)
    data = encoded("PNG", Image.fromarray(noise))
    assert len(data) > 1024 * 1024  # above Starlette's default spool size
    response = client.post(CONV, files=upload(data), data={"kernel_preset": "box_blur"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("rule", "form", "field"),
    [
        ("union_form", {"params": '{"padding": "bad"}'}, "padding"),
        ("extra_forbidden", {"params": '{"paddding": 1}'}, "paddding"),
        ("json_invalid", {"params": "{not json"}, "params"),
        ("json_object", {"params": "[1, 2]"}, "params"),
        ("not_for_images", {"params": '{"input": [[1]]}'}, "input"),
        ("not_for_images", {"params": '{"frame_start": 3}'}, "frame_start"),
        ("one_kernel_source", {"params": '{"kernel": [[1]]}'}, "kernel_preset"),
        ("known_preset", {"kernel_preset": "sobel_z"}, "kernel_preset"),
        ("same_size", {"kernel_preset": "sobel_x,gaussian_5x5"}, "kernel_preset"),
        ("known_sample", {"sample": "../../etc/passwd"}, "sample"),
        ("limit", {"max_side": "513"}, "max_side"),
        ("literal_error", {"color": "cmyk"}, "color"),
        ("extra_forbidden", {"colour": "rgb"}, "colour"),
        ("existing_filter", {"focus_filter": "3"}, "focus_filter"),
    ],
)
def test_bad_form_fields_name_the_field_and_rule(client, rule, form, field):
    response = client.post(CONV, data={"sample": "checkerboard", "kernel_preset": "sobel_x"} | form)
    assert response.status_code == 422, response.text
    assert (response.json()["field"], response.json()["rule"]) == (field, rule)


def test_params_errors_read_like_the_json_api(client):
    image = client.post(CONV, data={"sample": "checkerboard", "kernel_preset": "sobel_x", "params": '{"stride": 0}'})
    json_api = client.post("/api/v1/conv2d", json={"input": [[1, 2], [3, 4]], "kernel": [[1]], "stride": 0})
    assert image.status_code == json_api.status_code == 422
    assert image.json()["field"] == json_api.json()["field"] and image.json()["rule"] == json_api.json()["rule"]


@pytest.mark.parametrize(
    ("rule", "data", "files"),
    [
        ("one_source", {"kernel_preset": "sobel_x"}, None),
        ("one_source", {"kernel_preset": "sobel_x", "sample": "shapes"}, "file"),
        ("required", {"sample": "shapes"}, None),
    ],
)
def test_exactly_one_image_and_one_kernel(client, rule, data, files):
    response = client.post(CONV, data=data, files=upload(encoded("PNG")) if files else None)
    assert response.status_code == 422 and response.json()["rule"] == rule


def test_json_body_is_415(client):
    response = client.post(CONV, json={"kernel_preset": "sobel_x"})
    assert response.status_code == 415 and response.json()["rule"] == "multipart_form_data"


def test_samples_are_listed_served_and_reproducible(client):
    listing = client.get("/api/v1/images/samples").json()
    assert [s["name"] for s in listing] == [s.name for s in SAMPLES]
    cifar = [s for s in listing if s["group"] == "cifar"]
    assert len(cifar) == 10 and all((s["width"], s["height"], s["mode"]) == (32, 32, "rgb") for s in cifar)
    for entry, sample in zip(listing, SAMPLES):
        served = client.get(entry["url"])
        assert served.status_code == 200 and served.headers["content-type"] == "image/png"
        committed = np.asarray(Image.open(io.BytesIO(served.content)))
        assert np.array_equal(committed, np.asarray(sample.draw())), f"{sample.name}: rerun scripts/make_samples.py"


def test_pool_sizes_and_values(client):
    answer = client.post(
        POOL, data={"sample": "mountain", "params": '{"mode": "max", "kernel_size": 2}', "include_values": "true"}
    ).json()
    assert answer["input"]["shape"] == [1, 64, 64] and answer["output_shape"] == [1, 32, 32]
    padded = np.array(answer["values"]["padded_input"], dtype=float)[0]
    expected = padded.reshape(32, 2, 32, 2).max(axis=(1, 3))
    assert np.array_equal(np.array(answer["values"]["output"][0]), expected)
    assert np.array_equal(np.asarray(png_of(answer["output"])), expected.astype(np.uint8))
    assert answer["shifted"] is None


def test_pool_shift_demo_compares_maps(client):
    answer = client.post(
        POOL, data={"sample": "checkerboard", "params": '{"kernel_size": 2}', "shift_x": "1", "color": "gray"}
    ).json()
    shifted = answer["shifted"]
    assert shifted["shift"] == [0, 1] and shifted["same_shape"]
    assert 0 <= shifted["equal_fraction"] <= 1
    assert png_of(shifted["output"]).size == (32, 32)


def test_pool_rgb_keeps_colour(client):
    answer = client.post(POOL, data={"sample": "cifar_frog", "color": "rgb", "params": '{"mode": "avg"}'}).json()
    assert answer["output_shape"] == [3, 16, 16] and png_of(answer["output"]).mode == "RGB"


def test_image_page_is_served(client):
    response = client.get("/images")
    assert response.status_code == 200 and "image-lab" in response.text


def test_filter_count_is_limited_for_pictures(client):
    response = client.post(CONV, data={"sample": "checkerboard", "kernel_preset": ",".join(["sobel_x"] * 17)})
    assert response.status_code == 422
    assert (response.json()["field"], response.json()["rule"]) == ("kernel_preset", "limit")


def test_work_is_limited_before_computing(client):
    big = np.zeros((31, 31)).tolist()
    data = encoded("PNG", Image.new("RGB", (512, 512)))
    response = client.post(
        CONV, files=upload(data), data={"color": "rgb", "max_side": "512", "params": json.dumps({"kernel": big})}
    )
    assert response.status_code == 422
    assert (response.json()["field"], response.json()["rule"]) == ("kernel", "limit")


def levels_of(feature: dict) -> np.ndarray:
    image = png_of(feature["levels"])
    assert image.mode == "L"
    return np.asarray(image, dtype=int)


def palette_of(hex_text: str) -> np.ndarray:
    return np.frombuffer(bytes.fromhex(hex_text), dtype=np.uint8).reshape(-1, 3)


@pytest.mark.parametrize(
    ("preset", "scale"),
    [("sobel_x", "diverging"), ("laplacian", "diverging"), ("box_blur", "sequential"), ("identity", "sequential")],
)
def test_levels_maps_hold_each_map_once_on_the_right_scale(client, preset, scale):
    """maps=levels: gray level indices reproduce the values within one level; non-negative maps go sequential."""
    answer = client.post(
        CONV,
        data={"sample": "shapes", "kernel_preset": preset, "maps": "levels", "include_values": "true"},
    ).json()
    feature = answer["filters"][0]["map"]
    assert feature["scale"] == scale and "signed" not in feature and "absolute" not in feature
    padded = np.array(answer["values"]["padded_input"], dtype=float)
    kernel = np.array(next(p.values for p in PRESETS if p.name == preset))
    expected = naive_correlate(padded, kernel[None])
    m = feature["range"]
    if scale == "sequential":
        assert m == pytest.approx(expected.max())
        decoded = levels_of(feature) / 254 * m
    else:
        assert m == pytest.approx(np.abs(expected).max())
        decoded = (levels_of(feature) - 127) / 127 * m
    assert np.abs(decoded - expected).max() <= m / 127 / 2 + 1e-9  # half a level
    assert answer["focus"]["activated"] is None and answer["focus"]["sum"] is None  # it is this very map
    assert answer["input"]["channels"][0]["picture"] is None


def test_levels_palettes_are_the_servers_colour_tables(client):
    from app.images.colormap import DIVERGING, GRAY, MAGNITUDE, SEQUENTIAL, legend_stops

    answer = client.post(CONV, data={"sample": "cifar_cat", "kernel_preset": "sobel_x", "maps": "levels"}).json()
    palettes = answer["palettes"]
    for name, table in {"diverging": DIVERGING, "magnitude": MAGNITUDE, "sequential": SEQUENTIAL, "gray": GRAY}.items():
        assert np.array_equal(palette_of(palettes[name]), table)
    # The diverging table is the one the coloured PNGs of maps=png use: same legend, white at zero.
    assert answer["legend"] == legend_stops()
    assert tuple(palette_of(palettes["diverging"])[127]) == (247, 247, 247)
    # Sequential runs light to dark: its lightness falls monotonically.
    assert np.all(np.diff(palette_of(palettes["sequential"]).astype(int).sum(axis=1)) <= 0)


def test_png_maps_stay_the_default_and_match_the_levels(client):
    """API users keep the coloured PNGs; both forms index the very same levels of a diverging map."""
    form = {"sample": "shapes", "kernel_preset": "sobel_x", "color": "rgb"}
    coloured = client.post(CONV, data=form).json()["filters"][0]["map"]
    compact = client.post(CONV, data=form | {"maps": "levels"}).json()
    levels = levels_of(compact["filters"][0]["map"])
    signed = np.asarray(png_of(coloured["signed"]).convert("RGB"))
    assert np.array_equal(signed, palette_of(compact["palettes"]["diverging"])[levels])


def test_levels_answer_skips_what_the_page_already_holds(client):
    form = {"sample": "cifar_cat", "kernel_preset": "sobel_x,sobel_y", "color": "rgb", "maps": "levels"}
    full = client.post(CONV, data=form)
    lean = client.post(CONV, data=form | {"include_input": "false", "include_focus": "false"})
    assert lean.json()["input"] == {
        "shape": [3, 32, 32],
        "picture": None,
        "channels": [{"name": n, "picture": None} for n in "RGB"],
    }
    assert lean.json()["focus"] is None
    assert lean.json()["filters"] == full.json()["filters"]
    assert len(lean.content) < len(full.content)


def test_levels_answer_is_a_fraction_of_the_png_answer_at_512(client):
    """The Image lab's worst case: 512×512 RGB, eight filters (bench/bench_images.py measures the bytes)."""
    from tests.support.image_lab import PRESETS as EIGHT
    from tests.support.image_lab import photo_like

    data = photo_like()
    form = {"kernel_preset": ",".join(EIGHT), "color": "rgb", "max_side": "512", "params": '{"padding": 1}'}
    png = client.post(CONV, files=upload(data), data=form)
    lean = client.post(CONV, files=upload(data), data=form | {"maps": "levels", "include_focus": "false"})
    assert png.status_code == lean.status_code == 200
    assert len(lean.content) < 0.45 * len(png.content)


@pytest.mark.parametrize(
    ("files", "data", "rule", "params"),
    [
        (upload(b"not pixels"), {"kernel_preset": "sobel_x"}, "unsupported_image", {"formats"}),
        (None, {"sample": "shapes", "kernel_preset": "sobel_x", "max_side": "4000"}, "limit", {"limit"}),
        (None, {"sample": "shapes", "kernel_preset": "sobel_x", "params": '{"padding": -1}'}, None, set()),
    ],
    ids=["unsupported_image", "max_side_limit", "validation"],
)
def test_every_error_item_carries_its_params(client, files, data, rule, params):
    """Pages say errors in their own language from `rule` and `params`; every item has params."""
    response = client.post(CONV, files=files, data=data)
    assert 400 <= response.status_code < 500
    body = response.json()
    assert all(isinstance(item["params"], dict) for item in body["errors"])
    if rule:
        assert body["rule"] == rule
        assert params <= set(body["errors"][0]["params"])


def binary_answer(client, data: dict, files: dict | None = None) -> tuple[dict, memoryview]:
    from app.images.packed import MEDIA_TYPE, unpack

    response = client.post(CONV, files=files, data=data | {"maps": "binary"})
    assert response.status_code == 200 and response.headers["content-type"] == MEDIA_TYPE
    return unpack(response.content, json.loads)


def test_binary_maps_are_the_levels_answer_with_raw_planes(client):
    """maps=binary: the same header as maps=levels, every map's level bytes raw behind it, the picture as PNG."""
    from app.images.packed import blob

    form = {"sample": "cifar_cat", "kernel_preset": "sobel_x,box_blur", "color": "rgb", "include_values": "true"}
    levels = client.post(CONV, data=form | {"maps": "levels"}).json()
    header, blobs = binary_answer(client, form)
    height, width = header["output_shape"][1:]
    maps = [(f["map"], g["map"]) for f, g in zip(header["filters"], levels["filters"])]
    maps += [(c["map"], d["map"]) for c, d in zip(header["focus"]["channels"], levels["focus"]["channels"])]
    for packed, listed in maps:
        plane = np.frombuffer(blob(blobs, packed["plane"]), np.uint8).reshape(height, width)
        assert np.array_equal(plane, levels_of(listed))
        assert {k: packed[k] for k in ("scale", "min", "max", "range")} == {
            k: listed[k] for k in ("scale", "min", "max", "range")
        }
    picture = Image.open(io.BytesIO(blob(blobs, header["input"]["png"])))
    assert np.array_equal(np.asarray(picture), np.asarray(png_of(levels["input"]["picture"])))
    for name in ("values", "kernel", "bias", "palettes", "shape", "padding", "source"):
        assert header[name] == levels[name]


def test_binary_maps_leave_out_what_the_page_holds(client):
    form = {"sample": "shapes", "kernel_preset": "sobel_x", "include_input": "false", "include_focus": "false"}
    header, blobs = binary_answer(client, form)
    assert header["input"]["picture"] is None and "png" not in header["input"] and header["focus"] is None
    assert len(blobs) == 94 * 94  # one map of 96 − 3 + 1 squared, one byte a pixel: nothing else


def test_binary_maps_at_512_fit_in_a_megabyte_and_a_half_on_the_wire(client):
    """The Image lab's worst case, 512×512 RGB and eight filters, as the page asks for it (gzipped on the wire)."""
    from tests.support.image_lab import PRESETS as EIGHT
    from tests.support.image_lab import photo_like

    form = {"kernel_preset": ",".join(EIGHT), "color": "rgb", "max_side": "512", "params": '{"padding": 1}'}
    lean = form | {"maps": "binary", "include_focus": "false", "include_input": "false"}
    response = client.post(CONV, files=upload(photo_like()), data=lean)
    assert response.status_code == 200 and response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < 1_500_000


def test_binary_maps_are_for_conv_only(client):
    response = client.post(POOL, data={"sample": "shapes", "maps": "binary", "params": '{"kernel_size": 2}'})
    assert response.status_code == 422 and response.json()["field"] == "maps"


def carried(html: str, attribute: str = "data-answer-of") -> dict:
    """The answers a page carries as data blocks, by API path: GET answers, or POST ones (`data-answer-to`)."""
    blocks = re.findall(rf'<script type="application/json" {attribute}="([^"]+)">(.*?)</script>', html, re.S)
    return {path: json.loads(body) for path, body in blocks}


@pytest.mark.parametrize("root_path", ["", "/convscope"], ids=["at_the_root", "behind_a_proxy_path"])
def test_the_image_lab_page_carries_the_kernel_and_sample_lists_exactly_as_the_api_answers(root_path):
    # The page starts from these two lists without asking for them: they must be the API's answers, byte for
    # byte in meaning, sample URLs under the same root path, and data the browser never runs.
    with TestClient(create_app(Settings()), root_path=root_path) as client:
        page = client.get("/images")
        answers = carried(page.text)
        assert sorted(answers) == ["/api/v1/images/samples", "/api/v1/kernels"]
        for path, answer in answers.items():
            assert answer == client.get(path).json(), path
        assert all(s["url"].startswith(f"{root_path}/static/samples/") for s in answers["/api/v1/images/samples"])
        assert "script-src 'self'" in page.headers["content-security-policy"]


@pytest.mark.parametrize("root_path", ["", "/convscope"], ids=["at_the_root", "behind_a_proxy_path"])
def test_the_matrix_lab_page_carries_its_presets_and_its_first_layer_exactly_as_the_api_answers(root_path):
    # The lab's first grids wait for no round trip: the page carries the preset list and, for the default
    # layer's request, the answer POST /api/v1/conv2d gives it (the script takes it for that request only).
    with TestClient(create_app(Settings()), root_path=root_path) as client:
        page = client.get("/")
        assert carried(page.text) == {"/api/v1/kernels": client.get("/api/v1/kernels").json()}
        posted = carried(page.text, "data-answer-to")
        assert list(posted) == ["/api/v1/conv2d"]
        asked, answer = posted["/api/v1/conv2d"]["asked"], posted["/api/v1/conv2d"]["answer"]
        assert answer == client.post("/api/v1/conv2d", json=asked).json()
        assert answer["frame_count"] == len(answer["frames"]) == 9  # 5×5 with 3×3: every step in the page
        assert "script-src 'self'" in page.headers["content-security-policy"]
