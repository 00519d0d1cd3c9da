"""Every generated exercise's expected answer is what the engine computes for the layer it carries.

For each topic, thousands of seeds (a seeded loop over all levels): the exercise's body goes through the
same request model and `compute` the REST endpoint uses, the answer is read off that result, and it must
equal the exercise's `expected`. A sample also goes over HTTP, so the body is exactly the endpoint's JSON.
"""

import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest

from app.api.backward_schemas import Conv2dBackwardRequest
from app.api.network_schemas import ConvTranspose2dRequest, NetworkRequest
from app.api.schemas import Conv2dRequest, Pool2dRequest
from app.config import Settings
from app.core.limits import Limits
from app.layers import backward, conv, network, pool, transpose
from app.practice.answers import check, expected_text
from app.practice.assignment import Item, build, exercises
from app.practice.catalog import TOPICS, generate

from .conftest import ROOT

SEEDS_PER_TOPIC = 2000  # spread over the topic's levels
LIMITS = Limits()
SETTINGS = Settings()


def endpoint_result(exercise):
    """The layer as the endpoint computes it, from the exercise's JSON body."""
    body = json.loads(json.dumps(exercise.body))  # exactly what travels as JSON
    endpoint = exercise.endpoint
    if endpoint == "/api/v1/conv2d":
        return conv.compute(Conv2dRequest(**body), LIMITS)
    if endpoint == "/api/v1/pool2d":
        return pool.compute(Pool2dRequest(**body), LIMITS)
    if endpoint == "/api/v1/conv_transpose2d":
        return transpose.compute(ConvTranspose2dRequest(**body), LIMITS)
    if endpoint == "/api/v1/network":
        return network.compute(NetworkRequest(**body), LIMITS)[0]
    if endpoint == "/api/v1/conv2d/backward":
        return backward.compute_conv(Conv2dBackwardRequest(**body), LIMITS)
    raise AssertionError(f"unknown endpoint {endpoint}")


def answer_from_result(exercise, result):
    """Read the asked-for quantity off the engine's result, as the question states it."""
    target = exercise.target
    if exercise.topic in ("conv_cell", "pool_cell"):
        return float(result.output[tuple(target["out"])])
    if exercise.topic == "output_size":
        if exercise.answer_kind == "shape":
            return [int(v) for v in result.layers[0].out_shape]
        assert result.output.shape[1] == result.output.shape[2]  # square: rows = columns
        return int(result.output.shape[1])
    if exercise.topic == "same_padding":
        assert result.output.shape[1:] == np.asarray(exercise.body["input"]).shape  # "same" keeps the size
        return int(result.padding[1] if target["side"] == "bottom" else result.padding[0])
    if exercise.topic == "padding_source":
        r, c = target["padded"]
        values = np.asarray(exercise.body["input"])
        assert len(np.unique(values)) == values.size  # distinct values: the copied cell is unique
        found = np.argwhere(values == result.padded[0, r, c])
        return [int(v) for v in found[0]]
    if exercise.topic == "receptive_field":
        last = result.layers[-1].rf[0]
        assert result.layers[-1].rf[1].rf == last.rf  # square kernels: the same along both axes
        return last.rf if target["ask"] == "size" else last.jump
    if exercise.topic == "param_count":
        layers = zip(result.layers, exercise.body["layers"])
        if target["ask"] == "linear":
            return sum(step.param_count for step, spec in layers if spec["type"] == "linear")
        return result.param_count
    if exercise.topic == "transpose_size":
        return int(result.output.shape[1])
    if exercise.topic == "gradient_cell":
        if "grad_weight" in target:
            return float(result.grad_weight[tuple(target["grad_weight"])])
        return float(result.grad_input[tuple(target["grad_input"])])
    raise AssertionError(exercise.topic)


@pytest.mark.parametrize("topic", list(TOPICS))
def test_expected_answer_is_what_the_engine_computes_for_the_carried_layer(topic):
    levels = TOPICS[topic].LEVELS
    started = time.perf_counter()
    for n in range(SEEDS_PER_TOPIC):
        level, seed = levels[n % len(levels)], 1_000_003 * n + 17
        exercise = generate(topic, level, seed)
        got = answer_from_result(exercise, endpoint_result(exercise))
        if isinstance(got, float):
            assert got == pytest.approx(exercise.expected, abs=1e-9), exercise.id
        else:
            assert got == exercise.expected, exercise.id
        assert check(exercise, expected_text(exercise)).correct, exercise.id  # the shown answer is accepted
    elapsed = time.perf_counter() - started
    assert elapsed < 60, f"{topic}: {elapsed:.1f} s for {SEEDS_PER_TOPIC} exercises"


@pytest.mark.parametrize("topic", list(TOPICS))
def test_a_sample_of_bodies_posted_over_http_gives_the_same_answer(client, topic):
    for level in TOPICS[topic].LEVELS:
        for seed in range(8):
            exercise = generate(topic, level, seed)
            response = client.post(exercise.endpoint, json=exercise.body)
            assert response.status_code == 200, response.text
            data = response.json()
            if topic in ("conv_cell", "pool_cell"):
                f, i, j = exercise.target["out"]
                assert data["output"][f][i][j] == pytest.approx(exercise.expected, abs=1e-9)
            elif exercise.endpoint == "/api/v1/network":
                if topic == "output_size":
                    assert data["layers"][0]["out_shape"] == exercise.expected
                elif topic == "receptive_field":
                    rf = data["layers"][-1]["receptive_field"]["height"]
                    assert rf["rf" if exercise.target["ask"] == "size" else "jump"] == exercise.expected
                elif exercise.target["ask"] == "total":
                    assert data["total_params"] == exercise.expected
            elif topic == "same_padding":
                side = 1 if exercise.target["side"] == "bottom" else 0
                assert data["padding"][side] == exercise.expected
            elif topic == "gradient_cell":
                if "grad_weight" in exercise.target:
                    f, c, a, b = exercise.target["grad_weight"]
                    assert data["grad_weight"][f][c][a][b] == pytest.approx(exercise.expected, abs=1e-9)
                else:
                    ch, r, c = exercise.target["grad_input"]
                    assert data["grad_input"][ch][r][c] == pytest.approx(exercise.expected, abs=1e-9)
            elif topic == "padding_source":
                r, c = exercise.target["padded"]
                sr, sc = exercise.expected
                assert data["padded_input"][0][r][c] == exercise.body["input"][sr][sc]
            else:
                assert data["output_shape"][1] == exercise.expected


def forward_layer(body: dict, moved: tuple[str, tuple, float] | None = None):
    """The exercise's layer through /conv2d's own compute, with one input cell or weight moved by a step."""
    layer = {key: value for key, value in body.items() if key not in ("grad_output", "view")}
    x = np.asarray(layer["input"], dtype=np.float64)[None]
    w = np.asarray(layer["kernel"], dtype=np.float64)[None, None]
    if moved:
        name, index, step = moved
        (w if name == "weight" else x)[index] += step
    return conv.compute(Conv2dRequest(**{**layer, "input": x.tolist(), "kernel": w.tolist()}), LIMITS)


def test_a_gradient_answer_is_the_slope_of_the_loss_when_that_one_number_moves():
    """Independent of the backward engine: L = Σ ∂L/∂output ⊙ output; move the asked weight or input cell by
    ±h and difference L. Without an activation the layer is linear, so the slope is exact; through a ReLU
    h stays below the smallest |pre-activation|, so no cell crosses the kink."""
    checked = 0
    for n in range(600):
        level, seed = (1, 2, 3)[n % 3], 7919 * n + 3
        exercise = generate("gradient_cell", level, seed)
        body, target = json.loads(json.dumps(exercise.body)), exercise.target
        grad = np.asarray(body["grad_output"], dtype=np.float64)
        h = 1.0
        if body.get("activation") == "relu":
            margin = np.abs(forward_layer(body).pre_activation).min()
            if margin == 0:
                continue  # a cell exactly at ReLU's kink has no two-sided slope (torch takes 0 there)
            h = margin / 100
        if "grad_weight" in target:
            name, index = "weight", (0, 0, *target["grad_weight"][2:])
        else:
            name, index = "input", tuple(target["grad_input"])
        up, down = (float((grad * forward_layer(body, (name, index, d)).output[0]).sum()) for d in (h, -h))
        assert (up - down) / (2 * h) == pytest.approx(exercise.expected, abs=1e-6), exercise.id
        checked += 1
    assert checked >= 500  # almost every draw is checked


def test_a_public_exercise_never_carries_its_answer_or_solution():
    for topic, module in TOPICS.items():
        for level in module.LEVELS:
            public = generate(topic, level, 5).public()
            assert not {"expected", "solution"} & set(public)


SAMPLE = [(topic, level, seed) for topic, m in TOPICS.items() for level in m.LEVELS for seed in (0, 1, 2**40 + 7)]
DUMP = """
import json, sys
from app.practice.assignment import Item, build, exercises
from app.practice.catalog import generate
sample = json.loads(sys.argv[1])
out = [dict(generate(t, l, s).public(), expected=generate(t, l, s).expected) for t, l, s in sample]
variant = exercises(build([Item("conv_cell", 2, 3), Item("padding_source", 1, 2)], "x", 123456), "Li Wei")
print(json.dumps({"exercises": out, "variant": [dict(e.public(), expected=e.expected) for e in variant]}))
"""


def dump_here():
    out = [dict(generate(t, lv, s).public(), expected=generate(t, lv, s).expected) for t, lv, s in SAMPLE]
    variant = exercises(build([Item("conv_cell", 2, 3), Item("padding_source", 1, 2)], "x", 123456), "Li Wei")
    dumped = {"exercises": out, "variant": [dict(e.public(), expected=e.expected) for e in variant]}
    return json.loads(json.dumps(dumped))


@pytest.mark.parametrize("hash_seed", ["0", "4242"])
def test_the_same_seed_gives_the_same_exercise_in_another_process(hash_seed):
    """Another interpreter, with another str-hash salt: the same numbers (SHA-256 and PCG64, never hash())."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run(
        [sys.executable, "-c", DUMP, json.dumps(SAMPLE)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == dump_here()


def test_every_student_of_an_assignment_gets_other_numbers_and_the_same_name_the_same():
    assignment = build([Item("conv_cell", 3, 2)], "", 99)
    names = [f"student {n}" for n in range(40)]
    variants = {name: [e.body["input"] for e in exercises(assignment, name)] for name in names}
    assert len({json.dumps(v) for v in variants.values()}) == len(names)
    assert [e.id for e in exercises(assignment, "  Student   7 ")] == [e.id for e in exercises(assignment, "student 7")]
