/** The channel breakdown: each input channel ⋆ its kernel = its response, summed, plus the bias, then the activation. */
import { $, make } from "./dom.js";
import { t } from "./i18n.js";
import { numberTable } from "./number-table.js";
import { mapCanvas, mapFigure, sizeForDisplay } from "./image-lab-grid.js";
import { paintChannel } from "./image-lab-maps.js";
import { channelLabel, formatNumber, state } from "./image-lab-state.js";

export function kernelTable(kernel) {
  return numberTable("il-numbers", kernel.map((row) => row.map((v) => make("td", { textContent: formatNumber(v) }))));
}

const tinted = new Map(); // "picture key|channel" -> its painted canvas: the input does not change with the filters

/** One input channel in its own colour, painted once per picture and reused on every repaint. */
function channelPicture(name, height, width) {
  const key = `${state.input.key}|${name}`;
  if (!tinted.has(key)) {
    if (![...tinted.keys()].every((k) => k.startsWith(`${state.input.key}|`))) {
      tinted.clear();
    }
    const image = paintChannel(mapCanvas(name), state.input.pixels, name);
    sizeForDisplay(image, height, width);
    tinted.set(key, image);
  }
  return tinted.get(key);
}

export function renderChannels() {
  const answer = state.answer;
  const focus = state.focus;
  if (!answer || !focus || !state.input.pixels) {
    return;
  }
  const [, outH, outW] = answer.output_shape;
  const [, inH, inW] = answer.input.shape;
  const rows = focus.channels.map((channel, c) => {
    const image = channelPicture(channel.name, inH, inW);
    return make("div", { className: "il-channel-row" }, [
      make("figure", { className: "il-figure" }, [image, make("figcaption", { textContent: channelLabel(channel.name) })]),
      make("span", { className: "il-op", textContent: "⋆" }),
      make("figure", { className: "il-figure" }, [kernelTable(focus.kernels[c]), make("figcaption", { textContent: t("img.kernel", { name: channelLabel(channel.name) }) })]),
      make("span", { className: "il-op", textContent: "=" }),
      mapFigure(channel.map, t("img.response", { name: channelLabel(channel.name) }), outH, outW),
    ]);
  });
  const activation = answer.activation;
  const total = make("div", { className: "il-channel-row il-total" }, [
    make("span", { className: "il-op", textContent: focus.channels.length > 1 ? "Σ" : "" }),
    mapFigure(focus.sum || focus.map, `${t("img.sum")} (${formatNumber(focus.bias)})`, outH, outW),
    ...(activation === "none"
      ? []
      : [make("span", { className: "il-op", textContent: "→" }), mapFigure(focus.map, t("img.activated", { name: activation }), outH, outW)]),
  ]);
  $("[data-channels]").replaceChildren(...rows, total);
}
