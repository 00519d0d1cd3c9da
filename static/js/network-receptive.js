/**
 * The receptive-field panel: pick a unit in a feature map (click, or arrows and Enter), see the input cells it
 * reads drawn over the input thumbnail, and the running formula layer by layer.
 *
 * The box comes from the formula at once; the exact taps (a dilated layer's field is sparse) from
 * POST /api/v1/receptive-field, drawn when they arrive: read cells clear, holes inside the box lightly
 * shaded, everything outside dark, the box outlined.
 */

import { $, $$, el } from "./dom.js";
import { postJSON } from "./api.js";
import { formatValue } from "./format.js";
import { language, t } from "./i18n.js";
import { holes, regionOf, tapCells, unitPosition } from "./network-field.js";

const OUTSIDE = "rgba(20, 20, 20, 0.68)"; // outside the field
const HOLE = "rgba(20, 20, 20, 0.34)"; // inside the box, not read
const fmt = (value) => formatValue(value, { digits: 3 });
/** Sentences follow each other with a space in English, with none after a Chinese full stop. */
const gap = () => (language() === "zh-CN" ? "" : " ");
let pending = null;

export function pickUnit(lab, canvas, event, h, w) {
  const i = Math.min(h - 1, Math.floor((event.offsetY / canvas.clientHeight) * h));
  const j = Math.min(w - 1, Math.floor((event.offsetX / canvas.clientWidth) * w));
  lab.selectUnit(Number(canvas.dataset.layer), [i, j], canvas);
}

const clamp = (v, n) => Math.max(0, Math.min(n - 1, v));

export function keyUnit(lab, canvas, event, h, w) {
  const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  const selected = lab.state.selected;
  const current = selected && selected.layer === Number(canvas.dataset.layer) ? selected.unit : [0, 0];
  if (moves[event.key]) {
    event.preventDefault();
    const [di, dj] = moves[event.key];
    lab.selectUnit(Number(canvas.dataset.layer), [clamp(current[0] + di, h), clamp(current[1] + dj, w)], canvas);
  } else if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    lab.selectUnit(Number(canvas.dataset.layer), current, canvas);
  }
}

/** Light up unit `unit` of layer `layerIndex`: the box now, the exact taps once the server has them. */
export async function selectUnit(state, layerIndex, unit, canvas) {
  state.selected = { layer: layerIndex, unit };
  const answer = state.answer;
  const layer = answer.layers[layerIndex];
  const [, h, w] = answer.input_shape;
  const [i, j] = unitPosition(answer, layerIndex, unit);
  const rows = regionOf(layer.receptive_field.height, i, h);
  const cols = regionOf(layer.receptive_field.width, j, w);
  drawField(rows, cols, w, null);
  for (const node of $$(".fmap.selected")) node.classList.remove("selected");
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
    summary.textContent += `${gap()}${t("net.rf_clipped", { r0: rows.from, r1: rows.to, c0: cols.from, c1: cols.to })}`;
  }
  fillRfTable(answer, layerIndex);
  pending?.abort();
  pending = new AbortController();
  const body = { layers: state.layers, input_shape: answer.input_shape, layer: layerIndex, unit };
  const reply = await postJSON("/api/v1/receptive-field", body, { signal: pending.signal });
  if (reply.aborted || !reply.ok || state.selected?.layer !== layerIndex || state.selected.unit !== unit) return;
  const { row_taps: rowTaps, col_taps: colTaps } = reply.data;
  drawField(rows, cols, w, { rowTaps, colTaps });
  const missing = holes(rows, cols, rowTaps, colTaps);
  const count = rowTaps.length * colTaps.length;
  summary.textContent += `${gap()}${t(missing > 0 ? "net.rf_taps_sparse" : "net.rf_taps_dense", { n: count, holes: missing })}`;
}

/** Shade the overlay: dark outside the box; with taps, holes lighter and read cells clear; the box outlined. */
function drawField(rows, cols, w, taps) {
  const overlay = $("[data-rf-overlay]");
  const context = overlay.getContext("2d");
  const k = overlay.width / w;
  const [x, y] = [cols.from * k, rows.from * k];
  const [width, height] = [(cols.to - cols.from + 1) * k, (rows.to - rows.from + 1) * k];
  context.clearRect(0, 0, overlay.width, overlay.height);
  context.fillStyle = OUTSIDE;
  context.fillRect(0, 0, overlay.width, overlay.height);
  context.clearRect(x, y, width, height);
  if (taps) {
    context.fillStyle = HOLE;
    context.fillRect(x, y, width, height);
    for (const [r, c] of tapCells(taps.rowTaps, taps.colTaps)) context.clearRect(c * k, r * k, k, k);
  }
  overlay.dataset.taps = taps ? JSON.stringify([taps.rowTaps, taps.colTaps]) : "";
  context.strokeStyle = getComputedStyle(overlay).getPropertyValue("--rf-box").trim() || "#e69f00";
  context.lineWidth = Math.max(3, k / 2);
  context.strokeRect(x, y, width, height);
}

/** The running formula, one row per layer up to `upTo` (every layer when none is picked). */
export function fillRfTable(answer, upTo) {
  const body = $("[data-rf-table]");
  body.replaceChildren();
  const layers = answer.layers;
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
