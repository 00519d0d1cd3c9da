/** The Matrix lab's URL state: what a link says is what the lab shows, and back. */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { convBody, defaultState, poolBody, queryFromState, stateFromQuery } from "../../static/js/state.js";

describe("state.js round trip", () => {
  test("the default state writes a short link and reads back unchanged", () => {
    const s = defaultState();
    assert.deepEqual(stateFromQuery(queryFromState(s)), s);
  });
  test("every conv setting survives the link", () => {
    const s = {
      ...defaultState(),
      input: [
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [
          [0.5, -1, 0],
          [2, 2, 2],
        ],
      ],
      kernel: [[[[1, -1]], [[0, 2]]]],
      bias: [0.25],
      stride: [2, 1],
      padding: [1, 0, 2, 2],
      paddingMode: "reflect",
      dilation: [1, 2],
      flip: true,
      activation: "relu",
      step: 3,
    };
    assert.deepEqual(stateFromQuery(queryFromState(s)), s);
  });
  test("pooling settings survive the link", () => {
    const s = defaultState();
    s.mode = "pool";
    Object.assign(s.pool, { op: "avg", size: [3, 2], stride: [1, 2], padding: [1, 0], ceil: true, countIncludePad: false });
    assert.deepEqual(stateFromQuery(queryFromState(s)).pool, s.pool);
  });
  test("a ragged input in a link is ignored: the default stays", () => {
    assert.deepEqual(stateFromQuery("input=1,2;3").input, defaultState().input);
  });
  test("a word for a number in a link is ignored: the default stays", () => {
    assert.deepEqual(stateFromQuery("kernel=1,x").kernel, defaultState().kernel);
  });
  test("numbers beyond the caps are clamped", () => assert.deepEqual(stateFromQuery("stride=99").stride, [16, 16]));
});

describe("request bodies", () => {
  test("equal pairs go as one number, as the API and PyTorch write them", () => {
    const body = convBody(defaultState());
    assert.equal(body.stride, 1);
    assert.equal(body.padding, 0);
  });
  test("pooling's stride defaults to the window size (PyTorch's rule)", () => {
    const s = defaultState();
    s.pool.size = [3, 3];
    assert.equal(poolBody(s).stride, 3);
  });
});
