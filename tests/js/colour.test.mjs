/** The labs' signed colour scale: white at zero, the anchors at the quarter points, symmetric in shape. */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ANCHORS, maxAbs, signedColour, signedRgb } from "../../static/js/colour.js";

describe("signedRgb", () => {
  test("zero is the middle anchor (white)", () => assert.deepEqual(signedRgb(0, 5), ANCHORS[2]));
  test("an empty scale paints everything white", () => assert.deepEqual(signedRgb(3, 0), ANCHORS[2]));
  test("−m and +m are the darkest anchors", () => {
    assert.deepEqual(signedRgb(-2, 2), ANCHORS[0]);
    assert.deepEqual(signedRgb(2, 2), ANCHORS[4]);
  });
  test("values beyond the scale are clamped to its ends", () => assert.deepEqual(signedRgb(9, 2), ANCHORS[4]));
  test("half-way is the light anchor on each side", () => {
    assert.deepEqual(signedRgb(-1, 2), ANCHORS[1]);
    assert.deepEqual(signedRgb(1, 2), ANCHORS[3]);
  });
  test("signedColour writes the same colour as CSS", () => {
    assert.equal(signedColour(1, 2), `rgb(${ANCHORS[3].join(" ")})`);
  });
  test("maxAbs skips nulls and infinities", () => assert.equal(maxAbs([[1, null], [-3, Number.POSITIVE_INFINITY]]), 3));
});
