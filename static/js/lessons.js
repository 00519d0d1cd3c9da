/**
 * The lessons pages: translate, keep lab links in the chosen language, and draw the small figures.
 *
 * The page structure (which paragraphs, which labs) comes from the server template; the words
 * from messages/lessons.js. Figures are plain DOM/SVG built here (no inline styles: strict CSP).
 */

import { el } from "./dom.js";
import { initI18n, language, onLanguageChange, revealPage, t } from "./i18n.js";
import "./messages/lessons.js";

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** "Lesson 3 of 10": a string with numbers the template put in data attributes. */
function fillNumbers() {
  for (const node of document.querySelectorAll("[data-i18n='lessons.number']")) {
    node.textContent = t("lessons.number", { number: node.dataset.number, count: node.dataset.count });
  }
}

/** Lab links carry the page language, so the lab opens in it. */
function localiseLinks() {
  for (const link of document.querySelectorAll("[data-lab-link], .lesson-list a, .lesson-pager a")) {
    const url = new URL(link.getAttribute("href"), location.href);
    url.searchParams.set("lang", language());
    link.setAttribute("href", url.pathname + url.search.replace(/%2C/g, ",").replace(/%3B/g, ";").replace(/%7C/g, "|").replace(/%2F/g, "/") + url.hash);
  }
}

/** One axis of "same" padding: an odd kernel splits k − 1 evenly, an even one cannot. */
function evenSplit(body) {
  const rows = [
    { k: 3, before: 1, after: 1, label: "figure.even-split.odd" },
    { k: 2, before: 0, after: 1, label: "figure.even-split.even" },
  ];
  for (const row of rows) {
    const line = el("div", "split-row");
    line.append(el("span", "split-label", t(row.label)));
    const cells = el("div", "split-cells");
    const n = 5;
    for (let i = -row.before; i < n + row.after; i++) {
      const real = i >= 0 && i < n;
      const cell = el("span", real ? "cell" : "cell pad", real ? `x${i + 1}` : "0");
      if (i >= -row.before && i < -row.before + row.k) cell.classList.add("under-kernel");
      if (row.k % 2 === 1 && i === -row.before + (row.k - 1) / 2) {
        cell.classList.add("anchor");
        cell.title = t("figure.even-split.anchor");
      }
      cells.append(cell);
    }
    line.append(cells);
    body.append(line);
  }
}

/** The output-size formula with a slider for n: k = 3, s = 2, p = 0. */
function sizeFormula(body) {
  const [k, s, p] = [3, 2, 0];
  const label = el("label", "size-control");
  const caption = el("span", "", t("figure.size-formula.n"));
  const input = el("input");
  Object.assign(input, { type: "range", min: "3", max: "12", value: "8" });
  label.append(caption, input);
  const formula = el("p", "size-text");
  const cells = el("div", "split-cells");
  const draw = () => {
    const n = Number(input.value);
    const numerator = n + 2 * p - (k - 1) - 1;
    const size = Math.floor(numerator / s) + 1;
    formula.textContent = `n = ${n}: ⌊(${n} + 2×${p} − 1×(${k}−1) − 1) / ${s}⌋ + 1 = ⌊${numerator} / ${s}⌋ + 1 = ${size}`;
    const reached = (size - 1) * s + k;
    cells.replaceChildren(
      ...Array.from({ length: n }, (_, i) => el("span", i < reached ? "cell under-kernel" : "cell unused", String(i + 1))),
    );
  };
  input.addEventListener("input", draw);
  caption.textContent = t("figure.size-formula.n");
  body.append(label, formula, cells);
  draw();
}

/** Heights in windows of two: each window's summit (max) and its water level (mean). */
function risingWater(body) {
  const heights = [2, 5, 9, 6, 2, 1, 1, 7];
  const [unit, bar, gap, top] = [18, 34, 6, 8];
  const width = heights.length * (bar + gap) + gap;
  const height = 10 * unit + top + 44;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "water-figure" });
  const base = top + 10 * unit;
  for (let w = 0; w < heights.length; w += 2) {
    const pair = heights.slice(w, w + 2);
    const x0 = gap + w * (bar + gap) - gap / 2;
    const span = 2 * (bar + gap);
    const mean = (pair[0] + pair[1]) / 2;
    root.append(svg("rect", { x: x0, y: base - mean * unit, width: span, height: mean * unit, class: "water" }));
    const peak = Math.max(...pair);
    root.append(svg("line", { x1: x0, x2: x0 + span, y1: base - peak * unit, y2: base - peak * unit, class: "summit" }));
    const lines = [`${t("figure.rising-water.max")} ${peak}`, `${t("figure.rising-water.mean")} ${mean}`];
    lines.forEach((text, n) => {
      const label = svg("text", { x: x0 + span / 2, y: base + 18 + 17 * n, class: `window-label line-${n}` });
      label.setAttribute("text-anchor", "middle");
      label.textContent = text;
      root.append(label);
    });
  }
  heights.forEach((h, i) => {
    root.append(svg("rect", { x: gap + i * (bar + gap), y: base - h * unit, width: bar, height: h * unit, class: "rock" }));
  });
  root.append(svg("line", { x1: 0, x2: width, y1: base, y2: base, class: "ground" }));
  body.append(root);
}

const FIGURES = { "even-split": evenSplit, "size-formula": sizeFormula, "rising-water": risingWater };

function drawFigures() {
  for (const figure of document.querySelectorAll("[data-figure]")) {
    const body = figure.querySelector("[data-figure-body]");
    body.replaceChildren();
    FIGURES[figure.dataset.figure]?.(body);
  }
}

function refresh() {
  fillNumbers();
  localiseLinks();
  drawFigures();
}

initI18n();
refresh();
onLanguageChange(refresh);
revealPage();
