/**
 * The assignment builder: how many exercises of each topic, at which level, and a title. The server
 * answers with a token that holds the whole assignment; the link is that token on /practice.
 */

import { getJSON, postJSON } from "../api.js";
import { initI18n, onLanguageChange, t } from "../i18n.js";
import "../messages/practice.js";
import { $, copyField, el, showError } from "./dom.js";

const root = document.querySelector("meta[name=root-path]")?.content || "";
const errorBox = $("[data-error]");
let topics = [];
let created = null;

function row(topic) {
  const tr = el("tr");
  const name = el("th", "", t(`topic.${topic}`));
  name.scope = "row";
  name.id = `topic-${topic}`;
  const count = el("input");
  count.type = "number";
  count.min = "0";
  count.max = "10";
  count.value = "0";
  count.dataset.count = topic;
  count.setAttribute("aria-labelledby", `topic-${topic} count-head`);
  const level = el("select");
  level.dataset.level = topic;
  level.setAttribute("aria-labelledby", `topic-${topic} level-head`);
  for (const n of [1, 2, 3]) {
    const option = el("option", "", t(`practice.level${n}`));
    option.value = String(n);
    level.append(option);
  }
  const countCell = el("td");
  countCell.dataset.label = t("teacher.count");
  countCell.append(count);
  const levelCell = el("td");
  levelCell.dataset.label = t("practice.level");
  levelCell.append(level);
  tr.append(name, countCell, levelCell);
  return tr;
}

function items() {
  return topics
    .map((topic) => ({
      topic,
      count: Number.parseInt($(`[data-count='${topic}']`).value, 10) || 0,
      level: Number.parseInt($(`[data-level='${topic}']`).value, 10),
    }))
    .filter((item) => item.count > 0);
}

function renderTotal() {
  const total = items().reduce((sum, item) => sum + item.count, 0);
  $("[data-total]").textContent = t("teacher.total", { n: total });
}

function renderRows() {
  const saved = new Map(topics.map((topic) => [topic, [$(`[data-count='${topic}']`)?.value, $(`[data-level='${topic}']`)?.value]]));
  $("[data-topic-rows]").replaceChildren(...topics.map(row));
  for (const [topic, [count, level]] of saved) {
    if (count !== undefined) $(`[data-count='${topic}']`).value = count;
    if (level !== undefined) $(`[data-level='${topic}']`).value = level;
  }
  const heads = document.querySelectorAll(".teacher-topics thead th");
  heads[1].id = "count-head";
  heads[2].id = "level-head";
  renderTotal();
}

async function create(event) {
  event.preventDefault();
  const response = await postJSON("/api/v1/assignments", { title: $("[data-title]").value, items: items() });
  if (!response.ok) {
    showError(errorBox, items().length ? response : { rule: "at_least_one_item", status: 422 });
    return;
  }
  showError(errorBox, null);
  created = response.data;
  const url = new URL(`${root}${created.path}`, location.origin).href;
  $("[data-link]").value = url;
  $("[data-open]").href = url;
  $("[data-link-card]").hidden = false;
  $("[data-link]").focus();
  $("[data-link]").select();
}

async function init() {
  initI18n();
  const response = await getJSON("/api/v1/exercises/topics");
  if (!response.ok) {
    showError(errorBox, response);
    return;
  }
  topics = response.data.map((item) => item.topic);
  renderRows();
  onLanguageChange(renderRows);
  $("[data-builder]").addEventListener("input", renderTotal);
  $("[data-builder]").addEventListener("submit", create);
  $("[data-copy]").addEventListener("click", () => copyField($("[data-link]"), $("[data-copied]")));
}

init();
