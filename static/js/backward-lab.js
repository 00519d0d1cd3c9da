/**
 * The Backward lab: the Matrix lab's layer (same URL query, read with state.js), its output
 * gradient editable, and the backward pass step by step — the input gradient as scatter and as
 * gather side by side, the weight gradient, pooling's routing as arrows — then Learn a kernel.
 *
 * Every number comes from POST /api/v1/conv2d/backward or /pool2d/backward (torch.autograd's
 * numbers); the page only draws them and checks that its two views agree.
 */

import { $ } from "./dom.js";
import { debounce } from "./debounce.js";
import { postForBlob, postJSON } from "./api.js";
import { initFit } from "./backward-fit.js";
import { editableGrid, figure, numberGrid, stepper } from "./backward-grids.js";
import { formatValue } from "./format.js";
import { gatherSentence, routingSentence, scatterSentence, weightSentence } from "./backward-steps.js";
import { initI18n, language, onLanguageChange, revealPage, t } from "./i18n.js";
import "./messages/backward-lab.js";
import { backwardCode } from "./pytorch-backward.js";
import { convBody, parseMatrix, poolBody, queryFromState, stateFromQuery } from "./state.js";

const DEBOUNCE_MS = 200;

const page = {
  layer: stateFromQuery(location.search),
  grad: parseGrad(new URLSearchParams(location.search).get("grad")),
  answers: null,
  request: 0,
  timer: 0,
  error: null,
};

/** `grad=1,0;0,1|...` in the URL: the output gradient, maps split by "|". */
function parseGrad(text) {
  if (!text) return null;
  const maps = text.split("|").map((part) => parseMatrix(part, 64).matrix);
  return maps.every(Boolean) ? maps : null; // a ragged or unreadable gradient in a link is ignored
}

function formatGrad(grad) {
  return grad.map((m) => m.map((row) => row.map(formatValue).join(",")).join(";")).join("|");
}

function isPool() {
  return page.layer.mode === "pool";
}

async function fetchAll(path, body) {
  const first = await postJSON(path, body);
  if (!first.ok) return first;
  const data = first.data;
  let next = data.next_frame_start;
  while (next !== null && next !== undefined) {
    const more = await postJSON(path, { ...body, frame_start: next });
    if (!more.ok) return more;
    data.frames.push(...more.data.frames);
    next = more.data.next_frame_start;
  }
  return { ok: true, data };
}

/** Ask the server for every view of the current layer and output gradient, then draw. */
const computeSoon = debounce(() => compute(), DEBOUNCE_MS);

async function compute() {
  const id = ++page.request;
  const grad = page.grad ? { grad_output: page.grad } : {};
  let replies;
  if (isPool()) {
    replies = [await fetchAll("/api/v1/pool2d/backward", { ...poolBody(page.layer), ...grad })];
  } else {
    const body = { ...convBody(page.layer), ...grad };
    replies = await Promise.all(
      ["scatter", "gather", "weight"].map((view) => fetchAll("/api/v1/conv2d/backward", { ...body, view })),
    );
  }
  if (id !== page.request) return; // a newer edit has been sent
  const failed = replies.find((reply) => !reply.ok);
  page.error = failed || null;
  page.answers = failed ? null : replies.map((reply) => reply.data);
  draw();
}

function showError() {
  const box = $("[data-testid=bw-error]");
  if (!page.error) {
    box.hidden = true;
    return;
  }
  const reply = page.error;
  const key = `bw.apierr.${reply.rule}`;
  let text;
  if (reply.status === 0) text = t("server.offline");
  else if (reply.rule && t(key) !== key) text = t("bw.error.prefix", { detail: t(key) });
  else if (reply.detail) text = t("bw.error.prefix", { detail: reply.detail });
  else text = t("server.status", { status: reply.status });
  box.textContent = text;
  box.hidden = false;
}

function draw() {
  showError();
  $("[data-testid=bw-views]").hidden = !page.answers;
  if (!page.answers) return;
  const first = page.answers[0];
  if (!page.grad) page.grad = first.grad_output;
  drawLayer(first);
  drawGradEditor(first);
  $("[data-conv-only]").hidden = isPool();
  $("[data-pool-only]").hidden = !isPool();
  if (isPool()) {
    drawRouting(first);
  } else {
    drawInputViews(page.answers[0], page.answers[1]);
    drawWeights(page.answers[2]);
  }
  $("[data-testid=pytorch-code]").textContent = backwardCode(page.layer, page.grad);
  const query = queryFromState(page.layer, { lang: language() });
  $("[data-testid=open-matrix-lab]").href = `${document.querySelector("meta[name=root-path]").content}/?${query}`;
}

function channelGrids(stack, captionKey, options = {}) {
  return stack.map((m, c) => figure(t(captionKey, { ch: c + 1 }), numberGrid(m, { ...options, mark: (r, col) => (options.mark ? options.mark(c, r, col) : "") })));
}

function drawLayer(answer) {
  const box = $("[data-testid=bw-layer]");
  const parts = [figure(t("bw.input"), ...page.layer.input.map((m) => numberGrid(m)))];
  if (!isPool()) parts.push(figure(t("bw.kernel_used"), ...answer.kernel.flat().map((m) => numberGrid(m))));
  parts.push(figure(t("bw.output"), ...answer.output.map((m) => numberGrid(m, { testid: "forward-output" }))));
  box.replaceChildren(...parts);
  $("[data-testid=bw-summary]").textContent = isPool()
    ? t(page.layer.pool.op === "max" ? "bw.summary.max" : "bw.summary.avg")
    : t("bw.summary.conv", { activation: t(`act.${page.layer.activation}`) });
}

function drawGradEditor(answer) {
  const box = $("[data-testid=grad-editor]");
  const shape = `${answer.grad_output.length}×${answer.grad_output[0].length}×${answer.grad_output[0][0].length}`;
  if (box.dataset.shape === shape && box.contains(document.activeElement)) return; // keep the caret
  box.dataset.shape = shape;
  box.replaceChildren(
    editableGrid(answer.grad_output, (values) => {
      page.grad = values;
      computeSoon();
    }),
  );
}

function setGrad(values) {
  page.grad = values;
  $("[data-testid=grad-editor]").dataset.shape = "";
  compute();
}

/* ---------- input gradient: scatter and gather, side by side ---------- */

const key = (...parts) => parts.join(",");

function drawInputViews(scatter, gather) {
  const [kh, kw] = [scatter.kernel[0][0].length, scatter.kernel[0][0][0].length];
  const dilation = gather.gather.dilation;
  const padded = scatter.grad_padded_input;
  const zero = () => padded.map((m) => m.map((row) => row.map(() => 0)));
  // The padded input's gradient after the first `step + 1` stamps (summed when shown, never stored per step).
  const scatterTotal = (step) => {
    const total = zero();
    for (const frame of scatter.frames.slice(0, step + 1)) {
      const [r0, c0] = frame.origin;
      frame.channels.forEach((ch, n) => {
        for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) total[ch][r0 + dilation[0] * u][c0 + dilation[1] * v] += frame.stamp[n][u][v];
      });
    }
    return total;
  };
  const gathered = zero();
  for (const frame of gather.frames) gathered[frame.out[0]][frame.out[1]][frame.out[2]] = frame.value;
  const finalScatter = scatterTotal(scatter.frames.length - 1);
  const diff = Math.max(0, ...finalScatter.flat(2).map((v, n) => Math.abs(v - gathered.flat(2)[n])));
  const agree = $("[data-testid=views-agree]");
  agree.textContent = diff < 1e-9 ? t("bw.agree", { diff: formatValue(diff) }) : t("bw.disagree", { diff: formatValue(diff) });
  agree.classList.toggle("is-bad", diff >= 1e-9);

  const g = gather.gather;
  $("[data-testid=gather-recipe]").textContent = t("bw.gather.recipe", {
    zh: g.inserted_zeros[0],
    zw: g.inserted_zeros[1],
    pad: g.padding.join(", "),
    dh: g.dilation[0],
    dw: g.dilation[1],
  });

  stepper($("[data-testid=scatter-stepper]"), scatter.frames.length, (step) => {
    const frame = scatter.frames[step];
    const [r0, c0] = frame.origin;
    const marked = new Set();
    frame.channels.forEach((ch) => {
      for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) marked.add(key(ch, r0 + dilation[0] * u, c0 + dilation[1] * v));
    });
    $("[data-testid=scatter-sentence]").textContent = scatterSentence(frame, [kh, kw], dilation, page.layer.activation);
    const [f, i, j] = frame.out;
    $("[data-testid=scatter-grids]").replaceChildren(
      figure(t("bw.grad_output"), numberGrid(scatter.grad_pre_activation[f], { mark: (r, c) => (r === i && c === j ? "is-current" : "") })),
      figure(t("bw.stamp"), ...frame.stamp.map((m) => numberGrid(m, { mark: () => "is-stamp" }))),
      ...scatterTotal(step).map((m, ch) =>
        figure(t("bw.padded_grad", { ch: ch + 1 }), numberGrid(m, { testid: `scatter-total-${ch}`, mark: (r, c) => (marked.has(key(ch, r, c)) ? "is-stamp" : "") })),
      ),
    );
  }, { testid: "scatter" });

  stepper($("[data-testid=gather-stepper]"), gather.frames.length, (step) => {
    const frame = gather.frames[step];
    const [ch, rr, cc] = frame.out;
    const [r0, c0] = frame.origin;
    const group = Math.floor(ch / (g.kernel.length / page.layer.groups));
    const fpg = g.kernel[0].length;
    const window = new Set();
    for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) window.add(key(r0 + dilation[0] * u, c0 + dilation[1] * v));
    $("[data-testid=gather-sentence]").textContent = gatherSentence(frame, g.kernel);
    const maps = g.padded_grad_output.slice(group * fpg, (group + 1) * fpg);
    const partial = gathered.map((m) => m.map((row) => row.slice()));
    const later = new Set(gather.frames.slice(step + 1).map((fr) => key(...fr.out)));
    $("[data-testid=gather-grids]").replaceChildren(
      ...maps.map((m, n) => figure(t("bw.stuffed", { f: group * fpg + n + 1 }), numberGrid(m, { mark: (r, c) => (window.has(key(r, c)) ? "is-window" : m[r][c] === 0 ? "is-hole" : "") }))),
      figure(t("bw.flipped"), ...g.kernel[ch].map((m) => numberGrid(m, { mark: () => "is-window" }))),
      figure(t("bw.padded_grad", { ch: ch + 1 }), numberGrid(partial[ch].map((row, r) => row.map((v, c) => (later.has(key(ch, r, c)) ? undefined : v))), { testid: `gather-total-${ch}`, mark: (r, c) => (r === rr && c === cc ? "is-current" : later.has(key(ch, r, c)) ? "is-later" : "") })),
    );
  }, { testid: "gather" });

  const fold = $("[data-testid=fold]");
  fold.replaceChildren(
    ...scatter.grad_input.map((m, ch) => figure(t("bw.grad_input", { ch: ch + 1 }), numberGrid(m, { testid: `grad-input-${ch}` }))),
  );
  $("[data-testid=fold-sentence]").textContent = t(`bw.fold.${page.layer.paddingMode}`);
}

/* ---------- weight gradient ---------- */

function drawWeights(answer) {
  const grads = $("[data-testid=weight-grads]");
  stepper($("[data-testid=weight-stepper]"), answer.frames.length, (step) => {
    const frame = answer.frames[step];
    const [f, ch, u, v] = frame.weight;
    $("[data-testid=weight-sentence]").textContent = weightSentence(frame);
    grads.replaceChildren(
      ...answer.grad_weight.map((filter, ff) =>
        figure(t("bw.grad_weight", { f: ff + 1 }), ...filter.map((m, cc) => numberGrid(m, { testid: `grad-weight-${ff}-${cc}`, mark: (r, c) => (ff === f && cc === ch && r === u && c === v ? "is-current" : "") }))),
      ),
      figure(t("bw.touched", { ch: frame.channel + 1 }), numberGrid(frame.window, { mark: () => "is-window" })),
      figure(t("bw.grad_output"), numberGrid(frame.grad)),
    );
  }, { testid: "weight" });
  $("[data-testid=bias-sentence]").textContent = t("bw.bias", { values: answer.grad_bias.map(formatValue).join(", ") });
}

/* ---------- pooling: routing drawn as arrows ---------- */

const SVG = "http://www.w3.org/2000/svg";

function drawRouting(answer) {
  const stage = $("[data-testid=routing-stage]");
  stepper($("[data-testid=routing-stepper]"), answer.frames.length, (step) => {
    const frame = answer.frames[step];
    const [ch, i, j] = frame.out;
    const [r0, c0] = frame.origin;
    const [dh, dw] = page.layer.pool.dilation;
    const targets = [];
    frame.share.forEach((row, u) => row.forEach((share, v) => {
      if (share !== null && share !== 0) targets.push([r0 + dh * u, c0 + dw * v, share]);
    }));
    const inputGrid = numberGrid(answer.padded_input[ch], {
      mark: (r, c) => (targets.some(([tr, tc]) => tr === r && tc === c) ? "is-winner" : r >= r0 && c >= c0 && r < r0 + dh * frame.share.length && c < c0 + dw * frame.share[0].length ? "is-window" : ""),
    });
    const outGrid = numberGrid(answer.grad_output[ch], { mark: (r, c) => (r === i && c === j ? "is-current" : "") });
    const arrows = document.createElementNS(SVG, "svg");
    arrows.classList.add("bw-arrows");
    arrows.setAttribute("aria-hidden", "true");
    stage.replaceChildren(
      figure(t("bw.grad_output_plain"), outGrid),
      figure(t("bw.padded_input", { ch: ch + 1 }), inputGrid),
      arrows,
    );
    $("[data-testid=routing-sentence]").textContent = routingSentence(frame, answer);
    const from = outGrid.children[i * answer.grad_output[ch][0].length + j];
    const to = targets.map(([r, c, share]) => [inputGrid.children[r * answer.padded_input[ch][0].length + c], share]);
    requestAnimationFrame(() => drawArrows(stage, arrows, from, to));
  }, { testid: "routing" });
  $("[data-testid=routing-result]").replaceChildren(
    ...answer.grad_input.map((m, ch) => figure(t("bw.grad_input", { ch: ch + 1 }), numberGrid(m, { testid: `grad-input-${ch}` }))),
  );
}

function drawArrows(stage, svg, from, targets) {
  const box = stage.getBoundingClientRect();
  svg.setAttribute("width", String(box.width));
  svg.setAttribute("height", String(box.height));
  svg.setAttribute("viewBox", `0 0 ${box.width} ${box.height}`);
  const defs = document.createElementNS(SVG, "defs");
  const marker = document.createElementNS(SVG, "marker");
  marker.id = "bw-head";
  for (const [name, value] of Object.entries({ viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" })) marker.setAttribute(name, value);
  const head = document.createElementNS(SVG, "path");
  head.setAttribute("d", "M 0 0 L 10 5 L 0 10 z");
  marker.append(head);
  defs.append(marker);
  svg.replaceChildren(defs);
  if (!from) return;
  const centre = (el) => {
    const r = el.getBoundingClientRect();
    return [r.left + r.width / 2 - box.left, r.top + r.height / 2 - box.top];
  };
  const [x0, y0] = centre(from);
  for (const [el, share] of targets) {
    if (!el) continue;
    const [x1, y1] = centre(el);
    const line = document.createElementNS(SVG, "line");
    for (const [name, value] of Object.entries({ x1: x0, y1: y0, x2: x1, y2: y1, "marker-end": "url(#bw-head)" })) line.setAttribute(name, String(value));
    line.dataset.share = formatValue(share);
    svg.append(line);
  }
}

/* ---------- the gather view as a GIF ---------- */

async function downloadGif() {
  const status = $("[data-testid=gif-status]");
  status.textContent = t("bw.gif_making");
  const body = { ...convBody(page.layer), ...(page.grad ? { grad_output: page.grad } : {}), format: "gif" };
  const answer = await postForBlob("/api/v1/conv2d/backward/animation", body);
  if (!answer.ok) {
    status.textContent = answer.offline ? t("server.offline") : t("bw.error.prefix", { detail: answer.detail || answer.status });
    return;
  }
  const url = URL.createObjectURL(answer.blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = "convscope-backward-gather.gif";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  status.textContent = t("bw.gif_done");
}

/* ---------- wiring ---------- */

function wire() {
  $("[data-testid=grad-ones]").addEventListener("click", () => setGrad(page.answers ? page.answers[0].grad_output.map((m) => m.map((row) => row.map(() => 1))) : null));
  $("[data-testid=grad-one-hot]").addEventListener("click", () => {
    if (!page.answers) return;
    setGrad(page.answers[0].grad_output.map((m, f) => m.map((row, r) => row.map((_, c) => (f === 0 && r === 0 && c === 0 ? 1 : 0)))));
  });
  $("[data-testid=gather-gif]").addEventListener("click", downloadGif);
  $("[data-testid=copy-pytorch]").addEventListener("click", async () => {
    const status = $("[data-testid=copy-status]");
    try {
      await navigator.clipboard.writeText($("[data-testid=pytorch-code]").textContent);
      status.textContent = t("bw.copied");
    } catch {
      status.textContent = t("bw.copy_failed");
    }
  });
  onLanguageChange(() => {
    $("[data-testid=grad-editor]").dataset.shape = "";
    draw();
  });
}

/** Open a layer and output gradient (from Learn a kernel) in the Backward view above. */
export function openInBackward(layer, grad) {
  page.layer = layer;
  page.grad = grad;
  $("[data-testid=grad-editor]").dataset.shape = "";
  history.replaceState(null, "", `?${queryFromState(layer, { lang: language() })}&grad=${formatGrad(grad)}`);
  compute();
  $("#backward-views").scrollIntoView({ block: "start" });
}

initI18n();
wire();
initFit({ layer: () => page.layer, open: openInBackward });
compute().finally(revealPage); // shown once its views are drawn, so nothing moves after the first paint
