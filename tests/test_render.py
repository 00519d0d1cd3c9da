"""The renderer: decoded files have one frame per step, and the pixels show what the engine computed."""

import io

import numpy as np
import pytest
from PIL import Image

from app.core.conv import conv2d, conv_frames
from app.core.errors import EngineError
from app.core.pool import pool2d
from app.render import RenderLimits, RenderOptions, animation, conv_scene, pool_scene, still
from app.render.draw import Painter
from app.render.encode import to_palette
from app.render.export import MIN_FIT_CELL, fit_cell, steps_that_fit
from app.render.numbers import format_number
from app.render.palette import OUTPUT_ORANGE, THEMES, WINDOW_BLUE, WINNER_GREEN, gif_palette

LIGHT = THEMES["light"]
GRID_5x5 = np.arange(25, dtype=float).reshape(5, 5) - 12
KERNEL_3x3 = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])


def decode(data: bytes) -> list[Image.Image]:
    image = Image.open(io.BytesIO(data))
    frames = []
    for n in range(getattr(image, "n_frames", 1)):
        image.seek(n)
        frames.append(image.convert("RGB"))
    return frames


def durations(data: bytes) -> list[int]:
    image = Image.open(io.BytesIO(data))
    found = []
    for n in range(image.n_frames):
        image.seek(n)
        image.load()  # WebP reads a frame's duration when it decodes the frame
        found.append(image.info["duration"])
    return found


def layout_for(scene, options: RenderOptions, start: int, stop: int):
    return Painter(scene, options, list(scene.steps(start, stop))).layout


def border_pixel(frame: Image.Image, box) -> tuple:
    """A pixel on a window tap's border: just inside the cell's left edge, halfway down."""
    return frame.getpixel((box[0] + 2, (box[1] + box[3]) // 2))


def fill_pixel(frame: Image.Image, box) -> tuple:
    """A pixel of the cell's fill: inside the border, above the centred number."""
    return frame.getpixel((box[0] + 7, box[1] + 6))


@pytest.mark.parametrize("fmt", ["gif", "webp", "apng"])
def test_one_frame_per_step_with_the_asked_duration_looping_forever(fmt):
    result = conv2d(GRID_5x5, KERNEL_3x3, stride=2, padding=1)
    scene = conv_scene(result)
    data = animation(scene, RenderOptions(), fmt, 120)
    image = Image.open(io.BytesIO(data))
    assert image.format == {"gif": "GIF", "webp": "WEBP", "apng": "PNG"}[fmt]
    assert image.n_frames == result.output.size == 9
    assert image.info["loop"] == 0
    assert durations(data) == [120] * 9
    layout = layout_for(scene, RenderOptions(), 0, 9)
    assert image.size == (layout.width, layout.height)


@pytest.mark.parametrize("fmt", ["gif", "webp", "apng"])
def test_same_configuration_same_bytes(fmt):
    def render() -> bytes:
        scene = conv_scene(conv2d(GRID_5x5, KERNEL_3x3, padding=1, dilation=2))
        return animation(scene, RenderOptions(theme="dark"), fmt, 300)

    assert render() == render()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_window_taps_are_blue_and_the_rest_is_not_in_every_frame(theme):
    result = conv2d(GRID_5x5, KERNEL_3x3, stride=2, padding=1)
    scene = conv_scene(result)
    frames = decode(animation(scene, RenderOptions(theme=theme), "gif", 100))
    layout = layout_for(scene, RenderOptions(theme=theme), 0, 9)
    origins = conv_frames(result, 0, 9)["origin"]
    _, hp, wp = result.padded.shape
    for frame, (r0, c0) in zip(frames, origins):
        taps = {(r0 + i, c0 + j) for i in range(3) for j in range(3)}
        for r in range(hp):
            for c in range(wp):
                blue = border_pixel(frame, layout.input_cell(0, r, c)) == WINDOW_BLUE
                assert blue == ((r, c) in taps), (r0, c0, r, c)


def test_dilation_highlights_the_taps_and_leaves_the_gaps():
    result = conv2d(np.ones((6, 6)), np.ones((2, 2)), dilation=3)
    scene = conv_scene(result)
    frames = decode(animation(scene, RenderOptions(), "gif", 100))
    layout = layout_for(scene, RenderOptions(), 0, result.output.size)
    first = frames[0]
    for r, c in [(0, 0), (0, 3), (3, 0), (3, 3)]:
        assert border_pixel(first, layout.input_cell(0, r, c)) == WINDOW_BLUE
    for r, c in [(0, 1), (1, 1), (2, 3), (3, 2)]:
        assert border_pixel(first, layout.input_cell(0, r, c)) != WINDOW_BLUE


@pytest.mark.parametrize("fmt", ["gif", "webp", "apng"])
def test_output_fills_in_step_by_step(fmt):
    result = conv2d(GRID_5x5, KERNEL_3x3)
    scene = conv_scene(result)
    frames = decode(animation(scene, RenderOptions(), fmt, 100))
    layout = layout_for(scene, RenderOptions(), 0, 9)
    for step in (0, 4, 8):
        for cell in range(9):
            colour = fill_pixel(frames[step], layout.output_cell(0, *divmod(cell, 3)))
            expected = LIGHT.done if cell < step else OUTPUT_ORANGE if cell == step else LIGHT.pending
            assert colour == expected, (step, cell)


def test_padding_cells_are_hatched_and_real_cells_are_plain():
    scene = conv_scene(conv2d(GRID_5x5, KERNEL_3x3, padding=1))
    image = Image.open(io.BytesIO(still(scene, RenderOptions(show_numbers=False), "final"))).convert("RGB")
    layout = layout_for(scene, RenderOptions(), 0, 0)

    def colours(box) -> set:
        pixels = np.asarray(image.crop((box[0] + 1, box[1] + 1, box[2], box[3]))).reshape(-1, 3)
        return {tuple(int(v) for v in p) for p in np.unique(pixels, axis=0)}

    assert colours(layout.input_cell(0, 0, 0)) == {LIGHT.padding, LIGHT.hatch}
    assert colours(layout.input_cell(0, 2, 2)) == {LIGHT.cell}


def test_max_pooling_marks_the_winner_green():
    x = np.array([[1.0, 9, 2, 3], [4, 5, 8, 6], [7, 0, 1, 2], [3, 4, 5, 6]])
    result = pool2d(x, "max", 2)
    scene = pool_scene(result)
    frames = decode(animation(scene, RenderOptions(), "gif", 100))
    layout = layout_for(scene, RenderOptions(), 0, 4)
    for n, frame in enumerate(frames):
        i, j = divmod(n, 2)
        window = x[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
        wr, wc = np.unravel_index(window.argmax(), window.shape)
        for r in range(2):
            for c in range(2):
                green = fill_pixel(frame, layout.input_cell(0, 2 * i + r, 2 * j + c)) == WINNER_GREEN
                assert green == ((r, c) == (wr, wc))


def test_grouped_convolution_shows_the_window_only_on_the_channels_a_filter_reads():
    x = np.stack([np.ones((3, 3)), 2 * np.ones((3, 3))])
    result = conv2d(x, np.ones((2, 1, 2, 2)), groups=2)
    scene = conv_scene(result)
    frames = decode(animation(scene, RenderOptions(), "gif", 100))
    layout = layout_for(scene, RenderOptions(), 0, 8)
    assert len(frames) == 8
    for step, reads in ((0, 0), (7, 1)):
        for channel in (0, 1):
            blue = border_pixel(frames[step], layout.input_cell(channel, 1, 1)) == WINDOW_BLUE
            assert blue == (channel == reads)


def test_still_of_a_step_shows_that_step():
    result = conv2d(GRID_5x5, KERNEL_3x3, stride=2, padding=1)
    scene = conv_scene(result)
    image = Image.open(io.BytesIO(still(scene, RenderOptions(), 4)))
    assert image.format == "PNG"
    assert getattr(image, "n_frames", 1) == 1
    frame = image.convert("RGB")
    layout = layout_for(scene, RenderOptions(), 4, 5)
    r0, c0 = conv_frames(result, 4, 5)["origin"][0]
    assert border_pixel(frame, layout.input_cell(0, r0, c0)) == WINDOW_BLUE
    assert fill_pixel(frame, layout.output_cell(0, 1, 1)) == OUTPUT_ORANGE
    assert fill_pixel(frame, layout.output_cell(0, 1, 0)) == LIGHT.done
    assert fill_pixel(frame, layout.output_cell(0, 2, 2)) == LIGHT.pending


def test_final_still_has_every_output_and_no_window():
    result = conv2d(GRID_5x5, KERNEL_3x3, padding=1)
    scene = conv_scene(result)
    frame = Image.open(io.BytesIO(still(scene, RenderOptions(theme="dark"), "final"))).convert("RGB")
    layout = layout_for(scene, RenderOptions(theme="dark"), 0, 0)
    dark = THEMES["dark"]
    assert frame.getpixel((1, 1)) == dark.background
    assert all(fill_pixel(frame, layout.output_cell(0, i, j)) == dark.done for i in range(5) for j in range(5))
    assert all(border_pixel(frame, layout.input_cell(0, i, j)) != WINDOW_BLUE for i in range(7) for j in range(7))


def test_frame_range_starts_where_asked_with_earlier_outputs_filled():
    scene = conv_scene(conv2d(GRID_5x5, KERNEL_3x3))
    frames = decode(animation(scene, RenderOptions(), "gif", 100, start=3, limit=2))
    layout = layout_for(scene, RenderOptions(), 3, 5)
    assert len(frames) == 2
    assert fill_pixel(frames[0], layout.output_cell(0, 0, 2)) == LIGHT.done
    assert fill_pixel(frames[0], layout.output_cell(0, 1, 0)) == OUTPUT_ORANGE
    assert fill_pixel(frames[1], layout.output_cell(0, 1, 1)) == OUTPUT_ORANGE


@pytest.mark.parametrize(
    ("kwargs", "limits", "field"),
    [
        pytest.param({}, RenderLimits(max_frames=8), "frame_limit", id="frames_above_limit"),
        pytest.param({"start": 9}, RenderLimits(), "frame_start", id="start_past_last_step"),
        pytest.param({"limit": 0}, RenderLimits(), "frame_limit", id="limit_below_one"),
        pytest.param({}, RenderLimits(max_pixels=10_000), "cell_px", id="image_pixels_above_limit"),
        pytest.param({}, RenderLimits(max_total_pixels=500_000), "frame_limit", id="total_pixels_above_limit"),
    ],
)
def test_limits_refuse_before_drawing(kwargs, limits, field):
    scene = conv_scene(conv2d(GRID_5x5, KERNEL_3x3))
    with pytest.raises(EngineError) as caught:
        animation(scene, RenderOptions(), "gif", 100, limits=limits, **kwargs)
    assert caught.value.field == field


def test_still_step_out_of_range_is_refused():
    with pytest.raises(EngineError) as caught:
        still(conv_scene(conv2d(GRID_5x5, KERNEL_3x3)), RenderOptions(), 9)
    assert caught.value.field == "still"


def test_larger_cells_make_a_larger_picture():
    scene = conv_scene(conv2d(GRID_5x5, KERNEL_3x3))
    small = Image.open(io.BytesIO(still(scene, RenderOptions(cell_px=24), 0)))
    large = Image.open(io.BytesIO(still(scene, RenderOptions(cell_px=96), 0)))
    assert large.width > 3 * small.width and large.height > 3 * small.height


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_each_theme_fits_a_gif_palette_with_the_okabe_ito_roles(theme):
    palette = gif_palette(THEMES[theme])
    assert len(palette) <= 256
    assert {WINDOW_BLUE, OUTPUT_ORANGE, WINNER_GREEN} <= set(palette)
    t = THEMES[theme]
    roles = [t.cell, t.padding, t.window_fill, t.window_padding, t.done, t.current, t.winner]
    assert len(set(roles)) == len(roles)
    assert t.pending not in (t.done, t.current)


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        pytest.param(7.0, lambda s: s == "7", id="whole_numbers_as_integers"),
        pytest.param(-3.0, lambda s: s == "-3", id="negative_whole_numbers_keep_the_sign"),
        pytest.param(-2.5, lambda s: s == "-2.5", id="trailing_zeros_dropped"),
        pytest.param(1 / 3, lambda s: s.startswith("0.33") and len(s) <= 5, id="fractions_to_three_places"),
        pytest.param(-0.0123456, lambda s: s.startswith("-0.012") and len(s) <= 7, id="small_values_keep_digits"),
        pytest.param(123456.7, lambda s: "e" in s and len(s) <= 7, id="large_values_in_short_exponent_form"),
        pytest.param(-0.0, lambda s: s == "0", id="negative_zero_is_zero"),
    ],
)
def test_numbers_are_compact(value, rule):
    text = format_number(value)
    assert rule(text), text
    assert float(text) == pytest.approx(value, rel=0.01)


# -- delta frames: after the first, each frame stores only what changed, and decodes to the whole frame

DELTA_SCENES = {
    "conv_three_channels_two_filters_padding_1": lambda: conv_scene(
        conv2d(np.stack([GRID_5x5, -GRID_5x5, GRID_5x5 % 4]), np.stack([np.stack([KERNEL_3x3] * 3)] * 2), padding=1)
    ),
    "conv_stride_and_dilation": lambda: conv_scene(conv2d(GRID_5x5, KERNEL_3x3[:2, :2], stride=(1, 2), dilation=2)),
    "max_pool_with_padding": lambda: pool_scene(pool2d(GRID_5x5, "max", 2, stride=1, padding=1)),
}


@pytest.mark.parametrize("fmt", ["gif", "webp", "apng"])
@pytest.mark.parametrize("name", list(DELTA_SCENES))
def test_delta_frames_decode_to_the_whole_frames(name, fmt):
    scene = DELTA_SCENES[name]()
    options = RenderOptions(cell_px=29)  # odd sizes put rectangles at odd offsets (WebP needs even ones)
    data = animation(scene, options, fmt, 100, start=1)
    expected = Painter(scene, options, list(scene.steps(1, scene.step_count))).frames()
    decoded = decode(data)
    assert len(decoded) == scene.step_count - 1
    for n, (got, whole) in enumerate(zip(decoded, expected, strict=True)):
        want = whole if fmt == "webp" else to_palette(whole, "light").convert("RGB")
        assert got.tobytes() == want.tobytes(), n


def test_later_frames_are_small_rectangles_and_the_budget_counts_them():
    scene = conv_scene(conv2d(np.tile(GRID_5x5, (3, 3)), KERNEL_3x3, padding=1))  # 15×15: 225 steps
    painter = Painter(scene, RenderOptions(), list(scene.steps(0, scene.step_count)))
    width, height = painter.size()
    rectangles = [box for box, _ in painter.deltas()]
    assert rectangles[0] == (0, 0, width, height)
    assert painter.encoded_pixels() == sum((r - x) * (b - y) for x, y, r, b in rectangles)
    assert painter.encoded_pixels() < 0.7 * width * height * scene.step_count
    budget = RenderLimits(max_total_pixels=painter.encoded_pixels())  # less than all whole frames
    assert len(decode(animation(scene, RenderOptions(), "gif", 100, limits=budget))) == scene.step_count
    with pytest.raises(EngineError):
        animation(scene, RenderOptions(), "gif", 100, limits=RenderLimits(max_total_pixels=budget.max_total_pixels - 1))


@pytest.mark.parametrize(
    ("budget", "cell"),
    [
        pytest.param(10**9, 48, id="fits_as_asked"),
        pytest.param(1, MIN_FIT_CELL, id="nothing_fits_smallest_returned"),
    ],
)
def test_fit_cell_keeps_the_asked_size_when_it_fits_and_stops_at_the_minimum(budget, cell):
    scene = conv_scene(conv2d(GRID_5x5, KERNEL_3x3, padding=1))
    fitted = fit_cell(scene, RenderOptions(cell_px=48), limits=RenderLimits(max_total_pixels=budget))
    assert fitted.cell_px == cell


def test_steps_that_fit_is_the_longest_range_that_renders():
    scene = conv_scene(conv2d(GRID_5x5, KERNEL_3x3, padding=1))
    limits = RenderLimits(max_total_pixels=3_000_000)
    fit = steps_that_fit(scene, RenderOptions(), 4, limits)
    assert 1 <= fit < scene.step_count - 4
    assert len(decode(animation(scene, RenderOptions(), "apng", 100, start=4, limit=fit, limits=limits))) == fit
    with pytest.raises(EngineError):
        animation(scene, RenderOptions(), "apng", 100, start=4, limit=fit + 1, limits=limits)
