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
