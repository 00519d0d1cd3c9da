/**
 * An exercise drawn the way the labs draw a layer: input (with its padding ring), kernel and output
 * grids, or the layer table of a stack. The cell the question is about is marked "?".
 *
 * Padding-source questions make the input cells buttons: arrow keys move between them, Enter or
 * Space picks one (a roving tabindex, so the whole grid is one Tab stop).
 */

import { formatCell } from "../format.js";
import { t } from "../i18n.js";
import { el } from "./dom.js";
import { layerText, shape } from "./pytorch-text.js";

function as3d(matrix) {
  return shape(matrix).length === 2 ? [matrix] : matrix;
}

function caption(figure, text) {
  const node = el("figure", "pgrid-figure");
  node.append(el("figcaption", "", text), figure);
  return node;
}

/** A grid of `rows`×`cols` cells; `cell(r, c)` returns {text, kind} with kind "" | "pad" | "target". */
function table(rows, cols, cell, label) {
  const grid = el("table", "pgrid");
  grid.setAttribute("aria-label", label);
  for (let r = 0; r < rows; r += 1) {
    const tr = el("tr");
    for (let c = 0; c < cols; c += 1) {
      const { text, kind, node } = cell(r, c);
      const td = el("td", kind ? `pgrid-${kind}` : "");
      if (node) td.append(node);
      else td.textContent = text;
      tr.append(td);
    }
    grid.append(tr);
  }
  return grid;
}

/** The input, with a hatched ring of `sides` = [top, bottom, left, right] padding cells left blank. */
function inputGrid(channel, sides, label, padText = "") {
  const [top, bottom, left, right] = sides;
  const h = channel.length;
  const w = channel[0].length;
  return table(h + top + bottom, w + left + right, (r, c) => {
    const inside = r >= top && r < top + h && c >= left && c < left + w;
    return inside ? { text: formatCell(channel[r - top][c - left]), kind: "" } : { text: padText, kind: "pad" };
  }, label);
}

function outputGrid(target) {
  const [, rows, cols] = target.output_shape;
  const [, i, j] = target.out;
  return table(rows, cols, (r, c) => (r === i && c === j ? { text: "?", kind: "target" } : { text: "", kind: "blank" }), t("fig.output"));
}

/** A gradient question: the given ∂L/∂output, then the gradient grid the asked cell lives in, marked "?". */
function gradientFigures({ layer, target }) {
  const given = as3d(layer.body.grad_output)[0];
  const figures = [caption(table(given.length, given[0].length, (r, c) => ({ text: formatCell(given[r][c]), kind: "grad" }), t("fig.grad_output")), t("fig.grad_output"))];
  const asked = target.grad_weight ? target.grad_weight.slice(2) : target.grad_input.slice(1);
  const [rows, cols] = target.grad_weight ? target.kernel_shape : target.input_shape.slice(1);
  const name = target.grad_weight ? t("fig.grad_kernel") : t("fig.grad_input");
  const mark = (r, c) => (r === asked[0] && c === asked[1] ? { text: "?", kind: "target" } : { text: "", kind: "blank" });
  figures.push(caption(table(rows, cols, mark, name), name));
  return figures;
}

function ringOf(exercise) {
  const { topic, target } = exercise;
  const { body } = exercise.layer;
  if (target.padding) return target.padding;
  if (topic === "output_size" && typeof body.padding === "number") return Array(4).fill(body.padding);
  return [0, 0, 0, 0];
}

function gridsFigure(exercise) {
  const { body } = exercise.layer;
  const row = el("div", "pgrid-row");
  const channels = as3d(body.input);
  const ring = ringOf(exercise);
  // Zero padding is shown as its zeros; the other modes' copies are part of the question, so left blank.
  const conv = exercise.layer.endpoint.startsWith("/api/v1/conv2d");
  const padText = conv && (body.padding_mode || "zeros") === "zeros" ? "0" : "";
  channels.forEach((channel, c) => {
    const name = channels.length > 1 ? t("fig.input_channel", { n: c + 1 }) : t("fig.input");
    row.append(caption(inputGrid(channel, ring, name, padText), name));
  });
  if (body.kernel) {
    const kernel = shape(body.kernel).length === 4 ? body.kernel[0] : as3d(body.kernel);
    kernel.forEach((k, c) => {
      const name = kernel.length > 1 ? t("fig.kernel_channel", { n: c + 1 }) : t("fig.kernel");
      row.append(caption(table(k.length, k[0].length, (r, q) => ({ text: formatCell(k[r][q]), kind: "kernel" }), name), name));
    });
  }
  if (exercise.target.out) row.append(caption(outputGrid(exercise.target), t("fig.output")));
  if (body.grad_output) row.append(...gradientFigures(exercise));
  return row;
}

function sourceFigure(exercise, onPick) {
  const { target } = exercise;
  const { body } = exercise.layer;
  const channel = body.input;
  const [top, , left] = target.padding;
  const [hp, wp] = target.padded_shape;
  const [tr, tc] = target.padded;
  const h = channel.length;
  const w = channel[0].length;
  const buttons = [];
  const grid = table(hp, wp, (r, c) => {
    const inside = r >= top && r < top + h && c >= left && c < left + w;
    if (r === tr && c === tc) return { text: "?", kind: "target" };
    if (!inside) return { text: "", kind: "pad" };
    const button = el("button", "pgrid-pick", formatCell(channel[r - top][c - left]));
    button.type = "button";
    button.tabIndex = buttons.length === 0 ? 0 : -1;
    button.dataset.row = String(r - top);
    button.dataset.col = String(c - left);
    button.setAttribute("aria-label", t("fig.pick_cell", { r: r - top, c: c - left, v: button.textContent }));
    button.setAttribute("aria-pressed", "false");
    buttons.push(button);
    return { node: button, kind: "" };
  }, t("fig.padded"));
  const at = (r, c) => buttons.find((b) => Number(b.dataset.row) === r && Number(b.dataset.col) === c);
  const focus = (button) => {
    for (const b of buttons) b.tabIndex = -1;
    button.tabIndex = 0;
    button.focus();
  };
  grid.addEventListener("click", (event) => {
    const button = event.target.closest(".pgrid-pick");
    if (!button || button.disabled) return;
    for (const b of buttons) b.setAttribute("aria-pressed", String(b === button));
    focus(button);
    onPick(Number(button.dataset.row), Number(button.dataset.col));
  });
  grid.addEventListener("keydown", (event) => {
    const button = event.target.closest(".pgrid-pick");
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (!button || !moves[event.key]) return;
    event.preventDefault();
    const [dr, dc] = moves[event.key];
    const next = at(Number(button.dataset.row) + dr, Number(button.dataset.col) + dc);
    if (next) focus(next);
  });
  return caption(grid, t("fig.padded"));
}

function stackFigure(exercise) {
  const { body } = exercise.layer;
  const wrap = el("div", "pstack-wrap");
  const list = el("ol", "pstack");
  list.setAttribute("aria-label", t("fig.stack"));
  wrap.append(el("p", "pstack-input", t("fig.stack_input", { shape: body.input_shape.join("×") })), list);
  let channels = body.input_shape[0];
  for (const spec of body.layers) {
    list.append(el("li", "", layerText(spec, channels)));
    if (spec.type === "conv") channels = spec.out_channels;
  }
  return wrap;
}

/** Draw `exercise` into `container`; `onPick(row, col)` hears a picked input cell (padding-source questions). */
export function drawExercise(container, exercise, { onPick = () => {}, picked = null } = {}) {
  container.replaceChildren();
  if (exercise.layer.endpoint === "/api/v1/network") container.append(stackFigure(exercise));
  else if (exercise.answer_kind === "cell") container.append(sourceFigure(exercise, onPick));
  else container.append(gridsFigure(exercise));
  if (picked) {
    const button = container.querySelector(`.pgrid-pick[data-row='${picked[0]}'][data-col='${picked[1]}']`);
    button?.setAttribute("aria-pressed", "true");
  }
}

/** Freeze a drawn exercise after its attempt: picks can no longer change. */
export function freezeFigure(container) {
  for (const button of container.querySelectorAll(".pgrid-pick")) button.disabled = true;
}
