/**
 * The settings form: reads each control into the lab state and writes the state back.
 *
 * Each control names its parameter with `data-param`; `readParam` applies one edit and
 * says how urgent the refresh is, `writeControls` shows a state without disturbing the
 * control the user is typing in.
 */

import { MAX_CHANNELS, MAX_FILTERS, MAX_KERNEL_SIDE, MAX_SIDE, poolStride, resizeMatrix } from "./state.js";

function int(text, lo, hi) {
  const value = Number.parseInt(text, 10);
  return Number.isFinite(value) && value >= lo && value <= hi ? value : null;
}

function randomMatrix(rows, cols, lo, hi) {
  return Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () => lo + Math.floor(Math.random() * (hi - lo + 1))),
  );
}

/** Divisors shared by the channel and filter counts: the legal `groups`. */
export function legalGroups(channels, filters) {
  return Array.from({ length: Math.min(channels, filters) }, (_, i) => i + 1).filter(
    (g) => channels % g === 0 && filters % g === 0,
  );
}

/**
 * Matrices set aside when a count shrinks (a channel, a filter, a kernel slice under groups), so
 * growing it back restores what the student had instead of inventing new numbers. Not in the URL.
 */
function spare(s) {
  s.spare ||= new Map();
  return s.spare;
}

function keep(s, key, value) {
  spare(s).set(key, value);
}

function takeBack(s, key, rows, cols) {
  const kept = spare(s).get(key);
  return kept ? resizeMatrix(kept, rows, cols) : null;
}

/** Give the input `channels` channels and keep the kernel's channel count consistent. */
export function setChannels(s, channels) {
  const [h, w] = [s.input[0].length, s.input[0][0].length];
  s.input.forEach((m, c) => c >= channels && keep(s, `input:${c}`, m));
  s.input = Array.from(
    { length: channels },
    (_, c) => s.input[c] || takeBack(s, `input:${c}`, h, w) || randomMatrix(h, w, 0, 9),
  );
  fixGroups(s);
}

export function setFilters(s, filters) {
  const [kh, kw] = [s.kernel[0][0].length, s.kernel[0][0][0].length];
  s.kernel.forEach((filter, f) => filter.forEach((m, c) => f >= filters && keep(s, `kernel:${f}:${c}`, m)));
  s.bias.forEach((b, f) => f >= filters && keep(s, `bias:${f}`, [[b]]));
  // A new filter reads every channel; fixGroups below cuts it to C/groups slices.
  s.kernel = Array.from(
    { length: filters },
    (_, f) =>
      s.kernel[f] ||
      Array.from(
        { length: s.input.length },
        (_, c) => takeBack(s, `kernel:${f}:${c}`, kh, kw) || randomMatrix(kh, kw, -1, 1),
      ),
  );
  s.bias = Array.from({ length: filters }, (_, f) => s.bias[f] ?? spare(s).get(`bias:${f}`)?.[0][0] ?? 0);
  fixGroups(s);
}

/** Keep groups legal and the kernel at C/groups channels per filter, restoring slices set aside. */
export function fixGroups(s) {
  if (!legalGroups(s.input.length, s.kernel.length).includes(s.groups)) {
    s.groups = 1;
  }
  const cpg = s.input.length / s.groups;
  const [kh, kw] = [s.kernel[0][0].length, s.kernel[0][0][0].length];
  s.kernel = s.kernel.map((filter, f) => {
    filter.forEach((m, c) => c >= cpg && keep(s, `kernel:${f}:${c}`, m));
    return Array.from(
      { length: cpg },
      (_, c) => filter[c] || takeBack(s, `kernel:${f}:${c}`, kh, kw) || filter[0].map((row) => [...row]),
    );
  });
}

/** Resize every input channel (rows/cols deltas), within 1..MAX_SIDE. */
export function resizeInput(s, dr, dc) {
  const h = Math.min(MAX_SIDE, Math.max(1, s.input[0].length + dr));
  const w = Math.min(MAX_SIDE, Math.max(1, s.input[0][0].length + dc));
  s.input = s.input.map((m) => resizeMatrix(m, h, w));
}

export function resizeKernel(s, dr, dc) {
  const h = Math.min(MAX_KERNEL_SIDE, Math.max(1, s.kernel[0][0].length + dr));
  const w = Math.min(MAX_KERNEL_SIDE, Math.max(1, s.kernel[0][0][0].length + dc));
  s.kernel = s.kernel.map((filter) => filter.map((m) => resizeMatrix(m, h, w)));
}

export function randomiseInput(s) {
  s.input = s.input.map((m) => randomMatrix(m.length, m[0].length, 0, 9));
}

export function clearInput(s) {
  s.input = s.input.map((m) => m.map((row) => row.map(() => 0)));
}

/** Write a pasted block into `matrix` at (r, c), growing it up to `max` per side. */
export function pasteBlock(matrix, r, c, block, max) {
  const rows = Math.min(max, Math.max(matrix.length, r + block.length));
  const cols = Math.min(max, Math.max(matrix[0].length, c + Math.max(...block.map((row) => row.length))));
  const out = resizeMatrix(matrix, rows, cols);
  block.forEach((row, i) =>
    row.forEach((value, j) => {
      if (r + i < rows && c + j < cols) {
        out[r + i][c + j] = value;
      }
    }),
  );
  return out;
}

/** Apply one control's value to the state; returns false when the value is not usable yet. */
export function readParam(s, name, control) {
  const value = control.type === "checkbox" ? control.checked : control.value;
  const conv = s.mode === "conv";
  const p = s.pool;
  const side = (lo, hi) => int(value, lo, hi);
  const setPair = (key, axis, v) => {
    if (v === null) return false;
    const target = conv ? s : p;
    const current = key === "stride" && !conv ? [...poolStride(p)] : [...target[key]];
    if (axis === null) current.splice(0, 2, v, v);
    else current[axis] = v;
    target[key] = current;
    return true;
  };
  switch (name) {
    case "stride":
      return setPair("stride", null, side(1, MAX_SIDE));
    case "stride-h":
      return setPair("stride", 0, side(1, MAX_SIDE));
    case "stride-w":
      return setPair("stride", 1, side(1, MAX_SIDE));
    case "dilation":
      return setPair("dilation", null, side(1, 8));
    case "dilation-h":
      return setPair("dilation", 0, side(1, 8));
    case "dilation-w":
      return setPair("dilation", 1, side(1, 8));
    case "padding": {
      const v = side(0, MAX_SIDE);
      if (v === null) return false;
      if (conv) s.padding = [v, v, v, v];
      else p.padding = [v, v];
      return true;
    }
    case "padding-kind":
      if (value === "same" || value === "valid") s.padding = value;
      else if (!Array.isArray(s.padding)) s.padding = [0, 0, 0, 0];
      return true;
    case "pad-top":
    case "pad-bottom":
    case "pad-left":
    case "pad-right": {
      const v = side(0, MAX_SIDE);
      if (v === null) return false;
      const sides = Array.isArray(s.padding) ? [...s.padding] : [0, 0, 0, 0];
      sides[["pad-top", "pad-bottom", "pad-left", "pad-right"].indexOf(name)] = v;
      s.padding = sides;
      return true;
    }
    case "padding-mode":
      s.paddingMode = value;
      return true;
    case "activation":
      s.activation = value;
      return true;
    case "flip":
      s.flip = value;
      return true;
    case "groups":
      s.groups = Number(value);
      fixGroups(s);
      return true;
    case "channels": {
      const v = side(1, MAX_CHANNELS);
      if (v === null) return false;
      setChannels(s, v);
      return true;
    }
    case "filters": {
      const v = side(1, MAX_FILTERS);
      if (v === null) return false;
      setFilters(s, v);
      return true;
    }
    case "pool-op":
      p.op = value;
      return true;
    case "pool-size": {
      const v = side(1, MAX_KERNEL_SIDE);
      if (v === null) return false;
      p.size = [v, v];
      return true;
    }
    case "pool-size-h":
    case "pool-size-w": {
      const v = side(1, MAX_KERNEL_SIDE);
      if (v === null) return false;
      p.size = name.endsWith("h") ? [v, p.size[1]] : [p.size[0], v];
      return true;
    }
    case "ceil":
      p.ceil = value;
      return true;
    case "count-pad":
      p.countIncludePad = value;
      return true;
    case "global":
      p.global = value;
      return true;
    default:
      return false;
  }
}

/** Show the state in the controls; the focused control keeps what the user is typing. */
export function writeControls(root, s) {
  const conv = s.mode === "conv";
  const p = s.pool;
  const stride = conv ? s.stride : poolStride(p);
  const dilation = conv ? s.dilation : p.dilation;
  const sides = Array.isArray(s.padding) ? s.padding : [0, 0, 0, 0];
  const uniform = sides.every((v) => v === sides[0]);
  const values = {
    stride: stride[0] === stride[1] ? stride[0] : "",
    "stride-h": stride[0],
    "stride-w": stride[1],
    dilation: dilation[0] === dilation[1] ? dilation[0] : "",
    "dilation-h": dilation[0],
    "dilation-w": dilation[1],
    padding: conv ? (uniform ? sides[0] : "") : p.padding[0] === p.padding[1] ? p.padding[0] : "",
    "padding-kind": conv ? (typeof s.padding === "string" ? s.padding : uniform ? "number" : "sides") : "number",
    "pad-top": sides[0],
    "pad-bottom": sides[1],
    "pad-left": sides[2],
    "pad-right": sides[3],
    "padding-mode": s.paddingMode,
    activation: s.activation,
    flip: s.flip,
    groups: s.groups,
    channels: s.input.length,
    filters: s.kernel.length,
    "pool-op": p.op,
    "pool-size": p.size[0] === p.size[1] ? p.size[0] : "",
    "pool-size-h": p.size[0],
    "pool-size-w": p.size[1],
    ceil: p.ceil,
    "count-pad": p.countIncludePad,
    global: p.global,
  };
  const groups = root.querySelector("[data-param=groups]");
  const legal = legalGroups(s.input.length, s.kernel.length);
  if (groups.options.length !== legal.length) {
    groups.replaceChildren(
      ...legal.map((g) => {
        const option = document.createElement("option");
        option.value = String(g);
        option.textContent = String(g);
        return option;
      }),
    );
  }
  for (const control of root.querySelectorAll("[data-param]")) {
    const value = values[control.dataset.param];
    if (value === undefined || control === document.activeElement) {
      continue;
    }
    if (control.type === "checkbox") {
      control.checked = value;
    } else {
      control.value = String(value);
    }
  }
  const padding = root.querySelector("[data-param=padding]");
  padding.disabled = conv && typeof s.padding === "string";
}
