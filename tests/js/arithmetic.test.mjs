/**
 * The worked arithmetic under the Matrix lab: the products it writes out, read back as numbers, add up to
 * torch's output (golden cases), and long sums are elided the same way everywhere.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { convLines, convTerms, elide, poolLines } from "../../static/js/arithmetic.js";
import { formatCell } from "../../static/js/format.js";
import { golden } from "./golden.mjs";

const number = (text) => Number(text.replace(/[()]/g, "").replace("\u2212", "-"));

/** A frame as the API sends it, for output (f, i, j) of a zero-padded, stride-1, undilated single-group case. */
function frameOf(request, expected, f, i, j) {
  const [kh, kw] = [request.kernel[0][0].length, request.kernel[0][0][0].length];
  const x = expected.padded_input;
  const window = x.map((channel) => Array.from({ length: kh }, (_, a) => channel[i + a].slice(j, j + kw)));
  return { out: [f, i, j], window, bias: request.bias[f], value: expected.output[f][i][j], channel_sums: [] };
}

const simple = golden("conv2d").filter(
  ({ request: r, expected: e }) =>
    e?.output && r.stride === 1 && r.dilation === 1 && r.groups === 1 && r.activation === "none" && !r.flip_kernel,
);

describe("convTerms: the products add up to torch's output", () => {
  test("there are golden cases to check", () => assert.ok(simple.length >= 10));
  for (const { name, request, expected } of simple) {
    test(name, () => {
      const [F, Ho, Wo] = expected.output_shape;
      for (let f = 0; f < F; f++) {
        for (let i = 0; i < Ho; i++) {
          for (let j = 0; j < Wo; j++) {
            const frame = frameOf(request, expected, f, i, j);
            const products = convTerms(frame, request.kernel).flat();
            const sum = products.reduce((total, { text }) => total + text.split("×").map(number).reduce((a, b) => a * b), frame.bias);
            assert.ok(Math.abs(sum - frame.value) < 1e-3, `(${f}, ${i}, ${j}): ${sum} vs ${frame.value}`);
            assert.ok(convLines(frame, request.kernel, "none").at(-1).endsWith(`= ${formatCell(frame.value)}`));
          }
        }
      }
    });
  }
});

describe("elision and pooling lines", () => {
  test("nine terms or fewer are written out", () => assert.deepEqual(elide([1, 2, 3], "…"), [1, 2, 3]));
  test("more keep the first four and the last two", () => {
    const items = Array.from({ length: 12 }, (_, n) => n);
    assert.deepEqual(elide(items, "…"), [0, 1, 2, 3, "…", 10, 11]);
  });
  test("max pooling writes padding as −∞", () => {
    const lines = poolLines({ window: [[null, 2], [3, 1]], value: 3 }, { op: "max" });
    assert.ok(lines[0].startsWith("max(\u2212∞, 2, 3, 1) = 3"), lines[0]);
  });
});
