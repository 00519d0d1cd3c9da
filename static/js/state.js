/**
 * The whole Matrix lab state, and its round trip through the URL query string.
 *
 * Lessons link to `/?<state>`, so the format is meant to be read and written by hand:
 *
 *   mode=conv | pool                      which layer (default conv)
 *   input=1,2,3;4,5,6|7,8,9;1,2,3         C×H×W: values ",", rows ";", channels "|"
 *   kernel=1,0;0,-1|0,1;1,0/2,2;2,2|...   F×(C/groups)×kh×kw: as input, filters "/"
 *   bias=0.5 | 0.5,-1                     one number for all filters, or one per filter
 *   stride=2 | 2,1                        both axes, or height,width
 *   padding=1 | 1,2 | 0,1,2,0 | same | valid   all sides, height,width, or top,bottom,left,right
 *   padding_mode=zeros | reflect | replicate | circular
 *   dilation=2 | 2,1
 *   groups=1
 *   flip=1                                flip the kernel: a true convolution
 *   activation=none | relu | leaky_relu | sigmoid | tanh
 *   pool=max | avg                        pooling: operation
 *   pool_size=2 | 2,3                     pooling: window size
 *   pool_stride=2 | 2,1                   pooling: stride (default: the window size)
 *   pool_padding=1 | 1,0                  pooling: padding on each side
 *   pool_dilation=1 | 2,1
 *   ceil=1  count_pad=0  global=1         pooling flags (ceil_mode, count_include_pad, global)
 *   step=5                                the step shown, counting from 1
 *   show_all=1                            show every output value, even those not computed yet
 *   predict=1                             Predict mode: type each output before it is revealed
 *   present=1                             Present mode: settings hidden, cells as large as the screen allows
 *   theme=light|dark                      Present mode's theme (default: the system's prefers-color-scheme)
 *   lang=zh-CN                            optional: the page language
 *
 * Anything missing takes its default; anything unreadable (a ragged matrix, a word for a number) is ignored,
 * never fatal.
 * Example: /?input=1,2,3;4,5,6;7,8,9&kernel=1,0;0,-1&stride=2&padding=1&mode=conv
 */

import { formatMatrix, formatNumber, parseMatrix } from "./format.js";
import { ACTIVATIONS, PADDING_MODES } from "./vocabulary.js";

export const MAX_SIDE = 16;
export const MAX_KERNEL_SIDE = 7;
export const MAX_CHANNELS = 4;
export const MAX_FILTERS = 4;
export { ACTIVATIONS, PADDING_MODES, formatMatrix, formatNumber, parseMatrix };

/** The example a student sees first: 5×5 input, 3×3 vertical-edge kernel, stride 1 -> 9 steps. */
export function defaultState() {
  return {
    mode: "conv",
    input: [
      [
        [3, 1, 0, 2, 5],
        [4, 6, 1, 0, 2],
        [2, 1, 7, 3, 1],
        [0, 2, 4, 8, 6],
        [1, 5, 2, 3, 9],
      ],
    ],
    kernel: [
      [
        [
          [1, 0, -1],
          [1, 0, -1],
          [1, 0, -1],
        ],
      ],
    ],
    bias: [0],
    stride: [1, 1],
    padding: [0, 0, 0, 0],
    paddingMode: "zeros",
    dilation: [1, 1],
    groups: 1,
    flip: false,
    activation: "none",
    pool: {
      op: "max",
      size: [2, 2],
      stride: null,
      padding: [0, 0],
      dilation: [1, 1],
      ceil: false,
      countIncludePad: true,
      global: false,
    },
    step: 0,
    showAll: false,
    predict: false,
    present: false,
    theme: "", // present mode's theme: "light", "dark" or "" (the system's prefers-color-scheme)
  };
}

function num(text) {
  const value = Number.parseFloat(text);
  return Number.isFinite(value) ? value : 0;
}

function clampInt(text, lo, hi, fallback) {
  const value = Number.parseInt(text, 10);
  return Number.isFinite(value) ? Math.min(hi, Math.max(lo, value)) : fallback;
}

/** A C×H×W stack from "…|…"; null (the default stays) when a channel is ragged or not numbers. */
function parseStack(text, maxSide) {
  const channels = text.split("|").slice(0, MAX_CHANNELS).map((part) => parseMatrix(part, maxSide).matrix);
  if (channels.some((m) => m === null)) return null;
  const [h, w] = [channels[0].length, channels[0][0].length];
  return channels.map((m) => resizeMatrix(m, h, w));
}

/** A copy of `matrix` with `rows`×`cols` cells, cut or filled with zeros. */
export function resizeMatrix(matrix, rows, cols) {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => matrix[r]?.[c] ?? 0));
}

function parsePair(text, lo, hi, fallback) {
  const parts = text.split(",");
  const first = clampInt(parts[0], lo, hi, fallback[0]);
  return [first, parts.length > 1 ? clampInt(parts[1], lo, hi, fallback[1]) : first];
}

function formatPair([a, b]) {
  return a === b ? String(a) : `${a},${b}`;
}

function parsePadding(text) {
  if (text === "same" || text === "valid") {
    return text;
  }
  const parts = text.split(",").map((p) => clampInt(p, 0, MAX_SIDE, 0));
  if (parts.length >= 4) {
    return parts.slice(0, 4);
  }
  if (parts.length === 2) {
    return [parts[0], parts[0], parts[1], parts[1]];
  }
  return [parts[0], parts[0], parts[0], parts[0]];
}

export function formatPadding(padding) {
  if (typeof padding === "string") {
    return padding;
  }
  const [t, b, l, r] = padding;
  if (t === b && l === r) {
    return formatPair([t, l]);
  }
  return padding.join(",");
}

const TRUE = (text) => text === "1" || text === "true";

/** Read a state from a query string; missing or unreadable parts keep their defaults. */
export function stateFromQuery(search) {
  const q = new URLSearchParams(search);
  const s = defaultState();
  const has = (key) => q.has(key) && q.get(key) !== "";
  if (q.get("mode") === "pool") {
    s.mode = "pool";
  }
  if (has("input")) {
    s.input = parseStack(q.get("input"), MAX_SIDE) || s.input;
  }
  const filterStacks = has("kernel") ? q.get("kernel").split("/").slice(0, MAX_FILTERS).map((f) => parseStack(f, MAX_KERNEL_SIDE)) : [];
  if (filterStacks.length && filterStacks.every(Boolean)) {
    const stacks = filterStacks;
    const [kh, kw] = [stacks[0][0].length, stacks[0][0][0].length];
    const cpg = stacks[0].length;
    s.kernel = stacks.map((stack) =>
      Array.from({ length: cpg }, (_, c) => resizeMatrix(stack[c] || [[0]], kh, kw)),
    );
  }
  const filters = s.kernel.length;
  if (has("bias")) {
    const values = q.get("bias").split(",").map(num);
    s.bias = Array.from({ length: filters }, (_, f) => values[values.length === 1 ? 0 : f] ?? 0);
  } else {
    s.bias = Array(filters).fill(0);
  }
  if (has("stride")) s.stride = parsePair(q.get("stride"), 1, MAX_SIDE, [1, 1]);
  if (has("padding")) s.padding = parsePadding(q.get("padding"));
  if (PADDING_MODES.includes(q.get("padding_mode"))) s.paddingMode = q.get("padding_mode");
  if (has("dilation")) s.dilation = parsePair(q.get("dilation"), 1, MAX_SIDE, [1, 1]);
  if (has("groups")) s.groups = clampInt(q.get("groups"), 1, MAX_CHANNELS, 1);
  s.flip = TRUE(q.get("flip"));
  if (ACTIVATIONS.includes(q.get("activation"))) s.activation = q.get("activation");
  const p = s.pool;
  if (q.get("pool") === "avg") p.op = "avg";
  if (has("pool_size")) p.size = parsePair(q.get("pool_size"), 1, MAX_KERNEL_SIDE, [2, 2]);
  if (has("pool_stride")) p.stride = parsePair(q.get("pool_stride"), 1, MAX_SIDE, p.size);
  if (has("pool_padding")) p.padding = parsePair(q.get("pool_padding"), 0, MAX_SIDE, [0, 0]);
  if (has("pool_dilation")) p.dilation = parsePair(q.get("pool_dilation"), 1, MAX_SIDE, [1, 1]);
  p.ceil = TRUE(q.get("ceil"));
  p.countIncludePad = q.get("count_pad") !== "0" && q.get("count_pad") !== "false";
  p.global = TRUE(q.get("global"));
  s.showAll = TRUE(q.get("show_all"));
  s.predict = TRUE(q.get("predict"));
  s.present = TRUE(q.get("present"));
  if (q.get("theme") === "light" || q.get("theme") === "dark") s.theme = q.get("theme");
  if (has("step")) s.step = clampInt(q.get("step"), 1, 1e9, 1) - 1;
  return s;
}

/** Write a state as a readable query string, leaving out what equals the default. */
export function queryFromState(s, { lang } = {}) {
  const d = defaultState();
  const parts = [["mode", s.mode]];
  parts.push(["input", s.input.map(formatMatrix).join("|")]);
  if (s.mode === "conv") {
    parts.push(["kernel", s.kernel.map((f) => f.map(formatMatrix).join("|")).join("/")]);
    if (s.bias.some((b) => b !== 0)) {
      const same = s.bias.every((b) => b === s.bias[0]);
      parts.push(["bias", (same ? [s.bias[0]] : s.bias).map(formatNumber).join(",")]);
    }
    if (formatPair(s.stride) !== "1") parts.push(["stride", formatPair(s.stride)]);
    if (formatPadding(s.padding) !== "0") parts.push(["padding", formatPadding(s.padding)]);
    if (s.paddingMode !== d.paddingMode) parts.push(["padding_mode", s.paddingMode]);
    if (formatPair(s.dilation) !== "1") parts.push(["dilation", formatPair(s.dilation)]);
    if (s.groups !== 1) parts.push(["groups", String(s.groups)]);
    if (s.flip) parts.push(["flip", "1"]);
    if (s.activation !== "none") parts.push(["activation", s.activation]);
  } else {
    const p = s.pool;
    parts.push(["pool", p.op]);
    if (formatPair(p.size) !== "2") parts.push(["pool_size", formatPair(p.size)]);
    if (p.stride) parts.push(["pool_stride", formatPair(p.stride)]);
    if (formatPair(p.padding) !== "0") parts.push(["pool_padding", formatPair(p.padding)]);
    if (formatPair(p.dilation) !== "1") parts.push(["pool_dilation", formatPair(p.dilation)]);
    if (p.ceil) parts.push(["ceil", "1"]);
    if (!p.countIncludePad) parts.push(["count_pad", "0"]);
    if (p.global) parts.push(["global", "1"]);
  }
  if (s.step > 0) parts.push(["step", String(s.step + 1)]);
  if (s.showAll) parts.push(["show_all", "1"]);
  if (s.predict) parts.push(["predict", "1"]);
  if (s.present) parts.push(["present", "1"]);
  if (s.theme) parts.push(["theme", s.theme]);
  if (lang) parts.push(["lang", lang]);
  // Keep , ; | / readable: they are legal in a query and carry the structure.
  const encode = (text) => encodeURIComponent(text).replace(/%2C/g, ",").replace(/%3B/g, ";").replace(/%7C/g, "|").replace(/%2F/g, "/");
  return parts.map(([k, v]) => `${k}=${encode(v)}`).join("&");
}

/** The pooling stride actually used: PyTorch's default is the window size. */
export function poolStride(pool) {
  return pool.stride || pool.size;
}

/** The conv2d request body for a state (without paging). */
export function convBody(s) {
  const [t, b, l, r] = Array.isArray(s.padding) ? s.padding : [];
  let padding = s.padding;
  if (Array.isArray(s.padding)) {
    padding = t === b && l === r ? (t === l ? t : [t, l]) : s.padding;
  }
  return {
    input: s.input,
    kernel: s.kernel,
    bias: s.bias,
    stride: s.stride[0] === s.stride[1] ? s.stride[0] : s.stride,
    padding,
    padding_mode: s.paddingMode,
    dilation: s.dilation[0] === s.dilation[1] ? s.dilation[0] : s.dilation,
    groups: s.groups,
    flip_kernel: s.flip,
    activation: s.activation,
  };
}

/** The pool2d request body for a state (without paging). */
export function poolBody(s) {
  const p = s.pool;
  const pair = (v) => (v[0] === v[1] ? v[0] : v);
  return {
    input: s.input,
    mode: p.op,
    kernel_size: pair(p.size),
    stride: pair(poolStride(p)),
    padding: pair(p.padding),
    dilation: pair(p.dilation),
    ceil_mode: p.ceil,
    count_include_pad: p.countIncludePad,
    global: p.global,
  };
}
