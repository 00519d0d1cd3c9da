/**
 * The layer cards: one editable card per layer (type, numbers, move, insert, remove) with its shape, formula,
 * parameters, receptive field and feature maps. Edits change `lab.state.layers` and ask for a new run.
 */

import { $, el } from "./dom.js";
import { formatValue, groupDigits } from "./format.js";
import { t } from "./i18n.js";
import { drawBlank, drawMapWhenNear, mapScale, shapeText, sizeCanvas } from "./network-maps.js";
import { keyUnit, pickUnit } from "./network-receptive.js";
import { NUMBER_FIELDS, newLayer } from "./network-state.js";
import { percent, shareBar } from "./network-shares.js";

const MAP_SIDE = 76; // CSS pixels of a feature-map thumbnail's longer side
export const FOCUSABLE = "input, select, button, textarea, [tabindex]";
const fmt = (value) => formatValue(value, { digits: 3 });

let pendingFocus = null; // after a move or insert: the card (and button) to focus once it is drawn

function numberInput(lab, layer, name, index) {
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
    const blank = name === "stride" && layer.type !== "conv" ? null : 1;
    lab.state.layers[index][name] = Number.isFinite(number) ? number : blank;
    lab.schedule();
  });
  label.append(input);
  return label;
}

function typeSelect(lab, layer, index) {
  const select = el("select", "layer-type");
  select.setAttribute("aria-label", t("net.layer_type"));
  for (const option of $("[data-add-type]").options) {
    const copy = el("option", "", t(`type.${option.value}`));
    copy.value = option.value;
    select.append(copy);
  }
  select.value = layer.type;
  select.addEventListener("change", () => {
    lab.state.layers[index] = newLayer(select.value);
    lab.schedule();
  });
  return select;
}

function button(className, symbol, label) {
  const node = el("button", className, symbol);
  node.type = "button";
  node.setAttribute("aria-label", label);
  return node;
}

function layerHeader(lab, layer, index) {
  const layers = lab.state.layers;
  const header = el("div", "layer-head");
  header.append(el("span", "layer-index", String(index)), typeSelect(lab, layer, index));
  const remove = button("layer-remove", "×", t("net.remove", { index }));
  remove.addEventListener("click", () => {
    layers.splice(index, 1);
    lab.schedule();
  });
  const move = (delta, symbol, key) => {
    const node = button("layer-move", symbol, t(key, { index }));
    const target = index + delta;
    node.disabled = target < 0 || target >= layers.length;
    node.addEventListener("click", () => {
      [layers[index], layers[target]] = [layers[target], layers[index]];
      pendingFocus = { index: String(target), key };
      lab.schedule();
    });
    return node;
  };
  const insert = button("layer-insert", "+", t("net.insert_after", { index }));
  insert.title = insert.getAttribute("aria-label");
  insert.addEventListener("click", () => {
    layers.splice(index + 1, 0, newLayer($("[data-add-type]").value));
    pendingFocus = { index: String(index + 1), key: null };
    lab.schedule();
  });
  header.append(move(-1, "↑", "net.move_up"), move(1, "↓", "net.move_down"), insert, remove);
  return header;
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
  if (layer.type === "flatten") return t("explain.flatten", { ...common, n: groupDigits(result.out_shape[0]) });
  if (layer.type === "linear") {
    return t("explain.linear", {
      outputs: groupDigits(result.out_shape[0]),
      inputs: groupDigits(result.in_shape[0]),
      weights: groupDigits(result.params.weights),
    });
  }
  return t("explain.activation", { name: t(`type.${layer.type}`), shape: inText });
}

function paramsLine(params) {
  const line = el("div", "layer-params-line");
  const text = t("net.params_line", {
    weights: groupDigits(params.weights),
    biases: groupDigits(params.biases),
    total: groupDigits(params.total),
    share: percent(params.share),
  });
  line.append(el("span", "", text), shareBar(params.share));
  return line;
}

function featureMaps(lab, result, index, box) {
  const out = result.output;
  const scale = mapScale(result);
  const [c, h, w] = result.out_shape;
  (out || [null]).forEach((map, channel) => {
    const canvas = el("canvas", "fmap");
    canvas.tabIndex = 0;
    canvas.dataset.layer = String(index);
    canvas.dataset.channel = String(channel);
    canvas.setAttribute("aria-label", t("net.map_label", { layer: index, channel, h, w }));
    if (map) drawMapWhenNear(canvas, map, scale);
    else drawBlank(canvas, h, w);
    sizeCanvas(canvas, h, w, MAP_SIDE);
    canvas.addEventListener("click", (event) => pickUnit(lab, canvas, event, h, w));
    canvas.addEventListener("keydown", (event) => keyUnit(lab, canvas, event, h, w));
    box.append(canvas);
  });
  if (out && c > out.length) box.append(el("span", "fmap-more", t("net.more_channels", { n: c - out.length })));
  if (out) box.append(el("span", "fmap-scale", t("net.scale", { max: fmt(scale) })));
  if (!out && result.output_range === null && lab.state.answer.computed) box.append(el("span", "fmap-more", t("net.too_big")));
}

function vectorMap(lab, result, index, box) {
  const out = result.output;
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
  if (out) drawMapWhenNear(canvas, grid, mapScale(result));
  else drawBlank(canvas, rows, columns);
  const cell = Math.max(6, Math.min(28, Math.floor(640 / columns)));
  canvas.style.width = `${cell * columns}px`;
  canvas.style.height = `${cell * rows}px`;
  canvas.addEventListener("click", (event) => {
    const c = Math.floor((event.offsetX / canvas.clientWidth) * columns);
    const r = Math.floor((event.offsetY / canvas.clientHeight) * rows);
    lab.selectUnit(index, [Math.min(n - 1, r * columns + c)]);
  });
  canvas.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") lab.selectUnit(index, [0]);
  });
  box.append(canvas);
  if (out && n <= 12) box.append(el("p", "vector-values", out.map(fmt).join("  ")));
}

function mapsOf(lab, result, index) {
  const box = el("div", "layer-maps");
  if (result.out_shape.length === 3) featureMaps(lab, result, index, box);
  else vectorMap(lab, result, index, box);
  return box;
}

function layerCard(lab, result, index) {
  const layer = lab.state.layers[index];
  const card = el("li", "layer-card card");
  card.dataset.index = String(index);
  card.dataset.type = layer.type;
  card.append(layerHeader(lab, layer, index));
  const fields = NUMBER_FIELDS[layer.type];
  if (fields) {
    const params = el("div", "layer-params");
    for (const name of fields) params.append(numberInput(lab, layer, name, index));
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
  card.append(facts, mapsOf(lab, result, index));
  return card;
}

/** Where focus is inside a layer card (card index, control position), so a re-render can put it back. */
function cardFocus() {
  const active = document.activeElement;
  const card = active?.closest?.(".layer-card");
  if (!card) return null;
  return { index: card.dataset.index, position: [...card.querySelectorAll(FOCUSABLE)].indexOf(active) };
}

function restoreCardFocus(where) {
  if (pendingFocus) {
    const card = document.querySelector(`.layer-card[data-index="${pendingFocus.index}"]`);
    const key = pendingFocus.key;
    pendingFocus = null;
    const moved = (b) => b.getAttribute("aria-label")?.startsWith(t(key, { index: card.dataset.index })) && !b.disabled;
    const target = key && card && [...card.querySelectorAll(".layer-move")].find(moved);
    (target || card?.querySelector(FOCUSABLE))?.focus({ preventScroll: false });
    return;
  }
  if (!where) return;
  const card = document.querySelector(`.layer-card[data-index="${where.index}"]`);
  const control = card && [...card.querySelectorAll(FOCUSABLE)][where.position];
  control?.focus({ preventScroll: true });
}

/**
 * Redraw every card, as steps (runInSlices or runAtOnce, slices.js): the list is emptied, each card appended by
 * its own step, then focus put back, for editing a field and pressing Tab must not lose the next field.
 */
export function cardSteps(lab) {
  const focus = cardFocus();
  const list = $("[data-layers]");
  const cards = lab.state.answer.layers.map((result, index) => () => list.append(layerCard(lab, result, index)));
  return [() => list.replaceChildren(), ...cards, () => restoreCardFocus(focus)];
}

/** Mark the card an error names (`layers.3.kernel_size` marks card 3). */
export function markError(field) {
  const match = /^layers\.(\d+)/.exec(field || "");
  for (const card of document.querySelectorAll(".layer-card")) {
    card.classList.toggle("has-error", match !== null && card.dataset.index === match[1]);
  }
}
