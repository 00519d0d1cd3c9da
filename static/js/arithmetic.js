/**
 * The arithmetic of one step as short lines of text: what a student would write on the board.
 *
 * Long sums are elided in the middle so a line fits a projector; the screen-reader text
 * (`spokenStep`) carries the same facts in one sentence.
 */

import { formatCell } from "./format.js";
import { t } from "./i18n.js";

const MAX_TERMS = 9;

function n(value) {
  return value === null || value === undefined ? t("arith.pad") : formatCell(value);
}

/** A factor in a product: negatives in parentheses, "(−1)×2". */
function factor(value) {
  const text = n(value);
  return typeof value === "number" && value < 0 ? `(${text})` : text;
}

/** The same elision as joinTerms, on a list of items: the 4 first, "…", the 2 last. */
export function elide(items, gap) {
  return items.length <= MAX_TERMS ? items : [...items.slice(0, 4), gap, ...items.slice(-2)];
}

/**
 * The product terms of a convolution frame, per channel used, with where each came from: `text`
 * as convLines writes it, `c` the kernel slice, (a, b) the tap. Lets the page link a term to its cells.
 */
export function convTerms(frame, kernel) {
  const weights = kernel[frame.out[0]];
  return frame.window.map((channel, c) =>
    channel.flatMap((row, a) => row.map((x, b) => ({ text: `${factor(x)}×${factor(weights[c][a][b])}`, c, a, b }))),
  );
}

function joinTerms(terms, separator) {
  if (terms.length <= MAX_TERMS) {
    return terms.join(separator);
  }
  return [...terms.slice(0, 4), "…", ...terms.slice(-2)].join(separator);
}

const ACTIVATION_NAMES = { relu: "ReLU", leaky_relu: "LeakyReLU", sigmoid: "σ", tanh: "tanh" };

/** Lines for a convolution frame; `kernel` is F×cpg×kh×kw as used. */
export function convLines(frame, kernel, activation) {
  const f = frame.out[0];
  const weights = kernel[f];
  const channelTerms = frame.window.map((channel, c) =>
    channel.flatMap((row, a) => row.map((x, b) => `${factor(x)}×${factor(weights[c][a][b])}`)),
  );
  const lines = [];
  const bias = frame.bias;
  const biasTerm = `${bias < 0 ? "−" : "+"} ${formatCell(Math.abs(bias))} ${t("arith.bias_short")}`;
  if (channelTerms.length === 1) {
    lines.push(`${joinTerms(channelTerms[0], " + ")} ${biasTerm} = ${formatCell(frame.value)}`);
  } else {
    channelTerms.forEach((terms, c) => {
      lines.push(`${t("arith.channel", { n: c + 1 })}: ${joinTerms(terms, " + ")} = ${formatCell(frame.channel_sums[c])}`);
    });
    lines.push(`${frame.channel_sums.map(formatCell).join(" + ")} ${biasTerm} = ${formatCell(frame.value)}`);
  }
  if (activation !== "none") {
    lines.push(`${ACTIVATION_NAMES[activation]}(${formatCell(frame.value)}) = ${formatCell(frame.activated)}`);
  }
  return lines;
}

/** Lines for a pooling frame, with why the divisor is what it is. */
export function poolLines(frame, pool) {
  const cells = frame.window.flat();
  if (pool.op === "max") {
    const terms = cells.map((x) => (x === null ? "−∞" : factor(x)));
    const lines = [`max(${joinTerms(terms, ", ")}) = ${frame.value === null ? "−∞" : formatCell(frame.value)}`];
    if (cells.includes(null)) {
      lines.push(t("arith.max_padding"));
    }
    return lines;
  }
  const real = cells.filter((x) => x !== null);
  const sum = `(${joinTerms(real.map(factor), " + ") || "0"})`;
  const lines = [`${sum} ÷ ${formatCell(frame.divisor)} = ${formatCell(frame.value)}`];
  const padded = cells.length - real.length;
  if (padded > 0) {
    lines.push(
      pool.countIncludePad
        ? t("arith.avg_counts_pad", { d: formatCell(frame.divisor), p: padded })
        : t("arith.avg_skips_pad", { d: formatCell(frame.divisor), p: padded }),
    );
  }
  return lines;
}

/** One sentence for screen readers about the current step. */
export function spokenStep(step, count, lines) {
  return `${t("arith.step", { k: step + 1, n: count })}: ${lines.join("; ").replaceAll("×", ` ${t("arith.times")} `)}`;
}
