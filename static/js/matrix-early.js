/**
 * The Matrix lab's first two requests (the layer in the address bar, the preset list), sent as soon as
 * this small module has run: the rest of the lab's modules are still arriving then, so on a phone one
 * server round trip overlaps the download instead of following it. The lab takes each answer once.
 */

import { fetchLayer, getJSON } from "./api.js";
import { convBody, poolBody, stateFromQuery } from "./state.js";

/** The key the lab's first refresh asks for: the same path and body, or the early answer is not its answer. */
export function layerKey(path, body) {
  return JSON.stringify([path, body]);
}

function firstLayer() {
  const state = stateFromQuery(location.search);
  const path = state.mode === "conv" ? "/api/v1/conv2d" : "/api/v1/pool2d";
  const body = state.mode === "conv" ? convBody(state) : poolBody(state);
  return { key: layerKey(path, body), reply: fetchLayer(path, body) };
}

let layer = firstLayer();
let presets = getJSON("/api/v1/kernels");

/** The early answer for `key` (a promise of what fetchLayer returns), once; null if the lab asks for another layer. */
export function takeEarlyLayer(key) {
  const early = layer;
  layer = null;
  return early && early.key === key ? early.reply : null;
}

/** The preset list's early answer (a promise of what getJSON returns), once; afterwards null. */
export function takeEarlyPresets() {
  const early = presets;
  presets = null;
  return early;
}
