/**
 * Where everything sits: padded sizes, output sizes and, for any step, the window's taps.
 *
 * The server's answer is the authority on numbers; this module only places them. When the
 * server refused a configuration, `layerGeometry` still places the raw input so it stays editable.
 */

import { poolStride } from "./state.js";

/** [top, bottom, left, right] padding for a state, as PyTorch applies it ("same" puts the extra after). */
export function localPadding(state) {
  if (state.mode === "pool") {
    if (state.pool.global) {
      return [0, 0, 0, 0];
    }
    const [ph, pw] = state.pool.padding;
    return [ph, ph, pw, pw];
  }
  if (state.padding === "valid") {
    return [0, 0, 0, 0];
  }
  if (state.padding === "same") {
    const kh = state.kernel[0][0].length;
    const kw = state.kernel[0][0][0].length;
    const th = state.dilation[0] * (kh - 1);
    const tw = state.dilation[1] * (kw - 1);
    return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
  }
  return state.padding;
}

/** The input cell a padded cell copies under `mode` (null for constant padding). */
export function padSource(mode, index, size) {
  if (index >= 0 && index < size) {
    return index;
  }
  if (mode === "reflect") {
    const period = 2 * (size - 1) || 1;
    const m = ((index % period) + period) % period;
    return m < size ? m : period - m;
  }
  if (mode === "replicate") {
    return Math.min(size - 1, Math.max(0, index));
  }
  if (mode === "circular") {
    return ((index % size) + size) % size;
  }
  return null;
}

/** Everything the stage needs to place a layer; `answer` is the server's reply or null. */
export function layerGeometry(state, answer) {
  const C = state.input.length;
  const H = state.input[0].length;
  const W = state.input[0][0].length;
  const conv = state.mode === "conv";
  const pad = answer ? answer.padding : localPadding(state);
  const geo = {
    mode: state.mode,
    C,
    H,
    W,
    pad,
    Hp: H + pad[0] + pad[1],
    Wp: W + pad[2] + pad[3],
    paddingMode: conv ? state.paddingMode : "pool",
    padded: answer ? answer.padded_input : null,
    output: answer ? answer.output : null,
    count: answer ? answer.frame_count : 0,
  };
  if (conv) {
    const kernel = answer ? answer.kernel : state.kernel;
    Object.assign(geo, {
      kernel,
      F: kernel.length,
      cpg: kernel[0].length,
      groups: state.groups,
      kh: kernel[0][0].length,
      kw: kernel[0][0][0].length,
      stride: state.stride,
      dilation: state.dilation,
      outC: kernel.length,
    });
  } else {
    const size = answer ? answer.kernel_size : state.pool.size;
    Object.assign(geo, {
      kh: size[0],
      kw: size[1],
      stride: answer ? answer.stride : poolStride(state.pool),
      dilation: state.pool.global ? [1, 1] : state.pool.dilation,
      outC: C,
    });
  }
  geo.Ho = answer ? answer.output_shape[1] : 0;
  geo.Wo = answer ? answer.output_shape[2] : 0;
  return geo;
}

/** The output cell, input channels and taps (padded coordinates) of one step. */
export function stepPlace(geo, step) {
  const perMap = geo.Ho * geo.Wo;
  const f = Math.floor(step / perMap);
  const i = Math.floor((step % perMap) / geo.Wo);
  const j = step % geo.Wo;
  const r0 = i * geo.stride[0];
  const c0 = j * geo.stride[1];
  let channels;
  if (geo.mode === "conv") {
    const g = Math.floor(f / (geo.F / geo.groups));
    channels = Array.from({ length: geo.cpg }, (_, k) => g * geo.cpg + k);
  } else {
    channels = [f];
  }
  const taps = [];
  for (let a = 0; a < geo.kh; a += 1) {
    for (let b = 0; b < geo.kw; b += 1) {
      taps.push([r0 + a * geo.dilation[0], c0 + b * geo.dilation[1], a, b]);
    }
  }
  return { f, i, j, channels, taps, origin: [r0, c0] };
}

/** The step that computes output cell (f, i, j). */
export function stepOf(geo, f, i, j) {
  return f * geo.Ho * geo.Wo + i * geo.Wo + j;
}
