/**
 * The Matrix lab page: wires the state, the API, the stage, the player and the controls together.
 *
 * Flow: an edit changes `state` -> `refresh()` asks the server for the layer (the previous
 * request is aborted) -> the stage is rebuilt only where shapes changed -> the player shows
 * the current step. Playback only moves marks; frames arrive in pages ahead of the player.
 */

import { $ } from "./dom.js";
import { debounce } from "./debounce.js";
import "./messages/matrix-lab.js";
import { answerInPage, FramePager, fetchLayer, getJSON } from "./api.js";
import { keepStepInView } from "./keep-in-view.js";
import { convLines, convTerms, elide, poolLines, spokenStep } from "./arithmetic.js";
import {
  clearInput,
  pasteBlock,
  randomiseInput,
  readParam,
  resizeInput,
  resizeKernel,
  writeControls,
} from "./controls.js";
import { layerGeometry, localPadding, stepPlace } from "./geometry.js";
import { parseCell } from "./grid.js";
import { formatCell } from "./format.js";
import { initI18n, language, onLanguageChange, revealPage, t } from "./i18n.js";
import { DEFAULT_SPEED, Player, SPEEDS } from "./player.js";
import { Predictions, isRight, layerTolerance } from "./predict.js";
import { Stage } from "./render.js";
import { Drawer, nextTask } from "./slices.js";
import {
  MAX_KERNEL_SIDE,
  MAX_SIDE,
  convBody,
  defaultState,
  poolBody,
  queryFromState,
  resizeMatrix,
  stateFromQuery,
} from "./state.js";

const EDIT_DELAY_MS = 40;
const DETAIL_INTERVAL_MS = 100;
const URL_DELAY_MS = 80;
const lab = $(".lab");
const ui = {
  counter: $("[data-testid=step-counter]"),
  scrubber: $("[data-testid=scrubber]"),
  play: $("[data-testid=play]"),
  speed: $("[data-testid=speed]"),
  arithmetic: $("[data-testid=arithmetic]"),
  formula: $("[data-testid=formula]"),
  live: $("[data-testid=live]"),
  message: $("[data-testid=error]"),
  notice: $("[data-testid=notice]"),
  preset: $("[data-preset]"),
  format: $("[data-testid=download-format]"),
  backward: $("[data-testid=open-backward]"),
  showAll: $("[data-testid=show-all]"),
  poolOp: $("[data-testid=pool-op]"),
  present: $("[data-testid=present-mode]"),
  theme: $("[data-testid=present-theme]"),
  predictMode: $("[data-testid=predict-mode]"),
  predict: $("[data-testid=predict]"),
  predictQuestion: $("[data-testid=predict-question]"),
  predictForm: $("[data-testid=predict-form]"),
  predictAnswer: $("[data-testid=predict-answer]"),
  predictReveal: $("[data-testid=predict-reveal]"),
  predictNext: $("[data-testid=predict-next]"),
  predictFeedback: $("[data-testid=predict-feedback]"),
  predictTolerance: $("[data-testid=predict-tolerance]"),
  predictScore: $("[data-testid=predict-score]"),
};

let state = stateFromQuery(location.search);
let geo = null;
let pager = null;
let answer = null;
let generation = 0;
const drawer = new Drawer(); // the first draw yields between the stage's parts; later ones are whole
let refitAfterDraw = false; // a fit asked for while the first draw was under way
let releaseDock = () => {};
let dockHeldFor = ""; // the layer (shapes, settings, language) whose tallest sums the dock holds
let inflight = null;
let editTimer = 0;
let presets = [];
let lastDetail = 0;
let writeSpeedText = () => {};
const predictions = new Predictions();
let feedback = { step: -1, key: "", args: {} };

const stage = new Stage(
  {
    stage: $(".stage"),
    input: $("[data-testid=input-grid]"),
    kernel: $("[data-testid=kernel-grid]"),
    output: $("[data-testid=output-grid]"),
  },
  {
    input: (c, r, col, value) => edit(() => (state.input[c][r][col] = value)),
    inputPaste: (c, r, col, block) =>
      edit(() => {
        const grown = pasteBlock(state.input[c], r, col, block, MAX_SIDE);
        state.input = state.input.map((m, k) => (k === c ? grown : resizeMatrix(m, grown.length, grown[0].length)));
      }, 0),
    kernel: (f, c, r, col, value) => edit(() => (state.kernel[f][c][r][col] = value)),
    kernelPaste: (f, c, r, col, block) =>
      edit(() => {
        const grown = pasteBlock(state.kernel[f][c], r, col, block, MAX_KERNEL_SIDE);
        state.kernel = state.kernel.map((filter) =>
          filter.map((m) => resizeMatrix(m, grown.length, grown[0].length)),
        );
        state.kernel[f][c] = grown;
      }, 0),
    bias: (f, text) => {
      const value = parseCell(text);
      if (value !== null) {
        edit(() => (state.bias[f] = value));
      }
    },
    hover: (step) => stage.preview(step),
    inputPick: (c, r, col) => pickWinner(c, r, col),
    pick: (step) => {
      player.pause();
      player.go(step);
    },
  },
);

const player = new Player({
  onStep: (step) => {
    showStep(step);
    keepStepInView(document, { follow: player.playing }); // a phone: the window and its output cell above the dock
    if (player.playing && isHidden(step)) {
      player.pause(); // Predict mode: playing stops at the next output to work out
    }
  },
  onPlayChange: (playing) => {
    ui.play.setAttribute("aria-pressed", String(playing));
    labelPlay();
    setGlide();
    if (!playing) {
      showStep(player.step);
    }
  },
});

/** Marks glide between steps when a person can follow them; faster than that they jump. */
const GLIDE_UP_TO = 5; // steps per second

function setGlide() {
  const rate = SPEEDS[player.speed];
  const glide = !player.playing || (rate !== "row" && rate <= GLIDE_UP_TO);
  $(".stage").classList.toggle("glide", glide);
}

function labelPlay() {
  ui.play.querySelector(".play-label").textContent = t(player.playing ? "player.pause" : "player.play");
}

/** Draw one step: marks on the stage, the counter, the arithmetic and (when paused) the spoken text. */
function showStep(step) {
  state.step = step;
  if (!geo || geo.count === 0) {
    ui.counter.textContent = "0 / 0";
    ui.scrubber.max = "0";
    ui.scrubber.value = "0";
    ui.arithmetic.replaceChildren(line(t("arith.none"), "arith-heading"));
    ui.arithmetic.heading = null;
    ui.live.textContent = ui.message.hidden ? "" : ui.message.textContent;
    writeUrl();
    return;
  }
  const frame = pager ? pager.frame(step) : null;
  const hidden = isHidden(step);
  stage.showStep(step, frame, {
    upTo: hidden ? step : step + 1,
    showAll: state.showAll && !state.predict,
    winner: !hidden,
  });
  writePredict(step);
  ui.counter.textContent = `${step + 1} / ${geo.count}`;
  // While playing, the text below the stage changes at most ten times a second: faster than
  // that nobody can read it, and each rewrite costs layout and paint in that frame.
  const now = performance.now();
  if (player.playing && now - lastDetail < DETAIL_INTERVAL_MS && step < geo.count - 1) {
    return;
  }
  lastDetail = now;
  ui.scrubber.value = String(step);
  const lines = hidden ? [t("predict.hidden")] : frame ? frameLines(frame) : [t("arith.loading")];
  writeArithmetic(frame, lines);
  writePoolOperation(frame, hidden);
  stage.writeChannelSums(hidden ? null : frame, stepPlace(geo, step));
  if (!player.playing) {
    ui.live.textContent = hidden ? ui.predictQuestion.textContent : spokenStep(step, geo.count, lines);
    scheduleUrl();
  }
}

/** Predict mode hides a step's answer until the student has given one (or asked to see it). */
function isHidden(step) {
  return state.predict && Boolean(geo && geo.output) && geo.count > 0 && !predictions.isRevealed(step);
}

function expectedAt(step) {
  const place = stepPlace(geo, step);
  return { place, value: geo.output[place.f][place.i][place.j] };
}

/** The Predict panel: the question, the answer field or "Next", the rule for decimals and the score. */
function writePredict(step) {
  // Called on every step: write only what changed, so playing restyles nothing here.
  if (ui.predictMode.getAttribute("aria-pressed") !== String(state.predict)) {
    ui.predictMode.setAttribute("aria-pressed", String(state.predict));
    lab.classList.toggle("predicting", state.predict);
  }
  if (ui.showAll.checked !== state.showAll) ui.showAll.checked = state.showAll;
  if (ui.showAll.disabled !== state.predict) ui.showAll.disabled = state.predict;
  const panel = ui.predict;
  panel.hidden = !state.predict || !geo || !geo.output || geo.count === 0;
  if (panel.hidden) {
    return;
  }
  const { place } = expectedAt(step);
  const hidden = isHidden(step);
  const max = state.mode === "pool" && state.pool.op === "max";
  ui.predictQuestion.textContent = t(max ? "predict.question_max" : "predict.question", {
    k: step + 1,
    f: place.f,
    i: place.i,
    j: place.j,
  });
  ui.predictForm.hidden = !hidden;
  ui.predictNext.hidden = hidden || step >= geo.count - 1;
  ui.predictFeedback.textContent = feedback.step === step ? t(feedback.key, feedback.args) : "";
  const tolerance = layerTolerance(geo.output);
  ui.predictTolerance.textContent =
    tolerance === 0 ? t("predict.exact") : t("predict.tolerance", { tol: formatCell(tolerance) });
  const score = { right: predictions.right, answered: predictions.answered, left: geo.count - predictions.answered };
  ui.predictScore.textContent =
    score.left === 0 ? t("predict.finished", score) : t("predict.score", score);
}

function say(step, key, args = {}) {
  feedback = { step, key, args };
}

/** Check a typed answer against the engine's output for the current step. */
function checkAnswer() {
  const step = player.step;
  if (!isHidden(step)) {
    return;
  }
  const typed = parseCell(ui.predictAnswer.value);
  if (typed === null) {
    say(step, "predict.unreadable");
    showStep(step);
    return;
  }
  const { value } = expectedAt(step);
  const right = predictions.attempt(step, isRight(typed, value, layerTolerance(geo.output)));
  say(step, right ? "predict.right" : "predict.wrong", { v: formatCell(right ? value : typed) });
  settle(step, right);
}

/** Max pooling: clicking an input cell of the window answers "which cell wins?". */
function pickWinner(c, r, col) {
  const step = player.step;
  if (!isHidden(step) || state.mode !== "pool" || state.pool.op !== "max") {
    return;
  }
  const { place, value } = expectedAt(step);
  const inWindow =
    place.channels.includes(c) &&
    place.taps.some(([tr, tc]) => tr - geo.pad[0] === r && tc - geo.pad[2] === col);
  if (!inWindow || r < 0 || col < 0 || r >= geo.H || col >= geo.W) {
    say(step, "predict.outside");
    showStep(step);
    return;
  }
  const clicked = state.input[c][r][col];
  const right = predictions.attempt(step, clicked === value);
  say(step, right ? "predict.right_cell" : "predict.wrong_cell", { v: formatCell(clicked) });
  settle(step, right);
}

function settle(step, right) {
  showStep(step);
  if (right) {
    ui.predictAnswer.value = "";
    (ui.predictNext.hidden ? ui.predictMode : ui.predictNext).focus();
  }
}

function bindPredict() {
  ui.predictForm.addEventListener("submit", (event) => {
    event.preventDefault();
    checkAnswer();
  });
  ui.predictReveal.addEventListener("click", () => {
    const step = player.step;
    if (isHidden(step)) {
      predictions.giveUp(step);
      say(step, "predict.shown", { v: formatCell(expectedAt(step).value) });
      settle(step, true);
    }
  });
  ui.predictNext.addEventListener("click", () => {
    player.forward();
    ui.predictAnswer.value = "";
    if (isHidden(player.step)) {
      ui.predictAnswer.focus();
    }
  });
  ui.showAll.addEventListener("change", () => {
    state.showAll = ui.showAll.checked;
    showStep(player.step);
    writeUrl();
  });
}

const DARK_SCHEME = window.matchMedia("(prefers-color-scheme: dark)");

/** Present mode (key P, present=1): settings and tools hidden, cells as large as the screen allows,
 *  in a high-contrast light or a dark theme (theme=light|dark, else the system's colour scheme). */
function applyPresent() {
  const root = document.documentElement;
  lab.classList.toggle("present", state.present);
  $(".stage").classList.toggle("present", state.present);
  root.classList.toggle("presenting", state.present);
  ui.present.setAttribute("aria-pressed", String(state.present));
  if (state.present) {
    root.dataset.theme = state.theme || (DARK_SCHEME.matches ? "dark" : "light");
  } else {
    delete root.dataset.theme;
  }
  ui.theme.setAttribute("aria-pressed", String(root.dataset.theme === "dark"));
}

function toggleTheme() {
  state.theme = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
  applyPresent();
  writeUrl();
}

function togglePresent() {
  state.present = !state.present;
  applyPresent();
  if (geo) {
    fitStage();
    showStep(player.step);
  }
  writeUrl();
}

/** Turning Predict mode on starts a fresh score at the first step. */
function togglePredict() {
  player.pause();
  state.predict = !state.predict;
  predictions.reset(predictions.key);
  feedback = { step: -1, key: "", args: {} };
  writePredict(player.step);
  fitStage();
  if (state.predict && geo && geo.count > 0) {
    player.first();
    ui.predictAnswer.focus();
  } else {
    showStep(player.step);
  }
  writeUrl();
}

/** Pooling writes the step's operation in the middle of the stage: max(7, 3, 4, 8) = 8, or the mean. */
function writePoolOperation(frame, hidden) {
  let text = "";
  if (state.mode === "pool" && frame) {
    text = poolLines(frame, state.pool)[0];
    if (hidden) {
      text = `${text.slice(0, text.lastIndexOf("=") + 1)} ?`;
    }
  }
  if (ui.poolOp.textContent !== text) {
    ui.poolOp.textContent = text;
  }
}

function frameLines(frame) {
  return state.mode === "conv" ? convLines(frame, geo.kernel, state.activation) : poolLines(frame, state.pool);
}

/** The arithmetic block: a heading naming the output cell, then the sum in large type. */
function writeArithmetic(frame, lines) {
  const box = ui.arithmetic;
  if (!box.heading) {
    box.heading = document.createElement("div");
    box.heading.className = "arith-heading";
    box.body = document.createElement("div");
    box.body.className = "arith-body";
    box.replaceChildren(box.heading, box.body);
  }
  const place = frame ? frame.out : null;
  box.heading.textContent = place
    ? `${t("arith.step", { k: state.step + 1, n: geo.count })} · ${t("arith.output_cell", { f: place[0], i: place[1], j: place[2] })}`
    : t("arith.step", { k: state.step + 1, n: geo.count });
  const rows = box.body.children;
  while (rows.length < lines.length) {
    box.body.append(document.createElement("div"));
  }
  while (rows.length > lines.length) {
    box.body.lastChild.remove();
  }
  box.classList.toggle("many-lines", lines.length > 2);
  const terms = frame && state.mode === "conv" && !isHidden(state.step) ? convTerms(frame, geo.kernel) : null;
  lines.forEach((line, i) => {
    if (rows[i].textContent === line) {
      return;
    }
    if (terms && i < terms.length) {
      writeTermLine(rows[i], line, terms.length > 1 ? `${t("arith.channel", { n: i + 1 })}: ` : "", terms[i]);
    } else {
      rows[i].textContent = line;
    }
  });
}

/** A line of products as spans, one per term, so pointing at a term can light up its tap and weight. */
function writeTermLine(row, text, prefix, terms) {
  const items = elide(terms, null);
  const joined = items.map((term) => (term ? term.text : "…")).join(" + ");
  if (!text.startsWith(prefix + joined)) {
    row.textContent = text; // not the shape expected: plain text is still right
    return;
  }
  const nodes = [document.createTextNode(prefix)];
  items.forEach((term, k) => {
    if (k > 0) nodes.push(document.createTextNode(" + "));
    if (!term) {
      nodes.push(document.createTextNode("…"));
      return;
    }
    const span = document.createElement("span");
    span.className = "term";
    span.textContent = term.text;
    span.dataset.term = `${term.c},${term.a},${term.b}`;
    nodes.push(span);
  });
  nodes.push(document.createTextNode(text.slice(prefix.length + joined.length)));
  row.replaceChildren(...nodes);
}

function bindTerms() {
  const body = () => ui.arithmetic.body;
  ui.arithmetic.addEventListener("pointerover", (event) => {
    const term = event.target.closest?.(".term");
    const [c, a, b] = term ? term.dataset.term.split(",").map(Number) : [null, null, null];
    stage.highlightTerm(term ? c : null, a, b);
    if (body()) {
      for (const el of body().querySelectorAll(".term.hot")) el.classList.remove("hot");
    }
    term?.classList.add("hot");
  });
  ui.arithmetic.addEventListener("pointerleave", () => {
    stage.highlightTerm(null);
    for (const el of ui.arithmetic.querySelectorAll(".term.hot")) el.classList.remove("hot");
  });
}

/** The stage's width, as the last layout left it (kept by an observer, so a redraw need not ask for a layout). */
let stageWidth = 0;
const WIDE = window.matchMedia("(min-width: 900px)");
const DOCKED = window.matchMedia("(max-width: 900px)"); // matrix-lab.css docks the sums and the player here

/**
 * Fit the cells to the width; then, on a laptop or projector, shrink them until the player's
 * bottom is on screen, so one step (stage, arithmetic, player) is one screen. On a phone or tablet
 * this reads no layout: a redraw's writes and the browser's own layout are the only layout work.
 */
function fitStage() {
  const box = $(".stage");
  stage.fit(stageWidth || box.clientWidth);
  if (!WIDE.matches || !geo || !geo.output) {
    return;
  }
  for (let round = 0; round < 3; round += 1) {
    const over = $(".player").getBoundingClientRect().bottom + window.scrollY + 8 - window.innerHeight;
    const tallest = Math.max(...[...box.querySelectorAll(".panel")].map((panel) => panel.offsetHeight));
    const rows = tallest / stage.pitch;
    if (over <= 0 || rows <= 0 || stage.cell <= stage.minCell) {
      return;
    }
    stage.fit(box.clientWidth, stage.cell - Math.max(1, Math.ceil(over / rows)));
  }
}

/** Follow the stage's width: read where layout has just run (no forced layout), fit again when it changed. */
function watchStageWidth() {
  const box = $(".stage");
  if (typeof ResizeObserver === "undefined") {
    window.addEventListener("resize", fitStage);
    return;
  }
  new ResizeObserver(() => {
    const width = box.clientWidth;
    if (width !== stageWidth) {
      const first = stageWidth === 0 || drawer.building; // a half-built stage: the draw under way fits
      stageWidth = width;
      const cell = stage.cell;
      if (!first) {
        fitStage(); // a turned phone or a resized window: new cells, even mid-play
      }
      if (geo && geo.count > 0 && stage.cell !== cell) {
        showStep(player.step);
      }
    }
  }).observe(box);
  window.addEventListener("resize", () => {
    if (WIDE.matches) {
      fitStage(); // a shorter window (its height) shrinks the cells on a laptop or projector
    }
  });
}

/** Fit again after something changed height outside a layer's redraw; redraw the marks if cells changed. */
function refit() {
  if (drawer.building) {
    refitAfterDraw = true; // a half-built stage: fit once it is whole
    return;
  }
  if (player.playing) {
    return; // never relayout the page mid-play; the next redraw fits
  }
  const cell = stage.cell;
  fitStage();
  if (geo && geo.count > 0 && stage.cell !== cell) {
    showStep(player.step);
  }
}

/** Apply an edit to the state and refresh after `delay` ms (typing is batched briefly). */
function edit(change, delay = EDIT_DELAY_MS) {
  change();
  schedule(delay);
}

function schedule(delay) {
  clearTimeout(editTimer);
  if (delay <= 0) {
    refresh();
  } else {
    editTimer = setTimeout(refresh, delay);
  }
}

function layerPath() {
  return state.mode === "conv" ? "/api/v1/conv2d" : "/api/v1/pool2d";
}

function layerBody() {
  return state.mode === "conv" ? convBody(state) : poolBody(state);
}

/** Ask the server for the current layer; a newer request supersedes an older one. */
async function refresh() {
  const mine = ++generation;
  if (inflight) {
    inflight.abort();
  }
  inflight = new AbortController();
  const path = layerPath();
  const body = layerBody();
  let reply;
  try {
    reply = await fetchLayer(path, body, { signal: inflight.signal });
  } catch (error) {
    // Typing fast supersedes a request while its body is still being read: that abort is expected.
    if (error.name === "AbortError") {
      return;
    }
    throw error;
  }
  if (mine !== generation || reply.aborted) {
    return;
  }
  if (pager) {
    pager.close();
    pager = null;
  }
  if (reply.ok) {
    answer = reply.data;
    const layerKey = JSON.stringify([path, body]);
    if (layerKey !== predictions.key) {
      predictions.reset(layerKey); // a new layer: a new score
      feedback = { step: -1, key: "", args: {} };
    }
    pager = new FramePager(path, body, answer);
    pager.onPage = () => showStep(player.step);
    showError(null);
  } else {
    answer = null;
    showError(reply);
  }
  // The first draw, while the page is still hidden, yields between the stage's parts: on a slow phone no one
  // task holds the thread for the whole build. Every later draw (a keystroke) is whole at once.
  await draw();
  if (refitAfterDraw && !drawer.building) {
    refitAfterDraw = false;
    refit(); // the preset menu arrived meanwhile: its width can change the kernel panel's height
  }
}

/**
 * On a phone the docked sums keep the height of the tallest step this layer has shown: stepping through a
 * layer whose sums wrap to more lines at some steps then never moves the dock's edge, nor the grids above it.
 * Returns the release, for a new layer (draw) to start over.
 */
function holdDockHeight() {
  const explain = $(".dock .explain");
  let tallest = 0;
  const release = () => {
    tallest = 0;
    explain.style.minHeight = "";
  };
  if (typeof ResizeObserver === "undefined") {
    return release;
  }
  new ResizeObserver(([entry]) => {
    if (!DOCKED.matches || lab.classList.contains("present")) {
      if (tallest) release(); // a laptop or the projector: nothing is docked, the fit sizes the page
      return;
    }
    const height = entry.borderBoxSize?.[0]?.blockSize ?? explain.offsetHeight;
    if (height > tallest + 0.5) {
      tallest = height;
      explain.style.minHeight = `${height}px`;
    }
  }).observe(explain);
  return release;
}

/**
 * What sizes the docked sums other than the numbers: the layer's shapes and settings, and the language. A
 * student typing a new number into a cell keeps the same layer, so the dock keeps its height under their finger.
 */
function dockKey() {
  const dims = (value) => (Array.isArray(value) ? [value.length, ...dims(value[0])] : []);
  const body = layerBody();
  const shapes = { input: dims(body.input), kernel: dims(body.kernel), bias: dims(body.bias) };
  return JSON.stringify([layerPath(), { ...body, ...shapes }, language()]);
}

/**
 * Rebuild what depends on the layer (shapes, values, formula) and show the current step: in short tasks
 * while the page is first built, at once afterwards (then whole before this returns).
 */
function draw() {
  const key = dockKey();
  if (key !== dockHeldFor) {
    releaseDock(); // a new layer, or new words: the dock fits its new sums
    dockHeldFor = key;
  }
  geo = layerGeometry(state, answer);
  lab.dataset.mode = state.mode;
  lab.dataset.poolOp = state.pool.op;
  lab.classList.toggle("invalid", !answer);
  return drawer.draw([...stage.buildSteps(state, geo), finishDraw]);
}

/** What follows the stage's parts: the step's text, the fit, the controls and the player. */
function finishDraw() {
  if (geo.count > 0) {
    writePredict(Math.min(state.step, geo.count - 1)); // its height counts in the fit below
  }
  fitStage();
  writeControls(document, state);
  writeShapes();
  writeFormula();
  ui.scrubber.max = String(Math.max(0, geo.count - 1));
  player.setCount(geo.count, geo.Wo);
  writeSpeedText(); // the top speed's rows per second follow the layer's size
  if (geo.count > 0) {
    player.step = Math.min(state.step, geo.count - 1);
    showStep(player.step);
    writeUrl();
    refit(); // the step's text (arithmetic, Predict's question) is in place now
  } else {
    showStep(0);
  }
}

function writeShapes() {
  const [h, w] = [state.input[0].length, state.input[0][0].length];
  const shape = (c, hh, ww) => (c > 1 ? t("shape.chw", { c, h: hh, w: ww }) : t("shape.hw", { h: hh, w: ww }));
  $("[data-shape=input]").textContent = shape(state.input.length, h, w);
  const k = state.kernel;
  $("[data-shape=kernel]").textContent =
    k.length > 1 || k[0].length > 1
      ? `${k.length}×${k[0].length}×${k[0][0].length}×${k[0][0][0].length}`
      : shape(1, k[0][0].length, k[0][0][0].length);
  $("[data-shape=output]").textContent = answer
    ? shape(answer.output_shape[0], answer.output_shape[1], answer.output_shape[2])
    : "";
  const op = t(state.pool.op === "max" ? "pool.max" : "pool.avg");
  $("[data-pool-title]").textContent = state.pool.global
    ? t("pool.title_global", { op })
    : t("pool.title", { op, h: state.pool.size[0], w: state.pool.size[1] });
  drawPoolWindow();
  lab.querySelectorAll("[data-operator]").forEach((el) => {
    el.textContent = state.mode === "conv" ? "⊛" : "";
  });
}

/** A small picture of the pooling window, with its dilation gaps. */
function drawPoolWindow() {
  const box = $("[data-pool-window]");
  const [kh, kw] = state.pool.global ? [1, 1] : state.pool.size;
  const [dh, dw] = state.pool.global ? [1, 1] : state.pool.dilation;
  const rows = (kh - 1) * dh + 1;
  const cols = (kw - 1) * dw + 1;
  box.style.setProperty("--cols", String(cols));
  const cells = [];
  for (let r = 0; r < rows; r += 1) {
    for (let c = 0; c < cols; c += 1) {
      const cell = document.createElement("div");
      cell.className = r % dh === 0 && c % dw === 0 ? "cell tap" : "cell gap";
      cells.push(cell);
    }
  }
  box.replaceChildren(...cells);
}

function line(text, className = "") {
  const el = document.createElement("div");
  el.textContent = text;
  el.className = className;
  return el;
}

/** The output-size arithmetic per axis, or why the layer does not fit. */
function writeFormula() {
  const lines = [];
  if (answer) {
    if (state.mode === "pool" && state.pool.global) {
      lines.push(line(t("formula.global", { h: geo.H, w: geo.W })));
    } else {
      lines.push(line(`${t("formula.height")}: ${answer.shape.height.formula}`));
      lines.push(line(`${t("formula.width")}: ${answer.shape.width.formula}`));
    }
    const [c, h, w] = answer.output_shape;
    lines.push(line(t("formula.output", { shape: c > 1 ? `${c}×${h}×${w}` : `${h}×${w}` }), "formula-total"));
    ui.formula.replaceChildren(...lines);
    return;
  }
  ui.formula.replaceChildren();
  explainInvalidShape(generation);
}

/** When the server refuses a layer, ask it for the shape arithmetic of each axis to show what went wrong. */
async function explainInvalidShape(mine) {
  if (state.mode === "pool" && state.pool.global) {
    return;
  }
  const pad = localPadding(state);
  const conv = state.mode === "conv";
  const k = conv ? [state.kernel[0][0].length, state.kernel[0][0][0].length] : state.pool.size;
  const s = conv ? state.stride : state.pool.stride || state.pool.size;
  const d = conv ? state.dilation : state.pool.dilation;
  const n = [state.input[0].length, state.input[0][0].length];
  const ceil = !conv && state.pool.ceil;
  const axes = [0, 1].map((a) =>
    getJSON(
      `/api/v1/output-size?n=${n[a]}&k=${k[a]}&s=${s[a]}&d=${d[a]}&p=${pad[2 * a]}&p_after=${pad[2 * a + 1]}&ceil_mode=${ceil}`,
    ),
  );
  const [height, width] = await Promise.all(axes);
  if (mine !== generation || answer) {
    return;
  }
  const lines = [];
  for (const [key, reply] of [
    ["formula.height", height],
    ["formula.width", width],
  ]) {
    if (reply.ok) {
      lines.push(line(`${t(key)}: ${reply.data.formula}`));
      if (reply.data.problem) {
        const problem = translatedDetail({ rule: "kernel_larger_than_padded_input", detail: reply.data.problem });
        lines.push(line(problem, "formula-problem"));
      }
    }
  }
  ui.formula.replaceChildren(...lines);
}

/**
 * The server explains errors in English; where this page's language has its own sentence for
 * the rule (the ones a student can reach from these controls), that sentence is shown instead.
 */
function translatedDetail(reply) {
  const key = `apierr.${reply.rule}`;
  return language() !== "en" && t(key) !== key ? t(key) : reply.detail.replace(/\.$/, "");
}

function showError(reply) {
  if (!reply) {
    ui.message.hidden = true;
    ui.message.textContent = "";
    return;
  }
  let text;
  if (reply.offline) {
    text = t("error.offline");
  } else if (reply.detail) {
    text = t("error.prefix", { detail: translatedDetail(reply) });
  } else {
    text = t("error.status", { status: reply.status });
  }
  ui.message.textContent = text;
  ui.message.hidden = false;
  ui.message.lastReply = reply;
}

/** Keep the address bar equal to the state, so a copied link or a reload returns here. */
function writeUrl() {
  writeUrlSoon.cancel();
  const query = queryFromState(state);
  // The Backward lab reads the same query: the link opens this very layer's gradients.
  ui.backward.search = `?${query}`;
  if (location.search !== `?${query}`) {
    history.replaceState(null, "", `?${query}`);
  }
}

/** Steps can come fast (a held arrow key): batch them, staying far below the browser's replaceState limit. */
const writeUrlSoon = debounce(writeUrl, URL_DELAY_MS);
const scheduleUrl = () => writeUrlSoon();

function notify(text) {
  ui.notice.textContent = text;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => (ui.notice.textContent = ""), 6000);
}

async function copyText(text, done) {
  try {
    await navigator.clipboard.writeText(text);
    notify(done);
  } catch {
    notify(t("share.copy_failed"));
  }
}

/**
 * Space, ←/→, Home and End drive the player unless the user is typing text. A number field
 * (stride, padding…) keeps ↑/↓ for its value but lends these keys to the player: after changing
 * the stride, → steps through the new layer at once.
 */
function isTyping(el) {
  if (!el) return false;
  if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
  return el.tagName === "INPUT" && !["range", "checkbox", "radio", "button", "number"].includes(el.type);
}

function onKey(event) {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) {
    return;
  }
  const nativeSpace = event.target.type === "checkbox" || event.target.tagName === "SUMMARY";
  const actions = {
    " ": () => !nativeSpace && player.toggle(),
    p: () => togglePresent(),
    P: () => togglePresent(),
    ArrowRight: () => (player.pause(), player.forward()),
    ArrowLeft: () => (player.pause(), player.back()),
    Home: () => (player.pause(), player.first()),
    End: () => (player.pause(), player.end()),
  };
  const action = actions[event.key];
  if (action && !(event.key === " " && nativeSpace)) {
    event.preventDefault();
    action();
  }
}

function bindPlayer() {
  const actions = {
    first: () => (player.pause(), player.first()),
    back: () => (player.pause(), player.back()),
    play: () => player.toggle(),
    predict: () => togglePredict(),
    present: () => togglePresent(),
    theme: () => toggleTheme(),
    forward: () => (player.pause(), player.forward()),
    end: () => (player.pause(), player.end()),
    "copy-link": () => {
      scheduleUrl();
      copyText(`${location.origin}${location.pathname}?${queryFromState(state)}`, t("share.copied_link"));
    },
    // What only a click needs loads on that click, not with the page: a phone's first load carries less.
    "copy-pytorch": async () => {
      const { pytorchCode } = await import("./pytorch.js");
      copyText(pytorchCode(state), t("code.copied"));
    },
    download: async () => {
      notify(t("download.working"));
      const { downloadAnimation } = await import("./download.js");
      const rate = SPEEDS[player.speed];
      const perSecond = rate === "row" ? player.rowsPerSecond * player.rowLength : rate;
      const frameMs = Math.round(Math.min(5000, Math.max(40, 1000 / perSecond)));
      notify(await downloadAnimation(state.mode, layerBody(), ui.format.value, frameMs));
    },
    reset: () => {
      player.pause();
      const { mode, predict, showAll, present, theme } = state;
      state = { ...defaultState(), mode, predict, showAll, present, theme };
      schedule(0);
    },
  };
  lab.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (button && actions[button.dataset.action]) {
      actions[button.dataset.action]();
      if (button.closest(".player")) keepStepInView(); // a phone: the step's grids above the docked player
    }
  });
  ui.scrubber.addEventListener("input", () => {
    player.pause();
    player.go(Number(ui.scrubber.value));
  });
  ui.speed.max = String(SPEEDS.length - 1);
  ui.speed.value = String(DEFAULT_SPEED);
  const speedText = (writeSpeedText = () => {
    const rate = SPEEDS[player.speed];
    const rows = { n: player.rowsPerSecond };
    ui.speed.setAttribute("aria-valuetext", rate === "row" ? t("speed.row", rows) : t("speed.value", { n: rate }));
    ui.speed.title = ui.speed.getAttribute("aria-valuetext");
    $("[data-speed-value]").textContent = rate === "row" ? t("speed.row_short", rows) : t("speed.short", { n: rate });
  });
  ui.speed.addEventListener("input", () => {
    player.setSpeed(Number(ui.speed.value));
    speedText();
    setGlide();
  });
  onLanguageChange(speedText);
  speedText();
  document.addEventListener("keydown", onKey);
}

function bindControls() {
  const urgent = new Set(["stride", "stride-h", "stride-w"]);
  for (const control of document.querySelectorAll("[data-param]")) {
    const type = control.tagName === "SELECT" || control.type === "checkbox" ? "change" : "input";
    control.addEventListener(type, () => {
      if (readParam(state, control.dataset.param, control)) {
        schedule(urgent.has(control.dataset.param) || type === "change" ? 0 : EDIT_DELAY_MS);
      }
    });
  }
  for (const button of document.querySelectorAll("[data-mode-button]")) {
    button.addEventListener("click", () => {
      if (state.mode !== button.dataset.modeButton) {
        player.pause();
        state.mode = button.dataset.modeButton;
        state.step = 0;
        syncModeButtons();
        schedule(0);
      }
    });
  }
  const tools = {
    input: {
      "add-row": () => resizeInput(state, 1, 0),
      "remove-row": () => resizeInput(state, -1, 0),
      "add-col": () => resizeInput(state, 0, 1),
      "remove-col": () => resizeInput(state, 0, -1),
      random: () => randomiseInput(state),
      clear: () => clearInput(state),
    },
    kernel: {
      "add-row": () => resizeKernel(state, 1, 0),
      "remove-row": () => resizeKernel(state, -1, 0),
      "add-col": () => resizeKernel(state, 0, 1),
      "remove-col": () => resizeKernel(state, 0, -1),
    },
  };
  for (const box of document.querySelectorAll("[data-tools]")) {
    box.addEventListener("click", (event) => {
      const button = event.target.closest("[data-tool]");
      const tool = button && tools[box.dataset.tools][button.dataset.tool];
      if (tool) {
        edit(tool, 0);
      }
    });
  }
  ui.preset.addEventListener("change", () => {
    const preset = presets.find((p) => p.name === ui.preset.value);
    if (preset) {
      edit(() => {
        const [kh, kw] = [preset.values.length, preset.values[0].length];
        state.kernel = state.kernel.map((filter, f) =>
          filter.map((m) => (f === 0 ? preset.values.map((row) => [...row]) : resizeMatrix(m, kh, kw))),
        );
      }, 0);
    }
    ui.preset.value = "";
  });
}

function syncModeButtons() {
  for (const button of document.querySelectorAll("[data-mode-button]")) {
    button.setAttribute("aria-pressed", String(button.dataset.modeButton === state.mode));
  }
}

/** The presets' values: the page carries the list (app/api/routes/pages.py) and its menu comes drawn. */
async function loadPresets() {
  const reply = await answerInPage("/api/v1/kernels");
  if (reply.ok) {
    presets = reply.data;
    if (ui.preset.options.length !== presets.length + 1) {
      writePresetOptions(); // a page without the drawn menu
      refit(); // the preset menu's width can change the kernel panel's height
    }
  }
}

function writePresetOptions() {
  const placeholder = document.createElement("option");
  placeholder.value = "";
  placeholder.textContent = t("tool.preset_placeholder");
  ui.preset.replaceChildren(
    placeholder,
    ...presets.map((p) => {
      const option = document.createElement("option");
      option.value = p.name;
      const key = `preset.${p.name}`;
      option.textContent = t(key) === key ? p.title : t(key);
      option.title = p.description;
      return option;
    }),
  );
}

async function start() {
  initI18n();
  await nextTask(); // the page's words, its wiring and its first draw in separate tasks: none holds a slow phone long
  bindPlayer();
  bindControls();
  bindPredict();
  bindTerms();
  applyPresent();
  DARK_SCHEME.addEventListener("change", () => applyPresent());
  setGlide();
  syncModeButtons();
  labelPlay();
  onLanguageChange(() => {
    labelPlay();
    writePresetOptions();
    if (ui.message.lastReply && !ui.message.hidden) {
      showError(ui.message.lastReply);
    }
    draw();
  });
  watchStageWidth();
  releaseDock = holdDockHeight();
  loadPresets();
  ui.backward.search = `?${queryFromState(state)}`;
  await nextTask();
  await refresh(); // the page shows once its grids are drawn: nothing shifts after the first paint
}

start().finally(revealPage);
