/**
 * The arithmetic behind one output pixel, from the padded input the server sent:
 * per-channel sums of window × kernel, plus the bias, then the activation.
 */

import { LEAKY_SLOPE } from "./vocabulary.js";

const ACTIVATIONS = {
  none: (x) => x,
  relu: (x) => Math.max(x, 0),
  leaky_relu: (x) => (x >= 0 ? x : LEAKY_SLOPE * x),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: (x) => Math.tanh(x),
};

/** The window of output (i, j) in padded coordinates: top-left and span (stride and dilation from the shape record). */
export function windowAt(answer, i, j) {
  const kernel = answer.kernel[0][0];
  const [sh, sw] = [answer.shape.height.s, answer.shape.width.s];
  const [dh, dw] = [answer.shape.height.d, answer.shape.width.d];
  return {
    row: i * sh,
    col: j * sw,
    height: dh * (kernel.length - 1) + 1,
    width: dw * (kernel[0].length - 1) + 1,
    dilation: [dh, dw],
  };
}

function channelNames(count) {
  return count === 3 ? ["R", "G", "B"] : count === 1 ? ["gray"] : Array.from({ length: count }, (_, c) => String(c));
}

/** Numbers under the window of filter f at output (i, j), with each tap's weight; null without values. */
export function magnifierTable(answer, f, i, j) {
  if (!answer?.values) {
    return null;
  }
  const padded = answer.values.padded_input;
  const weights = answer.kernel[f];
  const filters = answer.kernel.length;
  const cpg = weights.length;
  const groups = padded.length / cpg;
  const group = Math.floor(f / (filters / groups));
  const win = windowAt(answer, i, j);
  const names = channelNames(padded.length);
  const channels = weights.map((kernel, c) => {
    const plane = padded[group * cpg + c];
    let sum = 0;
    const cells = kernel.map((row, u) =>
      row.map((weight, v) => {
        const pixel = plane[win.row + u * win.dilation[0]][win.col + v * win.dilation[1]];
        sum += pixel * weight;
        return { pixel, weight };
      }),
    );
    return { name: names[group * cpg + c], cells, sum };
  });
  const bias = answer.bias[f];
  const pre = channels.reduce((total, c) => total + c.sum, 0) + bias;
  return { channels, bias, pre };
}

/** Per-channel sums, bias, pre-activation, activation and the server's value for output (f, i, j). */
export function readoutLines(answer, f, i, j) {
  const table = magnifierTable(answer, f, i, j);
  if (!table) {
    return null;
  }
  const activated = (ACTIVATIONS[answer.activation] || ACTIVATIONS.none)(table.pre);
  const output = answer.values.output;
  const value = output ? output[f][i][j] : activated;
  return { channels: table.channels, bias: table.bias, pre: table.pre, activated, value };
}

/**
 * The hover's one shape for a window's arithmetic, from the answer's own numbers (null without them):
 * channels [{name, cells: rows of {pixel, weight, product}, sum}], bias, pre (before the activation),
 * activated, and value (the map's number at that place).
 */
export function localWindow(answer, f, i, j) {
  const lines = readoutLines(answer, f, i, j);
  if (!lines) {
    return null;
  }
  const channels = lines.channels.map((c) => ({ ...c, cells: c.cells.map((row) => row.map((cell) => ({ ...cell, product: cell.pixel * cell.weight }))) }));
  return { channels, bias: lines.bias, pre: lines.pre, activated: lines.activated, value: lines.value };
}

/** The same shape from POST /api/v1/images/conv2d/window's answer (the server's numbers, none recomputed). */
export function serverWindow(data) {
  const channels = data.channels.map((name, c) => ({
    name,
    sum: data.channel_sums[c],
    cells: data.window[c].map((row, u) => row.map((pixel, v) => ({ pixel, weight: data.weights[c][u][v], product: data.products[c][u][v] }))),
  }));
  return { channels, bias: data.bias, pre: data.value, activated: data.activated, value: data.activated };
}

/**
 * Which picture index padded position `p` copies along an axis of `n` cells with `before` cells of padding
 * (-1: a zero). The server checks the crop against its own padding table; this only picks what to send.
 */
export function sourceIndex(p, n, before, mode) {
  const q = p - before;
  if (q >= 0 && q < n) {
    return q;
  }
  if (mode === "zeros") {
    return -1;
  }
  if (mode === "replicate") {
    return q < 0 ? 0 : n - 1;
  }
  if (mode === "reflect") {
    return q < 0 ? -q : 2 * (n - 1) - q;
  }
  return ((q % n) + n) % n; // circular
}
