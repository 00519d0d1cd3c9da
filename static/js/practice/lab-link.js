/** The link that opens a lab in exactly the exercise's state (the Matrix lab's URL via its own state.js). */

import { language } from "../i18n.js";
import { defaultState, queryFromState } from "../state.js";
import { shape } from "./pytorch-text.js";

const pair = (v, fallback) => (v === undefined || v === null ? fallback : Array.isArray(v) ? v : [v, v]);

function sides(padding) {
  if (typeof padding === "string") return padding;
  if (padding === undefined) return [0, 0, 0, 0];
  if (typeof padding === "number") return [padding, padding, padding, padding];
  return padding.length === 2 ? [padding[0], padding[0], padding[1], padding[1]] : padding;
}

function matrixState(exercise) {
  const { body } = exercise.layer;
  const state = defaultState();
  state.input = shape(body.input).length === 2 ? [body.input] : body.input;
  state.step = exercise.lab.step || 0;
  if (exercise.lab.mode === "pool") {
    state.mode = "pool";
    const size = pair(body.kernel_size, [2, 2]);
    Object.assign(state.pool, {
      op: body.mode || "max",
      size,
      stride: body.stride === undefined ? null : pair(body.stride, size),
      padding: pair(body.padding, [0, 0]),
      ceil: Boolean(body.ceil_mode),
      countIncludePad: body.count_include_pad !== false,
    });
    return state;
  }
  const dims = shape(body.kernel).length;
  state.kernel = dims === 2 ? [[body.kernel]] : dims === 3 ? [body.kernel] : body.kernel;
  state.bias = Array(state.kernel.length).fill(typeof body.bias === "number" ? body.bias : 0);
  state.stride = pair(body.stride, [1, 1]);
  state.padding = sides(body.padding);
  state.paddingMode = body.padding_mode || "zeros";
  state.dilation = pair(body.dilation, [1, 1]);
  state.activation = body.activation || "none";
  return state;
}

export function labHref(exercise, root) {
  const lang = language();
  const { lab } = exercise;
  if (lab.kind === "matrix") return `${root}/?${queryFromState(matrixState(exercise), { lang })}`;
  if (lab.kind === "backward") {
    // The Backward lab reads the layer as the Matrix lab writes it, and `grad=` as rows ";" cells ",", maps "|".
    const grad = [exercise.layer.body.grad_output].map((m) => m.map((row) => row.join(",")).join(";")).join("|");
    return `${root}/backward?${queryFromState(matrixState(exercise), { lang })}&grad=${encodeURIComponent(grad)}`;
  }
  if (lab.kind === "network") {
    const q = new URLSearchParams({ preset: "vgg_block", input: "seeded", seed: "0", layers: JSON.stringify(lab.layers), lang });
    return `${root}/network?${q}`;
  }
  // The transposed-convolution panel reads its fields from tr_* (matrices as rows ";" and cells ",").
  const { body } = exercise.layer;
  const rows = (m) => m.map((row) => row.join(",")).join(";");
  const q = new URLSearchParams({ lang, tr_input: rows(body.input), tr_kernel: rows(body.kernel) });
  for (const name of ["stride", "padding", "output_padding", "dilation"]) {
    if (body[name] !== undefined) q.set(`tr_${name}`, String(body[name]));
  }
  return `${root}/network?${q}#transpose`;
}
