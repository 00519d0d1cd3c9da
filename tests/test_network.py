"""The network lab's engine and API: receptive fields, parameter counts, FC ≡ conv, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.conv import conv2d
from app.core.network import Layer, init_parameters, linear_as_conv, run_network
from app.core.receptive import lattice, region


def conv(out: int, k: int, **kwargs) -> Layer:
    return Layer("conv", out_channels=out, kernel_size=k, **kwargs)


def rf_of(layers: list[Layer], shape=(1, 64, 64)):
    last = run_network(layers, input_shape=shape).layers[-1].rf[0]
    return last.rf, last.jump, last.start


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        # r = 1 + (3−1)·1 = 3, then 3 + (3−1)·1 = 5; jump stays 1
        ([conv(1, 3), conv(1, 3)], (5, 1, 2.0)),
        # ... then a 2×2 pool with stride 2: r = 5 + (2−1)·1 = 6, j = 1·2 = 2, start = 2 + 0.5
        ([conv(1, 3), conv(1, 3), Layer("max_pool", kernel_size=2)], (6, 2, 2.5)),
        # padding 1 keeps the sizes and moves the start back: start = 0 + (1 − 1)·1 = 0
        ([conv(1, 3, padding=1), conv(1, 3, padding=1)], (5, 1, 0.0)),
        # dilation 2 spreads the taps: r = 1 + (3−1)·2 = 5
        ([conv(1, 3, dilation=2)], (5, 1, 2.0)),
        # stride 2 first: r = 3, j = 2; then a 3×3 conv adds (3−1)·2 = 4: r = 7
        ([conv(1, 3, stride=2), conv(1, 3)], (7, 2, 3.0)),
        # activations change nothing
        ([conv(1, 5), Layer("relu"), Layer("tanh")], (5, 1, 2.0)),
        # AlexNet conv1 then 3×3/2 pool: r = 11, j = 4; r = 11 + 2·4 = 19, j = 8
        ([conv(96, 11, stride=4), Layer("max_pool", kernel_size=3, stride=2)], (19, 8, 9.0)),
    ],
    ids=[
        "two_3x3_convs_see_5",
        "plus_2x2_pool_sees_6_jump_2",
        "padding_moves_start",
        "dilation_2_sees_5",
        "stride_multiplies_jump",
        "activations_keep_geometry",
        "alexnet_conv1_pool1",
    ],
)
def test_receptive_field_by_hand(layers, expected):
    assert rf_of(layers, (3, 227, 227)) == expected


def test_global_pool_and_linear_see_the_whole_input():
    layers = [conv(2, 3), Layer("global_avg_pool"), Layer("flatten"), Layer("linear", out_features=3)]
    result = run_network(layers, input_shape=(1, 10, 10))
    for step in result.layers[1:]:
        assert region(step.rf[0], 0, 10)[2:] == (0, 9)


def test_region_of_a_unit_by_hand():
    # VGG block: pool unit 0 reads conv2 rows 0..1, which read conv1 rows -1..2, which read input rows -2..3
    layers = [
        conv(1, 3, padding=1),
        Layer("relu"),
        conv(1, 3, padding=1),
        Layer("relu"),
        Layer("max_pool", kernel_size=2),
    ]
    step = run_network(layers, input_shape=(3, 32, 32)).layers[-1]
    assert region(step.rf[0], 0, 32) == (-2, 3, 0, 3)
    assert region(step.rf[0], 5, 32) == (8, 13, 8, 13)
    assert region(step.rf[0], 15, 32) == (28, 33, 28, 31)


@st.composite
def linear_stacks(draw):
    layers = []
    for _ in range(draw(st.integers(1, 3))):
        k, s, d = draw(st.integers(1, 3)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
        if draw(st.booleans()):
            layers.append(conv(1, k, stride=s, dilation=d, padding=draw(st.integers(0, 2))))
        else:
            layers.append(Layer("avg_pool", kernel_size=k, stride=s, padding=draw(st.integers(0, k // 2))))
    return layers


@settings(max_examples=60, deadline=None)
@given(linear_stacks(), st.integers(0, 2**32 - 1))
def test_region_is_exactly_the_cells_that_change_the_unit(layers, seed):
    """Nudge each input cell: the unit moves iff the cell lies in its computed region."""
    size = 12
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 2, size=(1, size, size))
    try:
        base = run_network(layers, x, seed=seed % 1000)
    except ValueError:
        return  # the stack does not fit a 12×12 input
    last = base.layers[-1]
    _, out_h, out_w = last.out_shape
    i, j = out_h // 2, out_w // 2
    changed = np.zeros((size, size), dtype=bool)
    for r in range(size):
        for c in range(size):
            nudged = x.copy()
            nudged[0, r, c] += 1.0
            out = run_network(layers, nudged, seed=seed % 1000).layers[-1].output
            changed[r, c] = abs(out[0, i, j] - last.output[0, i, j]) > 1e-9
    path = [step.windows for step in base.layers if step.windows is not None]
    taps = np.zeros((size, size), dtype=bool)
    taps[np.ix_(lattice([w[0] for w in path], i), lattice([w[1] for w in path], j))] = True
    # The lattice is exactly what the unit reads: holes where stride and dilation skip cells.
    assert (changed == taps).all()
    rows, cols = region(last.rf[0], i, size), region(last.rf[1], j, size)
    expected = np.zeros((size, size), dtype=bool)
    expected[rows[2] : rows[3] + 1, cols[2] : cols[3] + 1] = True
    # Stride and dilation can leave holes inside the span, but nothing outside it matters...
    assert not (changed & ~expected).any()
    # ...and when the span lies inside the input, its first and last rows and columns are real taps.
    if rows[0] >= 0 and rows[1] < size and cols[0] >= 0 and cols[1] < size:
        hit_rows, hit_cols = np.nonzero(changed.any(axis=1))[0], np.nonzero(changed.any(axis=0))[0]
        assert (hit_rows[0], hit_rows[-1], hit_cols[0], hit_cols[-1]) == (rows[0], rows[1], cols[0], cols[1])


@pytest.mark.parametrize(
    ("layer", "unit", "taps"),
    [
        ({"type": "conv", "out_channels": 1, "kernel_size": 3, "dilation": 2}, [2, 3], ([2, 4, 6], [3, 5, 7])),
        (  # reflect padding folds the taps at rows −2 and −1 back onto rows 2 and 1
            {"type": "conv", "out_channels": 1, "kernel_size": 3, "padding": 2, "padding_mode": "reflect"},
            [0, 0],
            ([0, 1, 2], [0, 1, 2]),
        ),
        ({"type": "conv", "out_channels": 1, "kernel_size": 3, "padding": 2}, [0, 0], ([0], [0])),
    ],
    ids=["dilation_reads_every_other_cell", "reflect_padding_folds_back", "zero_padding_reads_nothing"],
)
def test_receptive_field_reports_the_exact_taps(client, layer, unit, taps):
    body = {"input_shape": [1, 8, 8], "layers": [layer], "layer": 0, "unit": unit}
    answer = client.post("/api/v1/receptive-field", json=body).json()
    assert (answer["row_taps"], answer["col_taps"]) == taps
    if layer.get("padding_mode", "zeros") == "zeros":  # copied padding reads real cells outside the span
        assert (
            answer["rows_in_input"][0] <= answer["row_taps"][0] <= answer["row_taps"][-1] <= answer["rows_in_input"][1]
        )


def count(layers: list[Layer], shape) -> list[int]:
    return [step.param_count for step in run_network(layers, input_shape=shape).layers]


def test_conv2d_3_to_64_3x3_has_1792_parameters():
    assert count([conv(64, 3)], (3, 8, 8)) == [3 * 64 * 3 * 3 + 64] == [1_792]


def test_linear_4096_to_1000_has_4_097_000_parameters():
    layers = [Layer("flatten"), Layer("linear", out_features=1000)]
    assert count(layers, (4096, 1, 1)) == [0, 4096 * 1000 + 1000] == [0, 4_097_000]


def test_groups_divide_the_weights():
    # each of 8 filters reads 4/2 = 2 channels: 8·2·3·3 + 8
    assert count([conv(8, 3, groups=2)], (4, 5, 5)) == [8 * 2 * 9 + 8]


def test_no_bias_counts_weights_only():
    assert count([conv(8, 3, bias=False)], (3, 5, 5)) == [8 * 3 * 9]


def test_vgg_block_by_hand(client):
    body = client.post("/api/v1/network", json={"preset": "vgg_block", "include_outputs": False}).json()
    conv1 = 3 * 3 * 3 * 64 + 64  # 1,792
    conv2 = 64 * 3 * 3 * 64 + 64  # 36,928
    assert [layer["params"]["total"] for layer in body["layers"]] == [conv1, 0, conv2, 0, 0]
    assert body["total_params"] == conv1 + conv2 == 38_720
    assert [layer["out_shape"] for layer in body["layers"]][-1] == [64, 16, 16]


def test_tiny_cifar_fc_layers_hold_most_parameters(client):
    body = client.post("/api/v1/network", json={"preset": "tiny_cifar", "include_outputs": False}).json()
    conv1 = 3 * 3 * 3 * 16 + 16  # 448
    conv2 = 16 * 3 * 3 * 32 + 32  # 4,640
    fc1 = 32 * 8 * 8 * 64 + 64  # 131,136: the flattened 32×8×8 map times 64
    fc2 = 64 * 10 + 10  # 650
    totals = [layer["params"]["total"] for layer in body["layers"]]
    assert totals == [conv1, 0, 0, conv2, 0, 0, 0, fc1, 0, fc2]
    assert body["total_params"] == 136_874
    shares = [layer["params"]["share"] for layer in body["layers"]]
    assert sum(shares) == pytest.approx(1.0)
    assert shares[7] + shares[9] == pytest.approx((fc1 + fc2) / 136_874) and shares[7] > 0.95


def test_global_average_pooling_removes_the_fc_parameters(client):
    body = client.post("/api/v1/network", json={"preset": "tiny_cifar_gap", "include_outputs": False}).json()
    assert body["total_params"] == 448 + 4_640 + (32 * 10 + 10) == 5_418


def test_alexnet_first_layer_is_shapes_only(client):
    body = client.post("/api/v1/network", json={"preset": "alexnet_first"}).json()
    assert body["computed"] is False
    # (227 − 11) / 4 + 1 = 55, then (55 − 3) / 2 + 1 = 27
    assert [layer["out_shape"] for layer in body["layers"]] == [[96, 55, 55], [96, 55, 55], [96, 27, 27]]
    assert body["total_params"] == 96 * 3 * 11 * 11 + 96 == 34_944


def test_linear_on_a_map_is_a_full_size_convolution():
    rng = np.random.default_rng(1)
    x, weight, bias = rng.normal(size=(3, 4, 5)), rng.normal(size=(7, 60)), rng.normal(size=7)
    linear = weight @ x.reshape(-1) + bias
    conv_out = conv2d(x, weight.reshape(7, 3, 4, 5), bias).output
    assert conv_out.shape == (7, 1, 1)
    np.testing.assert_allclose(conv_out.reshape(-1), linear, rtol=1e-12)
    shown = linear_as_conv(x, weight, bias)
    assert shown["kernel_shape"] == [7, 3, 4, 5] and shown["max_abs_difference"] < 1e-12


def test_linear_on_1x1_map_is_a_1x1_convolution():
    rng = np.random.default_rng(2)
    x, weight, bias = rng.normal(size=(6, 1, 1)), rng.normal(size=(4, 6)), rng.normal(size=4)
    conv_out = conv2d(x, weight[:, :, None, None], bias).output
    np.testing.assert_allclose(conv_out.reshape(-1), weight @ x.reshape(-1) + bias, rtol=1e-12)
    assert linear_as_conv(x, weight, bias)["kind"] == "1×1 convolution"


def test_api_shows_fc_as_conv_with_matching_numbers(client):
    body = client.post("/api/v1/network", json={"preset": "tiny_cifar_gap"}).json()
    as_conv = body["layers"][8]["as_conv"]
    assert as_conv["kind"] == "1×1 convolution" and as_conv["kernel_shape"] == [10, 32, 1, 1]
    np.testing.assert_allclose(as_conv["conv_output"], as_conv["linear_output"], rtol=1e-12)
    np.testing.assert_allclose(body["layers"][8]["output"], as_conv["linear_output"], rtol=1e-12)


def test_network_conv_equals_conv2d_with_given_weights(client):
    x = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]
    weights = [[[[1, 0], [0, -1]]], [[[2, 1], [1, 2]]]]
    layers = [{"type": "conv", "out_channels": 2, "kernel_size": 2, "weights": weights, "bias": [1, -1]}]
    body = client.post("/api/v1/network", json={"input": x, "layers": layers}).json()
    expected = conv2d(np.array(x, float), np.array(weights, float), np.array([1.0, -1.0])).output
    np.testing.assert_allclose(body["layers"][0]["output"], expected)
    assert body["layers"][0]["weight_init"]["weights"] == "given"


def test_seeded_weights_are_documented_uniform_draws():
    weight, bias = init_parameters(7, 3, (4, 2, 3, 3), 18, True)
    rng = np.random.default_rng([7, 3])
    bound = 1 / np.sqrt(18)
    np.testing.assert_array_equal(weight, rng.uniform(-bound, bound, (4, 2, 3, 3)))
    np.testing.assert_array_equal(bias, rng.uniform(-bound, bound, 4))


def test_same_seed_same_numbers_other_seed_other_numbers(client):
    def first_output(seed):
        body = client.post("/api/v1/network", json={"preset": "tiny_cifar_gap", "seed": seed}).json()
        return body["layers"][-1]["output"]

    assert first_output(3) == first_output(3)
    assert first_output(3) != first_output(4)


def test_outputs_respect_the_value_cap(client):
    body = client.post("/api/v1/network", json={"preset": "vgg_block", "max_output_values": 12_000}).json()
    shown = [layer["output"] is not None for layer in body["layers"]]
    # the 3×32×32 input (3,072) and layer 0's first 8 channels (8×32×32 = 8,192) fit in 12,000
    assert shown[0] and not all(shown)
    assert body["layers"][0]["output_channels_shown"] == 8
    assert len(body["layers"][0]["output"]) == 8


def test_pytorch_code_names_the_modules(client):
    body = client.post("/api/v1/network", json={"preset": "tiny_cifar"}).json()
    code = body["pytorch"]
    for piece in (
        "nn.Conv2d(3, 16, kernel_size=3, padding=1)",
        "nn.MaxPool2d(kernel_size=2)",
        "nn.Flatten()",
        "nn.Linear(2048, 64)",
        "seeded(0, 7, (64, 2048), 2048)",
        "np.random.default_rng(0).uniform(0, 1, (3, 32, 32))",
    ):
        assert piece in code
    compile(code, "network.py", "exec")


def test_pytorch_code_pads_asymmetric_padding_explicitly(client):
    layers = [{"type": "conv", "out_channels": 1, "kernel_size": 2, "padding": [0, 1, 0, 1]}]
    body = client.post("/api/v1/network", json={"input": [[1, 2], [3, 4]], "layers": layers}).json()
    assert "nn.ZeroPad2d((0, 1, 0, 1))" in body["pytorch"]
    assert "x = torch.tensor([[[1, 2], [3, 4]]], dtype=torch.float64)" in body["pytorch"]


@pytest.mark.parametrize("kind", ["max_pool", "avg_pool"])
def test_pooling_padding_pair_may_be_zero_on_one_axis(client, kind):
    # nn.MaxPool2d(2, padding=(1, 0)) is valid torch: 6×6 → 4×3.
    layers = [{"type": kind, "kernel_size": 2, "padding": [1, 0]}]
    body = client.post("/api/v1/network", json={"input": np.arange(36.0).reshape(6, 6).tolist(), "layers": layers})
    assert body.status_code == 200, body.text
    assert body.json()["layers"][0]["out_shape"] == [1, 4, 3]
    assert "padding=(1, 0)" in body.json()["pytorch"]


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        (
            {
                "input": [[1, 2], [3, 4]],
                "layers": [{"type": "relu"}, {"type": "conv", "out_channels": 1, "kernel_size": 3}],
            },
            "layers.1.kernel_size",
            "kernel_larger_than_padded_input",
        ),
        (
            {"input": [[1, 2], [3, 4]], "layers": [{"type": "conv", "out_channels": 1, "stride": 0}]},
            "layers.0.stride",
            "greater_than_equal",
        ),
        ({"input": [[1, 2], [3, 4]], "layers": [{"type": "spin"}]}, "layers.0", "layer_type"),
        (
            {"input": [[1, 2], [3, 4]], "layers": [{"type": "flatten"}, {"type": "max_pool"}]},
            "layers.1.type",
            "needs_a_map",
        ),
        (
            {"input": [[1, 2], [3, 4]], "layers": [{"type": "linear", "out_features": 2}]},
            "layers.0.type",
            "needs_flat_input",
        ),
        (
            {"input_shape": [3, 8, 8], "layers": [{"type": "conv", "out_channels": 4, "groups": 2}]},
            "layers.0.groups",
            "divides_channels",
        ),
        (
            {"input_shape": [1, 8, 8], "layers": [{"type": "max_pool", "kernel_size": 2, "padding": 2}]},
            "layers.0.padding",
            "at_most_half_kernel",
        ),
        (
            {
                "input": [[1, 2], [3, 4]],
                "layers": [{"type": "conv", "out_channels": 2, "kernel_size": 1, "weights": [[[[1]]]]}],
            },
            "layers.0.weights",
            "weight_shape",
        ),
        (
            {
                "input": [[1, 2], [3, 4]],
                "layers": [{"type": "conv", "out_channels": 1, "kernel_size": 1, "bias": [1, 2]}],
            },
            "layers.0.bias",
            "one_per_output",
        ),
        (
            {"input": [[1, 2], [3, 4]], "layers": [{"type": "conv", "out_channels": 1, "extra": 1}]},
            "layers.0.extra",
            "extra_forbidden",
        ),
        (
            {"input": [[1] * 64] * 64, "layers": [{"type": "conv", "out_channels": 200}]},
            "layers.0.out_channels",
            "limit",
        ),
        (
            {
                # each 64→64 3×3 layer on 32×32 is 64·32·32·64·9 ≈ 37.7 M multiply-adds, under the
                # 50 M layer limit; three of them (≈ 113 M) pass the stack's 2 × 50 M
                "input": [[1] * 32] * 32,
                "layers": [{"type": "conv", "out_channels": 64, "kernel_size": 3, "padding": 1}] * 4,
            },
            "layers",
            "limit",
        ),
        ({"input": [[1, 2]], "input_shape": [1, 1, 2], "layers": [{"type": "relu"}]}, "input_shape", "input_or_shape"),
        ({"input": [[1, 2]]}, "layers", "layers_or_preset"),
        ({"layers": [{"type": "relu"}]}, "input", "input_needed"),
        ({"preset": "resnet"}, "preset", "literal_error"),
    ],
    ids=[
        "kernel_larger_than_input",
        "zero_stride",
        "unknown_layer_type",
        "pool_after_flatten",
        "linear_before_flatten",
        "groups_not_dividing",
        "pool_padding_over_half",
        "weights_wrong_shape",
        "bias_wrong_length",
        "unknown_field",
        "too_many_filters",
        "stack_too_much_work",
        "input_and_shape",
        "no_layers",
        "no_input",
        "unknown_preset",
    ],
)
def test_network_errors_name_the_layer_field(client, body, field, rule):
    response = client.post("/api/v1/network", json=body)
    assert response.status_code == 422, response.text
    error = response.json()
    assert (error["field"], error["rule"]) == (field, rule)


def test_receptive_field_endpoint(client):
    body = {"preset": "vgg_block", "layer": 4, "unit": [3, 5]}
    response = client.post("/api/v1/receptive-field", json=body).json()
    # unit centre = 0.5 + 2·i; rf 6: rows 2·3 − 2 .. 2·3 + 3, cols 2·5 − 2 .. 2·5 + 3
    assert (response["rows"], response["cols"]) == ([4, 9], [8, 13])
    assert [row["height"]["rf"] for row in response["table"]] == [3, 3, 5, 5, 6]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"preset": "vgg_block", "layer": 9, "unit": [0, 0]}, "layer"),
        ({"preset": "vgg_block", "layer": 4, "unit": [16, 0]}, "unit"),
        ({"preset": "tiny_cifar", "layer": 7, "unit": [64]}, "unit"),
    ],
    ids=["layer_past_end", "unit_outside_map", "unit_past_vector"],
)
def test_receptive_field_errors(client, body, field):
    response = client.post("/api/v1/receptive-field", json=body)
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_pytorch_code_reproduces_the_engine_weights(client, monkeypatch):
    """Run the generated `seeded` helper (torch stubbed by numpy) and compare with the engine's draw."""
    import sys
    import types

    torch = types.ModuleType("torch")
    torch.tensor = np.asarray
    torch.nn = types.ModuleType("torch.nn")
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch.nn", torch.nn)
    code = client.post("/api/v1/network", json={"preset": "tiny_cifar", "seed": 5}).json()["pytorch"]
    namespace: dict = {}
    exec(code.split("model = nn.Sequential(")[0], namespace)
    weight, bias = namespace["seeded"](5, 7, (64, 2048), 2048)
    expected_weight, expected_bias = init_parameters(5, 7, (64, 2048), 2048, True)
    np.testing.assert_array_equal(weight, expected_weight)
    np.testing.assert_array_equal(bias, expected_bias)


@pytest.mark.parametrize(
    ("layer", "field"),
    [
        pytest.param({"type": "conv", "out_channels": 4, "kernel_size": 3}, "layers.0.out_channels", id="seeded"),
        pytest.param(
            {"type": "conv", "out_channels": 4, "kernel_size": 3, "weights": np.ones((4, 1, 3, 3)).tolist()},
            "layers.0.weights",
            id="given",
        ),
    ],
)
def test_a_layers_weights_are_capped_by_the_max_layer_weights_setting(layer, field):
    """CONVSCOPE_MAX_LAYER_WEIGHTS: 4×1×3×3 = 36 weights pass at 36 and are refused at 35, naming the field."""
    from fastapi.testclient import TestClient

    from app.config import Settings
    from app.core.limits import Limits
    from app.main import create_app

    body = {"input": np.ones((6, 6)).tolist(), "layers": [layer]}
    for cap, status in ((36, 200), (35, 422)):
        with TestClient(create_app(Settings(limits=Limits(max_layer_weights=cap)))) as small:
            response = small.post("/api/v1/network", json=body)
        assert response.status_code == status, response.text
        if status == 422:
            assert response.json()["field"] == field and response.json()["rule"] == "limit"
    assert Settings.from_env({"CONVSCOPE_MAX_LAYER_WEIGHTS": "7"}).limits.max_layer_weights == 7


@pytest.mark.parametrize("digits", [1, 4, 9])
def test_output_digits_round_each_map_to_one_step_of_its_largest_value(client, digits):
    body = {"preset": "vgg_block", "max_output_values": 40_000}
    exact = client.post("/api/v1/network", json=body).json()
    short = client.post("/api/v1/network", json={**body, "output_digits": digits}).json()
    for full, rounded in zip(exact["layers"], short["layers"], strict=True):
        assert rounded["output_range"] == full["output_range"]  # the range stays exact
        if full["output"] is None:
            assert rounded["output"] is None
            continue
        values, kept = np.asarray(full["output"], dtype=float), np.asarray(rounded["output"], dtype=float)
        step = 10.0 ** (np.floor(np.log10(np.abs(values).max())) - digits + 1)
        assert np.abs(kept - values).max() <= step / 2 * (1 + 1e-9)


def test_four_digit_maps_take_under_half_the_bytes(client):
    body = {"preset": "vgg_block", "output_channels": 8, "max_output_values": 120_000}
    exact = client.post("/api/v1/network", json=body)
    short = client.post("/api/v1/network", json={**body, "output_digits": 4})
    assert len(short.content) < len(exact.content) / 2
    assert "0.16974805454238223" not in short.text


@pytest.mark.parametrize("digits", [0, 18, 2.5])
def test_output_digits_outside_1_to_17_is_refused(client, digits):
    response = client.post("/api/v1/network", json={"preset": "vgg_block", "output_digits": digits})
    assert response.status_code == 422
    assert response.json()["field"] == "output_digits"
