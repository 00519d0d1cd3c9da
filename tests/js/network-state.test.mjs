/** The Network lab's parameter table: one row per parameter drives the URL both ways and the request body. */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PARAMS, bodyFromState, newLayer, queryFromState, sendsInput, setParam, stateFromQuery } from "../../static/js/network-state.js";

const fallbacks = Object.fromEntries(PARAMS.map((p) => [p.name, p.fallback]));

describe("URL ⇄ state", () => {
  test("an empty link gives every parameter its fallback", () => assert.deepEqual(stateFromQuery(""), fallbacks));
  test("a full link reads back what it wrote", () => {
    const state = { preset: "vgg_block", input: "cifar_ship", seed: 7, layers: [newLayer("conv"), { type: "relu" }] };
    assert.deepEqual(stateFromQuery(queryFromState(state).toString()), state);
  });
  test("an unreadable stack falls back to the preset's", () => assert.equal(stateFromQuery("layers=[oops").layers, null));
  test("a stack that is not a list falls back too", () => assert.equal(stateFromQuery('layers={"a":1}').layers, null));
  test("a negative or unreadable seed becomes 0", () => {
    assert.equal(stateFromQuery("seed=-4").seed, 0);
    assert.equal(stateFromQuery("seed=abc").seed, 0);
  });
  test("an uploaded picture stays out of the link", () => {
    assert.equal(queryFromState({ ...fallbacks, input: "upload" }).has("input"), false);
  });
  test("other parameters of the link (the language) are kept", () => {
    assert.equal(queryFromState(fallbacks, "lang=zh-CN").get("lang"), "zh-CN");
  });
});

describe("controls and the request body", () => {
  test("a new preset resets the edited stack", () => {
    const state = { ...fallbacks, layers: [{ type: "relu" }] };
    setParam(state, "preset", "vgg_block");
    assert.deepEqual([state.preset, state.layers], ["vgg_block", null]);
  });
  test("the body carries the parameters marked body, and no layers until there are some", () => {
    const body = bodyFromState(fallbacks);
    for (const param of PARAMS.filter((p) => p.body && p.fallback !== null)) assert.equal(body[param.name], param.fallback);
    assert.equal("layers" in body, false);
    assert.equal("input" in body, false);
  });
  test("AlexNet's layer and the seeded input send no numbers", () => {
    assert.equal(sendsInput({ ...fallbacks, preset: "alexnet_first" }), false);
    assert.equal(sendsInput({ ...fallbacks, input: "seeded" }), false);
    assert.equal(sendsInput(fallbacks), true);
  });
  test("every parameter with a control names its kind", () => {
    for (const param of PARAMS.filter((p) => p.control)) assert.ok(["value", "pressed"].includes(param.control.kind), param.name);
  });
});
