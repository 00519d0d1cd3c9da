/**
 * The transposed-convolution panel: the scatter view (each input cell stamps value × kernel onto
 * the output) beside the direct view (a stride-1 convolution of the zero-inserted, padded input
 * with the flipped kernel), stepped one frame at a time, and a check that both give the same output.
 *
 * One channel in, one out: the point is the geometry. Frames come from POST /api/v1/conv_transpose2d.
 */

import { $, el } from "./dom.js";
import { formatFixed, parseMatrix } from "./format.js";
import { debounce } from "./debounce.js";
import { errorText } from "./messages/errors.js";
import { postJSON } from "./api.js";
import { numberTable } from "./number-table.js";
import { onLanguageChange, t } from "./i18n.js";

const views = { scatter: { answer: null, step: 0 }, direct: { answer: null, step: 0 } };

/** A small table of numbers; `classOf(r, c)` adds classes to a cell. */
function grid(matrix, classOf = () => "") {
  const rows = matrix.map((row, r) => row.map((value, c) => el("td", classOf(r, c), value === null ? "" : formatFixed(value))));
  return numberTable("tr-grid", rows);
}

function readControls() {
  const value = (name) => $(`[data-tr=${name}]`).value;
  const int = (name) => Number.parseInt(value(name), 10);
  return {
    input: parseMatrix(value("input")).matrix,
    kernel: parseMatrix(value("kernel")).matrix,
    stride: int("stride"),
    padding: int("padding"),
    output_padding: int("output_padding"),
    dilation: int("dilation"),
  };
}

async function run() {
  const body = readControls();
  const error = $("[data-tr-error]");
  if (!body.input || !body.kernel) {
    const name = body.input ? "kernel" : "input";
    const { problem } = parseMatrix($(`[data-tr=${name}]`).value);
    error.textContent = `${t("tr.bad_matrix")} ${t(`tr.problem_${problem.rule}`, { ...problem, which: t(`tr.${name}`) })}`;
    return;
  }
  const [scatter, direct] = await Promise.all([
    postJSON("/api/v1/conv_transpose2d", { ...body, view: "scatter" }),
    postJSON("/api/v1/conv_transpose2d", { ...body, view: "direct" }),
  ]);
  if (!scatter.ok || !direct.ok) {
    error.textContent = errorText(scatter.ok ? direct : scatter) || t("net.failed");
    return;
  }
  error.textContent = "";
  views.scatter = { answer: scatter.data, step: Math.min(views.scatter.step, scatter.data.frames.length - 1) };
  views.direct = { answer: direct.data, step: Math.min(views.direct.step, direct.data.frames.length - 1) };
  render();
}

/** Output cells a scatter frame's stamp lands on: origin + dilation × index, inside the output. */
function stampCells(frame, dilation, height, width) {
  const cells = [];
  frame.stamp[0].forEach((row, a) =>
    row.forEach((value, b) => {
      const r = frame.origin[0] + dilation * a;
      const c = frame.origin[1] + dilation * b;
      if (r >= 0 && r < height && c >= 0 && c < width) cells.push([r, c, value]);
    }),
  );
  return cells;
}

/** The output after the first `upTo` + 1 stamps (before the bias). */
function partialSum(answer, upTo, dilation) {
  const [, height, width] = answer.output_shape;
  const sum = Array.from({ length: height }, () => Array(width).fill(0));
  for (const frame of answer.frames.slice(0, upTo + 1)) {
    for (const [r, c, value] of stampCells(frame, dilation, height, width)) sum[r][c] += value;
  }
  return sum;
}

function renderScatter(dilation) {
  const { answer, step } = views.scatter;
  const frame = answer.frames[step];
  const [, height, width] = answer.output_shape;
  const hits = new Set(stampCells(frame, dilation, height, width).map(([r, c]) => `${r},${c}`));
  const input = readControls().input;
  $("[data-tr-caption=scatter]").textContent = t("tr.scatter_step", {
    step: step + 1,
    count: answer.frame_count,
    r: frame.cell[1],
    c: frame.cell[2],
    value: formatFixed(frame.value),
    or: frame.origin[0],
    oc: frame.origin[1],
  });
  $("[data-tr-grid=scatter-input]").replaceChildren(
    grid(input, (r, c) => (r === frame.cell[1] && c === frame.cell[2] ? "current" : "")),
  );
  $("[data-tr-grid=scatter-output]").replaceChildren(
    grid(partialSum(answer, step, dilation), (r, c) => (hits.has(`${r},${c}`) ? "stamped" : "")),
  );
}

function renderDirect(dilation) {
  const { answer, step } = views.direct;
  const frame = answer.frames[step];
  const kh = answer.direct.kernel[0][0].length;
  const kw = answer.direct.kernel[0][0][0].length;
  const taps = new Set();
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) taps.add(`${frame.origin[0] + dilation * a},${frame.origin[1] + dilation * b}`);
  }
  const [, i, j] = frame.out;
  $("[data-tr-caption=direct]").textContent = t("tr.direct_step", {
    step: step + 1,
    count: answer.frame_count,
    i,
    j,
    value: formatFixed(frame.value),
  });
  const [top, , left] = answer.direct.padding;
  const stride = readControls().stride;
  const zeroInserted = answer.direct.zero_inserted[0];
  /** What a padded cell is: a real input cell, an inserted zero, or padding (top/left may be negative: a crop). */
  const kind = (r, c) => {
    const [zr, zc] = [r - top, c - left];
    if (zr < 0 || zc < 0 || zr >= zeroInserted.length || zc >= zeroInserted[0].length) return "pad";
    return zr % stride === 0 && zc % stride === 0 ? "" : "inserted";
  };
  const padded = answer.direct.padded_input[0];
  $("[data-tr-grid=direct-input]").replaceChildren(
    grid(padded, (r, c) => `${kind(r, c)}${taps.has(`${r},${c}`) ? " window" : ""}`),
  );
  $("[data-tr-grid=direct-kernel]").replaceChildren(grid(answer.direct.kernel[0][0]));
  const width = answer.output_shape[2];
  const done = (r, c) => r * width + c <= step;
  $("[data-tr-grid=direct-output]").replaceChildren(
    grid(
      answer.output[0].map((row, r) => row.map((v, c) => (done(r, c) ? v : null))),
      (r, c) => (r === i && c === j ? "current" : r * width + c > step ? "pending" : ""),
    ),
  );
}

function render() {
  const scatter = views.scatter.answer;
  if (!scatter) return;
  const dilation = readControls().dilation;
  const { height, width } = scatter.shape;
  $("[data-tr-formula]").textContent = t("tr.formula", { h: height.formula, w: width.formula });
  renderScatter(dilation);
  renderDirect(dilation);
  const all = partialSum(scatter, scatter.frames.length - 1, dilation);
  const direct = views.direct.answer.output[0];
  let diff = 0;
  all.forEach((row, r) =>
    row.forEach((v, c) => {
      diff = Math.max(diff, Math.abs(v + scatter.bias[0] - direct[r][c]));
    }),
  );
  const agree = $("[data-tr-agree]");
  agree.textContent = t(diff < 1e-9 ? "tr.agree" : "tr.disagree", {
    stamps: scatter.frame_count,
    windows: views.direct.answer.frame_count,
    diff: formatFixed(diff),
  });
  agree.classList.toggle("ok", diff < 1e-9);
}

function step(view, delta) {
  const state = views[view];
  if (!state.answer) return;
  const count = state.answer.frames.length;
  state.step = (state.step + delta + count) % count;
  render();
}

/** `tr_input=1,2;3,4&tr_stride=2…` in the URL opens the panel on that layer (links from practice do). */
function readQuery() {
  const query = new URLSearchParams(location.search);
  for (const control of document.querySelectorAll("[data-tr]")) {
    const value = query.get(`tr_${control.dataset.tr}`);
    if (value !== null) control.value = value;
  }
}

const later = debounce(() => run(), 250);

/** A link to the panel (#transpose, or tr_… settings from a practice question) wants it at once. */
function linkedTo() {
  return location.hash === "#transpose" || [...new URLSearchParams(location.search).keys()].some((key) => key.startsWith("tr_"));
}

/**
 * The panel is the page's last section: it asks the server and draws once it is a screen away from
 * being seen, so the layers at the top are drawn first and a phone's first seconds are theirs.
 */
function runWhenNear(panel) {
  if (!panel || linkedTo() || typeof IntersectionObserver === "undefined") {
    run();
    return;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        run();
      }
    },
    { rootMargin: "100% 0px" },
  );
  observer.observe(panel);
}

export function initTransposePanel() {
  readQuery();
  for (const control of document.querySelectorAll("[data-tr]")) {
    control.addEventListener("input", later);
  }
  for (const button of document.querySelectorAll("[data-tr-step]")) {
    button.addEventListener("click", () => step(button.dataset.trStep, Number(button.dataset.delta)));
  }
  onLanguageChange(render);
  runWhenNear($("[data-testid=transpose-panel]"));
}
