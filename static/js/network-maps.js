/** Feature maps as canvases: signed values on the labs' one diverging scale (blue < 0 < orange, white at 0). */

import { writeSignedRgb } from "./colour.js";
import { el } from "./dom.js";

/** The symmetric scale of a layer's output: its largest |value| (0 when nothing was computed). */
export const mapScale = (result) =>
  result.output_range ? Math.max(Math.abs(result.output_range[0]), Math.abs(result.output_range[1])) : 0;

export function drawMap(canvas, map, scale) {
  const h = map.length;
  const w = map[0].length;
  canvas.width = w;
  canvas.height = h;
  const context = canvas.getContext("2d");
  const image = context.createImageData(w, h);
  const data = image.data;
  for (let r = 0; r < h; r++) {
    const row = map[r];
    for (let c = 0; c < w; c++) {
      const at = (r * w + c) * 4;
      writeSignedRgb(data, at, row[c], scale);
      data[at + 3] = 255;
    }
  }
  context.putImageData(image, 0, 0);
}

const painters = new WeakMap();
let observer = null;

function paintNear(entries) {
  for (const entry of entries) {
    if (!entry.isIntersecting) continue;
    observer.unobserve(entry.target);
    painters.get(entry.target)?.();
    painters.delete(entry.target);
  }
}

/**
 * drawMap once the canvas comes within a screen of the viewport: the stack is a long column of
 * cards, and painting all its maps at load blocked a slow phone for a fifth of a second. The canvas
 * takes its size at once, so nothing moves when it is painted; `data-painted` marks it done.
 */
export function drawMapWhenNear(canvas, map, scale) {
  canvas.width = map[0].length;
  canvas.height = map.length;
  const paint = () => {
    drawMap(canvas, map, scale);
    canvas.dataset.painted = "";
  };
  if (typeof IntersectionObserver === "undefined") return paint();
  observer ??= new IntersectionObserver(paintNear, { rootMargin: "100% 0px" });
  painters.set(canvas, paint);
  observer.observe(canvas);
}

/** A grey map for a layer whose numbers were not computed (shapes only). */
export function drawBlank(canvas, h, w) {
  canvas.width = w;
  canvas.height = h;
  const context = canvas.getContext("2d");
  context.fillStyle = "#e9ecef";
  context.fillRect(0, 0, w, h);
}

/** Show an h×w canvas with its longer side `side` CSS pixels, cells square. */
export function sizeCanvas(canvas, h, w, side) {
  const k = side / Math.max(h, w);
  canvas.style.width = `${Math.max(1, Math.round(w * k))}px`;
  canvas.style.height = `${Math.max(1, Math.round(h * k))}px`;
}

/** A canvas of `width`×`height` pixels. */
export function pictureCanvas(width, height) {
  const canvas = el("canvas");
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

export const shapeText = (shape) => shape.join("×");
