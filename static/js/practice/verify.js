/**
 * The teacher's check of completion codes: paste them (one per line, or a CSV), see which are genuine,
 * and download a CSV of names, scores and times. The server holds the secret; nothing is stored.
 */

import { postJSON } from "../api.js";
import { initI18n, language, onLanguageChange, t } from "../i18n.js";
import "../messages/practice.js";
import { $, el, showError } from "./dom.js";

const errorBox = $("[data-error]");
let results = null;

function when(seconds) {
  return seconds ? new Date(seconds * 1000).toLocaleString(language()) : "";
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return "";
  const minutes = Math.floor(seconds / 60);
  return t("verify.duration", { m: minutes, s: seconds % 60 });
}

function render() {
  if (!results) return;
  $("[data-results]").hidden = false;
  $("[data-summary]").textContent = t("verify.summary", { genuine: results.genuine, refused: results.refused });
  $("[data-rows]").replaceChildren(
    ...results.results.map((r) => {
      const tr = el("tr", r.status === "genuine" ? "is-genuine" : "is-refused");
      const status = el("td", "verify-status", `${r.status === "genuine" ? "✓" : "✗"} ${t(`verify.${r.status}`)}`);
      status.dataset.status = r.status;
      const cells = [
        el("td", "", String(r.line)),
        status,
        el("td", "", r.student ?? ""),
        el("td", "", r.score === null || r.score === undefined ? "" : `${r.score} / ${r.total}`),
        el("td", "", when(r.finished_at)),
        el("td", "", duration(r.seconds)),
        el("td", "", r.title ?? ""),
      ];
      const heads = ["line", "status", "student", "score", "finished", "time", "assignment"];
      cells.forEach((cell, n) => {
        cell.dataset.label = t(`verify.${heads[n]}`);
      });
      tr.append(...cells);
      return tr;
    }),
  );
}

/** A CSV cell: quoted, and a leading = + − @ defused so a spreadsheet never runs it as a formula. */
function csvCell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

export function csvText(rows) {
  const header = ["line", "status", "name", "score", "total", "finished_at", "seconds", "assignment_title", "assignment", "code"];
  const lines = rows.map((r) =>
    [r.line, r.status, r.student, r.score, r.total, r.finished_at ? new Date(r.finished_at * 1000).toISOString() : "", r.seconds, r.title, r.assignment, r.code]
      .map(csvCell)
      .join(","),
  );
  return [header.join(","), ...lines].join("\r\n") + "\r\n";
}

function download() {
  const blob = new Blob(["\ufeff", csvText(results.results)], { type: "text/csv;charset=utf-8" });
  const link = el("a");
  link.href = URL.createObjectURL(blob);
  link.download = "convscope-completions.csv";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

async function verify(event) {
  event.preventDefault();
  const codes = $("[data-codes]").value;
  if (!codes.trim()) {
    showError(errorBox, { detail: t("verify.empty"), status: 422 });
    return;
  }
  const response = await postJSON("/api/v1/completions/verify", { codes });
  if (!response.ok) {
    showError(errorBox, response);
    return;
  }
  showError(errorBox, null);
  results = response.data;
  render();
  $("[data-summary]").focus?.();
}

initI18n();
onLanguageChange(render);
$("[data-verify-form]").addEventListener("submit", verify);
$("[data-export]").addEventListener("click", download);
