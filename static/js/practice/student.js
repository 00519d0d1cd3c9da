/**
 * The student's page: free practice (pick a topic and level), or an assignment from a teacher's link
 * (`?a=<token>`): enter a name, answer each exercise once, see its worked solution and the lab in that
 * state, and at the end receive a completion code to hand in.
 */

import { getJSON, postJSON } from "../api.js";
import { initI18n, onLanguageChange, revealPage, t } from "../i18n.js";
import "../messages/practice.js";
import { $, copyField, el, showError } from "./dom.js";
import { drawExercise, freezeFigure } from "./figure.js";
import { labHref } from "./lab-link.js";
import { convText, poolText, transposeText } from "./pytorch-text.js";

const root = document.querySelector("meta[name=root-path]")?.content || "";
const token = new URLSearchParams(location.search).get("a");
const state = {
  assignment: null,
  student: "",
  exercises: [],
  index: 0,
  answers: [],
  started: 0,
  exercise: null,
  picked: null,
  result: null,
  completion: null,
};

const errorBox = $("[data-error]");
const STORE = `convscope.practice.${token}`;

/** Progress survives a reload of the tab (answers given stay given); nothing leaves the browser. */
function save() {
  try {
    sessionStorage.setItem(STORE, JSON.stringify({ student: state.student, answers: state.answers, started: state.started }));
  } catch {
    // Storage may be off (private mode): progress then lasts as long as the page.
  }
}

function restore() {
  try {
    return JSON.parse(sessionStorage.getItem(STORE) || "null");
  } catch {
    return null;
  }
}

function settingsText(exercise) {
  const { endpoint, body } = exercise.layer;
  if (endpoint === "/api/v1/conv2d" || endpoint === "/api/v1/conv2d/backward") return convText(body);
  if (endpoint === "/api/v1/pool2d") return poolText(body);
  if (endpoint === "/api/v1/conv_transpose2d") return transposeText(body);
  return "";
}

function lineText(line) {
  return t(line.key, line.params);
}

function renderExercise() {
  const ex = state.exercise;
  $("[data-exercise]").hidden = false;
  $("[data-progress]").hidden = !state.assignment;
  if (state.assignment) {
    $("[data-progress]").textContent = t("practice.progress", { k: state.index + 1, n: state.exercises.length });
  }
  $("[data-prompt]").textContent = lineText(ex.prompt);
  $("[data-settings]").textContent = settingsText(ex);
  $("[data-settings]").hidden = !settingsText(ex);
  const cell = ex.answer_kind === "cell";
  $("[data-answer-label]").hidden = cell;
  $("[data-picked]").hidden = !cell;
  $("[data-answer]").placeholder = ex.answer_kind === "shape" ? "16×16×32" : "";
  $("[data-answer-caption]").textContent =
    ex.answer_kind === "shape" ? t("practice.answer_shape", { order: ex.shape_order }) : t("practice.answer_number");
  $("[data-picked]").textContent = state.picked
    ? t("practice.picked", { cell: `input[${state.picked[0]}][${state.picked[1]}]` })
    : t("practice.pick_hint");
  renderResult();
}

function drawFresh() {
  state.picked = null;
  state.result = null;
  const input = $("[data-answer]");
  input.value = "";
  input.readOnly = false;
  $("[data-check]").disabled = false;
  drawExercise($("[data-figure]"), state.exercise, {
    onPick: (r, c) => {
      if (state.result) return;
      state.picked = [r, c];
      renderExercise();
    },
  });
  renderExercise();
  const first = state.exercise.answer_kind === "cell" ? $("[data-figure] .pgrid-pick[tabindex='0']") : input;
  first?.focus();
}

function renderResult() {
  const box = $("[data-result]");
  const result = state.result;
  box.hidden = !result;
  if (!result) return;
  const verdict = $("[data-verdict]");
  verdict.textContent = result.correct
    ? t("practice.right", { expected: result.expected_text })
    : t("practice.wrong", { expected: result.expected_text });
  verdict.className = `result-verdict ${result.correct ? "is-right" : "is-wrong"}`;
  $("[data-solution]").replaceChildren(...result.solution.map((line) => el("li", line.key === "sol.math" ? "is-math" : "", lineText(line))));
  const link = $("[data-lab-link]");
  link.href = labHref(state.exercise, root);
  const labNames = { matrix: "practice.open_matrix", backward: "practice.open_backward", network: "practice.open_network" };
  link.textContent = t(labNames[state.exercise.lab.kind] || "practice.open_network");
  const last = state.assignment && state.index === state.exercises.length - 1;
  $("[data-next]").textContent = t(!state.assignment ? "practice.another" : last ? "practice.finish" : "practice.next");
}

async function check(event) {
  event.preventDefault();
  if (state.result) return;
  const ex = state.exercise;
  const answer = ex.answer_kind === "cell" ? (state.picked ? state.picked.join(",") : "") : $("[data-answer]").value.trim();
  if (!answer) {
    showError(errorBox, { rule: "", detail: t(ex.answer_kind === "cell" ? "practice.pick_first" : "practice.type_first"), status: 422 });
    return;
  }
  const response = await postJSON("/api/v1/exercises/check", { id: ex.id, answer });
  if (!response.ok) {
    showError(errorBox, response);
    return;
  }
  if (!response.data.readable) {
    showError(errorBox, { detail: t(`practice.unreadable_${ex.answer_kind}`), status: 422 });
    return;
  }
  showError(errorBox, null);
  state.result = response.data;
  state.answers[state.index] = answer;
  if (state.assignment) save();
  $("[data-answer]").readOnly = true;
  $("[data-check]").disabled = true;
  freezeFigure($("[data-figure]"));
  renderResult();
  $("[data-next]").focus();
}

async function next() {
  if (!state.assignment) {
    await loadFree();
    return;
  }
  if (state.index < state.exercises.length - 1) {
    state.index += 1;
    state.exercise = state.exercises[state.index];
    drawFresh();
    return;
  }
  await finish();
}

async function finish() {
  const seconds = Math.round((Date.now() - state.started) / 1000);
  const response = await postJSON("/api/v1/completions", {
    assignment: token,
    student: state.student,
    answers: state.answers.map((a) => a || ""),
    seconds,
  });
  if (!response.ok) {
    showError(errorBox, response);
    return;
  }
  state.completion = response.data;
  $("[data-exercise]").hidden = true;
  $("[data-completion]").hidden = false;
  $("[data-code]").value = response.data.code;
  renderCompletion();
  $("[data-code]").focus();
}

function renderCompletion() {
  const done = state.completion;
  if (!done) return;
  $("[data-score]").textContent = t("practice.score", { name: done.student, score: done.score, total: done.total });
}

async function loadFree() {
  const topic = $("[data-topic-select]").value;
  const level = $("[data-level-select]").value;
  const response = await getJSON(`/api/v1/exercises?topic=${encodeURIComponent(topic)}&level=${encodeURIComponent(level)}`);
  if (!response.ok) {
    showError(errorBox, response);
    return;
  }
  showError(errorBox, null);
  state.exercise = response.data;
  drawFresh();
}

async function loadTopics() {
  const response = await getJSON("/api/v1/exercises/topics");
  const select = $("[data-topic-select]");
  if (!response.ok) {
    showError(errorBox, response);
    return;
  }
  select.replaceChildren(
    ...response.data.map(({ topic }) => {
      const option = el("option", "", t(`topic.${topic}`));
      option.value = topic;
      return option;
    }),
  );
}

function renderSummary() {
  const a = state.assignment;
  if (!a) return;
  $("[data-practice-heading]").textContent = a.title || t("practice.assignment");
  const topics = a.items.map((i) => t("practice.item", { topic: t(`topic.${i.topic}`), count: i.count, level: i.level })).join("; ");
  $("[data-assignment-summary]").textContent = t("practice.summary", { n: a.total, topics });
}

async function startAssignment() {
  for (const node of document.querySelectorAll("[data-free-only]")) node.hidden = true;
  const response = await getJSON(`/api/v1/assignments/${encodeURIComponent(token)}`);
  if (!response.ok) {
    showError(errorBox, response);
    return;
  }
  state.assignment = response.data;
  renderSummary();
  $("[data-start]").hidden = false;
  const saved = restore();
  if (saved?.student) $("[data-student-name]").value = saved.student;
  $("[data-start]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = $("[data-student-name]").value.trim();
    if (!name) {
      showError(errorBox, { rule: "name_required", status: 422 });
      return;
    }
    const variant = await getJSON(
      `/api/v1/assignments/${encodeURIComponent(token)}/variant?student=${encodeURIComponent(name)}`,
    );
    if (!variant.ok) {
      showError(errorBox, variant);
      return;
    }
    showError(errorBox, null);
    state.student = variant.data.student;
    state.exercises = variant.data.exercises;
    const saved = restore();
    const resumed = saved && saved.student === state.student && saved.answers?.length === state.exercises.length;
    state.answers = resumed ? saved.answers : Array(state.exercises.length).fill("");
    state.started = resumed ? saved.started : Date.now();
    const open = state.answers.findIndex((a) => !a);
    state.index = open === -1 ? state.exercises.length - 1 : open;
    state.exercise = state.exercises[state.index];
    save();
    if (open === -1) {
      $("[data-start]").hidden = true;
      await finish();
      return;
    }
    $("[data-start]").hidden = true;
    drawFresh();
  });
}

function rerender() {
  renderSummary();
  for (const option of $("[data-topic-select]").options) option.textContent = t(`topic.${option.value}`);
  if (state.exercise) {
    drawExercise($("[data-figure]"), state.exercise, {
      onPick: (r, c) => {
        if (state.result) return;
        state.picked = [r, c];
        renderExercise();
      },
      picked: state.picked,
    });
    if (state.result) freezeFigure($("[data-figure]"));
    renderExercise();
  }
  renderCompletion();
}

initI18n();
onLanguageChange(rerender);
$("[data-answer-form]").addEventListener("submit", check);
$("[data-next]").addEventListener("click", next);
$("[data-copy]").addEventListener("click", () => copyField($("[data-code]"), $("[data-copied]")));
// Shown once the first exercise is drawn, so nothing moves after the first paint.
if (token) {
  startAssignment().finally(revealPage);
} else {
  $("[data-picker]").addEventListener("submit", (event) => {
    event.preventDefault();
    loadFree();
  });
  loadTopics().then(loadFree).finally(revealPage);
}
