/**
 * Learn a kernel: a target kernel's output is the goal, a zero kernel the start, and plain
 * gradient descent (POST /api/v1/conv2d/fit, torch.optim.SGD's update) walks the kernel there.
 * The kernel, the output and the loss curve follow the step slider; any step's gradient opens
 * in the Backward view above.
 */

import { $ } from "./dom.js";
import { postJSON } from "./api.js";
import { figure, numberGrid, stepper } from "./backward-grids.js";
import { formatValue } from "./format.js";
import { onLanguageChange, t } from "./i18n.js";
import { fitCode } from "./pytorch-backward.js";
import { defaultState } from "./state.js";

const SVG = "http://www.w3.org/2000/svg";

export const TARGETS = {
  sobel_x: [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
  blur: [[1 / 9, 1 / 9, 1 / 9], [1 / 9, 1 / 9, 1 / 9], [1 / 9, 1 / 9, 1 / 9]],
  sharpen: [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
};

/** The picture the kernel learns on: an 8×8 matrix of small integers around 0 (well conditioned
 * for gradient descent), fixed so that every run repeats. */
export const FIT_INPUT = [
  [0, -2, -3, -1, 2, -2, 1, -3],
  [1, 3, -2, -3, -1, 0, -2, -1],
  [-1, -2, 4, 0, -2, -3, 2, -2],
  [-3, -1, 1, 5, 3, -1, -2, 0],
  [-2, 2, -1, 0, 6, 1, -3, -1],
  [0, -3, -2, 3, -1, 4, 0, -2],
  [-1, 1, 0, -2, -3, -1, 5, 1],
  [-2, -1, -3, 1, 0, -2, -1, 3],
];

/** A loss as a student reads it: small ones in scientific notation, so convergence stays visible. */
function fmtLoss(value) {
  return value !== 0 && Math.abs(value) < 1e-3 ? value.toExponential(2) : formatValue(value);
}

const fit = { answer: null, target: null, kernel0: null, stepper: null, playing: 0 };

async function run(open) {
  const status = $("[data-testid=fit-status]");
  const name = $("[data-testid=fit-target]").value;
  const kernel = TARGETS[name];
  const learningRate = Number($("[data-testid=fit-lr]").value);
  const steps = Math.round(Number($("[data-testid=fit-steps]").value));
  status.textContent = t("bw.fit.running");
  const forward = await postJSON("/api/v1/conv2d", { input: FIT_INPUT, kernel, frame_limit: 0 });
  if (!forward.ok) {
    status.textContent = t("bw.error.prefix", { detail: forward.detail || forward.status });
    return;
  }
  fit.target = forward.data.output[0];
  fit.kernel0 = kernel.map((row) => row.map(() => 0));
  const reply = await postJSON("/api/v1/conv2d/fit", {
    input: FIT_INPUT,
    target: fit.target,
    kernel: fit.kernel0,
    learning_rate: learningRate,
    steps,
  });
  if (!reply.ok) {
    const detail = reply.field ? t(`bw.fit.field.${reply.field}`) : reply.detail;
    status.textContent = t("bw.error.prefix", { detail: detail || reply.status });
    $("[data-testid=fit-result]").hidden = true;
    return;
  }
  fit.answer = reply.data;
  const a = fit.answer;
  status.textContent = a.diverged
    ? t("bw.fit.diverged", { steps: a.steps })
    : t("bw.fit.done", { steps: a.steps, first: fmtLoss(a.losses[0]), last: fmtLoss(a.final_loss) });
  $("[data-testid=fit-result]").hidden = false;
  $("[data-testid=fit-code]").textContent = fitCode(FIT_INPUT, fit.target, fit.kernel0, learningRate, steps);
  fit.stepper = stepper($("[data-testid=fit-stepper]"), a.steps + 1, (step) => show(step, open), { testid: "fit" });
  fit.stepper.go(a.steps);
}

/** Position `step` (0..S): the kernel after `step` updates, its output and loss. */
function state(step) {
  const a = fit.answer;
  const kernel = step === 0 ? fit.kernel0 : a.kernels[step - 1][0][0];
  const output = step < a.steps ? a.outputs[step][0] : a.final_output[0];
  const loss = step < a.steps ? a.losses[step] : a.final_loss;
  return { kernel, output, loss };
}

function show(step, open) {
  const a = fit.answer;
  const { kernel, output, loss } = state(step);
  $("[data-testid=fit-sentence]").textContent = t("bw.fit.step", { step, loss: fmtLoss(loss) });
  $("[data-testid=fit-grids]").replaceChildren(
    figure(t("bw.fit.kernel"), numberGrid(kernel, { testid: "fit-kernel" })),
    figure(t("bw.fit.target_kernel"), numberGrid(TARGETS[$("[data-testid=fit-target]").value])),
    figure(t("bw.fit.output"), numberGrid(output, { testid: "fit-output" })),
    figure(t("bw.fit.target"), numberGrid(fit.target)),
  );
  drawLoss(step);
  const button = $("[data-testid=fit-open]");
  button.disabled = step >= a.steps;
  button.onclick = () => {
    const layer = defaultState();
    layer.input = [FIT_INPUT];
    layer.kernel = [[kernel]];
    layer.bias = [0];
    open(layer, a.grad_outputs[step]);
  };
}

function drawLoss(step) {
  const a = fit.answer;
  const losses = [...a.losses, a.final_loss];
  const svg = $("[data-testid=fit-loss]");
  const [w, h, m] = [320, 140, 8];
  const top = Math.max(...losses.map((v) => Math.log10(v + 1e-12)));
  const bottom = Math.min(...losses.map((v) => Math.log10(v + 1e-12)));
  const x = (i) => m + ((w - 2 * m) * i) / Math.max(losses.length - 1, 1);
  const y = (v) => m + ((h - 2 * m) * (top - Math.log10(v + 1e-12))) / Math.max(top - bottom, 1e-9);
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  const line = document.createElementNS(SVG, "polyline");
  line.setAttribute("points", losses.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" "));
  line.classList.add("bw-loss-line");
  const dot = document.createElementNS(SVG, "circle");
  dot.setAttribute("cx", x(step).toFixed(1));
  dot.setAttribute("cy", y(losses[step]).toFixed(1));
  dot.setAttribute("r", "4");
  dot.classList.add("bw-loss-dot");
  svg.replaceChildren(line, dot);
  svg.setAttribute("aria-label", t("bw.fit.loss_label", { first: fmtLoss(losses[0]), last: fmtLoss(losses[losses.length - 1]) }));
}

function play() {
  if (!fit.answer || !fit.stepper) return;
  clearInterval(fit.playing);
  fit.stepper.go(0);
  fit.playing = setInterval(() => {
    if (fit.stepper.index >= fit.answer.steps) {
      clearInterval(fit.playing);
      return;
    }
    fit.stepper.go(fit.stepper.index + 1);
  }, 120);
}

export function initFit({ open }) {
  $("[data-testid=fit-input]").replaceChildren(figure(t("bw.fit.input"), numberGrid(FIT_INPUT)));
  $("[data-testid=fit-run]").addEventListener("click", () => run(open));
  $("[data-testid=fit-play]").addEventListener("click", play);
  onLanguageChange(() => {
    $("[data-testid=fit-input]").replaceChildren(figure(t("bw.fit.input"), numberGrid(FIT_INPUT)));
    if (fit.answer && fit.stepper) fit.stepper.go(fit.stepper.index);
  });
}
