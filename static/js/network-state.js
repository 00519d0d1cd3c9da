/**
 * The Network lab's state as one table of parameters, as tensorflow/playground's state.ts does: each row says
 * how the parameter reads from and writes to the URL, which control shows it and whether the request body
 * carries it. Adding a parameter is one row, not five hand-written places.
 *
 * Pure (no DOM): Node's test runner imports it (tests/js/network-state.test.mjs).
 */

export const LAYER_DEFAULTS = {
  conv: { type: "conv", out_channels: 8, kernel_size: 3, stride: 1, padding: 1, dilation: 1, groups: 1 },
  max_pool: { type: "max_pool", kernel_size: 2, stride: null, padding: 0, ceil_mode: false },
  avg_pool: { type: "avg_pool", kernel_size: 2, stride: null, padding: 0, ceil_mode: false },
  linear: { type: "linear", out_features: 10 },
};

/** The numbers a layer card lets a student edit, per layer type. */
export const NUMBER_FIELDS = {
  conv: ["out_channels", "kernel_size", "stride", "padding", "dilation", "groups"],
  max_pool: ["kernel_size", "stride", "padding"],
  avg_pool: ["kernel_size", "stride", "padding"],
  linear: ["out_features"],
};

/** A fresh layer of `type` with its defaults (an activation has none). */
export const newLayer = (type) => ({ ...(LAYER_DEFAULTS[type] || { type }) });

/** How each kind of value reads from its URL text (undefined: unreadable, keep the default) and writes back. */
const TYPES = {
  string: { parse: (text) => text, write: (value) => value },
  count: {
    parse: (text) => Math.max(0, Number.parseInt(text, 10) || 0),
    write: (value) => String(value),
  },
  list: {
    parse(text) {
      try {
        const value = JSON.parse(text);
        return Array.isArray(value) ? value : undefined;
      } catch {
        return undefined; // an unreadable stack in a shared link falls back to the preset's
      }
    },
    write: (value) => (value ? JSON.stringify(value) : null),
  },
};

/**
 * The parameters. `type` names the URL format; `control` the element that shows it (`value`: a field's value,
 * `pressed`: a group of buttons whose `data-<name>` matches); `body` whether the request carries it as is;
 * `inLink(value)` false keeps it out of the URL (an uploaded picture cannot travel in a link); `resets` names the
 * parameters that go back to their fallback when this one changes.
 */
export const PARAMS = [
  {
    name: "preset",
    type: "string",
    fallback: "tiny_cifar",
    control: { kind: "pressed", selector: "[data-preset]" },
    body: true,
    resets: ["layers"], // a new preset brings its own stack
  },
  {
    name: "input",
    type: "string",
    fallback: "cifar_cat",
    control: { kind: "value", selector: "[data-input-select]" },
    inLink: (value) => value !== "upload",
  },
  { name: "seed", type: "count", fallback: 0, control: { kind: "value", selector: "[data-seed]" }, body: true },
  { name: "layers", type: "list", fallback: null, body: true },
];

const byName = Object.fromEntries(PARAMS.map((param) => [param.name, param]));

/** Parameter `name` read from text (a URL value or a control's value); its fallback when unreadable. */
export function readParam(name, text) {
  const param = byName[name];
  const value = text ? TYPES[param.type].parse(text) : undefined;
  return value === undefined ? param.fallback : value;
}

/** Set parameter `name` from a control's text, resetting what depends on it. */
export function setParam(state, name, text) {
  state[name] = readParam(name, text);
  for (const other of byName[name].resets || []) state[other] = byName[other].fallback;
}

/** The state a link describes: every parameter from `search`, its fallback where missing or unreadable. */
export function stateFromQuery(search) {
  const q = new URLSearchParams(search);
  const state = {};
  for (const param of PARAMS) state[param.name] = readParam(param.name, q.get(param.name));
  return state;
}

/** `search` with the state's parameters written in (others, such as lang, kept); left out where not in a link. */
export function queryFromState(state, search = "") {
  const q = new URLSearchParams(search);
  for (const param of PARAMS) {
    const value = state[param.name];
    const text = param.inLink && !param.inLink(value) ? null : TYPES[param.type].write(value);
    if (text === null || text === undefined) q.delete(param.name);
    else q.set(param.name, text);
  }
  return q;
}

/** The request body's parameters (the input numbers are added by the page: they come from a picture). */
export function bodyFromState(state) {
  const body = { output_channels: 8, max_output_values: 120000, output_digits: 4 }; // maps are drawn as colours: 4 digits is plenty
  for (const param of PARAMS) {
    if (param.body && state[param.name] !== null && state[param.name] !== undefined) body[param.name] = state[param.name];
  }
  return body;
}

/** Whether the request sends input numbers: AlexNet's layer wants 3×227×227, so it stays shapes-only. */
export const sendsInput = (state) => state.preset !== "alexnet_first" && state.input !== "seeded";
