/** Computing the feature maps: the whole set, or one filter's map when only that filter changed; then the channel breakdown. */
import { t } from "./i18n.js";
import { baseForm, post } from "./image-lab-api.js";
import { renderChannels } from "./image-lab-channels.js";
import { renderAnswer, repaintFilter } from "./image-lab-grid.js";
import { decodePixels, parsePalettes } from "./image-lab-maps.js";
import { runPool } from "./image-lab-pool.js";
import { rewindSlide } from "./image-lab-slide.js";
import { announcePainted, colorMode, control, inputKey, layerSettings, sampleName, setStatus, showError, state } from "./image-lab-state.js";

let runQueued = false;

/**
 * Run once the current event's handlers are done (several changes in one go make one request). A microtask,
 * not a timer: the request leaves before the browser renders the edited controls, so the server computes
 * while the page paints (a timer waited for that frame, about 150 ms with eight large maps on screen).
 */
export function scheduleRun() {
  if (!runQueued) {
    runQueued = true;
    queueMicrotask(() => {
      runQueued = false;
      run();
    });
  }
}

/**
 * Which filter alone changed since the answer on screen (same picture, settings and kernel size), or null:
 * then one filter's map is asked for and spliced in, the other maps stay as they are (they cannot change).
 */
export function changedFilter(settingsKey) {
  const done = state.answered;
  if (!state.answer || !done || done.settings !== settingsKey || done.kernels.length !== state.filters.length) {
    return null;
  }
  const changed = state.filters.flatMap((f, k) => (JSON.stringify(f.values) === done.kernels[k] ? [] : [k]));
  if (changed.length !== 1) {
    return changed.length === 0 ? -1 : null;
  }
  const [was, now] = [JSON.parse(done.kernels[changed[0]]), state.filters[changed[0]].values];
  return was.length === now.length && was[0].length === now[0].length ? changed[0] : null;
}

export async function run() {
  performance.mark("il:run");
  const ticket = ++state.request;
  const channels = colorMode() === "rgb" ? 3 : 1;
  const key = inputKey();
  const settings = layerSettings();
  const settingsKey = JSON.stringify([key, settings]);
  const only = changedFilter(settingsKey);
  if (only === -1) {
    await renderAnswer(); // nothing changed but a name (a preset with the same numbers): nothing to compute
    announcePainted("maps");
    return;
  }
  const sent = only === null ? state.filters : [state.filters[only]];
  const form = baseForm();
  form.append("params", JSON.stringify({ kernel: sent.map((f) => Array.from({ length: channels }, () => f.values)), ...settings }));
  form.append("include_focus", "false");
  form.set("maps", "binary");
  const reuse = state.input.key === key && state.input.picture !== null;
  form.append("include_input", String(!reuse));
  setStatus(t("img.working"));
  performance.mark("il:request");
  const result = await post("/api/v1/images/conv2d", form);
  performance.mark("il:parsed");
  if (ticket !== state.request) {
    return;
  }
  if (!result.ok) {
    showError(t("img.error", { status: result.status, detail: result.detail || "" }));
    setStatus("");
    return;
  }
  showError("");
  if (result.data.input.blob) {
    if (state.input.picture?.startsWith("blob:")) {
      URL.revokeObjectURL(state.input.picture);
    }
    state.input = { key, picture: URL.createObjectURL(result.data.input.blob), blob: result.data.input.blob, pixels: null };
  }
  result.data.input.picture = state.input.picture;
  if (!state.input.pixels) {
    state.input.pixels = await decodePixels(state.input.blob);
    if (ticket !== state.request) {
      return;
    }
  }
  state.palettes = result.data.palettes;
  state.tables = parsePalettes(result.data.palettes);
  state.answered = { settings: settingsKey, kernels: state.filters.map((f) => JSON.stringify(f.values)) };
  const source = result.data.source;
  setStatus(
    t("img.done", {
      source: source.kind === "sample" ? sampleName(state.samples.find((s) => s.name === source.sample)) : t("img.upload_name"),
      size: `${source.size[1]}×${source.size[0]}`,
      format: source.format,
    }),
  );
  performance.mark("il:decoded-input");
  if (only === null) {
    state.answer = result.data;
    await renderAnswer();
    if (ticket !== state.request) {
      return; // a newer answer's maps are going in instead (the first draw is sliced)
    }
  } else {
    spliceFilter(state.answer, only, result.data);
    await repaintFilter(only);
  }
  performance.mark("il:painted");
  await new Promise(requestAnimationFrame);
  performance.mark("il:frame");
  announcePainted("maps");
  rewindSlide();
  const focus = Math.min(Number(control("focus").value) || 0, state.filters.length - 1);
  if (only === null || only === focus) {
    runFocus();
  }
  if (state.pooledKey !== key) {
    runPool(); // pooling depends on the picture only, not on the filters
  }
}

/** One filter's answer (filters[0] of `part`) put in place `index` of the whole answer. */
export function spliceFilter(answer, index, part) {
  answer.filters[index] = { ...part.filters[0], index };
  answer.kernel[index] = part.kernel[0];
  answer.bias[index] = part.bias[0];
  if (answer.values?.output && part.values?.output) {
    answer.values.output[index] = part.values.output[0];
  }
}

/** The channel breakdown of the focus filter: the same request with that filter alone. */
export async function runFocus() {
  const ticket = ++state.focusRequest;
  const answer = state.answer;
  const channels = answer.input.shape[0];
  const focus = Math.min(Number(control("focus").value) || 0, state.filters.length - 1);
  const form = baseForm();
  const filter = state.filters[focus];
  const params = { kernel: [Array.from({ length: channels }, () => filter.values)], ...layerSettings() };
  form.append("params", JSON.stringify(params));
  form.set("include_values", "false");
  form.append("include_input", "false");
  form.set("maps", "binary");
  const result = await post("/api/v1/images/conv2d", form);
  if (ticket !== state.focusRequest || answer !== state.answer || !result.ok) {
    return;
  }
  state.focus = { ...result.data.focus, index: focus, map: result.data.filters[0].map };
  renderChannels();
}
