/**
 * The Network lab's input: a shipped CIFAR-sized sample or the student's own picture (decoded in this browser,
 * never uploaded) as 3×32×32 numbers, and the input thumbnail the receptive field is drawn over.
 */

import { $, el } from "./dom.js";
import { getJSON } from "./api.js";
import { t } from "./i18n.js";
import { pictureCanvas, shapeText, sizeCanvas } from "./network-maps.js";

export const INPUT_SIDE = 256; // CSS pixels of the input thumbnail's longer side
const PICTURE_SIDE = 32; // samples and uploads are CIFAR-sized: 3×32×32
const sampleCache = new Map();

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

/** A CIFAR-sized sample drawn into a canvas and read back as numbers. */
export async function sampleInput(name) {
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
export async function pictureInput(file) {
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

/** Every shipped sample that fits the stack's 3×32×32 input, as options of the input menu. */
export async function loadSamples(state) {
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

/** Sample names in the page's language (a sample without its own name says "Sample: <title>"). */
export function labelSamples() {
  for (const option of $("[data-input-select]").options) {
    if (!option.dataset.title) continue;
    const key = `input.${option.value}`;
    const label = t(key);
    option.textContent = label === key ? t("input.sample", { title: option.dataset.title }) : label;
  }
}

/** The input thumbnail (colour for 3 channels, grey otherwise, blank when shapes only) and a cleared overlay. */
export function drawInput(answer) {
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
