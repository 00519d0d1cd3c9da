/**
 * Small DOM builders for the Backward lab: number grids (text only, never HTML), an editable
 * grid for the output gradient, and a stepper (previous / next / slider) with its label.
 */

import { formatValue } from "./format.js";
import { t } from "./i18n.js";

/** A rows×cols grid of numbers; `mark(r, c)` returns extra class names for a cell. */
export function numberGrid(matrix, { mark = () => "", label = "", testid = "" } = {}) {
  const el = document.createElement("div");
  el.className = "bw-grid";
  if (label) el.setAttribute("aria-label", label);
  if (testid) el.dataset.testid = testid;
  el.style.gridTemplateColumns = `repeat(${matrix[0].length}, auto)`;
  matrix.forEach((row, r) => {
    row.forEach((value, c) => {
      const cell = document.createElement("span");
      cell.className = `bw-cell ${mark(r, c)}`.trim();
      if (value === null) cell.classList.add("is-pad");
      cell.dataset.r = String(r);
      cell.dataset.c = String(c);
      cell.textContent = formatValue(value);
      el.append(cell);
    });
  });
  return el;
}

/** A captioned figure holding one or more grids. */
export function figure(caption, ...children) {
  const el = document.createElement("figure");
  el.className = "bw-figure";
  const cap = document.createElement("figcaption");
  cap.textContent = caption;
  el.append(cap, ...children);
  return el;
}

/**
 * The editable output gradient: one <input> a cell, F maps. `onEdit(values)` receives the
 * whole F×Ho×Wo array after every valid keystroke; an unreadable cell is marked, not sent.
 */
export function editableGrid(values, onEdit) {
  const root = document.createElement("div");
  root.className = "bw-edit";
  const current = values.map((m) => m.map((row) => row.slice()));
  values.forEach((map, f) => {
    const el = document.createElement("div");
    el.className = "bw-grid bw-grid-edit";
    el.style.gridTemplateColumns = `repeat(${map[0].length}, minmax(3rem, auto))`;
    map.forEach((row, r) => {
      row.forEach((value, c) => {
        const input = document.createElement("input");
        input.type = "text";
        input.inputMode = "decimal";
        input.className = "bw-input";
        input.value = formatValue(value);
        input.dataset.testid = `grad-cell-${f}-${r}-${c}`;
        input.setAttribute("aria-label", t("bw.grad_cell", { f: f + 1, r: r + 1, c: c + 1 }));
        input.addEventListener("input", () => {
          const number = Number(input.value.trim());
          const ok = input.value.trim() !== "" && Number.isFinite(number) && Math.abs(number) <= 1e12;
          input.classList.toggle("is-invalid", !ok);
          input.setAttribute("aria-invalid", String(!ok));
          if (ok) {
            current[f][r][c] = number;
            onEdit(current.map((m) => m.map((line) => line.slice())));
          }
        });
        el.append(input);
      });
    });
    root.append(values.length > 1 ? figure(t("bw.filter", { f: f + 1 }), el) : el);
  });
  return root;
}

/** Previous / next / slider over `count` steps; `onStep(index)` runs on every change. */
export function stepper(root, count, onStep, { testid = "" } = {}) {
  root.replaceChildren();
  root.className = "bw-stepper";
  const prev = button("bw.prev", () => go(index - 1));
  const next = button("bw.next", () => go(index + 1));
  const slider = document.createElement("input");
  slider.type = "range";
  slider.min = "0";
  slider.max = String(Math.max(count - 1, 0));
  slider.value = "0";
  slider.setAttribute("aria-label", t("bw.step_slider"));
  const label = document.createElement("span");
  label.className = "bw-step-label";
  if (testid) {
    slider.dataset.testid = `${testid}-slider`;
    next.dataset.testid = `${testid}-next`;
    label.dataset.testid = `${testid}-label`;
  }
  let index = 0;
  function go(i) {
    index = Math.min(Math.max(i, 0), count - 1);
    slider.value = String(index);
    label.textContent = t("bw.step_of", { step: index + 1, count });
    prev.disabled = index === 0;
    next.disabled = index === count - 1;
    onStep(index);
  }
  slider.addEventListener("input", () => go(Number(slider.value)));
  root.append(prev, slider, next, label);
  if (count > 0) go(0);
  return { go, get index() { return index; } };
}

function button(key, onClick) {
  const el = document.createElement("button");
  el.type = "button";
  el.textContent = t(key);
  el.addEventListener("click", onClick);
  return el;
}
