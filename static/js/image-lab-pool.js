/** The pooling panel: the picture pooled, and pooled again after a small shift, to see what survives. */
import { $, make } from "./dom.js";
import { t } from "./i18n.js";
import { baseForm, post } from "./image-lab-api.js";
import { mapFigure, pixelImage } from "./image-lab-grid.js";
import { parsePalettes } from "./image-lab-maps.js";
import { control, DISPLAY_SIDE, inputKey, showError, state } from "./image-lab-state.js";

export async function runPool() {
  const ticket = ++state.poolRequest;
  const form = baseForm();
  const size = Math.max(1, Number(control("pool-size").value) || 2);
  const stride = Math.max(1, Number(control("pool-stride").value) || size);
  form.append("params", JSON.stringify({ mode: control("pool-mode").value, kernel_size: size, stride }));
  const [dy, dx] = control("shift").value.split(",");
  form.append("shift_y", dy);
  form.append("shift_x", dx);
  form.set("include_values", "false");
  const key = inputKey();
  const result = await post("/api/v1/images/pool2d", form);
  if (ticket !== state.poolRequest) {
    return;
  }
  state.pooledKey = key;
  if (!result.ok) {
    showError(t("img.error", { status: result.status, detail: result.detail || "" }));
    return;
  }
  const answer = result.data;
  if (!state.tables) {
    state.palettes = answer.palettes;
    state.tables = parsePalettes(answer.palettes);
  }
  const [c, h, w] = answer.input.shape;
  const [, oh, ow] = answer.output_shape;
  const scale = DISPLAY_SIDE / Math.max(h, w); // one scale for all: the pooled map looks as small as it is
  const figure = (src, caption, height, width, testid) => {
    const image = pixelImage(src, caption, testid);
    image.style.width = `${Math.round(width * scale)}px`;
    image.style.height = `${Math.round(height * scale)}px`;
    return make("figure", { className: "il-figure" }, [image, make("figcaption", { textContent: caption })]);
  };
  const figures = [
    figure(answer.input.picture, t("img.pool_before", { shape: `${c}×${h}×${w}` }), h, w),
    figure(answer.output, t("img.pool_after", { shape: answer.output_shape.join("×") }), oh, ow, "pooled"),
  ];
  const shifted = answer.shifted;
  let summary = "";
  if (shifted) {
    figures.push(figure(shifted.input, t("img.pool_shifted_input", { dy: shifted.shift[0], dx: shifted.shift[1] }), h, w));
    figures.push(figure(shifted.output, t("img.pool_shifted"), oh, ow));
    if (shifted.same_shape) {
      figures.push(mapFigure(shifted.difference, t("img.pool_diff"), oh, ow, { scale, view: "signed" }));
      const key = control("pool-mode").value === "avg" ? "img.pool_summary_avg" : "img.pool_summary";
      summary = t(key, { percent: Math.round(shifted.equal_fraction * 1000) / 10, dy: shifted.shift[0], dx: shifted.shift[1] });
    } else {
      summary = t("img.pool_summary_shape");
    }
  }
  $("[data-pool]").replaceChildren(...figures);
  $("[data-pool-summary]").textContent = summary;
}

export function wirePool() {
  for (const name of ["pool-mode", "pool-size", "pool-stride", "shift"]) {
    control(name).addEventListener("change", runPool);
  }
  $('[data-action="pool"]').addEventListener("click", runPool);
}
