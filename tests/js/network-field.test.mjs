/**
 * The Network lab's receptive-field geometry: the bounding box the running formula gives encloses exactly the
 * lattice a unit reads (found by a brute-force forward walk: which outputs each input cell reaches), and the
 * drawing's helpers (taps to cells, holes, a flattened unit's place). The taps themselves come from the API,
 * checked against the drawing in tests/browser/test_network_lab.py.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { holes, regionOf, tapCells, unitPosition } from "../../static/js/network-field.js";

const outSize = ({ k, s, d, p, n }) => Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;

/** Stack windows along one axis from [k, s, d, p] rows, each layer's input size following from the last. */
function stack(n, rows) {
  const windows = [];
  for (const [k, s, d, p] of rows) {
    const window = { k, s, d, p, n };
    windows.push(window);
    n = outSize(window);
  }
  return windows;
}

/** The other way round: the units of the last layer that input cell `x` reaches, layer by layer. */
function reached(windows, x) {
  let positions = new Set([x]);
  for (const w of windows) {
    const next = new Set();
    for (let o = 0; o < outSize(w); o++) {
      for (let t = 0; t < w.k; t++) if (positions.has(o * w.s - w.p + w.d * t)) next.add(o);
    }
    positions = next;
  }
  return positions;
}

/** The running formula of app/core/receptive.py: r, jump and start after each window. */
function axisOf(windows) {
  let axis = { rf: 1, jump: 1, start: 0 };
  for (const { k, s, d, p } of windows) {
    axis = { rf: axis.rf + (k - 1) * d * axis.jump, jump: axis.jump * s, start: axis.start + ((k - 1) / 2 * d - p) * axis.jump };
  }
  return axis;
}

const STACKS = {
  "one dense 3×3": [[3, 1, 1, 1]],
  "a dilated layer reads every second cell": [[3, 1, 2, 2]],
  "stride then dilation leaves wider holes": [
    [3, 2, 1, 1],
    [3, 1, 3, 3],
  ],
  "dilation 2 after dilation 1 fills in": [
    [3, 1, 1, 1],
    [3, 1, 2, 2],
  ],
  "a pooled stack": [
    [3, 1, 1, 1],
    [2, 2, 1, 0],
    [3, 1, 2, 0],
  ],
};

/** The input cells unit `unit` reads: those that reach it. */
const latticeOf = (windows, unit) => Array.from({ length: windows[0].n }, (_, x) => x).filter((x) => reached(windows, x).has(unit));

describe("the brute-force lattice", () => {
  test("a dilated layer reads every d-th cell", () => assert.deepEqual(latticeOf(stack(9, [[3, 1, 2, 0]]), 1), [1, 3, 5]));
  test("zero padding reads nothing", () => assert.deepEqual(latticeOf(stack(9, [[3, 1, 1, 1]]), 0), [0, 1]));
});

describe("regionOf: the bounding box of the lattice", () => {
  for (const [name, rows] of Object.entries(STACKS)) {
    test(name, () => {
      const windows = stack(32, rows);
      const axis = axisOf(windows);
      for (let unit = 0; unit < outSize(windows.at(-1)); unit++) {
        const taps = latticeOf(windows, unit);
        const box = regionOf(axis, unit, 32);
        assert.ok(box.from <= taps[0] && taps.at(-1) <= box.to, `unit ${unit}: ${taps} in ${box.from}…${box.to}`);
        if (box.lo >= 0 && box.hi < 32) assert.deepEqual([taps[0], taps.at(-1)], [box.lo, box.hi], `unit ${unit}`);
      }
    });
  }
  test("a dense field has no holes, a dilated one does", () => {
    const dense = stack(9, STACKS["one dense 3×3"]);
    const sparse = stack(9, STACKS["a dilated layer reads every second cell"]);
    const box = (w) => regionOf(axisOf(w), 4, 9);
    const count = (w) => holes(box(w), box(w), latticeOf(w, 4), latticeOf(w, 4));
    assert.equal(count(dense), 0);
    assert.equal(count(sparse), 25 - 9);
  });
});

describe("tapCells and unitPosition", () => {
  test("tapCells is every (row, col) pair of the taps, row by row", () => {
    assert.deepEqual(tapCells([1, 3], [0, 2]), [
      [1, 0],
      [1, 2],
      [3, 0],
      [3, 2],
    ]);
  });
  test("a flattened unit keeps its place on the map before it", () => {
    const answer = { input_shape: [3, 4, 5], layers: [{ type: "relu", in_shape: [3, 4, 5] }, { type: "flatten", in_shape: [3, 4, 5] }] };
    assert.deepEqual(unitPosition(answer, 1, [20 + 2 * 5 + 3]), [2, 3]);
  });
  test("every output of a fully connected layer sees one position", () => {
    const answer = { input_shape: [1, 4, 4], layers: [{ type: "flatten", in_shape: [1, 4, 4] }, { type: "linear", in_shape: [16] }] };
    assert.deepEqual(unitPosition(answer, 1, [7]), [0, 0]);
  });
});
