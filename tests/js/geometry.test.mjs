/**
 * The Matrix lab's geometry against PyTorch: the padding it places, the cell each padded cell copies and the taps
 * each step reads reproduce torch's padded input and conv2d output for every golden case it can express.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { layerGeometry, localPadding, padSource, stepOf, stepPlace } from "../../static/js/geometry.js";
import { defaultState } from "../../static/js/state.js";
import { golden, pair } from "./golden.mjs";

function stateFor(request) {
  const padding = request.padding;
  return {
    ...defaultState(),
    mode: "conv",
    input: request.input,
    kernel: request.kernel,
    bias: request.bias,
    stride: pair(request.stride),
    padding: typeof padding === "string" ? padding : padding.length === 4 ? padding : pair(padding).flatMap((p) => [p, p]),
    paddingMode: request.padding_mode,
    dilation: pair(request.dilation),
    groups: request.groups,
  };
}

/** The padded input as the lab draws it: every padded cell copies padSource's cell, or is 0. */
function padded(input, [top, bottom, left, right], mode) {
  const [H, W] = [input[0].length, input[0][0].length];
  return input.map((channel) =>
    Array.from({ length: H + top + bottom }, (_, r) =>
      Array.from({ length: W + left + right }, (_, c) => {
        const [sr, sc] = [padSource(mode, r - top, H), padSource(mode, c - left, W)];
        return sr === null || sc === null ? 0 : channel[sr][sc];
      }),
    ),
  );
}

// The refused cases (torch raised) have no output; activations and flipped kernels are arithmetic's, not geometry's.
const cases = golden("conv2d").filter((c) => c.expected?.output && c.request.activation === "none" && !c.request.flip_kernel);

describe("conv2d geometry reproduces torch", () => {
  test("the golden file has cases to check", () => assert.ok(cases.length > 40));
  for (const { name, request, expected } of cases) {
    test(name, () => {
      const state = stateFor(request);
      assert.deepEqual(localPadding(state), expected.padding, "padding sides");
      const x = padded(request.input, expected.padding, request.padding_mode);
      assert.deepEqual(x, expected.padded_input, "padded input");
      const answer = { padding: expected.padding, padded_input: x, output: null, frame_count: 0, kernel: request.kernel, output_shape: expected.output_shape };
      const geo = layerGeometry(state, answer);
      const [F, Ho, Wo] = expected.output_shape;
      for (let f = 0; f < F; f++) {
        for (let i = 0; i < Ho; i++) {
          for (let j = 0; j < Wo; j++) {
            const place = stepPlace(geo, stepOf(geo, f, i, j));
            assert.deepEqual([place.f, place.i, place.j], [f, i, j]);
            let sum = request.bias[f];
            place.channels.forEach((ch, k) => {
              for (const [r, c, a, b] of place.taps) sum += x[ch][r][c] * request.kernel[f][k][a][b];
            });
            assert.ok(Math.abs(sum - expected.output[f][i][j]) < 1e-4, `output (${f}, ${i}, ${j}): ${sum}`);
          }
        }
      }
    });
  }
});

describe("padSource copies the cell torch's padding copies", () => {
  for (const { name, request, expected } of golden("pad").filter((c) => c.expected?.output)) {
    test(name, () => assert.deepEqual(padded(request.input, request.padding, request.mode), expected.output));
  }
});
