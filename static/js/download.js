/**
 * "Download animation": asks the server to render the current layer as an animation and saves it.
 *
 * The server shrinks the cells by itself until an animation fits its limits. When a layer is
 * still too large for one file, a note under the buttons says so in plain words and offers the
 * way out as a button (the next range of steps that fits, or the smallest cells); the note
 * stays, in the page's language, until it is dismissed.
 */

import { postForBlob } from "./api.js";
import { language, onLanguageChange, t } from "./i18n.js";

const EXTENSIONS = { gif: "gif", webp: "webp", apng: "png" };
const DEFAULT_CELL_PX = 48; // what the server draws when it does not have to shrink
const SMALLEST_CELL_PX = 16; // the smallest cell the API accepts

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** POST for a file; resolves to `{ ok, blob, cell }` or `{ ok: false, status, field, rule, detail, fit, total }`. */
async function postForFile(path, body) {
  const answer = await postForBlob(path, body);
  const header = (name) => answer.headers.get(name);
  answer.cell = Number(header("X-ConvScope-Cell-Px")) || null;
  if (!answer.ok && !answer.offline) {
    answer.fit = Number(header("X-ConvScope-Steps-That-Fit") ?? Number.NaN);
    answer.total = Number(header("X-ConvScope-Steps") ?? Number.NaN);
  }
  return answer;
}

// -- the note under the buttons

/** What the note shows: null (hidden) or { kind, ... } with everything needed to redraw it in any language. */
let note = null;
let box = null;

/** The note's element, styled here so that it stands out like the lab's other panels (no stylesheet of its own). */
function noteBox() {
  if (!box) {
    box = document.querySelector("[data-testid=export-message]");
    if (box) {
      Object.assign(box.style, {
        marginTop: "0.6rem",
        padding: "0.6rem 0.8rem",
        background: "var(--paper)",
        border: "1px solid var(--line)",
        borderLeft: "6px solid var(--orange)",
        borderRadius: "var(--radius)",
        maxWidth: "60rem",
      });
    }
    onLanguageChange(() => showNote());
  }
  return box;
}

function button(text, testid, onClick, primary = false) {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = text;
  element.dataset.testid = testid;
  element.addEventListener("click", onClick);
  if (primary) {
    element.style.fontWeight = "600";
  }
  return element;
}

function rangeOf(current) {
  const from = current.start + 1;
  return { from, to: Math.min(current.total, current.start + current.fit) };
}

/** Redraw the note from `note` (also after a language switch). */
function showNote() {
  const element = noteBox();
  if (!element) {
    return;
  }
  if (!note) {
    element.hidden = true;
    element.replaceChildren();
    return;
  }
  const text = document.createElement("p");
  text.dataset.testid = "export-message-text";
  text.style.margin = "0 0 0.4rem";
  const controls = [];
  if (note.kind === "steps") {
    const { from, to } = rangeOf(note);
    const done = note.done ? `${t("export.part_done", note.done)} ` : "";
    text.textContent = done + t("export.too_many_steps", { total: note.total, fit: note.fit });
    const label = note.working ? t("export.working", { from, to }) : t("export.range", { from, to });
    const range = button(label, "export-range", () => downloadPart(), true);
    range.disabled = Boolean(note.working);
    controls.push(range);
  } else if (note.kind === "all_done") {
    text.textContent = t("export.all_done", { total: note.total, parts: note.parts });
  } else if (note.kind === "cells") {
    text.textContent = t("export.too_large_picture");
    controls.push(button(t("export.smaller_cells"), "export-smaller", () => downloadSmaller(), true));
  } else {
    text.textContent = t("export.nothing_fits");
  }
  controls.push(button(t("export.dismiss"), "export-dismiss", () => dismiss()));
  const row = document.createElement("div");
  row.style.display = "flex";
  row.style.flexWrap = "wrap";
  row.style.gap = "0.5rem";
  row.append(...controls);
  element.replaceChildren(text, row);
  element.hidden = false;
}

function dismiss() {
  note = null;
  showNote();
}

/** A refusal of `request` (sent to `path`) as the note that offers its way out; false if it is no limit. */
function noteForRefusal(answer, path, request) {
  if (answer.status !== 422 || answer.rule !== "limit") {
    return false;
  }
  const start = request.frame_start || 0;
  if (answer.field === "frame_limit" && answer.fit >= 1) {
    note = { kind: "steps", path, request, start, fit: answer.fit, total: answer.total, parts: 0, done: null };
  } else if (answer.field === "cell_px" && request.cell_px === undefined) {
    note = { kind: "cells", path, request };
  } else if (answer.field === "frame_limit" || answer.field === "cell_px") {
    note = { kind: "nothing" };
  } else {
    return false;
  }
  showNote();
  return true;
}

function fileName(format, range) {
  const steps = range ? `-steps-${range.from}-${range.to}` : "";
  return `convscope${steps}.${EXTENSIONS[format] || format}`;
}

/** The next range the note offers; if the server finds it too large after all, the range it says fits. */
async function downloadPart() {
  const current = note;
  if (!current || current.kind !== "steps" || current.working) {
    return;
  }
  current.working = true;
  showNote();
  let count = current.fit;
  let answer = await postForFile(current.path, { ...current.request, frame_start: current.start, frame_limit: count });
  if (!answer.ok && answer.field === "frame_limit" && answer.fit >= 1 && answer.fit < count) {
    count = answer.fit;
    answer = await postForFile(current.path, { ...current.request, frame_start: current.start, frame_limit: count });
  }
  current.working = false;
  if (note !== current) {
    return; // dismissed or replaced meanwhile
  }
  if (!answer.ok) {
    note = { kind: "nothing" };
    showNote();
    return;
  }
  const range = { from: current.start + 1, to: current.start + count };
  save(answer.blob, fileName(current.request.format, range));
  current.parts += 1;
  current.start += count;
  current.done = range;
  if (current.start >= current.total) {
    note = { kind: "all_done", total: current.total, parts: current.parts };
  }
  showNote();
}

async function downloadSmaller() {
  const current = note;
  const request = { ...current.request, cell_px: SMALLEST_CELL_PX };
  const answer = await postForFile(current.path, request);
  if (note !== current) {
    return;
  }
  if (answer.ok) {
    save(answer.blob, fileName(request.format));
    dismiss();
  } else if (!noteForRefusal(answer, current.path, request)) {
    note = { kind: "nothing" };
    showNote();
  }
}

/** Fetch and save the animation (`frameMs` per step); resolves to a sentence for the status line. */
export async function downloadAnimation(mode, body, format, frameMs) {
  const path = mode === "conv" ? "/api/v1/conv2d/animation" : "/api/v1/pool2d/animation";
  const request = { ...body, format, frame_ms: frameMs, lang: language() }; // captions in the page's language
  const answer = await postForFile(path, request);
  if (answer.ok) {
    save(answer.blob, fileName(format));
    dismiss();
    const name = format.toUpperCase();
    return answer.cell && answer.cell < DEFAULT_CELL_PX
      ? t("download.done_cells", { format: name, cell: answer.cell })
      : t("download.done", { format: name });
  }
  if (answer.status === 404 || answer.status === 405) {
    return t("download.unavailable");
  }
  if (answer.offline) {
    return t("error.offline");
  }
  if (noteForRefusal(answer, path, request)) {
    return t("download.see_message");
  }
  return answer.detail ? t("download.failed", { detail: answer.detail }) : t("error.status", { status: answer.status });
}
