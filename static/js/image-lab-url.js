/**
 * The Image lab's link: one table of parameters drives the URL both ways (as the Matrix and Network labs'
 * state tables do), so a teacher can share exactly the layer on screen. An uploaded picture never goes in
 * the URL; the link then names no sample and opens on the default one.
 *
 *   sample=cifar_cat  color=rgb  max_side=128  padding=1  padding_mode=reflect  stride=2  bias=0.5
 *   activation=relu  view=absolute  filters=sobel_x|laplacian|k:1,0;0,-1   (k: a kernel typed by hand)
 */

import { $ } from "./dom.js";
import { readNumber } from "./format.js";
import { control, presetValues, state } from "./image-lab-state.js";

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** A select keeps a value only if it offers it; a number field only if it reads as a number. */
function setSelect(select, value) {
  if ([...select.options].some((o) => o.value === value)) select.value = value;
}

function setNumber(input, value) {
  if (Number.isFinite(readNumber(value))) input.value = value;
}

function setRadio(name, value) {
  const radio = $(`[data-control="${name}"][value="${CSS.escape(value)}"]`);
  if (radio) radio.checked = true;
}

export function filtersText(filters) {
  return filters
    .map(({ preset, values }) =>
      preset && preset !== "custom" && same(values, presetValues(preset))
        ? preset
        : `k:${values.map((row) => row.join(",")).join(";")}`,
    )
    .join("|");
}

/** Filters from the URL: known preset names and square kernels of the first one's size (a layer's filters
share one size); anything unreadable is dropped. */
export function filtersFrom(text, presetNames) {
  const filters = [];
  for (const part of text.split("|")) {
    if (presetNames.includes(part)) {
      filters.push({ preset: part, values: presetValues(part) });
    } else if (part.startsWith("k:")) {
      const values = part.slice(2).split(";").map((row) => row.split(",").map(readNumber));
      const square = values.length > 0 && values.every((row) => row.length === values.length);
      if (square && values.flat().every(Number.isFinite)) filters.push({ preset: "custom", values });
    }
  }
  return filters.filter((f) => f.values.length === filters[0].values.length);
}

const PARAMS = [
  { key: "sample", read: (v) => (state.sample = v), write: () => (state.file ? null : state.sample) },
  { key: "color", read: (v) => setRadio("color", v), write: () => $('[data-control="color"]:checked')?.value },
  { key: "max_side", read: (v) => setSelect(control("max-side"), v), write: () => control("max-side").value },
  { key: "padding", read: (v) => setNumber(control("padding"), v), write: () => control("padding").value },
  {
    key: "padding_mode",
    read: (v) => setSelect(control("padding-mode"), v),
    write: () => control("padding-mode").value,
  },
  { key: "stride", read: (v) => setNumber(control("stride"), v), write: () => control("stride").value },
  { key: "bias", read: (v) => setNumber(control("bias"), v), write: () => control("bias").value },
  { key: "activation", read: (v) => setSelect(control("activation"), v), write: () => control("activation").value },
  {
    key: "view",
    read: (v) => {
      setRadio("view", v);
      state.view = $('[data-control="view"]:checked')?.value || state.view;
    },
    write: () => state.view,
  },
  {
    key: "filters",
    read: (v) => {
      const filters = filtersFrom(v, state.presets.map((p) => p.name));
      if (filters.length) state.filters = filters;
    },
    write: () => filtersText(state.filters),
  },
];

/** Apply the URL's parameters to the controls and state (after the presets are known, before the first run). */
export function readUrl(search = location.search) {
  const query = new URLSearchParams(search);
  for (const param of PARAMS) {
    const value = query.get(param.key);
    if (value !== null) param.read(value);
  }
}

/** Write what is on screen into the address bar (replacing, so Back still leaves the page). */
export function writeUrl() {
  const query = new URLSearchParams(location.search);
  for (const param of PARAMS) {
    const value = param.write();
    if (value === null || value === undefined || value === "") query.delete(param.key);
    else query.set(param.key, String(value));
  }
  const next = `${location.pathname}?${query}${location.hash}`;
  if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, "", next);
}
