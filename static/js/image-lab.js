/**
 * The Image lab: a picture in (upload, drop, paste, webcam or sample), feature maps out.
 *
 * The server does the numbers (POST /api/v1/images/conv2d and /pool2d) and sends each map once,
 * as level indices with the palettes that colour them (maps=levels); this page paints the view
 * it shows. With small pictures it also sends the padded input's numbers, from which this page
 * shows the arithmetic behind any pixel and the numbers under the window. The channel
 * breakdown comes in a second, one-filter request after the maps are on screen, and an
 * unchanged picture is not sent again.
 */

import "./image-lab-messages.js";
import { apiUrl, getJSON } from "./api.js";
import { initI18n, onLanguageChange, revealPage, t } from "./i18n.js";
import { magnifierTable, readoutLines, windowAt } from "./image-lab-math.js";
import { errorText } from "./messages/errors.js";
import { decodePixels, paintChannel, paintMap, paletteColor, parsePalettes, unpackAnswer } from "./image-lab-maps.js";

const $ = (selector, root = document) => root.querySelector(selector);
const DEFAULT_FILTERS = ["sobel_x", "sobel_y", "laplacian", "gaussian_3x3"];
const DISPLAY_SIDE = 200; // CSS pixels for every map, so small pictures are blown up crisply

const state = {
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

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "dataset") {
      Object.assign(node.dataset, value);
    } else if (key in node) {
      node[key] = value;
    } else {
      node.setAttribute(key, value);
    }
  }
  node.append(...children);
  return node;
}

export function formatNumber(value) {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return "–";
  }
  const text = Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
  return text.replace("-", "−");
}

function control(name) {
  return $(`[data-control="${name}"]`);
}

function colorMode() {
  return $('[data-control="color"]:checked').value;
}

function showError(message) {
  const box = $("[data-error]");
  box.textContent = message || "";
  box.hidden = !message;
}

function setStatus(message) {
  $("[data-status]").textContent = message;
}

/* ---------- filters ---------- */

function presetValues(name) {
  const preset = state.presets.find((p) => p.name === name);
  return preset ? preset.values.map((row) => [...row]) : [[0, 0, 0], [0, 1, 0], [0, 0, 0]];
}

/** A channel's name in the page's language ("gray" is translated; R, G and B are the same everywhere). */
function channelLabel(name) {
  return name === "gray" ? t("img.channel_gray") : name;
}

/** A preset's title in the page's language (the API's English title when there is no translation). */
function presetTitle(preset) {
  const key = `img.preset.${preset.name}`;
  const text = t(key);
  return text === key ? preset.title : text;
}

function renderFilters() {
  const box = $("[data-filters]");
  box.replaceChildren(
    ...state.filters.map((filter, index) => {
      const select = el("select", { "aria-label": t("img.filter_n", { n: index + 1 }) }, [
        ...state.presets.map((p) => el("option", { value: p.name, textContent: presetTitle(p) })),
        el("option", { value: "custom", textContent: t("img.custom") }),
      ]);
      select.value = filter.preset;
      select.addEventListener("change", () => {
        filter.preset = select.value;
        if (select.value !== "custom") {
          filter.values = presetValues(select.value);
        }
        renderFilters();
        scheduleRun();
      });
      const grid = el("div", { className: "il-kernel-grid" });
      grid.style.gridTemplateColumns = `repeat(${filter.values[0].length}, 5.4rem)`;
      filter.values.forEach((row, r) =>
        row.forEach((value, c) => {
          const input = el("input", {
            type: "number",
            step: "any",
            value: String(Math.round(value * 10000) / 10000),
            "aria-label": t("img.kernel_cell", { r: r + 1, c: c + 1 }),
          });
          input.addEventListener("change", () => {
            const number = Number(input.value);
            if (input.value.trim() !== "" && Number.isFinite(number)) {
              filter.values[r][c] = number;
              filter.preset = "custom";
              select.value = "custom";
              scheduleRun();
            }
          });
          grid.append(input);
        }),
      );
      const remove = el("button", {
        type: "button",
        textContent: "×",
        className: "il-remove",
        "aria-label": t("img.remove_filter", { n: index + 1 }),
        disabled: state.filters.length === 1,
      });
      remove.addEventListener("click", () => {
        state.filters.splice(index, 1);
        renderFilters();
        scheduleRun();
      });
      return el("div", { className: "il-filter" }, [
        el("div", { className: "il-filter-head" }, [el("strong", { textContent: t("img.filter_n", { n: index + 1 }) }), select, remove]),
        grid,
      ]);
    }),
  );
}

/* ---------- requests ---------- */

function inputKey() {
  return JSON.stringify([state.file ? `file${state.sourceVersion}` : state.sample, colorMode(), control("max-side").value]);
}

function baseForm() {
  const form = new FormData();
  form.append("maps", "levels");
  if (state.file) {
    form.append("image", state.file, "upload");
  } else {
    form.append("sample", state.sample);
  }
  form.append("color", colorMode());
  form.append("max_side", control("max-side").value);
  form.append("include_values", "true");
  return form;
}

async function post(path, form) {
  let response;
  try {
    response = await fetch(apiUrl(path), { method: "POST", body: form, headers: { Accept: "application/json, application/octet-stream" } });
  } catch {
    return { ok: false, detail: t("img.offline"), status: 0 };
  }
  performance.mark("il:headers");
  if (response.ok && response.headers.get("content-type") === "application/octet-stream") {
    const buffer = await response.arrayBuffer();
    performance.mark("il:body");
    return { ok: true, data: unpackAnswer(buffer) };
  }
  const body = await response.json().catch(() => ({}));
  if (response.ok) {
    return { ok: true, data: body };
  }
  const first = body.errors?.[0] || {};
  const detail = errorText({ rule: body.rule, field: body.field, params: first.params, detail: body.detail });
  return { ok: false, status: response.status, detail };
}

let runTimer = null;
/** Run once the current event is done (several changes in one go make one request), without a debounce delay. */
function scheduleRun() {
  clearTimeout(runTimer);
  runTimer = setTimeout(run, 0);
}

/** Tell whoever measures (the benchmark, the tests) that new maps are on screen. */
function announcePainted(kind) {
  document.dispatchEvent(new CustomEvent("il-painted", { detail: { kind, at: performance.now() } }));
}

/** The layer's settings shared by every filter (the request body minus the kernels). */
function layerSettings() {
  return {
    padding: Number(control("padding").value) || 0,
    padding_mode: control("padding-mode").value,
    stride: Math.max(1, Number(control("stride").value) || 1),
    bias: Number(control("bias").value) || 0,
    activation: control("activation").value,
  };
}

/**
 * Which filter alone changed since the answer on screen (same picture, settings and kernel size), or null:
 * then one filter's map is asked for and spliced in, the other maps stay as they are (they cannot change).
 */
function changedFilter(settingsKey) {
  const done = state.answered;
  if (!state.answer || !done || done.settings !== settingsKey || done.kernels.length !== state.filters.length) {
    return null;
  }
  const changed = state.filters.flatMap((f, k) => (JSON.stringify(f.values) === done.kernels[k] ? [] : [k]));
  if (changed.length !== 1) {
    return changed.length === 0 ? -1 : null;
  }
  const [was, now] = [JSON.parse(done.kernels[changed[0]]), state.filters[changed[0]].values];
  return was.length === now.length && was[0].length === now[0].length ? changed[0] : null;
}

async function run() {
  const ticket = ++state.request;
  const channels = colorMode() === "rgb" ? 3 : 1;
  const key = inputKey();
  const settings = layerSettings();
  const settingsKey = JSON.stringify([key, settings]);
  const only = changedFilter(settingsKey);
  if (only === -1) {
    await renderAnswer(); // nothing changed but a name (a preset with the same numbers): nothing to compute
    announcePainted("maps");
    return;
  }
  const sent = only === null ? state.filters : [state.filters[only]];
  const form = baseForm();
  form.append("params", JSON.stringify({ kernel: sent.map((f) => Array.from({ length: channels }, () => f.values)), ...settings }));
  form.append("include_focus", "false");
  form.set("maps", "binary");
  const reuse = state.input.key === key && state.input.picture !== null;
  form.append("include_input", String(!reuse));
  setStatus(t("img.working"));
  performance.mark("il:request");
  const result = await post("/api/v1/images/conv2d", form);
  performance.mark("il:parsed");
  if (ticket !== state.request) {
    return;
  }
  if (!result.ok) {
    showError(t("img.error", { status: result.status, detail: result.detail || "" }));
    setStatus("");
    return;
  }
  showError("");
  if (result.data.input.blob) {
    if (state.input.picture?.startsWith("blob:")) {
      URL.revokeObjectURL(state.input.picture);
    }
    state.input = { key, picture: URL.createObjectURL(result.data.input.blob), blob: result.data.input.blob, pixels: null };
  }
  result.data.input.picture = state.input.picture;
  if (!state.input.pixels) {
    state.input.pixels = await decodePixels(state.input.blob);
    if (ticket !== state.request) {
      return;
    }
  }
  state.palettes = result.data.palettes;
  state.tables = parsePalettes(result.data.palettes);
  state.answered = { settings: settingsKey, kernels: state.filters.map((f) => JSON.stringify(f.values)) };
  const source = result.data.source;
  setStatus(
    t("img.done", {
      source: source.kind === "sample" ? sampleName(state.samples.find((s) => s.name === source.sample)) : t("img.upload_name"),
      size: `${source.size[1]}×${source.size[0]}`,
      format: source.format,
    }),
  );
  performance.mark("il:decoded-input");
  if (only === null) {
    state.answer = result.data;
    await renderAnswer({ channels: false });
  } else {
    spliceFilter(state.answer, only, result.data);
    await repaintFilter(only);
  }
  performance.mark("il:painted");
  await new Promise(requestAnimationFrame);
  performance.mark("il:frame");
  announcePainted("maps");
  rewindSlide();
  const focus = Math.min(Number(control("focus").value) || 0, state.filters.length - 1);
  if (only === null || only === focus) {
    runFocus();
  }
  if (state.pooledKey !== key) {
    runPool(); // pooling depends on the picture only, not on the filters
  }
}

/** One filter's answer (filters[0] of `part`) put in place `index` of the whole answer. */
function spliceFilter(answer, index, part) {
  answer.filters[index] = { ...part.filters[0], index };
  answer.kernel[index] = part.kernel[0];
  answer.bias[index] = part.bias[0];
  if (answer.values?.output && part.values?.output) {
    answer.values.output[index] = part.values.output[0];
  }
}

/** The channel breakdown of the focus filter: the same request with that filter alone. */
async function runFocus() {
  const ticket = ++state.focusRequest;
  const answer = state.answer;
  const channels = answer.input.shape[0];
  const focus = Math.min(Number(control("focus").value) || 0, state.filters.length - 1);
  const form = baseForm();
  const filter = state.filters[focus];
  const params = { kernel: [Array.from({ length: channels }, () => filter.values)], ...layerSettings() };
  form.append("params", JSON.stringify(params));
  form.set("include_values", "false");
  form.append("include_input", "false");
  form.set("maps", "binary");
  const result = await post("/api/v1/images/conv2d", form);
  if (ticket !== state.focusRequest || answer !== state.answer || !result.ok) {
    return;
  }
  state.focus = { ...result.data.focus, index: focus, map: result.data.filters[0].map };
  renderChannels();
}

/* ---------- feature maps ---------- */

function mapCanvas(label, testid) {
  const canvas = el("canvas", { className: "il-pixels", role: "img", "aria-label": label });
  if (testid) {
    canvas.dataset.testid = testid;
  }
  return canvas;
}

function pixelImage(src, alt, testid) {
  const image = el("img", { src, alt, className: "il-pixels" });
  if (testid) {
    image.dataset.testid = testid;
  }
  return image;
}

function sizeForDisplay(image, height, width) {
  const scale = DISPLAY_SIDE / Math.max(height, width);
  image.style.width = `${Math.round(width * scale)}px`;
  image.style.height = `${Math.round(height * scale)}px`;
}

/** The legend of a map in the current view: its colour ramp, its numbers, and which scale and why. */
function legend(map, view = state.view) {
  const bar = el("div", { className: "il-legend-bar" });
  const sequential = map.scale === "sequential";
  const name = sequential ? (view === "signed" ? "sequential" : "gray") : view === "signed" ? "diverging" : "magnitude";
  const hex = state.palettes[name];
  const stops = Array.from({ length: 9 }, (_, k) => paletteColor(hex, Math.round((k * 254) / 8)));
  bar.style.background = `linear-gradient(to right, ${stops.join(", ")})`;
  const diverging = !sequential && view === "signed";
  const labels = el("div", { className: "il-legend-labels" }, [
    el("span", { textContent: diverging ? `−${formatNumber(map.range)}` : "0" }),
    el("span", { textContent: diverging ? "0" : "" }),
    el("span", { textContent: `${diverging ? "+" : ""}${formatNumber(map.range)}` }),
  ]);
  const why = el("small", { className: "il-legend-why", textContent: t(sequential ? "img.scale_sequential" : "img.scale_diverging") });
  return el("div", { className: "il-legend" }, [bar, labels, why]);
}

function mapFigure(map, caption, height, width, { testid, hover, scale, view = state.view, filter } = {}) {
  const image = mapCanvas(caption, testid);
  sizeForDisplay(image, height, width);
  const painted = paintMap(image, map, view, state.tables);
  if (filter !== undefined) {
    state.painted.set(filter, painted);
  }
  if (scale) {
    image.style.width = `${Math.round(width * scale)}px`;
    image.style.height = `${Math.round(height * scale)}px`;
  }
  if (hover) {
    attachHover(image, hover, height, width);
  }
  return el("figure", { className: "il-figure" }, [
    image,
    legend(map, view),
    el("figcaption", { textContent: t("img.map_caption", { name: caption, min: formatNumber(map.min), max: formatNumber(map.max) }) }),
  ]);
}

function filterName(index) {
  const filter = state.filters[index];
  const preset = filter && state.presets.find((p) => p.name === filter.preset);
  return `${index + 1}. ${preset ? presetTitle(preset) : t("img.custom")}`;
}

/** Paint the answer's maps; `channels` also repaints the channel breakdown (a new answer brings its own later). */
async function renderAnswer({ channels = true } = {}) {
  const answer = state.answer;
  if (!answer) {
    return;
  }
  state.painted = new Map();
  const [, outH, outW] = answer.output_shape;
  const [channelCount, inH, inW] = answer.input.shape;
  const inputImage = pixelImage(answer.input.picture, t("img.input", { shape: answer.input.shape.join("×") }), "input-picture");
  sizeForDisplay(inputImage, inH, inW);
  const stage = el("div", { className: "il-stage" }, [inputImage, el("div", { className: "il-hover-box", hidden: true, dataset: { hoverBox: "" } })]);
  const inputFigure = el("figure", { className: "il-figure" }, [
    stage,
    el("figcaption", { textContent: t("img.input", { shape: `${channelCount}×${inH}×${inW}` }) }),
  ]);
  const maps = answer.filters.map((filter) => filterFigure(filter, outH, outW));
  $("[data-maps]").replaceChildren(inputFigure, ...maps);
  const colon = t("punct.colon");
  const formula = `\n${t("img.axis_height")}${colon}${answer.shape.height.formula}\n${t("img.axis_width")}${colon}${answer.shape.width.formula}`;
  $("[data-shape]").textContent = t("img.shape", {
    input: answer.input.shape.join("×"),
    output: answer.output_shape.join("×"),
    formula,
  });
  $("[data-readout]").textContent = answer.values ? t("img.hover_hint") : t("img.no_values");
  renderFocusSelect();
  if (channels) {
    renderChannels();
  }
  await Promise.all(state.painted.values());
}

function filterFigure(filter, height, width) {
  const figure = mapFigure(filter.map, filterName(filter.index), height, width, {
    testid: "feature-map",
    hover: { filter: filter.index },
    filter: filter.index,
  });
  figure.dataset.filter = String(filter.index);
  return figure;
}

/** Paint one filter's new map in its place; the other figures stay untouched. */
async function repaintFilter(index) {
  const [, outH, outW] = state.answer.output_shape;
  const figure = filterFigure(state.answer.filters[index], outH, outW);
  const painted = state.painted.get(index);
  $(`[data-maps] [data-filter="${index}"]`).replaceWith(figure);
  renderFocusSelect();
  await painted;
}

function renderFocusSelect() {
  const select = control("focus");
  const current = Math.min(Number(select.value) || 0, state.answer.filters.length - 1);
  select.replaceChildren(...state.answer.filters.map((f) => el("option", { value: String(f.index), textContent: filterName(f.index) })));
  select.value = String(current);
}

function kernelTable(kernel) {
  return el(
    "table",
    { className: "il-numbers" },
    kernel.map((row) => el("tr", {}, row.map((v) => el("td", { textContent: formatNumber(v) })))),
  );
}

function renderChannels() {
  const answer = state.answer;
  const focus = state.focus;
  if (!answer || !focus || !state.input.pixels) {
    return;
  }
  const [, outH, outW] = answer.output_shape;
  const [, inH, inW] = answer.input.shape;
  const rows = focus.channels.map((channel, c) => {
    const image = paintChannel(mapCanvas(channel.name), state.input.pixels, channel.name);
    sizeForDisplay(image, inH, inW);
    return el("div", { className: "il-channel-row" }, [
      el("figure", { className: "il-figure" }, [image, el("figcaption", { textContent: channelLabel(channel.name) })]),
      el("span", { className: "il-op", textContent: "⋆" }),
      el("figure", { className: "il-figure" }, [kernelTable(focus.kernels[c]), el("figcaption", { textContent: t("img.kernel", { name: channelLabel(channel.name) }) })]),
      el("span", { className: "il-op", textContent: "=" }),
      mapFigure(channel.map, t("img.response", { name: channelLabel(channel.name) }), outH, outW),
    ]);
  });
  const activation = answer.activation;
  const total = el("div", { className: "il-channel-row il-total" }, [
    el("span", { className: "il-op", textContent: focus.channels.length > 1 ? "Σ" : "" }),
    mapFigure(focus.sum || focus.map, `${t("img.sum")} (${formatNumber(focus.bias)})`, outH, outW),
    ...(activation === "none"
      ? []
      : [el("span", { className: "il-op", textContent: "→" }), mapFigure(focus.map, t("img.activated", { name: activation }), outH, outW)]),
  ]);
  $("[data-channels]").replaceChildren(...rows, total);
}

/* ---------- hover arithmetic ---------- */

function attachHover(image, { filter }, height, width) {
  image.tabIndex = 0;
  let cursor = [0, 0];
  const show = (i, j) => {
    cursor = [i, j];
    const answer = state.answer;
    const lines = readoutLines(answer, filter, i, j);
    if (!lines) {
      showHoverWindow(filter, i, j);
      $("[data-readout]").textContent = t("img.no_values");
      return;
    }
    const parts = lines.channels.map((c) => t("img.readout_channel", { channel: channelLabel(c.name), sum: formatNumber(c.sum) }));
    const act = answer.activation === "none" ? "" : t("img.readout_act", { name: answer.activation, value: formatNumber(lines.activated) });
    showHoverWindow(filter, i, j);
    $("[data-readout]").textContent = [
      t("img.readout", { f: filter + 1, i, j, value: formatNumber(lines.value) }),
      parts.join(";  "),
      t("img.readout_total", { parts: lines.channels.map((c) => formatNumber(c.sum)).join(" + "), bias: formatNumber(lines.bias), pre: formatNumber(lines.pre), act }),
    ].join("\n");
  };
  image.addEventListener("mousemove", (event) => {
    const box = image.getBoundingClientRect();
    const j = Math.min(width - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * width)));
    const i = Math.min(height - 1, Math.max(0, Math.floor(((event.clientY - box.top) / box.height) * height)));
    show(i, j);
  });
  image.addEventListener("focus", () => show(...cursor));
  image.addEventListener("keydown", (event) => {
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      show(Math.min(height - 1, Math.max(0, cursor[0] + move[0])), Math.min(width - 1, Math.max(0, cursor[1] + move[1])));
    }
  });
}

/** The box on the input under the pointer, and the window's numbers × weights = products, summed. */
function showHoverWindow(filter, i, j) {
  const answer = state.answer;
  const inW = answer.input.shape[2];
  const win = windowAt(answer, i, j);
  const box = $("[data-hover-box]");
  const image = $("[data-testid=input-picture]");
  if (box && image) {
    const scale = image.getBoundingClientRect().width / inW;
    box.hidden = false;
    box.style.left = `${(win.col - answer.padding[2]) * scale}px`;
    box.style.top = `${(win.row - answer.padding[0]) * scale}px`;
    box.style.width = `${win.width * scale}px`;
    box.style.height = `${win.height * scale}px`;
  }
  const table = magnifierTable(answer, filter, i, j);
  const panel = $("[data-hover-window]");
  if (!table) {
    panel.replaceChildren();
    return;
  }
  const blocks = table.channels.map((channel) => {
    const rows = channel.cells.map((row) =>
      el(
        "tr",
        {},
        row.map((cell) =>
          el("td", {}, [
            el("span", { className: "il-hw-pixel", textContent: formatNumber(cell.pixel) }),
            el("span", { className: "il-hw-weight", textContent: `× ${formatNumber(cell.weight)}` }),
            el("span", { className: "il-hw-product", textContent: `= ${formatNumber(cell.pixel * cell.weight)}` }),
          ]),
        ),
      ),
    );
    return el("figure", { className: "il-figure il-hw-block" }, [
      el("table", { className: "il-numbers il-hw-table" }, rows),
      el("figcaption", { textContent: `${t("img.magnifier_channel", { channel: channelLabel(channel.name) })}${t("punct.colon")}Σ = ${formatNumber(channel.sum)}` }),
    ]);
  });
  const total = el("p", {
    className: "il-hw-sum",
    textContent: t("img.hover_sum", {
      parts: table.channels.map((c) => formatNumber(c.sum)).join(" + "),
      bias: formatNumber(table.bias),
      pre: formatNumber(table.pre),
      i,
      j,
      rows: `${win.row - answer.padding[0]}…${win.row - answer.padding[0] + win.height - 1}`,
      cols: `${win.col - answer.padding[2]}…${win.col - answer.padding[2] + win.width - 1}`,
    }),
  });
  panel.replaceChildren(...blocks, total);
}

/* ---------- sliding window ---------- */

const pictures = new Map();
function loadPicture(src) {
  if (!pictures.has(src)) {
    pictures.clear();
    const image = new Image();
    image.src = src;
    pictures.set(src, image.decode().then(() => image));
  }
  return pictures.get(src);
}

function slideTotal() {
  if (!state.answer) {
    return 0;
  }
  const [, h, w] = state.answer.output_shape;
  return h * w;
}

function rewindSlide() {
  state.slide.position = 0;
  drawSlide();
}

const TICK_MS = 80;

/** Positions per tick: one, or as many as cross the whole picture in the chosen time, whatever its size. */
function stepSize() {
  const speed = control("speed").value;
  if (!speed.startsWith("s")) {
    return Number(speed) || 1;
  }
  const ticks = (Number(speed.slice(1)) * 1000) / TICK_MS;
  return Math.max(1, Math.ceil(slideTotal() / ticks));
}

function tick() {
  if (!state.answer) {
    return;
  }
  state.slide.position = Math.min(slideTotal(), state.slide.position + stepSize());
  if (state.slide.position >= slideTotal()) {
    stopSlide();
  }
  drawSlide();
}

function stopSlide() {
  clearInterval(state.slide.timer);
  state.slide.timer = null;
  const play = $('[data-action="play"]');
  play.setAttribute("aria-pressed", "false");
  play.textContent = t("img.play");
}

function toggleSlide() {
  if (state.slide.timer) {
    stopSlide();
    return;
  }
  if (state.slide.position >= slideTotal()) {
    state.slide.position = 0;
  }
  state.slide.timer = setInterval(tick, TICK_MS);
  const play = $('[data-action="play"]');
  play.setAttribute("aria-pressed", "true");
  play.textContent = t("img.pause");
}

async function drawSlide() {
  const answer = state.answer;
  if (!answer) {
    return;
  }
  const [, outH, outW] = answer.output_shape;
  const [, inH, inW] = answer.input.shape;
  const [top, , left] = answer.padding;
  const hp = inH + answer.padding[0] + answer.padding[1];
  const wp = inW + answer.padding[2] + answer.padding[3];
  const done = state.slide.position;
  const current = Math.min(done, slideTotal() - 1);
  const i = Math.floor(current / outW);
  const j = current % outW;
  const [input, output] = await Promise.all([loadPicture(answer.input.picture), state.painted.get(0)]).catch(() => []);
  if (!input || answer !== state.answer) {
    return;
  }
  const inCanvas = $("[data-slide-input]");
  const scale = Math.min(inCanvas.width / wp, inCanvas.height / hp);
  const ctx = inCanvas.getContext("2d");
  ctx.imageSmoothingEnabled = false;
  ctx.fillStyle = "#d8d8d8";
  ctx.fillRect(0, 0, inCanvas.width, inCanvas.height);
  ctx.fillStyle = "#000000"; // zero padding: value 0 is black
  ctx.fillRect(0, 0, wp * scale, hp * scale);
  if (control("padding-mode").value !== "zeros" && answer.values) {
    drawPadded(ctx, answer.values.padded_input, scale);
  }
  ctx.drawImage(input, left * scale, top * scale, inW * scale, inH * scale);
  const win = windowAt(answer, i, j);
  ctx.lineWidth = 3;
  ctx.strokeStyle = "#d55e00";
  ctx.strokeRect(win.col * scale, win.row * scale, win.width * scale, win.height * scale);

  const outCanvas = $("[data-slide-output]");
  const outScale = Math.min(outCanvas.width / outW, outCanvas.height / outH);
  const octx = outCanvas.getContext("2d");
  octx.imageSmoothingEnabled = false;
  octx.fillStyle = "#d8d8d8";
  octx.fillRect(0, 0, outCanvas.width, outCanvas.height);
  const fullRows = Math.floor(done / outW);
  const partial = done % outW;
  if (fullRows > 0) {
    octx.drawImage(output, 0, 0, outW, fullRows, 0, 0, outW * outScale, fullRows * outScale);
  }
  if (partial > 0 && fullRows < outH) {
    octx.drawImage(output, 0, fullRows, partial, 1, 0, fullRows * outScale, partial * outScale, outScale);
  }
  if (done < slideTotal()) {
    octx.lineWidth = 3;
    octx.strokeStyle = "#d55e00";
    octx.strokeRect(j * outScale, i * outScale, outScale, outScale);
  }
  $("[data-slide-counter]").textContent = t("img.slide_counter", { n: done, total: slideTotal() });
  renderMagnifier(i, j);
}

/** Non-zero padding modes: paint the padded picture from its numbers, so the border shows what it holds. */
function drawPadded(ctx, padded, scale) {
  const [height, width] = [padded[0].length, padded[0][0].length];
  const image = ctx.createImageData(width, height);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const at = 4 * (r * width + c);
      const [red, green, blue] = padded.length === 3 ? [padded[0][r][c], padded[1][r][c], padded[2][r][c]] : Array(3).fill(padded[0][r][c]);
      image.data.set([red, green, blue, 255], at);
    }
  }
  const canvas = el("canvas", { width, height });
  canvas.getContext("2d").putImageData(image, 0, 0);
  ctx.drawImage(canvas, 0, 0, width * scale, height * scale);
}

function renderMagnifier(i, j) {
  const table = magnifierTable(state.answer, 0, i, j);
  const box = $("[data-magnifier]");
  if (!table) {
    box.replaceChildren(el("p", { textContent: t("img.no_values") }));
    return;
  }
  box.replaceChildren(
    ...table.channels.map((channel) =>
      el("figure", { className: "il-figure" }, [
        el(
          "table",
          { className: "il-numbers il-window" },
          channel.cells.map((row) =>
            el(
              "tr",
              {},
              row.map((cell) =>
                el("td", {}, [el("span", { textContent: formatNumber(cell.pixel) }), el("small", { textContent: `×${formatNumber(cell.weight)}` })]),
              ),
            ),
          ),
        ),
        el("figcaption", { textContent: `${t("img.magnifier_channel", { channel: channelLabel(channel.name) })}${t("punct.colon")}${formatNumber(channel.sum)}` }),
      ]),
    ),
    el("p", { className: "il-sum", textContent: t("img.magnifier_sum", { value: formatNumber(table.pre) }) }),
  );
}

/* ---------- pooling ---------- */

async function runPool() {
  const ticket = ++state.poolRequest;
  const form = baseForm();
  const size = Math.max(1, Number(control("pool-size").value) || 2);
  const stride = Math.max(1, Number(control("pool-stride").value) || size);
  form.append("params", JSON.stringify({ mode: control("pool-mode").value, kernel_size: size, stride }));
  const [dy, dx] = control("shift").value.split(",");
  form.append("shift_y", dy);
  form.append("shift_x", dx);
  form.set("include_values", "false");
  const key = inputKey();
  const result = await post("/api/v1/images/pool2d", form);
  if (ticket !== state.poolRequest) {
    return;
  }
  state.pooledKey = key;
  if (!result.ok) {
    showError(t("img.error", { status: result.status, detail: result.detail || "" }));
    return;
  }
  const answer = result.data;
  if (!state.tables) {
    state.palettes = answer.palettes;
    state.tables = parsePalettes(answer.palettes);
  }
  const [c, h, w] = answer.input.shape;
  const [, oh, ow] = answer.output_shape;
  const scale = DISPLAY_SIDE / Math.max(h, w); // one scale for all: the pooled map looks as small as it is
  const figure = (src, caption, height, width, testid) => {
    const image = pixelImage(src, caption, testid);
    image.style.width = `${Math.round(width * scale)}px`;
    image.style.height = `${Math.round(height * scale)}px`;
    return el("figure", { className: "il-figure" }, [image, el("figcaption", { textContent: caption })]);
  };
  const figures = [
    figure(answer.input.picture, t("img.pool_before", { shape: `${c}×${h}×${w}` }), h, w),
    figure(answer.output, t("img.pool_after", { shape: answer.output_shape.join("×") }), oh, ow, "pooled"),
  ];
  const shifted = answer.shifted;
  let summary = "";
  if (shifted) {
    figures.push(figure(shifted.input, t("img.pool_shifted_input", { dy: shifted.shift[0], dx: shifted.shift[1] }), h, w));
    figures.push(figure(shifted.output, t("img.pool_shifted"), oh, ow));
    if (shifted.same_shape) {
      figures.push(mapFigure(shifted.difference, t("img.pool_diff"), oh, ow, { scale, view: "signed" }));
      const key = control("pool-mode").value === "avg" ? "img.pool_summary_avg" : "img.pool_summary";
      summary = t(key, { percent: Math.round(shifted.equal_fraction * 1000) / 10, dy: shifted.shift[0], dx: shifted.shift[1] });
    } else {
      summary = t("img.pool_summary_shape");
    }
  }
  $("[data-pool]").replaceChildren(...figures);
  $("[data-pool-summary]").textContent = summary;
}

/* ---------- picture sources ---------- */

function useFile(file) {
  if (!file) {
    return;
  }
  state.file = file;
  state.sourceVersion += 1;
  control("sample").value = "";
  scheduleRun();
}

async function startCamera() {
  const box = $("[data-camera]");
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
    $("[data-camera-video]").srcObject = stream;
    box.hidden = false;
  } catch {
    showError(t("img.camera_denied"));
  }
}

function stopCamera() {
  const video = $("[data-camera-video]");
  for (const track of video.srcObject ? video.srcObject.getTracks() : []) {
    track.stop();
  }
  video.srcObject = null;
  $("[data-camera]").hidden = true;
}

function snapshot() {
  const video = $("[data-camera-video]");
  const canvas = el("canvas", { width: video.videoWidth || 320, height: video.videoHeight || 240 });
  canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
  canvas.toBlob((blob) => useFile(blob), "image/png");
}

/** A sample's name in the page's language. */
function sampleName(sample) {
  const key = `img.sample.${sample.name}`;
  const text = t(key);
  return text === key ? sample.title : text;
}

function sampleTitle(sample) {
  return `${sampleName(sample)} (${sample.width}×${sample.height})`;
}

async function loadSamples() {
  const result = await getJSON("/api/v1/images/samples");
  const select = control("sample");
  if (!result.ok) {
    showError(t("img.offline"));
    return;
  }
  state.samples = result.data;
  const groups = { patterns: "img.sample_patterns", cifar: "img.sample_cifar" };
  select.replaceChildren(
    el("option", { value: "", textContent: "—" }),
    ...Object.entries(groups).map(([group, key]) =>
      el(
        "optgroup",
        { label: t(key), dataset: { i18nLabel: key } },
        result.data
          .filter((s) => s.group === group)
          .map((s) => el("option", { value: s.name, textContent: sampleTitle(s), dataset: { sample: JSON.stringify(s) } })),
      ),
    ),
  );
  select.value = state.sample;
}

function wire() {
  $("#il-file").addEventListener("change", (event) => useFile(event.target.files[0]));
  const zone = $("[data-drop-zone]");
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("il-dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("il-dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("il-dragging");
    useFile(event.dataTransfer.files[0]);
  });
  document.addEventListener("paste", (event) => {
    const file = [...(event.clipboardData?.files || [])][0];
    if (file) {
      useFile(file);
    }
  });
  control("sample").addEventListener("change", () => {
    if (control("sample").value) {
      state.sample = control("sample").value;
      state.file = null;
      $("#il-file").value = "";
      scheduleRun();
    }
  });
  for (const name of ["max-side", "padding", "padding-mode", "stride", "bias", "activation"]) {
    control(name).addEventListener("change", scheduleRun);
  }
  control("focus").addEventListener("change", () => state.answer && runFocus());
  for (const radio of document.querySelectorAll('[data-control="color"]')) {
    radio.addEventListener("change", scheduleRun);
  }
  for (const radio of document.querySelectorAll('[data-control="view"]')) {
    radio.addEventListener("change", async () => {
      state.view = radio.value;
      await renderAnswer();
      announcePainted("view");
      drawSlide();
    });
  }
  for (const name of ["pool-mode", "pool-size", "pool-stride", "shift"]) {
    control(name).addEventListener("change", runPool);
  }
  $('[data-action="pool"]').addEventListener("click", runPool);
  $('[data-action="add-filter"]').addEventListener("click", () => {
    const size = state.filters[0]?.values.length || 3;
    const name = size === 3 ? "sharpen" : "gaussian_5x5";
    state.filters.push({ preset: name, values: presetValues(name) });
    renderFilters();
    scheduleRun();
  });
  $('[data-action="play"]').addEventListener("click", toggleSlide);
  $('[data-action="step"]').addEventListener("click", tick);
  $('[data-action="rewind"]').addEventListener("click", rewindSlide);
  $('[data-action="camera"]').addEventListener("click", startCamera);
  $('[data-action="camera-stop"]').addEventListener("click", stopCamera);
  $('[data-action="snapshot"]').addEventListener("click", snapshot);
  if (!navigator.mediaDevices?.getUserMedia) {
    $('[data-action="camera"]').hidden = true;
  }
  onLanguageChange(() => {
    renderFilters();
    for (const group of document.querySelectorAll("optgroup[data-i18n-label]")) {
      group.label = t(group.dataset.i18nLabel);
    }
    for (const option of document.querySelectorAll("option[data-sample]")) {
      option.textContent = sampleTitle(JSON.parse(option.dataset.sample));
    }
    renderAnswer();
    if (!state.slide.timer) {
      $('[data-action="play"]').textContent = t("img.play");
    }
  });
}

async function start() {
  initI18n();
  wire();
  const kernels = await getJSON("/api/v1/kernels");
  state.presets = kernels.ok ? kernels.data : [];
  state.filters = DEFAULT_FILTERS.map((name) => ({ preset: name, values: presetValues(name) }));
  renderFilters();
  await loadSamples();
  await run();
  revealPage();
}

start().finally(revealPage);
