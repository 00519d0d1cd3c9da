/**
 * The arithmetic sentence for every step of every backward view, in the page's language.
 * Terms with a zero factor are left out of long sums (and said so), so holes read as holes.
 */

import { language, t } from "./i18n.js";
import { formatValue } from "./format.js";

const MAX_TERMS = 12;

function sum(terms) {
  const shown = terms.slice(0, MAX_TERMS).map(([a, b]) => `${formatValue(a)}×${formatValue(b)}`);
  return shown.join(" + ") + (terms.length > MAX_TERMS ? " + …" : "");
}

function flat(array) {
  return Array.isArray(array) ? array.flatMap(flat) : [array];
}

/** Scatter: one output-gradient cell stamps grad × kernel onto the padded input. */
export function scatterSentence(frame, kernelShape, dilation, activation) {
  const [f, i, j] = frame.out;
  const [kh, kw] = kernelShape;
  const [r, c] = frame.origin;
  const params = {
    f: f + 1,
    i,
    j,
    g: formatValue(frame.grad_output),
    d: formatValue(frame.derivative),
    grad: formatValue(frame.grad),
    r0: r,
    r1: r + dilation[0] * (kh - 1),
    c0: c,
    c1: c + dilation[1] * (kw - 1),
  };
  const head = activation === "none" ? t("bw.scatter.head", params) : t("bw.scatter.head_act", params);
  return `${head}${language() === "zh-CN" ? "" : " "}${t("bw.scatter.stamp", params)}`;
}

/** Gather: one padded-input cell is the flipped kernel against the zero-stuffed output gradient. */
export function gatherSentence(frame, kernel) {
  const [ch, r, c] = frame.out;
  const window = flat(frame.window);
  const weights = flat(kernel[ch]);
  const terms = window.map((v, n) => [v, weights[n]]).filter(([v, w]) => v !== 0 && w !== 0);
  const params = { ch: ch + 1, r, c, value: formatValue(frame.value) };
  if (terms.length === 0) {
    return t("bw.gather.zero", params);
  }
  return t("bw.gather.sum", { ...params, terms: sum(terms), skipped: window.length - terms.length });
}

/** Weight: one weight's gradient is its input window correlated with the output gradient. */
export function weightSentence(frame) {
  const [f, ch, u, v] = frame.weight;
  const window = flat(frame.window);
  const grad = flat(frame.grad);
  const terms = window.map((x, n) => [x, grad[n]]).filter(([x, g]) => x !== 0 && g !== 0);
  const params = { f, ch, u, v, value: formatValue(frame.value), n: window.length };
  if (terms.length === 0) {
    return t("bw.weight.zero", params);
  }
  return t("bw.weight.sum", { ...params, terms: sum(terms) });
}

/** Routing: where one pooled output's gradient goes. */
export function routingSentence(frame, answer) {
  const [ch, i, j] = frame.out;
  const params = { ch: ch + 1, i, j, g: formatValue(frame.grad) };
  if (frame.argmax) {
    const [r, c] = frame.argmax;
    const [pt, , pl] = answer.padding;
    const value = answer.padded_input[ch][r + pt][c + pl];
    return t("bw.route.max", { ...params, r, c, value: formatValue(value) });
  }
  if (frame.divisor !== null && frame.divisor !== undefined) {
    const real = flat(frame.share).filter((v) => v !== null).length;
    return t("bw.route.avg", { ...params, n: real, divisor: formatValue(frame.divisor), share: formatValue(frame.grad / frame.divisor) });
  }
  return t("bw.route.none", params);
}
