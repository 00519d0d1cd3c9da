/**
 * A small table of numbers (a kernel, a window, a grid) whose rows and columns a screen reader can
 * name ("Row 2, Column 0", "第 2 行，第 0 列"): hidden header cells, since the grid itself is the picture.
 */

import { el } from "./dom.js";
import { t } from "./i18n.js";
import "./messages/common.js"; // table.row, table.column

function hiddenHeader(key, values, scope) {
  const cell = el("th", "visually-hidden", key ? t(key, values) : "");
  if (scope) cell.scope = scope;
  return cell;
}

/** A <table class=`className`> of `rows`, each an array of <td> elements, with index headers. */
export function numberTable(className, rows) {
  const table = el("table", className);
  const head = el("tr");
  head.append(hiddenHeader(""), ...(rows[0] || []).map((_, c) => hiddenHeader("table.column", { c }, "col")));
  table.append(head);
  rows.forEach((cells, r) => {
    const line = el("tr");
    line.append(hiddenHeader("table.row", { r }, "row"), ...cells);
    table.append(line);
  });
  return table;
}
