/** The maps grid: the input and each filter's feature map, painted in the view chosen, with legends that say which scale and why. */
import { $, make } from "./dom.js";
import { t } from "./i18n.js";
import { attachHover } from "./image-lab-hover.js";
import { paintMap, paletteColor } from "./image-lab-maps.js";
import { control, DISPLAY_SIDE, filterName, formatNumber, state } from "./image-lab-state.js";
import { Drawer } from "./slices.js";

const drawer = new Drawer(); // the first maps, while the page is hidden, go in one by one; later ones at once

export function mapCanvas(label, testid) {
  const canvas = make("canvas", { className: "il-pixels", role: "img", "aria-label": label });
  if (testid) {
    canvas.dataset.testid = testid;
  }
  return canvas;
}

export function pixelImage(src, alt, testid) {
  const image = make("img", { src, alt, className: "il-pixels" });
  if (testid) {
    image.dataset.testid = testid;
  }
  return image;
}

export function sizeForDisplay(image, height, width) {
  const scale = DISPLAY_SIDE / Math.max(height, width);
  image.style.width = `${Math.round(width * scale)}px`;
  image.style.height = `${Math.round(height * scale)}px`;
  // Where the column's width wins (phones), the height follows this ratio even before the pixels arrive
  // (a canvas is 300×150 until painted, an image has no size until decoded): nothing overlaps or jumps.
  image.style.aspectRatio = `${width} / ${height}`;
}

/** The legend of a map in the current view: its colour ramp, its numbers, and which scale and why. */
export function legend(map, view = state.view) {
  const bar = make("div", { className: "il-legend-bar" });
  const sequential = map.scale === "sequential";
  const name = sequential ? (view === "signed" ? "sequential" : "gray") : view === "signed" ? "diverging" : "magnitude";
  const hex = state.palettes[name];
  const stops = Array.from({ length: 9 }, (_, k) => paletteColor(hex, Math.round((k * 254) / 8)));
  bar.style.background = `linear-gradient(to right, ${stops.join(", ")})`;
  const diverging = !sequential && view === "signed";
  const labels = make("div", { className: "il-legend-labels" }, [
    make("span", { textContent: diverging ? `−${formatNumber(map.range)}` : "0" }),
    make("span", { textContent: diverging ? "0" : "" }),
    make("span", { textContent: `${diverging ? "+" : ""}${formatNumber(map.range)}` }),
  ]);
  const why = make("small", { className: "il-legend-why", textContent: t(sequential ? "img.scale_sequential" : "img.scale_diverging") });
  return make("div", { className: "il-legend" }, [bar, labels, why]);
}

export function mapFigure(map, caption, height, width, { testid, hover, scale, view = state.view, filter } = {}) {
  const image = mapCanvas(caption, testid);
  sizeForDisplay(image, height, width);
  const painted = paintMap(image, map, view, state.tables);
  if (filter !== undefined) {
    state.painted.set(filter, painted);
  }
  if (scale) {
    image.style.width = `${Math.round(width * scale)}px`;
    image.style.height = `${Math.round(height * scale)}px`;
  }
  if (hover) {
    attachHover(image, hover, height, width);
  }
  return make("figure", { className: "il-figure" }, [
    image,
    legend(map, view),
    make("figcaption", { textContent: t("img.map_caption", { name: caption, min: formatNumber(map.min), max: formatNumber(map.max) }) }),
  ]);
}

export function filterFigure(filter, height, width) {
  const figure = mapFigure(filter.map, filterName(filter.index), height, width, {
    testid: "feature-map",
    hover: { filter: filter.index },
    filter: filter.index,
  });
  figure.dataset.filter = String(filter.index);
  return figure;
}

/** Paint the answer's maps (the channel breakdown is its own panel: image-lab-channels.js). */
export async function renderAnswer() {
  const answer = state.answer;
  if (!answer) {
    return;
  }
  state.painted = new Map();
  const [, outH, outW] = answer.output_shape;
  const [channelCount, inH, inW] = answer.input.shape;
  const box = $("[data-maps]");
  const drawn = await drawer.draw([
    () => {
      const inputImage = pixelImage(answer.input.picture, t("img.input", { shape: answer.input.shape.join("×") }), "input-picture");
      sizeForDisplay(inputImage, inH, inW);
      const stage = make("div", { className: "il-stage" }, [inputImage, make("div", { className: "il-hover-box", hidden: true, dataset: { hoverBox: "" } })]);
      const inputFigure = make("figure", { className: "il-figure" }, [
        stage,
        make("figcaption", { textContent: t("img.input", { shape: `${channelCount}×${inH}×${inW}` }) }),
      ]);
      box.replaceChildren(inputFigure);
    },
    ...answer.filters.map((filter) => () => box.append(filterFigure(filter, outH, outW))),
    () => {
      const colon = t("punct.colon");
      const formula = `\n${t("img.axis_height")}${colon}${answer.shape.height.formula}\n${t("img.axis_width")}${colon}${answer.shape.width.formula}`;
      $("[data-shape]").textContent = t("img.shape", {
        input: answer.input.shape.join("×"),
        output: answer.output_shape.join("×"),
        formula,
      });
      $("[data-readout]").textContent = t("img.hover_hint"); // without listed values, the hover asks the server
      $("[data-hover-dock]").classList.remove("il-docked"); // the hint alone, in the flow, until the next hover
      renderFocusSelect();
    },
  ]);
  if (drawn) {
    await Promise.all(state.painted.values());
  }
}

/** Paint one filter's new map in its place; the other figures stay untouched. */
export async function repaintFilter(index) {
  const [, outH, outW] = state.answer.output_shape;
  const figure = filterFigure(state.answer.filters[index], outH, outW);
  const painted = state.painted.get(index);
  $(`[data-maps] [data-filter="${index}"]`).replaceWith(figure);
  renderFocusSelect();
  await painted;
}

export function renderFocusSelect() {
  const select = control("focus");
  const current = Math.min(Number(select.value) || 0, state.answer.filters.length - 1);
  select.replaceChildren(...state.answer.filters.map((f) => make("option", { value: String(f.index), textContent: filterName(f.index) })));
  select.value = String(current);
}
