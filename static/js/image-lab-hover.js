/** The hover magnifier: the window under the pointer (or the arrow keys) boxed on the input, its numbers × weights = products, summed. */
import { $, make } from "./dom.js";
import { t } from "./i18n.js";
import { magnifierTable, readoutLines, windowAt } from "./image-lab-math.js";
import { channelLabel, formatNumber, state } from "./image-lab-state.js";

export function attachHover(image, { filter }, height, width) {
  image.tabIndex = 0;
  let cursor = [0, 0];
  const show = (i, j) => {
    cursor = [i, j];
    const answer = state.answer;
    const lines = readoutLines(answer, filter, i, j);
    if (!lines) {
      showHoverWindow(filter, i, j);
      $("[data-readout]").textContent = t("img.no_values");
      return;
    }
    const parts = lines.channels.map((c) => t("img.readout_channel", { channel: channelLabel(c.name), sum: formatNumber(c.sum) }));
    const act = answer.activation === "none" ? "" : t("img.readout_act", { name: answer.activation, value: formatNumber(lines.activated) });
    showHoverWindow(filter, i, j);
    $("[data-readout]").textContent = [
      t("img.readout", { f: filter + 1, i, j, value: formatNumber(lines.value) }),
      parts.join(";  "),
      t("img.readout_total", { parts: lines.channels.map((c) => formatNumber(c.sum)).join(" + "), bias: formatNumber(lines.bias), pre: formatNumber(lines.pre), act }),
    ].join("\n");
  };
  image.addEventListener("mousemove", (event) => {
    const box = image.getBoundingClientRect();
    const j = Math.min(width - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * width)));
    const i = Math.min(height - 1, Math.max(0, Math.floor(((event.clientY - box.top) / box.height) * height)));
    show(i, j);
  });
  image.addEventListener("focus", () => show(...cursor));
  image.addEventListener("keydown", (event) => {
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      show(Math.min(height - 1, Math.max(0, cursor[0] + move[0])), Math.min(width - 1, Math.max(0, cursor[1] + move[1])));
    }
  });
}

/** The box on the input under the pointer, and the window's numbers × weights = products, summed. */
export function showHoverWindow(filter, i, j) {
  const answer = state.answer;
  const inW = answer.input.shape[2];
  const win = windowAt(answer, i, j);
  const box = $("[data-hover-box]");
  const image = $("[data-testid=input-picture]");
  if (box && image) {
    const scale = image.getBoundingClientRect().width / inW;
    box.hidden = false;
    box.style.left = `${(win.col - answer.padding[2]) * scale}px`;
    box.style.top = `${(win.row - answer.padding[0]) * scale}px`;
    box.style.width = `${win.width * scale}px`;
    box.style.height = `${win.height * scale}px`;
  }
  const table = magnifierTable(answer, filter, i, j);
  const panel = $("[data-hover-window]");
  if (!table) {
    panel.replaceChildren();
    return;
  }
  const blocks = table.channels.map((channel) => {
    const rows = channel.cells.map((row) =>
      make(
        "tr",
        {},
        row.map((cell) =>
          make("td", {}, [
            make("span", { className: "il-hw-pixel", textContent: formatNumber(cell.pixel) }),
            make("span", { className: "il-hw-weight", textContent: `× ${formatNumber(cell.weight)}` }),
            make("span", { className: "il-hw-product", textContent: `= ${formatNumber(cell.pixel * cell.weight)}` }),
          ]),
        ),
      ),
    );
    return make("figure", { className: "il-figure il-hw-block" }, [
      make("table", { className: "il-numbers il-hw-table" }, rows),
      make("figcaption", { textContent: `${t("img.magnifier_channel", { channel: channelLabel(channel.name) })}${t("punct.colon")}Σ = ${formatNumber(channel.sum)}` }),
    ]);
  });
  const total = make("p", {
    className: "il-hw-sum",
    textContent: t("img.hover_sum", {
      parts: table.channels.map((c) => formatNumber(c.sum)).join(" + "),
      bias: formatNumber(table.bias),
      pre: formatNumber(table.pre),
      i,
      j,
      rows: `${win.row - answer.padding[0]}…${win.row - answer.padding[0] + win.height - 1}`,
      cols: `${win.col - answer.padding[2]}…${win.col - answer.padding[2] + win.width - 1}`,
    }),
  });
  panel.replaceChildren(...blocks, total);
}
