"""POST /api/v1/conv2d/animation and /pool2d/animation: images that show the JSON endpoints' frames."""

import io
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from app.config import Settings, SettingsError
from app.core.conv import conv2d
from app.core.errors import EngineError
from app.core.pool import pool2d
from app.core.transpose import conv_transpose2d
from app.main import create_app
from app.render import RenderLimits, RenderOptions, conv_scene, pool_scene, transpose_scene
from app.render import animation as render_animation
from app.render.draw import Painter
from app.render.encode import to_palette
from app.render.export import MIN_FIT_CELL, fit_cell
from app.render.palette import THEMES, WINDOW_BLUE, WINNER_GREEN

CONV = {"input": [[(r * 5 + c) % 7 - 3 for c in range(5)] for r in range(5)], "kernel": [[1, 0, -1]] * 3}
POOL = {"input": [[(r * 7 + c * 3) % 10 for c in range(6)] for r in range(6)], "kernel_size": 2}
MEDIA = {"gif": "image/gif", "webp": "image/webp", "apng": "image/apng"}


def frames_of(data: bytes) -> list[Image.Image]:
    image = Image.open(io.BytesIO(data))
    decoded = []
    for n in range(image.n_frames):
        image.seek(n)
        decoded.append(image.convert("RGB"))
    return decoded


def border_is_blue(frame: Image.Image, box) -> bool:
    return frame.getpixel((box[0] + 2, (box[1] + box[3]) // 2)) == WINDOW_BLUE


@pytest.mark.parametrize("fmt", ["gif", "webp", "apng"])
def test_animation_comes_as_an_attachment_with_its_media_type(client, fmt):
    response = client.post("/api/v1/conv2d/animation", json=CONV | {"format": fmt, "frame_ms": 250})
    assert response.status_code == 200
    assert response.headers["content-type"] == MEDIA[fmt]
    extension = "png" if fmt == "apng" else fmt
    assert response.headers["content-disposition"] == f'attachment; filename="convscope-conv2d.{extension}"'
    image = Image.open(io.BytesIO(response.content))
    assert image.n_frames == 9
    assert image.info["loop"] == 0


def test_gif_is_the_default_format(client):
    response = client.post("/api/v1/pool2d/animation", json=POOL)
    assert response.headers["content-type"] == "image/gif"
    assert response.headers["content-disposition"] == 'attachment; filename="convscope-pool2d.gif"'


def test_window_moves_where_the_json_frames_say(client):
    body = CONV | {"stride": 2, "padding": 1, "dilation": [1, 2], "kernel": [[1, 2], [3, 4]]}
    frames = client.post("/api/v1/conv2d", json=body).json()["frames"]
    pictures = frames_of(client.post("/api/v1/conv2d/animation", json=body).content)
    assert len(pictures) == len(frames)
    result = conv2d(body["input"], body["kernel"], stride=2, padding=1, dilation=(1, 2))
    scene = conv_scene(result)
    layout = Painter(scene, RenderOptions(), list(scene.steps(0, len(frames)))).layout
    for frame in (frames[0], frames[len(frames) // 2], frames[-1]):
        r0, c0 = frame["origin"]
        taps = {(r0 + i, c0 + 2 * j) for i in range(2) for j in range(2)}
        picture = pictures[frame["step"]]
        for r in range(result.padded.shape[1]):
            for c in range(result.padded.shape[2]):
                assert border_is_blue(picture, layout.input_cell(0, r, c)) == ((r, c) in taps), (frame["step"], r, c)


def test_max_pool_winner_is_where_the_json_argmax_says(client):
    frames = client.post("/api/v1/pool2d", json=POOL).json()["frames"]
    pictures = frames_of(client.post("/api/v1/pool2d/animation", json=POOL).content)
    scene = pool_scene(pool2d(POOL["input"], "max", 2))
    layout = Painter(scene, RenderOptions(), list(scene.steps(0, len(frames)))).layout
    for frame in frames:
        r, c = frame["argmax"]
        box = layout.input_cell(0, r, c)
        assert pictures[frame["step"]].getpixel((box[0] + 7, box[1] + 6)) == WINNER_GREEN


def test_same_request_same_bytes(client):
    body = CONV | {"padding": "same", "theme": "dark", "format": "webp"}
    first = client.post("/api/v1/conv2d/animation", json=body).content
    assert client.post("/api/v1/conv2d/animation", json=body).content == first


def test_frame_range_selects_steps(client):
    response = client.post("/api/v1/conv2d/animation", json=CONV | {"frame_start": 2, "frame_limit": 3})
    assert Image.open(io.BytesIO(response.content)).n_frames == 3


@pytest.mark.parametrize(
    ("still", "filename"),
    [
        pytest.param(4, "convscope-conv2d-step-4.png", id="one_step"),
        pytest.param("final", "convscope-conv2d-final.png", id="final_state"),
    ],
)
def test_still_is_one_png(client, still, filename):
    response = client.post("/api/v1/conv2d/animation", json=CONV | {"still": still, "format": "webp"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and getattr(image, "n_frames", 1) == 1


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        pytest.param({"format": "bmp"}, "format", id="format_is_gif_webp_or_apng"),
        pytest.param({"frame_ms": 5}, "frame_ms", id="frame_ms_at_least_20"),
        pytest.param({"frame_ms": 10_000}, "frame_ms", id="frame_ms_at_most_5000"),
        pytest.param({"cell_px": 400}, "cell_px", id="cell_px_at_most_128"),
        pytest.param({"theme": "pink"}, "theme", id="theme_light_or_dark"),
        pytest.param({"still": "last"}, "still", id="still_step_or_final"),
        pytest.param({"still": -1}, "still", id="still_not_negative"),
        pytest.param({"still": 9}, "still", id="still_within_steps"),
        pytest.param({"frame_start": 9}, "frame_start", id="frame_start_within_steps"),
        pytest.param({"frame_limit": 0}, "frame_limit", id="frame_limit_at_least_1"),
        pytest.param({"colour": "red"}, "colour", id="unknown_field"),
        pytest.param({"kernel": [[1] * 9]}, "kernel", id="engine_rules_apply"),
        pytest.param(
            {"input": [list(range(600))], "kernel": [[1]], "cell_px": 16, "format": "webp", "frame_limit": 1},
            "cell_px",
            id="no_side_above_webp_limit",
        ),
    ],
)
def test_bad_requests_name_the_field(client, extra, field):
    response = client.post("/api/v1/conv2d/animation", json=CONV | extra)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    assert response.json()["field"] == field


def test_non_json_body_is_refused(client):
    response = client.post("/api/v1/pool2d/animation", content=b"input=1", headers={"content-type": "text/plain"})
    assert response.status_code == 415


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        pytest.param({"max_animation_frames": 8}, "frame_limit", id="too_many_frames"),
        pytest.param({"max_animation_pixels": 50_000}, "cell_px", id="image_too_large"),
        pytest.param({"max_animation_total_pixels": 1_000_000}, "frame_limit", id="animation_too_large"),
    ],
)
def test_limits_come_from_settings(settings, field):
    with TestClient(create_app(replace(Settings(), **settings))) as small:
        response = small.post("/api/v1/conv2d/animation", json=CONV | {"cell_px": 48})  # asked for: not shrunk
        assert response.status_code == 422
        assert response.json()["field"] == field
        assert response.json()["rule"] == "limit"
        assert small.post("/api/v1/conv2d/animation", json=CONV | {"frame_limit": 2, "cell_px": 16}).status_code == 200


def test_limits_are_environment_variables():
    settings = Settings.from_env({"CONVSCOPE_MAX_ANIMATION_FRAMES": "50", "CONVSCOPE_MAX_ANIMATION_PIXELS": "1_000"})
    assert (settings.max_animation_frames, settings.max_animation_pixels) == (50, 1000)
    with pytest.raises(SettingsError, match="CONVSCOPE_MAX_ANIMATION_TOTAL_PIXELS"):
        Settings.from_env({"CONVSCOPE_MAX_ANIMATION_TOTAL_PIXELS": "0"})


def test_openapi_declares_the_image_media_types(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/conv2d/animation", "/api/v1/pool2d/animation", "/api/v1/conv_transpose2d/animation"):
        content = paths[path]["post"]["responses"]["200"]["content"]
        assert {"image/gif", "image/webp", "image/apng", "image/png"} <= set(content)
        assert "422" in paths[path]["post"]["responses"]


TRANSPOSED = {"input": [[1, 2], [3, 4]], "kernel": [[1, 2], [3, 4]], "stride": 2}


def test_transposed_convolution_animates_the_direct_view_frames(client):
    described = client.post("/api/v1/conv_transpose2d", json=TRANSPOSED | {"view": "direct", "frame_limit": 100}).json()
    response = client.post("/api/v1/conv_transpose2d/animation", json=TRANSPOSED)
    assert response.headers["content-disposition"] == 'attachment; filename="convscope-conv_transpose2d.gif"'
    pictures = frames_of(response.content)
    assert len(pictures) == described["frame_count"] == 16
    scene = transpose_scene(conv_transpose2d(TRANSPOSED["input"], TRANSPOSED["kernel"], stride=2))
    layout = Painter(scene, RenderOptions(), list(scene.steps(0, 16))).layout
    padded = described["direct"]["padded_input"][0]
    for frame in described["frames"][::5]:
        r0, c0 = frame["origin"]
        for r in range(len(padded)):
            for c in range(len(padded[0])):
                tap = r0 <= r < r0 + 2 and c0 <= c < c0 + 2
                assert border_is_blue(pictures[frame["step"]], layout.input_cell(0, r, c)) == tap


def test_transposed_inserted_zeros_are_marked_like_padding(client):
    body = TRANSPOSED | {"still": "final", "show_numbers": False}
    image = Image.open(io.BytesIO(client.post("/api/v1/conv_transpose2d/animation", json=body).content)).convert("RGB")
    scene = transpose_scene(conv_transpose2d(TRANSPOSED["input"], TRANSPOSED["kernel"], stride=2))
    layout = Painter(scene, RenderOptions(), []).layout
    light = THEMES["light"]
    # 2×2 input, stride 2: cells at 0 and 2 of the stretched 3×3, then one cell of padding around it
    for r in range(5):
        for c in range(5):
            box = layout.input_cell(0, r, c)
            colours = {image.getpixel((x, y)) for x in range(box[0] + 1, box[2]) for y in range(box[1] + 1, box[3])}
            real = r in (1, 3) and c in (1, 3)
            assert colours == ({light.cell} if real else {light.padding, light.hatch}), (r, c)


def test_transposed_animation_has_no_scatter_view(client):
    response = client.post("/api/v1/conv_transpose2d/animation", json=TRANSPOSED | {"view": "scatter"})
    assert response.status_code == 422
    assert response.json()["field"] == "view"


# -- export that always works: every layer the Matrix lab can show (issue 10, item 7)


def stack(channels: int, side: int, seed: int) -> list:
    return [
        [[(c * 7 + r * 5 + col * 3 + seed) % 11 - 5 for col in range(side)] for r in range(side)]
        for c in range(channels)
    ]


LAB_LAYERS = {  # the issue's examples, then the lab's largest sizes (static/js/state.js: 16×16, 7×7, 4 × 4)
    "three_channels_two_filters_padding_1": (
        "conv2d",
        {"input": stack(3, 5, 1), "kernel": [stack(3, 3, f) for f in range(2)], "padding": 1},
        50,
    ),
    "input_12x12_padding_1": ("conv2d", {"input": stack(1, 12, 2)[0], "kernel": stack(1, 3, 3)[0], "padding": 1}, 144),
    "input_16x16_padding_1": ("conv2d", {"input": stack(1, 16, 4)[0], "kernel": stack(1, 3, 5)[0], "padding": 1}, 256),
    "max_pool_2x2_on_16x16": ("pool2d", {"input": stack(1, 16, 6)[0], "kernel_size": 2, "mode": "max"}, 64),
}
LARGEST = ("conv2d", {"input": stack(4, 16, 7), "kernel": [stack(4, 7, f) for f in range(4)]}, 400)


def scene_of(kind: str, body: dict):
    if kind == "pool2d":
        return pool_scene(pool2d(body["input"], body["mode"], body["kernel_size"]))
    return conv_scene(conv2d(body["input"], body["kernel"], padding=body.get("padding", 0)))


def full_frame(kind: str, body: dict, cell: int, step: int, start: int = 0, count: int | None = None) -> Image.Image:
    """Step `step` of an animation from `start`, drawn whole (not as a delta) by the renderer."""
    scene = scene_of(kind, body)
    stop = scene.step_count if count is None else start + count
    frames = Painter(scene, RenderOptions(cell_px=cell), list(scene.steps(start, stop))).frames()
    for n, frame in enumerate(frames):
        if n == step:
            return frame
    raise AssertionError(f"no step {step}")


def as_stored(frame: Image.Image, fmt: str) -> Image.Image:
    """GIF and APNG keep the theme's palette; WebP is lossless."""
    return frame if fmt == "webp" else to_palette(frame, "light").convert("RGB")


def decoded_frame(data: bytes, index: int) -> tuple[int, Image.Image]:
    image = Image.open(io.BytesIO(data))
    image.seek(index)
    return image.n_frames, image.convert("RGB")


@pytest.mark.parametrize("fmt", ["gif", "webp", "apng"])
@pytest.mark.parametrize("name", list(LAB_LAYERS))
def test_every_example_of_the_issue_exports_whole(client, name, fmt):
    kind, body, steps = LAB_LAYERS[name]
    response = client.post(f"/api/v1/{kind}/animation", json=body | {"format": fmt})
    assert response.status_code == 200, response.text
    cell = int(response.headers["x-convscope-cell-px"])
    assert MIN_FIT_CELL <= cell <= 48
    late = steps - 3
    frames, picture = decoded_frame(response.content, late)
    assert frames == steps
    assert picture.tobytes() == as_stored(full_frame(kind, body, cell, late), fmt).tobytes()


def test_cells_shrink_only_as_far_as_needed(client):
    kind, body, _ = LAB_LAYERS["input_16x16_padding_1"]
    response = client.post(f"/api/v1/{kind}/animation", json=body | {"format": "gif"})
    cell = int(response.headers["x-convscope-cell-px"])
    assert cell < 48
    scene, settings = scene_of(kind, body), Settings()
    limits = RenderLimits.of(settings)
    assert fit_cell(scene, RenderOptions(cell_px=48), limits=limits).cell_px == cell
    larger = RenderOptions(cell_px=cell + 1)
    with pytest.raises(EngineError):
        render_animation(scene, larger, "gif", 500, limits=limits)


def test_an_asked_cell_size_is_kept(client):
    kind, body, _ = LAB_LAYERS["three_channels_two_filters_padding_1"]
    response = client.post(f"/api/v1/{kind}/animation", json=body | {"cell_px": 24, "frame_limit": 2})
    assert response.headers["x-convscope-cell-px"] == "24"
    assert Image.open(io.BytesIO(response.content)).width < 400


@pytest.mark.parametrize("fmt", ["gif", "webp", "apng"])
def test_the_labs_largest_layer_exports_in_the_parts_the_server_offers(client, fmt):
    kind, body, steps = LARGEST
    path = f"/api/v1/{kind}/animation"

    def offered(start: int) -> int:
        refused = client.post(path, json=body | {"format": fmt, "frame_start": start})
        assert refused.status_code == 422
        assert (refused.json()["field"], refused.json()["rule"]) == ("frame_limit", "limit")
        assert refused.headers["x-convscope-steps"] == str(steps)
        return int(refused.headers["x-convscope-steps-that-fit"])

    first = offered(0)
    assert 1 <= first < steps
    start = steps - first  # a part at the end: windows at the bottom of every channel
    fit = offered(start)
    for begin, count in ((0, first), (start, fit)):
        part = client.post(path, json=body | {"format": fmt, "frame_start": begin, "frame_limit": count})
        assert part.status_code == 200, part.text
        cell = int(part.headers["x-convscope-cell-px"])
        frames, picture = decoded_frame(part.content, count - 2)
        assert frames == count
        assert picture.tobytes() == as_stored(full_frame(kind, body, cell, count - 2, begin, count), fmt).tobytes()


def test_steps_that_fit_is_the_most_that_fits(client):
    kind, body, _ = LAB_LAYERS["input_16x16_padding_1"]
    with TestClient(create_app(replace(Settings(), max_animation_total_pixels=5_000_000))) as small:
        refused = small.post(f"/api/v1/{kind}/animation", json=body)
        fit = int(refused.headers["x-convscope-steps-that-fit"])
        cell = refused.headers["x-convscope-cell-px"]
        assert cell == str(MIN_FIT_CELL)
        fits = small.post(f"/api/v1/{kind}/animation", json=body | {"frame_limit": fit})
        assert fits.status_code == 200 and Image.open(io.BytesIO(fits.content)).n_frames == fit
        more = small.post(f"/api/v1/{kind}/animation", json=body | {"frame_limit": fit + 1})
        assert more.status_code == 422 and more.json()["field"] == "frame_limit"


def test_more_steps_than_one_file_may_hold_are_offered_in_parts(client):
    body = {"input": stack(4, 16, 7), "kernel": [stack(4, 3, f) for f in range(4)], "padding": 1}  # 1,024 steps
    refused = client.post("/api/v1/conv2d/animation", json=body)
    assert refused.status_code == 422
    assert (refused.json()["field"], refused.json()["rule"]) == ("frame_limit", "limit")
    assert refused.headers["x-convscope-steps"] == "1024"
    assert 1 <= int(refused.headers["x-convscope-steps-that-fit"]) <= Settings().max_animation_frames
    with TestClient(create_app(replace(Settings(), max_animation_frames=8))) as small:
        refused = small.post("/api/v1/conv2d/animation", json=CONV)  # 9 steps, 8 frames allowed
        assert refused.headers["x-convscope-steps-that-fit"] == "8"
        assert refused.headers["x-convscope-steps"] == "9"
