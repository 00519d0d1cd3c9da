/** The filters editor: one card per filter, a preset or your own numbers. */
import { $, make } from "./dom.js";
import { t } from "./i18n.js";
import { scheduleRun } from "./image-lab-run.js";
import { presetTitle, presetValues, state } from "./image-lab-state.js";
import { Drawer } from "./slices.js";

const drawer = new Drawer(); // the page's first build, while it is hidden, goes filter by filter

/** Draw the filters' cards: in short tasks the first time (the page still hidden), at once after an edit. */
export function renderFilters() {
  const box = $("[data-filters]");
  return drawer.draw([
    () => box.replaceChildren(),
    ...state.filters.map((filter, index) => () => box.append(filterCard(filter, index))),
  ]);
}

/** One filter's card: its name, preset menu, remove button and the grid of its numbers. */
function filterCard(filter, index) {
  const select = make("select", { "aria-label": t("img.filter_n", { n: index + 1 }) }, [
    ...state.presets.map((p) => make("option", { value: p.name, textContent: presetTitle(p) })),
    make("option", { value: "custom", textContent: t("img.custom") }),
  ]);
  select.value = filter.preset;
  select.addEventListener("change", () => {
    filter.preset = select.value;
    if (select.value !== "custom") {
      filter.values = presetValues(select.value);
    }
    renderFilters();
    scheduleRun();
  });
  const grid = make("div", { className: "il-kernel-grid" });
  grid.style.gridTemplateColumns = `repeat(${filter.values[0].length}, 5.4rem)`;
  filter.values.forEach((row, r) =>
    row.forEach((value, c) => {
      const input = make("input", {
        type: "number",
        step: "any",
        value: String(Math.round(value * 10000) / 10000),
        "aria-label": t("img.kernel_cell", { r: r + 1, c: c + 1 }),
      });
      input.addEventListener("change", () => {
        const number = Number(input.value);
        if (input.value.trim() !== "" && Number.isFinite(number)) {
          filter.values[r][c] = number;
          filter.preset = "custom";
          select.value = "custom";
          scheduleRun();
        }
      });
      grid.append(input);
    }),
  );
  const remove = make("button", {
    type: "button",
    textContent: "×",
    className: "il-remove",
    "aria-label": t("img.remove_filter", { n: index + 1 }),
    disabled: state.filters.length === 1,
  });
  remove.addEventListener("click", () => {
    state.filters.splice(index, 1);
    renderFilters();
    scheduleRun();
  });
  return make("div", { className: "il-filter" }, [
    make("div", { className: "il-filter-head" }, [make("strong", { textContent: t("img.filter_n", { n: index + 1 }) }), select, remove]),
    grid,
  ]);
}

/** A new filter after the others, of the same size (a layer's filters share one kernel size). */
export function addFilter() {
  const size = state.filters[0]?.values.length || 3;
  const name = size === 3 ? "sharpen" : "gaussian_5x5";
  state.filters.push({ preset: name, values: presetValues(name) });
  renderFilters();
  scheduleRun();
}
