/** The overview strip, CNN Explainer's: one column per layer with a few of its maps and its shape; a click opens its card. */

import { $, el } from "./dom.js";
import { t } from "./i18n.js";
import { FOCUSABLE } from "./network-card.js";
import { drawBlank, drawMap, mapScale, shapeText, sizeCanvas } from "./network-maps.js";

const THUMBS = 3; // maps per overview column
const THUMB_SIDE = 44;

function thumbnails(result) {
  const thumbs = el("span", "ov-thumbs");
  const scale = mapScale(result);
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
    if (result.output) drawMap(canvas, [result.output.slice(0, 64)], scale);
    else drawBlank(canvas, 1, Math.min(n, 64));
    thumbs.append(canvas);
  }
  return thumbs;
}

/** The strip as steps (slices.js): the input's column first, then one step per layer's column. */
export function overviewSteps(state) {
  const answer = state.answer;
  const strip = $("[data-overview]");
  const input = el("span", "ov-col ov-input");
  input.append(el("span", "ov-name", t("net.input_map")), el("span", "ov-shape", shapeText(answer.input_shape)));
  const columns = answer.layers.map((result, index) => () => strip.append(column(state, result, index)));
  return [() => strip.replaceChildren(input), ...columns];
}

function column(state, result, index) {
  const layer = state.layers[index];
  const shape = shapeText(result.out_shape);
  const button = el("button", "ov-col");
  button.type = "button";
  button.dataset.layer = String(index);
  button.title = t("net.overview_open", { layer: index, type: t(`type.${layer.type}`), shape }); // its name is what it shows
  button.append(el("span", "ov-name", `${index} ${t(`type.${layer.type}`)}`), thumbnails(result), el("span", "ov-shape", shape));
  button.addEventListener("click", () => {
    const card = document.querySelector(`.layer-card[data-index="${index}"]`);
    card?.scrollIntoView({ block: "start", behavior: "smooth" });
    card?.querySelector(FOCUSABLE)?.focus({ preventScroll: true });
  });
  return button;
}
