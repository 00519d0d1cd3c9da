/**
 * The Network lab: build a stack of layers, see every layer's shape, formula, parameters and
 * feature maps, click a unit to light up its receptive field in the input, compare a fully
 * connected layer with the convolution it equals, and copy the PyTorch code.
 *
 * All numbers come from POST /api/v1/network; this file only draws them. The page state
 * (preset, input, seed, edited layers) lives in the URL so a lab can be shared.
 */

import { errorText } from "./messages/errors.js";
import { getJSON, postJSON } from "./api.js";
import { initI18n, onLanguageChange, revealPage, t } from "./i18n.js";
import "./messages/network-lab.js";
import { initTransposePanel } from "./transpose-panel.js";

const MAP_SIDE = 76; // CSS pixels of a feature-map thumbnail's longer side
const INPUT_SIDE = 256;
const PICTURE_SIDE = 32; // samples and uploads are CIFAR-sized: 3×32×32
const LAYER_DEFAULTS = {
  conv: { type: "conv", out_channels: 8, kernel_size: 3, stride: 1, padding: 1, dilation: 1, groups: 1 },
  max_pool: { type: "max_pool", kernel_size: 2, stride: null, padding: 0, ceil_mode: false },
  avg_pool: { type: "avg_pool", kernel_size: 2, stride: null, padding: 0, ceil_mode: false },
  linear: { type: "linear", out_features: 10 },
};
const NUMBER_FIELDS = {
  conv: ["out_channels", "kernel_size", "stride", "padding", "dilation", "groups"],
  max_pool: ["kernel_size", "stride", "padding"],
  avg_pool: ["kernel_size", "stride", "padding"],
  linear: ["out_features"],
};

const $ = (selector, root = document) => root.querySelector(selector);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const state = { preset: "tiny_cifar", input: "cifar_cat", seed: 0, layers: null, answer: null, selected: null };
let pending = null;
let timer = null;
const sampleCache = new Map();
let upload = null; // the student's own picture as 3×32×32 numbers; never put in the URL

function readUrl() {
  const q = new URLSearchParams(location.search);
  if (q.get("preset")) state.preset = q.get("preset");
  if (q.get("input")) state.input = q.get("input");
  if (q.get("seed")) state.seed = Math.max(0, Number.parseInt(q.get("seed"), 10) || 0);
  if (q.get("layers")) {
    try {
      const layers = JSON.parse(q.get("layers"));
      if (Array.isArray(layers)) state.layers = layers;
    } catch {
      // An unreadable stack in a shared link falls back to the preset's.
    }
  }
}

function writeUrl() {
  const q = new URLSearchParams(location.search);
  q.set("preset", state.preset);
  // An uploaded picture cannot travel in a link: the link keeps the other settings only.
  if (state.input === "upload") q.delete("input");
  else q.set("input", state.input);
  $("[data-upload-note]").hidden = state.input !== "upload";
  q.set("seed", String(state.seed));
  if (state.layers) q.set("layers", JSON.stringify(state.layers));
  else q.delete("layers");
  history.replaceState(null, "", `${location.pathname}?${q}${location.hash}`);
}

/** A 32×32 canvas read back as 3×32×32 numbers in 0..1 (three decimals), the scale the samples use. */
function canvasInput(context) {
  const side = PICTURE_SIDE;
  const { data } = context.getImageData(0, 0, side, side);
  return [0, 1, 2].map((c) =>
    Array.from({ length: side }, (_, r) =>
      Array.from({ length: side }, (_, col) => Math.round((data[(r * side + col) * 4 + c] / 255) * 1000) / 1000),
    ),
  );
}

function pictureCanvas(width, height) {
  const canvas = el("canvas");
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

/** A CIFAR-sized sample drawn into a canvas and read back as numbers. */
async function sampleInput(name) {
  if (sampleCache.has(name)) return sampleCache.get(name);
  const image = new Image();
  image.src = `${$("meta[name=root-path]").content}/static/samples/${name}.png`;
  await image.decode();
  const context = pictureCanvas(PICTURE_SIDE, PICTURE_SIDE).getContext("2d");
  context.drawImage(image, 0, 0, PICTURE_SIDE, PICTURE_SIDE);
  const channels = canvasInput(context);
  sampleCache.set(name, channels);
  return channels;
}

/**
 * The student's picture, decoded in this browser (nothing is uploaded): the centred square is
 * copied 1:1 first, so no pixel outside it can bleed in, then shrunk (or grown) to 32×32.
 */
async function pictureInput(file) {
  const bitmap = await createImageBitmap(file);
  const side = Math.min(bitmap.width, bitmap.height);
  const square = pictureCanvas(side, side);
  const [left, top] = [bitmap.width - side, bitmap.height - side].map((extra) => -Math.floor(extra / 2));
  square.getContext("2d").drawImage(bitmap, left, top);
  bitmap.close();
  const context = pictureCanvas(PICTURE_SIDE, PICTURE_SIDE).getContext("2d");
  context.imageSmoothingQuality = "high";
  context.drawImage(square, 0, 0, PICTURE_SIDE, PICTURE_SIDE);
  return canvasInput(context);
}

async function usePicture(file) {
  if (!file) return;
  if (!file.type.startsWith("image/")) {
    setStatus(t("upload.not_image"), true);
    return;
  }
  try {
    upload = await pictureInput(file);
  } catch {
    setStatus(t("upload.unreadable"), true);
    return;
  }
  const option = $("[data-input-select] option[value=upload]");
  option.hidden = false;
  option.disabled = false;
  state.input = "upload";
  schedule();
}

/** Every shipped sample that fits the stack's 3×32×32 input, as options of the input menu. */
async function loadSamples() {
  const answer = await getJSON("/api/v1/images/samples");
  const fits = answer.ok
    ? answer.data.filter((s) => s.width === PICTURE_SIDE && s.height === PICTURE_SIDE && s.mode === "rgb")
    : [];
  const select = $("[data-input-select]");
  const options = fits.map((sample) => {
    const option = el("option");
    option.value = sample.name;
    option.dataset.title = sample.title;
    return option;
  });
  select.lastElementChild.before(...options);
  labelSamples();
  if (!fits.some((s) => s.name === state.input) && state.input !== "seeded") state.input = "seeded";
}

function labelSamples() {
  for (const option of $("[data-input-select]").options) {
    if (!option.dataset.title) continue;
    const key = `input.${option.value}`;
    const label = t(key);
    option.textContent = label === key ? t("input.sample", { title: option.dataset.title }) : label;
  }
}

async function requestBody() {
  const body = { preset: state.preset, seed: state.seed, output_channels: 8, max_output_values: 120000 };
  if (state.layers) body.layers = state.layers;
  // AlexNet's layer wants 3×227×227: it stays shapes-only whatever sample is chosen.
  if (state.preset === "alexnet_first" || state.input === "seeded") return body;
  body.input = state.input === "upload" ? upload : await sampleInput(state.input);
  return body;
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(run, 200);
}

async function run() {
  writeUrl();
  pending?.abort();
  pending = new AbortController();
  setStatus(t("net.computing"));
  const answer = await postJSON("/api/v1/network", await requestBody(), { signal: pending.signal });
  if (answer.aborted) return;
  if (!answer.ok) {
    setStatus(errorText(answer) || t("net.failed"), true);
    markError(answer.field);
    return;
  }
  state.answer = answer.data;
  state.layers = state.layers || answer.data.layers.map((layer) => layer.spec);
  state.selected = null;
  const shapesOnly = state.preset === "alexnet_first" ? "net.shapes_only_alexnet" : "net.shapes_only";
  const first = answer.data.layers[0];
  setStatus(
    answer.data.computed
      ? ""
      : t(shapesOnly, {
          input: answer.data.input_shape.join("×"),
          output: first ? first.out_shape.join("×") : "",
          millions: first?.spec?.kernel_size ? Math.round(convMacs(first, answer.data.input_shape) / 1e6) : "?",
        }),
  );
  render();
}

function setStatus(text, error = false) {
  const status = $("[data-status]");
  status.textContent = text;
  status.classList.toggle("error", error);
}

function markError(field) {
  const match = /^layers\.(\d+)/.exec(field || "");
  for (const card of document.querySelectorAll(".layer-card")) {
    card.classList.toggle("has-error", match !== null && card.dataset.index === match[1]);
  }
}

function fmt(value) {
  if (!Number.isFinite(value)) return "";
  return Number.isInteger(value) ? String(value) : value.toFixed(3).replace(/\.?0+$/, "");
}

const shapeText = (shape) => shape.join("×");

/** Diverging colours for signed values (blue < 0 < red), white at 0. */
function diverging(value, scale) {
  const v = Math.max(-1, Math.min(1, scale ? value / scale : 0));
  const fade = (channel) => Math.round(255 - (255 - channel) * Math.abs(v));
  return v >= 0 ? [fade(213), fade(94), fade(0)] : [fade(0), fade(114), fade(178)];
}

function drawMap(canvas, map, scale) {
  const h = map.length;
  const w = map[0].length;
  canvas.width = w;
  canvas.height = h;
  const context = canvas.getContext("2d");
  const image = context.createImageData(w, h);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const [red, green, blue] = diverging(map[r][c], scale);
      image.data.set([red, green, blue, 255], (r * w + c) * 4);
    }
  }
  context.putImageData(image, 0, 0);
}

function sizeCanvas(canvas, h, w, side) {
  const k = side / Math.max(h, w);
  canvas.style.width = `${Math.max(1, Math.round(w * k))}px`;
  canvas.style.height = `${Math.max(1, Math.round(h * k))}px`;
}

function drawInput() {
  const answer = state.answer;
  const [c, h, w] = answer.input_shape;
  $("[data-input-shape]").textContent = t("net.shape", { shape: shapeText(answer.input_shape) });
  const canvas = $("[data-input-canvas]");
  const overlay = $("[data-rf-overlay]");
  canvas.width = w;
  canvas.height = h;
  for (const node of [canvas, overlay]) sizeCanvas(node, h, w, INPUT_SIDE);
  const context = canvas.getContext("2d");
  const image = context.createImageData(w, h);
  const x = answer.input;
  const flat = x ? x.flat(2) : [];
  const lo = Math.min(...flat.slice(0, 100000));
  const hi = Math.max(...flat.slice(0, 100000));
  for (let r = 0; r < h; r++) {
    for (let col = 0; col < w; col++) {
      let rgb = [200, 200, 200];
      if (x && c === 3) rgb = [0, 1, 2].map((ch) => Math.round(255 * Math.max(0, Math.min(1, x[ch][r][col]))));
      else if (x) rgb = Array(3).fill(Math.round((255 * (x[0][r][col] - lo)) / (hi - lo || 1)));
      image.data.set([...rgb, 255], (r * w + col) * 4);
    }
  }
  context.putImageData(image, 0, 0);
  overlay.width = w * 8;
  overlay.height = h * 8;
  overlay.getContext("2d").clearRect(0, 0, overlay.width, overlay.height);
}

function numberInput(layer, name, index) {
  const label = el("label", "layer-param");
  label.append(el("span", "", t(`param.${name}`)));
  const input = el("input");
  input.type = "number";
  input.min = name === "padding" || name === "stride" ? "0" : "1";
  input.max = "4096";
  const value = layer[name];
  input.value = value === null || value === undefined ? "" : Array.isArray(value) ? value[0] : value;
  if (name === "stride" && layer.type !== "conv") input.placeholder = t("param.stride_default");
  input.addEventListener("change", () => {
    const number = Number.parseInt(input.value, 10);
    state.layers[index][name] = Number.isFinite(number) ? number : name === "stride" && layer.type !== "conv" ? null : 1;
    schedule();
  });
  label.append(input);
  return label;
}

function typeSelect(layer, index) {
  const select = el("select", "layer-type");
  select.setAttribute("aria-label", t("net.layer_type"));
  for (const option of $("[data-add-type]").options) {
    const copy = el("option", "", t(`type.${option.value}`));
    copy.value = option.value;
    select.append(copy);
  }
  select.value = layer.type;
  select.addEventListener("change", () => {
    state.layers[index] = { ...(LAYER_DEFAULTS[select.value] || { type: select.value }) };
    schedule();
  });
  return select;
}

function layerHeader(layer, index) {
  const header = el("div", "layer-head");
  header.append(el("span", "layer-index", String(index)), typeSelect(layer, index));
  const remove = el("button", "layer-remove", "×");
  remove.type = "button";
  remove.setAttribute("aria-label", t("net.remove", { index }));
  remove.addEventListener("click", () => {
    state.layers.splice(index, 1);
    schedule();
  });
  const move = (delta, symbol, key) => {
    const button = el("button", "layer-move", symbol);
    button.type = "button";
    button.setAttribute("aria-label", t(key, { index }));
    const target = index + delta;
    button.disabled = target < 0 || target >= state.layers.length;
    button.addEventListener("click", () => {
      [state.layers[index], state.layers[target]] = [state.layers[target], state.layers[index]];
      pendingFocus = { index: String(target), key };
      schedule();
    });
    return button;
  };
  const insert = el("button", "layer-insert", "+");
  insert.type = "button";
  insert.setAttribute("aria-label", t("net.insert_after", { index }));
  insert.title = insert.getAttribute("aria-label");
  insert.addEventListener("click", () => {
    const type = $("[data-add-type]").value;
    state.layers.splice(index + 1, 0, { ...(LAYER_DEFAULTS[type] || { type }) });
    pendingFocus = { index: String(index + 1), key: null };
    schedule();
  });
  header.append(move(-1, "↑", "net.move_up"), move(1, "↓", "net.move_down"), insert, remove);
  return header;
}

function layerCard(result, index) {
  const layer = state.layers[index];
  const card = el("li", "layer-card card");
  card.dataset.index = String(index);
  card.dataset.type = layer.type;
  card.append(layerHeader(layer, index));
  const fields = NUMBER_FIELDS[layer.type];
  if (fields) {
    const params = el("div", "layer-params");
    for (const name of fields) params.append(numberInput(layer, name, index));
    card.append(params);
  }
  const facts = el("div", "layer-facts");
  facts.append(el("p", "layer-shape", `${shapeText(result.in_shape)} → ${shapeText(result.out_shape)}`));
  facts.append(el("p", "layer-explanation", explain(result)));
  if (result.shape) {
    const formulas = el("p", "layer-formula");
    formulas.append(
      el("span", "", `${t("axis.height")}${t("punct.colon")}${result.shape.height.formula}`),
      el("span", "", `${t("axis.width")}${t("punct.colon")}${result.shape.width.formula}`),
    );
    facts.append(formulas);
  }
  if (result.params.total > 0) facts.append(paramsLine(result.params));
  const rf = result.receptive_field;
  facts.append(
    el("p", "layer-rf", t("net.rf_line", { h: rf.height.rf, w: rf.width.rf, jh: rf.height.jump, jw: rf.width.jump })),
  );
  card.append(facts, mapsOf(result, index));
  return card;
}

/** The layer in one sentence, in the page's language (the API's `explanation` is its English twin). */
function explain(result) {
  const layer = result.spec;
  const [inText, outText] = [shapeText(result.in_shape), shapeText(result.out_shape)];
  const common = { in: inText, out: outText };
  if (layer.type === "conv") {
    const groups = layer.groups > 1 ? t("explain.groups", { groups: layer.groups }) : "";
    const kernel = `${result.shape.height.k}×${result.shape.width.k}`;
    const cpg = result.in_shape[0] / layer.groups;
    return t("explain.conv", { ...common, filters: layer.out_channels, cpg, kernel, groups });
  }
  if (layer.type === "max_pool" || layer.type === "avg_pool") {
    const { height, width } = result.shape;
    const kind = t(`type.${layer.type}`);
    return t("explain.pool", { ...common, kind, kernel: `${height.k}×${width.k}`, stride: `${height.s}×${width.s}` });
  }
  if (layer.type === "global_avg_pool") return t("explain.gap", { ...common, map: result.in_shape.slice(1).join("×") });
  if (layer.type === "flatten") return t("explain.flatten", { ...common, n: result.out_shape[0].toLocaleString() });
  if (layer.type === "linear") {
    return t("explain.linear", {
      outputs: result.out_shape[0].toLocaleString(),
      inputs: result.in_shape[0].toLocaleString(),
      weights: result.params.weights.toLocaleString(),
    });
  }
  return t("explain.activation", { name: t(`type.${layer.type}`), shape: inText });
}

function paramsLine(params) {
  const line = el("div", "layer-params-line");
  const text = t("net.params_line", {
    weights: params.weights.toLocaleString(),
    biases: params.biases.toLocaleString(),
    total: params.total.toLocaleString(),
    share: (params.share * 100).toFixed(1),
  });
  line.append(el("span", "", text));
  const bar = el("span", "share-bar");
  const fill = el("span", "share-fill");
  fill.style.width = `${Math.max(0.5, params.share * 100)}%`;
  bar.append(fill);
  line.append(bar);
  return line;
}

function mapsOf(result, index) {
  const box = el("div", "layer-maps");
  const out = result.output;
  const scale = result.output_range ? Math.max(Math.abs(result.output_range[0]), Math.abs(result.output_range[1])) : 0;
  if (result.out_shape.length === 3) {
    const [c, h, w] = result.out_shape;
    const maps = out || [null];
    maps.forEach((map, channel) => {
      const canvas = el("canvas", "fmap");
      canvas.tabIndex = 0;
      canvas.dataset.layer = String(index);
      canvas.dataset.channel = String(channel);
      canvas.setAttribute("aria-label", t("net.map_label", { layer: index, channel, h, w }));
      if (map) drawMap(canvas, map, scale);
      else drawBlank(canvas, h, w);
      sizeCanvas(canvas, h, w, MAP_SIDE);
      canvas.addEventListener("click", (event) => pickUnit(canvas, event, h, w));
      canvas.addEventListener("keydown", (event) => keyUnit(canvas, event, h, w));
      box.append(canvas);
    });
    if (out && c > out.length) box.append(el("span", "fmap-more", t("net.more_channels", { n: c - out.length })));
    if (out) box.append(el("span", "fmap-scale", t("net.scale", { max: fmt(scale) })));
    if (!out && result.output_range === null && state.answer.computed) box.append(el("span", "fmap-more", t("net.too_big")));
  } else {
    const n = result.out_shape[0];
    const canvas = el("canvas", "fmap vector");
    canvas.tabIndex = 0;
    canvas.dataset.layer = String(index);
    canvas.setAttribute("aria-label", t("net.vector_label", { layer: index, n }));
    const columns = Math.min(n, 64);
    const rows = Math.ceil(n / columns);
    const grid = Array.from({ length: rows }, (_, r) =>
      Array.from({ length: columns }, (_, c) => (out ? (out[r * columns + c] ?? 0) : 0)),
    );
    if (out) drawMap(canvas, grid, scale);
    else drawBlank(canvas, rows, columns);
    const cell = Math.max(6, Math.min(28, Math.floor(640 / columns)));
    canvas.style.width = `${cell * columns}px`;
    canvas.style.height = `${cell * rows}px`;
    canvas.addEventListener("click", (event) => {
      const c = Math.floor((event.offsetX / canvas.clientWidth) * columns);
      const r = Math.floor((event.offsetY / canvas.clientHeight) * rows);
      selectUnit(index, [Math.min(n - 1, r * columns + c)]);
    });
    canvas.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") selectUnit(index, [0]);
    });
    box.append(canvas);
    if (out && n <= 12) box.append(el("p", "vector-values", out.map(fmt).join("  ")));
  }
  return box;
}

function drawBlank(canvas, h, w) {
  canvas.width = w;
  canvas.height = h;
  const context = canvas.getContext("2d");
  context.fillStyle = "#e9ecef";
  context.fillRect(0, 0, w, h);
}

function pickUnit(canvas, event, h, w) {
  const i = Math.min(h - 1, Math.floor((event.offsetY / canvas.clientHeight) * h));
  const j = Math.min(w - 1, Math.floor((event.offsetX / canvas.clientWidth) * w));
  selectUnit(Number(canvas.dataset.layer), [i, j], canvas);
}

function keyUnit(canvas, event, h, w) {
  const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  const current = state.selected && state.selected.layer === Number(canvas.dataset.layer) ? state.selected.unit : [0, 0];
  if (moves[event.key]) {
    event.preventDefault();
    const [di, dj] = moves[event.key];
    selectUnit(Number(canvas.dataset.layer), [clamp(current[0] + di, h), clamp(current[1] + dj, w)], canvas);
  } else if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    selectUnit(Number(canvas.dataset.layer), current, canvas);
  }
}

const clamp = (v, n) => Math.max(0, Math.min(n - 1, v));

/** Input span of unit `index` along one axis: centre start + index·jump, half-width (r − 1)/2. */
export function regionOf(axis, index, size) {
  const centre = axis.start + index * axis.jump;
  const lo = Math.round(centre - (axis.rf - 1) / 2);
  const hi = Math.round(centre + (axis.rf - 1) / 2);
  return { lo, hi, from: Math.max(lo, 0), to: Math.min(hi, size - 1) };
}

/** Row and column of a unit on the map its geometry refers to (a flattened unit keeps its place). */
function unitPosition(layerIndex, unit) {
  const layers = state.answer.layers;
  const layer = layers[layerIndex];
  if (unit.length === 2) return unit;
  if (layers.slice(0, layerIndex + 1).some((l) => l.type === "linear")) return [0, 0];
  const map = layer.in_shape.length === 3 ? layer.in_shape : state.answer.input_shape;
  const [, h, w] = map;
  const n = unit[0] % (h * w);
  return [Math.floor(n / w), n % w];
}

function selectUnit(layerIndex, unit, canvas) {
  state.selected = { layer: layerIndex, unit };
  const answer = state.answer;
  const layer = answer.layers[layerIndex];
  const [, h, w] = answer.input_shape;
  const [i, j] = unitPosition(layerIndex, unit);
  const rows = regionOf(layer.receptive_field.height, i, h);
  const cols = regionOf(layer.receptive_field.width, j, w);
  drawRegion(rows, cols, w);
  for (const node of document.querySelectorAll(".fmap.selected")) node.classList.remove("selected");
  canvas?.classList.add("selected");
  const summary = $("[data-rf-summary]");
  summary.textContent = t("net.rf_summary", {
    layer: layerIndex,
    unit: unit.join(", "),
    r0: rows.lo,
    r1: rows.hi,
    c0: cols.lo,
    c1: cols.hi,
    size: `${rows.hi - rows.lo + 1}×${cols.hi - cols.lo + 1}`,
  });
  if (rows.lo < 0 || cols.lo < 0 || rows.hi >= h || cols.hi >= w) {
    summary.textContent += ` ${t("net.rf_clipped", { r0: rows.from, r1: rows.to, c0: cols.from, c1: cols.to })}`;
  }
  fillRfTable(layerIndex);
}

function drawRegion(rows, cols, w) {
  const overlay = $("[data-rf-overlay]");
  const context = overlay.getContext("2d");
  const k = overlay.width / w;
  context.clearRect(0, 0, overlay.width, overlay.height);
  context.fillStyle = "rgba(20, 20, 20, 0.68)";
  context.fillRect(0, 0, overlay.width, overlay.height);
  const x = cols.from * k;
  const y = rows.from * k;
  const width = (cols.to - cols.from + 1) * k;
  const height = (rows.to - rows.from + 1) * k;
  context.clearRect(x, y, width, height);
  context.strokeStyle = "#e69f00";
  context.lineWidth = Math.max(3, k / 2);
  context.strokeRect(x, y, width, height);
}

function fillRfTable(upTo) {
  const body = $("[data-rf-table]");
  body.replaceChildren();
  const layers = state.answer.layers;
  const last = upTo === undefined ? layers.length - 1 : upTo;
  for (const layer of layers.slice(0, last + 1)) {
    const row = el("tr");
    const { height, width } = layer.receptive_field;
    const both = (a, b) => (a === b ? fmt(a) : `${fmt(a)}×${fmt(b)}`);
    row.append(
      el("th", "", `${layer.index} ${t(`type.${layer.type}`)}`),
      el("td", "", both(height.rf, width.rf)),
      el("td", "", both(height.jump, width.jump)),
      el("td", "", both(height.start, width.start)),
      el("td", "rf-formula", height.formula === "unchanged (element-wise)" ? t("rf.unchanged") : height.formula),
    );
    row.firstChild.scope = "row";
    if (layer.index === last) row.classList.add("current");
    body.append(row);
  }
}

function renderParams() {
  const answer = state.answer;
  $("[data-total]").textContent = t("net.total", { total: answer.total_params.toLocaleString() });
  const list = $("[data-share-list]");
  list.replaceChildren();
  let fc = 0;
  for (const layer of answer.layers) {
    if (layer.params.total === 0) continue;
    if (layer.type === "linear") fc += layer.params.share;
    const item = el("li", layer.type === "linear" ? "share fc" : "share");
    item.append(
      el("span", "share-name", `${layer.index} ${t(`type.${layer.type}`)}`),
      el("span", "share-value", `${layer.params.total.toLocaleString()} · ${(layer.params.share * 100).toFixed(1)} %`),
    );
    const bar = el("span", "share-bar");
    const fill = el("span", "share-fill");
    fill.style.width = `${Math.max(0.5, layer.params.share * 100)}%`;
    bar.append(fill);
    item.append(bar);
    list.append(item);
  }
  if (fc > 0) list.append(el("li", "share-note", t("net.fc_share", { share: (fc * 100).toFixed(1) })));
}

function renderFc() {
  const body = $("[data-fc-body]");
  body.replaceChildren();
  const layer = state.answer.layers.find((l) => l.as_conv);
  if (!layer) {
    const hint = state.answer.layers.some((l) => l.type === "linear") && !state.answer.computed;
    body.append(el("p", "net-hint", t(hint ? "fc.shapes_only" : "fc.none")));
    return;
  }
  const conv = layer.as_conv;
  const map = state.answer.layers[layer.index - 1].in_shape;
  const [kf, kc, kh, kw] = conv.kernel_shape;
  body.append(
    el(
      "p",
      "fc-claim",
      t(kh === 1 && kw === 1 ? "fc.claim_1x1" : "fc.claim", {
        index: layer.index,
        inputs: layer.in_shape[0],
        outputs: kf,
        map: shapeText(map),
        c: kc,
        h: kh,
        w: kw,
      }),
    ),
  );
  const table = el("table", "fc-table");
  table.tabIndex = 0; // it may scroll sideways on a phone: reachable by keyboard
  const head = el("tr");
  for (const key of ["fc.output", "fc.linear", "fc.conv"]) head.append(el("th", "", t(key)));
  table.append(head);
  conv.linear_output.slice(0, 10).forEach((value, n) => {
    const row = el("tr");
    row.append(el("td", "", String(n)), el("td", "", value.toFixed(6)), el("td", "", conv.conv_output[n].toFixed(6)));
    table.append(row);
  });
  body.append(table);
  const shown = Math.min(10, conv.linear_output.length);
  body.append(
    el(
      "p",
      "fc-verdict",
      t(conv.max_abs_difference === 0 ? "fc.verdict_exact" : "fc.verdict", {
        shown,
        n: conv.linear_output.length,
        diff: conv.max_abs_difference.toExponential(1),
      }),
    ),
  );
}

const FOCUSABLE = "input, select, button, textarea, [tabindex]";

/** Where focus is inside a layer card (card index, control position), so a re-render can put it back. */
function cardFocus() {
  const active = document.activeElement;
  const card = active?.closest?.(".layer-card");
  if (!card) return null;
  return { index: card.dataset.index, position: [...card.querySelectorAll(FOCUSABLE)].indexOf(active) };
}

/** Multiply-adds of a convolution layer: every output value sums (C_in / groups) × kh × kw products. */
function convMacs(result, inShape) {
  const k = [result.spec.kernel_size].flat();
  const [kh, kw] = [k[0], k[1] ?? k[0]];
  return result.out_shape.reduce((a, b) => a * b, 1) * (inShape[0] / (result.spec.groups || 1)) * kh * kw;
}

let pendingFocus = null; // after a move or insert: the card (and button) to focus once it is drawn

function restoreCardFocus(where) {
  if (pendingFocus) {
    const card = document.querySelector(`.layer-card[data-index="${pendingFocus.index}"]`);
    const key = pendingFocus.key;
    pendingFocus = null;
    const button = key && card && [...card.querySelectorAll(".layer-move")].find((b) => b.getAttribute("aria-label")?.startsWith(t(key, { index: card.dataset.index })) && !b.disabled);
    (button || card?.querySelector(FOCUSABLE))?.focus({ preventScroll: false });
    return;
  }
  if (!where) return;
  const card = document.querySelector(`.layer-card[data-index="${where.index}"]`);
  const control = card && [...card.querySelectorAll(FOCUSABLE)][where.position];
  control?.focus({ preventScroll: true });
}

const THUMBS = 3; // maps per overview column
const THUMB_SIDE = 44;

/** One column per layer, CNN Explainer's overview: a few of its maps and its shape; a click opens its card. */
function renderOverview() {
  const answer = state.answer;
  const columns = answer.layers.map((result, index) => {
    const layer = state.layers[index];
    const shape = result.out_shape.join("×");
    const button = el("button", "ov-col");
    button.type = "button";
    button.dataset.layer = String(index);
    button.title = t("net.overview_open", { layer: index, type: t(`type.${layer.type}`), shape }); // its name is what it shows
    const thumbs = el("span", "ov-thumbs");
    const scale = result.output_range ? Math.max(Math.abs(result.output_range[0]), Math.abs(result.output_range[1])) : 0;
    if (result.out_shape.length === 3) {
      const [, h, w] = result.out_shape;
      for (const map of (result.output || [null]).slice(0, THUMBS)) {
        const canvas = el("canvas", "ov-thumb");
        if (map) drawMap(canvas, map, scale);
        else drawBlank(canvas, h, w);
        sizeCanvas(canvas, h, w, THUMB_SIDE);
        thumbs.append(canvas);
      }
    } else {
      const canvas = el("canvas", "ov-thumb ov-vector");
      const n = result.out_shape[0];
      const values = result.output ? [result.output.slice(0, 64)] : null;
      if (values) drawMap(canvas, values, scale);
      else drawBlank(canvas, 1, Math.min(n, 64));
      thumbs.append(canvas);
    }
    button.append(el("span", "ov-name", `${index} ${t(`type.${layer.type}`)}`), thumbs, el("span", "ov-shape", shape));
    button.addEventListener("click", () => {
      const card = document.querySelector(`.layer-card[data-index="${index}"]`);
      card?.scrollIntoView({ block: "start", behavior: "smooth" });
      card?.querySelector(FOCUSABLE)?.focus({ preventScroll: true });
    });
    return button;
  });
  const input = el("span", "ov-col ov-input");
  input.append(el("span", "ov-name", t("net.input_map")), el("span", "ov-shape", answer.input_shape.join("×")));
  $("[data-overview]").replaceChildren(input, ...columns);
}

function render() {
  const answer = state.answer;
  const focus = cardFocus(); // editing a field and pressing Tab must not lose the next field
  for (const button of document.querySelectorAll("[data-preset]")) {
    button.setAttribute("aria-pressed", String(button.dataset.preset === state.preset));
  }
  $("[data-input-select]").value = state.input;
  $("[data-seed]").value = String(state.seed);
  drawInput();
  const list = $("[data-layers]");
  list.replaceChildren(...answer.layers.map((result, index) => layerCard(result, index)));
  restoreCardFocus(focus);
  renderOverview();
  renderParams();
  renderFc();
  fillRfTable();
  $("[data-rf-summary]").textContent = t("net.rf_hint");
  $("[data-code]").textContent = answer.pytorch;
}

async function copyCode() {
  if (!state.answer) return;
  try {
    await navigator.clipboard.writeText(state.answer.pytorch);
    setStatus(t("net.copied"));
  } catch {
    const details = $(".net-code details");
    details.open = true;
    const range = document.createRange();
    range.selectNodeContents($("[data-code]"));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    setStatus(t("net.copy_select"));
  }
}

function wire() {
  for (const button of document.querySelectorAll("[data-preset]")) {
    button.addEventListener("click", () => {
      state.preset = button.dataset.preset;
      state.layers = null;
      schedule();
    });
  }
  $("[data-input-select]").addEventListener("change", (event) => {
    state.input = event.target.value;
    schedule();
  });
  $("[data-seed]").addEventListener("change", (event) => {
    state.seed = Math.max(0, Number.parseInt(event.target.value, 10) || 0);
    schedule();
  });
  $("[data-add-layer]").addEventListener("click", () => {
    const type = $("[data-add-type]").value;
    state.layers.push({ ...(LAYER_DEFAULTS[type] || { type }) });
    schedule();
  });
  $("[data-copy-code]").addEventListener("click", copyCode);
  $("[data-upload]").addEventListener("change", (event) => usePicture(event.target.files[0]));
  const view = $(".net-input-view");
  view.addEventListener("dragover", (event) => {
    event.preventDefault();
    view.classList.add("dropping");
  });
  view.addEventListener("dragleave", () => view.classList.remove("dropping"));
  view.addEventListener("drop", (event) => {
    event.preventDefault();
    view.classList.remove("dropping");
    usePicture(event.dataTransfer.files[0]);
  });
}

initI18n();
readUrl();
wire();
initTransposePanel();
onLanguageChange(() => {
  labelSamples();
  if (state.answer) render();
});
loadSamples()
  .then(run)
  .then(() => {
    revealPage();
    // An id, not a selector: a crafted hash ("#x]", "#%E0") names nothing instead of throwing.
    if (!location.hash) return;
    try {
      document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
    } catch {
      /* a malformed escape names no section */
    }
  })
  .finally(revealPage);
