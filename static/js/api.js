/**
 * Fetch wrappers for REST API v1, and a pager that streams a layer's frames as the player needs them.
 *
 * Errors never throw past here: every call resolves to `{ ok: true, data }` or
 * `{ ok: false, status, detail, field }`, so a page can always show a sentence instead of freezing.
 */

export const PAGE_SIZE = 256;
const RETRY_MS = 1000;

function apiBase() {
  const root = document.querySelector("meta[name=root-path]");
  return root ? root.content : "";
}

export function apiUrl(path) {
  return `${apiBase()}${path}`;
}

async function readError(response) {
  try {
    const body = await response.json();
    if (typeof body.detail === "string") {
      const params = body.errors?.[0]?.params || {};
      return { detail: body.detail, field: body.field || null, rule: body.rule || null, params };
    }
  } catch {
    // Not JSON: fall through to the status line.
  }
  return { detail: null, field: null, rule: null };
}

/** POST a JSON body and read a JSON answer. `signal` aborts a superseded request. */
export async function postJSON(path, body, { signal } = {}) {
  try {
    const response = await fetch(apiUrl(path), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      signal,
    });
    if (!response.ok) {
      return { ok: false, status: response.status, ...(await readError(response)) };
    }
    // Inside the try: an abort can also land while the body is still arriving.
    return { ok: true, data: await response.json() };
  } catch (error) {
    if (error.name === "AbortError") {
      return { ok: false, aborted: true, status: 0, detail: null };
    }
    return { ok: false, status: 0, detail: null, field: null, offline: true };
  }
}

/**
 * POST a JSON body and read a binary answer (an animation file). `headers` are the response's, for the
 * server's notes on what it did (X-ConvScope-Cell-Px and the like).
 */
export async function postForBlob(path, body) {
  let response;
  try {
    response = await fetch(apiUrl(path), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, detail: null, offline: true, headers: new Headers() };
  }
  if (!response.ok) {
    return { ok: false, status: response.status, headers: response.headers, ...(await readError(response)) };
  }
  return { ok: true, blob: await response.blob(), headers: response.headers };
}

export async function getJSON(path, { signal } = {}) {
  try {
    const response = await fetch(apiUrl(path), { headers: { Accept: "application/json" }, signal });
    if (!response.ok) {
      return { ok: false, status: response.status, ...(await readError(response)) };
    }
    return { ok: true, data: await response.json() };
  } catch (error) {
    return { ok: false, status: 0, detail: null, aborted: error.name === "AbortError" };
  }
}

/**
 * GET `path`, unless the server already put its answer in the page (a `<script type="application/json"
 * data-answer-of=path>` block, read as data, never run): then that answer, with no round trip.
 */
export function answerInPage(path) {
  const block = document.querySelector(`script[type="application/json"][data-answer-of="${path}"]`);
  if (block) {
    try {
      return Promise.resolve({ ok: true, data: JSON.parse(block.textContent) });
    } catch {
      // A page cut short: ask the server as if the page had carried nothing.
    }
  }
  return getJSON(path);
}

/** A value as canonical JSON (object keys sorted), so two requests compare equal whatever their key order. */
function canonical(value) {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(",")}]`;
  }
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The answer the server put in the page for a POST of exactly `body` to `path` (a `<script type=
 * "application/json" data-answer-to=path>` block holding {asked, answer}), or null: any other request asks.
 */
export function postedInPage(path, body) {
  const block = document.querySelector(`script[type="application/json"][data-answer-to="${path}"]`);
  if (!block) {
    return null;
  }
  try {
    const { asked, answer } = JSON.parse(block.textContent);
    return canonical(asked) === canonical(body) ? answer : null;
  } catch {
    return null; // a page cut short: ask, as if it carried nothing
  }
}

/**
 * The frames of one layer, fetched a page at a time. The first page comes with the layer
 * (output, padded input, shape); later pages are fetched ahead of the player and cached.
 */
export class FramePager {
  /** `path` is the layer endpoint; `body` its request without paging; `first` the first answer. */
  constructor(path, body, first) {
    this.path = path;
    this.body = body;
    this.count = first.frame_count;
    this.pages = new Map([[0, first.frames]]);
    this.pending = new Map();
    this.retryAfter = new Map();
    this.controller = new AbortController();
    this.onPage = null;
  }

  /** The frame at `step`, or null while its page is on its way (then it is fetched). */
  frame(step) {
    const index = Math.floor(step / PAGE_SIZE);
    const page = this.pages.get(index);
    if (page) {
      if (step % PAGE_SIZE > PAGE_SIZE / 2) {
        this.fetchPage(index + 1);
      }
      return page[step % PAGE_SIZE] ?? null;
    }
    this.fetchPage(index);
    return null;
  }

  fetchPage(index) {
    if (index * PAGE_SIZE >= this.count || this.pages.has(index) || this.pending.has(index)) {
      return;
    }
    if (performance.now() < (this.retryAfter.get(index) ?? 0)) {
      return;
    }
    const request = postJSON(
      this.path,
      { ...this.body, frame_start: index * PAGE_SIZE, frame_limit: PAGE_SIZE },
      { signal: this.controller.signal },
    ).then((answer) => {
      this.pending.delete(index);
      if (!answer.ok) {
        // A failed page is retried, but not on every animation frame.
        this.retryAfter.set(index, performance.now() + RETRY_MS);
        return;
      }
      this.pages.set(index, answer.data.frames);
      this.forgetFarPages(index);
      if (this.onPage) {
        this.onPage(index);
      }
    });
    this.pending.set(index, request);
  }

  /** Keep memory flat on huge layers: only pages near the one just loaded stay. */
  forgetFarPages(near) {
    for (const index of this.pages.keys()) {
      if (Math.abs(index - near) > 4) {
        this.pages.delete(index);
      }
    }
  }

  /** Stop fetching: the layer was replaced. */
  close() {
    this.controller.abort();
    this.onPage = null;
  }
}

/** Ask for a layer and its first page of frames (the page may carry the answer: its first layer's). */
export function fetchLayer(path, body, { signal } = {}) {
  const request = { ...body, frame_start: 0, frame_limit: PAGE_SIZE };
  const carried = postedInPage(path, request);
  return carried ? Promise.resolve({ ok: true, data: carried }) : postJSON(path, request, { signal });
}
