/**
 * The Network lab: build a stack of layers, see every layer's shape, formula, parameters and
 * feature maps, click a unit to light up its receptive field in the input, compare a fully
 * connected layer with the convolution it equals, and copy the PyTorch code.
 *
 * All numbers come from POST /api/v1/network; this entry keeps the state, runs requests and wires
 * the panels (network-card, -overview, -shares, -receptive, -fc, -input). The page state (preset,
 * input, seed, edited layers) lives in the URL, through the table in network-state.js.
 */

import { $, $$, dropTarget } from "./dom.js";
import { errorText } from "./messages/errors.js";
import { postJSON } from "./api.js";
import { debounce } from "./debounce.js";
import { initI18n, onLanguageChange, revealPage, t } from "./i18n.js";
import "./messages/network-lab.js";
import { cardSteps, markError } from "./network-card.js";
import { renderFc } from "./network-fc.js";
import { convMacs } from "./network-field.js";
import { drawInput, labelSamples, loadSamples, pictureInput, sampleInput } from "./network-input.js";
import { overviewSteps } from "./network-overview.js";
import { fillRfTable, selectUnit } from "./network-receptive.js";
import { renderShares } from "./network-shares.js";
import { PARAMS, bodyFromState, newLayer, queryFromState, sendsInput, setParam, stateFromQuery } from "./network-state.js";
import { Drawer } from "./slices.js";
import { initTransposePanel } from "./transpose-panel.js";

const state = { ...stateFromQuery(location.search), answer: null, selected: null };
let upload = null; // the student's own picture as 3×32×32 numbers; never put in the URL
let pending = null;
const drawer = new Drawer(); // the first draw runs in short tasks; a redraw after an edit, at once
const schedule = debounce(run, 200);
/** What the panels may use: the state, a new run, a unit picked. */
const lab = { state, schedule, selectUnit: (layer, unit, canvas) => selectUnit(state, layer, unit, canvas) };

function writeUrl() {
  const q = queryFromState(state, location.search);
  $("[data-upload-note]").hidden = state.input !== "upload";
  history.replaceState(null, "", `${location.pathname}?${q}${location.hash}`);
}

/** Every control the table names shows its parameter's value. */
function showControls() {
  for (const param of PARAMS) {
    const control = param.control;
    if (control?.kind === "value") $(control.selector).value = String(state[param.name]);
    if (control?.kind === "pressed") {
      for (const button of $$(control.selector)) {
        button.setAttribute("aria-pressed", String(button.dataset[param.name] === state[param.name]));
      }
    }
  }
}

async function requestBody() {
  const body = bodyFromState(state);
  if (sendsInput(state)) body.input = state.input === "upload" ? upload : await sampleInput(state.input);
  return body;
}

function setStatus(text, error = false) {
  const status = $("[data-status]");
  status.textContent = text;
  status.classList.toggle("error", error);
}

async function run() {
  writeUrl();
  pending?.abort();
  pending = new AbortController();
  setStatus(t("net.computing"));
  const answer = await postJSON("/api/v1/network", await requestBody(), { signal: pending.signal });
  if (answer.aborted) return;
  if (!answer.ok) {
    setStatus(errorText(answer) || t("net.failed"), true);
    markError(answer.field);
    return;
  }
  state.answer = answer.data;
  state.layers = state.layers || answer.data.layers.map((layer) => layer.spec);
  state.selected = null;
  const shapesOnly = state.preset === "alexnet_first" ? "net.shapes_only_alexnet" : "net.shapes_only";
  const first = answer.data.layers[0];
  setStatus(
    answer.data.computed
      ? ""
      : t(shapesOnly, {
          input: answer.data.input_shape.join("×"),
          output: first ? first.out_shape.join("×") : "",
          millions: first?.spec?.kernel_size ? Math.round(convMacs(first, answer.data.input_shape) / 1e6) : "?",
        }),
  );
  await render();
}

/**
 * Draw every panel from `state.answer`. The first draw, while the page is still hidden, runs in short tasks
 * (the strip, then card by card, then the panels below), so a slow phone is never blocked by it; a redraw after
 * an edit runs at once, whole before the student's next key.
 */
function render() {
  const answer = state.answer;
  return drawer.draw([
    showControls,
    () => drawInput(answer),
    ...overviewSteps(state),
    ...cardSteps(lab),
    () => renderShares(answer),
    () => renderFc(answer),
    () => fillRfTable(answer),
    () => {
      $("[data-rf-summary]").textContent = t("net.rf_hint");
      $("[data-code]").textContent = answer.pytorch;
    },
  ]);
}

async function usePicture(file) {
  if (!file) return;
  if (!file.type.startsWith("image/")) {
    setStatus(t("upload.not_image"), true);
    return;
  }
  try {
    upload = await pictureInput(file);
  } catch {
    setStatus(t("upload.unreadable"), true);
    return;
  }
  const option = $("[data-input-select] option[value=upload]");
  option.hidden = false;
  option.disabled = false;
  state.input = "upload";
  schedule();
}

async function copyCode() {
  if (!state.answer) return;
  try {
    await navigator.clipboard.writeText(state.answer.pytorch);
    setStatus(t("code.copied"));
  } catch {
    $(".net-code details").open = true;
    const range = document.createRange();
    range.selectNodeContents($("[data-code]"));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    setStatus(t("net.copy_select"));
  }
}

function wire() {
  for (const param of PARAMS) {
    const control = param.control;
    if (control?.kind === "value") {
      $(control.selector).addEventListener("change", (event) => {
        setParam(state, param.name, event.target.value);
        schedule();
      });
    }
    for (const button of control?.kind === "pressed" ? $$(control.selector) : []) {
      button.addEventListener("click", () => {
        setParam(state, param.name, button.dataset[param.name]);
        schedule();
      });
    }
  }
  $("[data-add-layer]").addEventListener("click", () => {
    state.layers.push(newLayer($("[data-add-type]").value));
    schedule();
  });
  $("[data-copy-code]").addEventListener("click", copyCode);
  $("[data-upload]").addEventListener("change", (event) => usePicture(event.target.files[0]));
  dropTarget($(".net-input-view"), "dropping", usePicture);
}

initI18n();
wire();
initTransposePanel();
onLanguageChange(() => {
  labelSamples();
  if (state.answer) render();
});
// The sample's picture loads with the list of samples, not after it: the first answer comes a round trip sooner.
const picture = state.input === "seeded" ? null : sampleInput(state.input).catch(() => null);
Promise.all([loadSamples(state), picture])
  .then(run)
  .then(() => {
    revealPage();
    // An id, not a selector: a crafted hash ("#x]", "#%E0") names nothing instead of throwing.
    if (!location.hash) return;
    try {
      document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
    } catch {
      /* a malformed escape names no section */
    }
  })
  .finally(revealPage);
