/**
 * A window's numbers from the server, for answers too large to carry them (512×512 RGB lists no values):
 * POST /api/v1/images/conv2d/window with the same layer and, instead of the picture, the sample's name or
 * the few rows and columns of the shrunk picture the page already holds. Pointer moves are throttled
 * (one request every MIN_GAP_MS at most), one request is in flight at a time and the latest position wins
 * (a stale request is aborted), and windows already fetched for the answer on screen come from a cache.
 */
import { postJSON } from "./api.js";
import { serverWindow, sourceIndex, windowAt } from "./image-lab-math.js";
import { state } from "./image-lab-state.js";

export const WINDOW_PATH = "/api/v1/images/conv2d/window";
const MIN_GAP_MS = 40; // at most 25 requests a second while the pointer sweeps
const CACHE_SIZE = 4096; // windows kept per answer (a few hundred bytes each)

const caches = new WeakMap(); // answer -> Map(key -> window), so a new answer starts empty; shared by every fetcher

function cacheOf(answer) {
  if (!caches.has(answer)) {
    caches.set(answer, new Map());
  }
  return caches.get(answer);
}

/** A filter's kernel and bias are part of the key: a filter edited in place (one map re-asked) is a new window. */
function keyOf(answer, f, i, j) {
  return JSON.stringify([answer.kernel[f], answer.bias[f], i, j]);
}

/** The settings the answer on screen was computed with (padding_mode is not in the answer). */
function answeredSettings() {
  try {
    return JSON.parse(state.answered.settings);
  } catch {
    return null;
  }
}

/** The rows × cols of the page's copy of the shrunk picture that the window reads, or null if it has none. */
function cropFor(answer, rows, cols) {
  const pixels = state.input.pixels;
  const [channels, height, width] = answer.input.shape;
  if (!pixels || pixels.width !== width || pixels.height !== height) {
    return null;
  }
  const plane = (c) => rows.map((r) => cols.map((col) => pixels.rgba[(r * width + col) * 4 + c]));
  return { size: [height, width], rows, cols, pixels: Array.from({ length: channels }, (_, c) => plane(c)) };
}

function distinct(indices) {
  return [...new Set(indices.filter((k) => k >= 0))].sort((a, b) => a - b);
}

/** The request body for filter f at (i, j) of the answer on screen, or null when the page cannot say. */
export function windowBody(answer, f, i, j) {
  const answered = answeredSettings();
  if (!answered) {
    return null;
  }
  const [inputKey, settings] = answered;
  const [channels, height, width] = answer.input.shape;
  const { height: h, width: w } = answer.shape;
  const params = {
    kernel: [answer.kernel[f]],
    bias: answer.bias[f],
    stride: [h.s, w.s],
    dilation: [h.d, w.d],
    padding: answer.padding,
    padding_mode: settings.padding_mode,
    activation: answer.activation,
  };
  const body = { color: channels === 3 ? "rgb" : "gray", params, filter: 0, i, j };
  if (answer.source.kind === "sample") {
    return { ...body, sample: answer.source.sample, max_side: Math.max(height, width) };
  }
  if (state.input.key !== inputKey) {
    return null; // the picture held is a newer one than the answer's
  }
  const win = windowAt(answer, i, j);
  const kernel = answer.kernel[f][0];
  const [top, , left] = answer.padding;
  const rows = distinct(kernel.map((_, u) => sourceIndex(win.row + u * win.dilation[0], height, top, settings.padding_mode)));
  const cols = distinct(kernel[0].map((_, v) => sourceIndex(win.col + v * win.dilation[1], width, left, settings.padding_mode)));
  if (!rows.length || !cols.length) {
    rows.push(0); // a window on padding alone still names one real cell, so the crop is never empty
    cols.push(0);
  }
  const crop = cropFor(answer, rows, cols);
  return crop ? { ...body, crop } : null;
}

/**
 * One consumer's requests (the hover, the slide's magnifier): its own latest-wins queue, so one never starves
 * the other. `request(answer, f, i, j, {onArrive, onError})` returns the window at once when already fetched,
 * else null and fetches it (`onArrive(window)` or `onError(result)` later, if still the latest asked for).
 */
export function windowFetcher() {
  let wanted = null;
  let inflight = null;
  let timer = null;
  let lastStart = -Infinity;

  function schedule() {
    if (timer === null) {
      timer = setTimeout(start, Math.max(0, lastStart + MIN_GAP_MS - performance.now()));
    }
  }

  async function start() {
    timer = null;
    const job = wanted;
    if (!job || inflight?.key === job.key) {
      return;
    }
    wanted = null;
    inflight?.controller.abort(); // stale: the pointer has moved on
    const controller = new AbortController();
    inflight = { key: job.key, controller };
    lastStart = performance.now();
    const result = await postJSON(WINDOW_PATH, job.body, { signal: controller.signal });
    if (inflight?.controller === controller) {
      inflight = null;
    }
    const asker = wanted?.key === job.key ? wanted : job; // asked again while on its way: answered now
    if (asker === wanted) {
      wanted = null;
    }
    if (result.ok) {
      if (job.cache.size >= CACHE_SIZE) {
        job.cache.delete(job.cache.keys().next().value);
      }
      const window = serverWindow(result.data);
      job.cache.set(job.key, window);
      if (!wanted) {
        asker.onArrive(window);
      }
    } else if (!result.aborted && !wanted) {
      asker.onError(result);
    }
    if (wanted) {
      schedule();
    }
  }

  return function request(answer, f, i, j, { onArrive, onError }) {
    const key = keyOf(answer, f, i, j);
    const cache = cacheOf(answer);
    if (cache.has(key)) {
      wanted = null; // the latest position is on screen: nothing older may overwrite it
      return cache.get(key);
    }
    const body = windowBody(answer, f, i, j);
    if (!body) {
      return null; // a newer picture is on its way: its answer replaces this one (and the readout) shortly
    }
    wanted = { key, body, cache, onArrive, onError };
    schedule();
    return null;
  };
}
