"""Invariants over random configurations (hypothesis), against naive references."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.conv import conv2d, conv_frames
from app.core.errors import EngineError
from app.core.pool import pool2d, pool_frames
from app.core.shape import explain_axis

from . import reference

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
small = st.integers(-4, 4)


@st.composite
def conv_configs(draw):
    groups = draw(st.sampled_from([1, 2]))
    channels = groups * draw(st.integers(1, 2))
    filters = groups * draw(st.integers(1, 2))
    height, width = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    x = np.array(draw(st.lists(small, min_size=channels * height * width, max_size=channels * height * width)))
    w = np.array(draw(st.lists(small, min_size=filters * channels // groups * kh * kw, max_size=10**4)))
    w = w[: filters * channels // groups * kh * kw]
    return {
        "x": x.reshape(channels, height, width).astype(float),
        "w": np.resize(w, (filters, channels // groups, kh, kw)).astype(float),
        "b": np.array(draw(st.lists(small, min_size=filters, max_size=filters)), dtype=float),
        "stride": (draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        "dilation": (draw(st.integers(1, 2)), draw(st.integers(1, 2))),
        "sides": tuple(draw(st.integers(0, 2)) for _ in range(4)),
        "mode": draw(st.sampled_from(["zeros", "reflect", "replicate", "circular"])),
        "groups": groups,
        "flip": draw(st.booleans()),
    }


def run_conv(cfg, activation="none"):
    return conv2d(
        cfg["x"],
        cfg["w"],
        cfg["b"],
        stride=cfg["stride"],
        padding=cfg["sides"],
        padding_mode=cfg["mode"],
        dilation=cfg["dilation"],
        groups=cfg["groups"],
        flip_kernel=cfg["flip"],
        activation=activation,
    )


def padding_allowed(cfg) -> bool:
    _, height, width = cfg["x"].shape
    sizes = (height, height, width, width)
    if cfg["mode"] == "reflect":
        return all(p < n for p, n in zip(cfg["sides"], sizes))
    if cfg["mode"] == "circular":
        return all(p <= n for p, n in zip(cfg["sides"], sizes))
    return True


def fits(cfg) -> bool:
    _, height, width = cfg["x"].shape
    _, _, kh, kw = cfg["w"].shape
    top, bottom, left, right = cfg["sides"]
    return (
        height + top + bottom >= cfg["dilation"][0] * (kh - 1) + 1
        and width + left + right >= cfg["dilation"][1] * (kw - 1) + 1
    )


@SETTINGS
@given(conv_configs())
def test_conv_equals_the_definition_or_is_refused_for_the_rule_torch_applies(cfg):
    if not (padding_allowed(cfg) and fits(cfg)):
        try:
            run_conv(cfg)
        except EngineError as error:
            assert error.field in ("padding", "kernel")
            return
        raise AssertionError("an invalid configuration was accepted")
    result = run_conv(cfg)
    expected = reference.conv2d(
        cfg["x"],
        cfg["w"],
        cfg["b"],
        cfg["stride"],
        cfg["dilation"],
        cfg["sides"],
        cfg["mode"],
        cfg["groups"],
        cfg["flip"],
    )
    np.testing.assert_allclose(result.output, expected, atol=1e-9)


@SETTINGS
@given(conv_configs(), st.sampled_from(["none", "relu", "leaky_relu", "sigmoid", "tanh"]))
def test_conv_frames_sum_to_the_output_and_read_the_padded_input(cfg, activation):
    if not (padding_allowed(cfg) and fits(cfg)):
        return
    result = run_conv(cfg, activation)
    frames = conv_frames(result, 0, result.frame_count)
    np.testing.assert_allclose(frames["value"], result.pre_activation.ravel(), atol=1e-9)
    np.testing.assert_allclose(frames["activated"], result.output.ravel(), atol=1e-12)
    np.testing.assert_allclose(frames["products"].sum(axis=(1, 2, 3)) + frames["bias"], frames["value"], atol=1e-9)
    np.testing.assert_allclose(frames["channel_sums"].sum(axis=1) + frames["bias"], frames["value"], atol=1e-9)
    _, cpg, kh, kw = result.weight.shape
    for n, (f, _, _) in enumerate(frames["out"]):
        r, c = frames["origin"][n]
        group = f // (result.weight.shape[0] // result.groups)
        taps = result.padded[
            group * cpg : (group + 1) * cpg,
            r : r + result.dilation[0] * (kh - 1) + 1 : result.dilation[0],
            c : c + result.dilation[1] * (kw - 1) + 1 : result.dilation[1],
        ]
        np.testing.assert_array_equal(frames["window"][n], taps)


@SETTINGS
@given(conv_configs(), st.integers(1, 7))
def test_paging_equals_one_long_page(cfg, page):
    if not (padding_allowed(cfg) and fits(cfg)):
        return
    result = run_conv(cfg)
    whole = conv_frames(result, 0, result.frame_count)
    for start in range(0, result.frame_count, page):
        part = conv_frames(result, start, min(start + page, result.frame_count))
        for key, values in part.items():
            np.testing.assert_array_equal(values, whole[key][start : start + page])


@st.composite
def pool_configs(draw):
    mode = draw(st.sampled_from(["max", "avg"]))
    channels, height, width = draw(st.integers(1, 2)), draw(st.integers(1, 7)), draw(st.integers(1, 7))
    k = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    values = draw(st.lists(small, min_size=channels * height * width, max_size=channels * height * width))
    return {
        "x": np.array(values, dtype=float).reshape(channels, height, width),
        "mode": mode,
        "k": k,
        "s": (draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        "p": (draw(st.integers(0, k[0] // 2)), draw(st.integers(0, k[1] // 2))),
        "d": (draw(st.integers(1, 2)), draw(st.integers(1, 2))) if mode == "max" else (1, 1),
        "ceil_mode": draw(st.booleans()),
        "count_include_pad": draw(st.booleans()),
    }


@SETTINGS
@given(pool_configs())
def test_pool_equals_the_definition(cfg):
    _, height, width = cfg["x"].shape
    sizes = [
        reference.pool_size(n, k, s, p, d, cfg["ceil_mode"])
        for n, k, s, p, d in zip((height, width), cfg["k"], cfg["s"], cfg["p"], cfg["d"])
    ]
    args = (cfg["x"], cfg["mode"], cfg["k"], cfg["s"], cfg["p"], cfg["d"], cfg["ceil_mode"], cfg["count_include_pad"])
    if min(sizes) < 1:
        try:
            pool2d(*args)
        except EngineError as error:
            assert error.field == "kernel_size"
            return
        raise AssertionError("a pooling with no output was accepted")
    result = pool2d(*args)
    expected = reference.pool2d(
        cfg["x"], cfg["mode"], cfg["k"], cfg["s"], cfg["p"], cfg["d"], cfg["ceil_mode"], cfg["count_include_pad"]
    )
    np.testing.assert_allclose(result.output, expected, atol=1e-12)
    frames = pool_frames(result, 0, result.frame_count)
    np.testing.assert_array_equal(frames["value"], result.output.ravel())
    if cfg["mode"] == "max":
        for n, (c, _, _) in enumerate(frames["out"]):
            r, q = frames["argmax"][n]
            if r >= 0:
                assert cfg["x"][c, r, q] == frames["value"][n]
                assert np.nanmax(frames["window"][n]) == frames["value"][n]
    else:
        np.testing.assert_allclose(frames["sum"] / frames["divisor"], frames["value"], atol=1e-12)


@SETTINGS
@given(
    st.integers(1, 40),
    st.integers(1, 7),
    st.integers(1, 5),
    st.integers(1, 3),
    st.integers(0, 3),
    st.integers(0, 3),
)
def test_output_size_formula_matches_the_window_count(n, k, s, d, before, after):
    shape = explain_axis("width", n, k, s, d, before, after)
    starts = [q for q in range(0, n + before + after, s) if q + d * (k - 1) < n + before + after]
    assert shape.valid == bool(starts)
    if shape.valid:
        assert shape.size == len(starts)
        assert shape.formula.endswith(f"= {shape.size}")
        assert "floor(" in shape.formula
    else:
        assert shape.problem
