/** The Image lab's state and the small helpers every panel reads: controls, names, numbers, status. */
import { $ } from "./dom.js";
import { t } from "./i18n.js";

export const DEFAULT_FILTERS = ["sobel_x", "sobel_y", "laplacian", "gaussian_3x3"];

export const DISPLAY_SIDE = 200; // CSS pixels for every map, so small pictures are blown up crisply

export const state = {
  file: null,
  sample: "cifar_cat",
  presets: [],
  filters: [],
  answer: null,
  view: "signed",
  slide: { position: 0, timer: null },
  samples: [],
  request: 0,
  poolRequest: 0,
  focusRequest: 0,
  focus: null, // the one-filter answer behind the channel breakdown
  palettes: null, // as sent (hex strings), and parsed for painting
  tables: null,
  sourceVersion: 0, // bumped on every new file, so an unchanged picture is not sent again
  input: { key: null, picture: null, pixels: null },
  painted: new Map(), // filter index -> its painted canvas in the current view, for the slide demo
};

export function formatNumber(value) {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return "–";
  }
  const text = Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
  return text.replace("-", "−");
}

export function control(name) {
  return $(`[data-control="${name}"]`);
}

export function colorMode() {
  return $('[data-control="color"]:checked').value;
}

export function showError(message) {
  const box = $("[data-error]");
  box.textContent = message || "";
  box.hidden = !message;
}

export function setStatus(message) {
  $("[data-status]").textContent = message;
}

export function presetValues(name) {
  const preset = state.presets.find((p) => p.name === name);
  return preset ? preset.values.map((row) => [...row]) : [[0, 0, 0], [0, 1, 0], [0, 0, 0]];
}

/** A channel's name in the page's language ("gray" is translated; R, G and B are the same everywhere). */
export function channelLabel(name) {
  return name === "gray" ? t("img.channel_gray") : name;
}

/** A preset's title in the page's language (the API's English title when there is no translation). */
export function presetTitle(preset) {
  const key = `img.preset.${preset.name}`;
  const text = t(key);
  return text === key ? preset.title : text;
}

export function filterName(index) {
  const filter = state.filters[index];
  const preset = filter && state.presets.find((p) => p.name === filter.preset);
  return `${index + 1}. ${preset ? presetTitle(preset) : t("img.custom")}`;
}

/** A sample's name in the page's language. */
export function sampleName(sample) {
  const key = `img.sample.${sample.name}`;
  const text = t(key);
  return text === key ? sample.title : text;
}

export function sampleTitle(sample) {
  return `${sampleName(sample)} (${sample.width}×${sample.height})`;
}

export function inputKey() {
  return JSON.stringify([state.file ? `file${state.sourceVersion}` : state.sample, colorMode(), control("max-side").value]);
}

/** The layer's settings shared by every filter (the request body minus the kernels). */
export function layerSettings() {
  return {
    padding: Number(control("padding").value) || 0,
    padding_mode: control("padding-mode").value,
    stride: Math.max(1, Number(control("stride").value) || 1),
    bias: Number(control("bias").value) || 0,
    activation: control("activation").value,
  };
}

/** Tell whoever measures (the benchmark, the tests) that new maps are on screen. */
export function announcePainted(kind) {
  document.dispatchEvent(new CustomEvent("il-painted", { detail: { kind, at: performance.now() } }));
}
