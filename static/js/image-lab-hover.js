/**
 * The hover magnifier: the window under the pointer (or the arrow keys) boxed on the input, its numbers × weights =
 * products, summed. From the answer's own numbers when it lists them; otherwise from the server, one window at a
 * time (image-lab-window.js): the box follows at once, the last numbers stay (dimmed) until the new ones arrive.
 */
import { $, make } from "./dom.js";
import { t } from "./i18n.js";
import { numberTable } from "./number-table.js";
import { localWindow, windowAt } from "./image-lab-math.js";
import { announcePainted, channelLabel, formatNumber, state } from "./image-lab-state.js";
import { windowFetcher } from "./image-lab-window.js";
import { errorText } from "./messages/errors.js";

const MIN_BOX_PX = 12; // a 3×3 window on a 512-pixel picture drawn 200 px wide is about a pixel: still findable

let shown = null; // [answer, filter, i, j] whose numbers are on screen or on their way
const requestWindow = windowFetcher();

export function attachHover(image, { filter }, height, width) {
  image.tabIndex = 0;
  let cursor = [0, 0];
  const show = (i, j) => {
    cursor = [i, j];
    dockBelow(image);
    showPosition(filter, i, j);
  };
  image.addEventListener("mousemove", (event) => {
    const box = image.getBoundingClientRect();
    const j = Math.min(width - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * width)));
    const i = Math.min(height - 1, Math.max(0, Math.floor(((event.clientY - box.top) / box.height) * height)));
    if (cursor[0] !== i || cursor[1] !== j || shown?.[1] !== filter || shown?.[0] !== state.answer) {
      show(i, j);
    }
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

/**
 * The dock (readout and magnifier) sticks to the bottom of the screen over the maps: scrolling a map into view
 * (focus, the arrow keys' page moves) leaves room for it, so the dock never hides the map being read.
 */
export function keepMapsClearOfDock() {
  const dock = $("[data-hover-dock]");
  if (!dock || typeof ResizeObserver === "undefined") {
    return;
  }
  const root = document.documentElement;
  new ResizeObserver(() => {
    const sticky = getComputedStyle(dock).position === "sticky"; // short screens keep it in the flow
    root.style.scrollPaddingBottom = sticky ? `${dock.offsetHeight}px` : "";
  }).observe(dock);
}

/** Dock the numbers at the screen's bottom on the first hover, and keep the map being read clear of them. */
function dockBelow(image) {
  const dock = $("[data-hover-dock]");
  if (!dock || dock.classList.contains("il-docked")) {
    return;
  }
  dock.classList.add("il-docked");
  const clear = (tries) => {
    // Measured once the docked layout is in place; a second look after scrolling, as the dock settles.
    const covered = image.getBoundingClientRect().bottom - dock.getBoundingClientRect().top;
    if (getComputedStyle(dock).position === "sticky" && covered > 0) {
      window.scrollBy(0, covered + 8);
      if (tries > 1) {
        requestAnimationFrame(() => clear(tries - 1));
      }
    }
  };
  requestAnimationFrame(() => clear(3));
}

/** Box filter f's window at output (i, j) and show its numbers: now, from the cache, or when they arrive. */
export function showPosition(filter, i, j) {
  const answer = state.answer;
  shown = [answer, filter, i, j];
  showHoverBox(answer, i, j);
  const local = localWindow(answer, filter, i, j);
  if (local) {
    showWindow(local, filter, i, j);
    return;
  }
  const still = () => shown && shown[0] === state.answer && shown[1] === filter && shown[2] === i && shown[3] === j;
  const fetched = requestWindow(answer, filter, i, j, {
    onArrive: (win) => still() && showWindow(win, filter, i, j),
    onError: (result) => still() && showFailure(result, filter, i, j),
  });
  if (fetched) {
    showWindow(fetched, filter, i, j);
  } else {
    showPending(filter, i, j);
  }
}

/** The box on the input around the window (at least MIN_BOX_PX a side, centred, so it is always seen). */
export function showHoverBox(answer, i, j) {
  const box = $("[data-hover-box]");
  const image = $("[data-testid=input-picture]");
  if (!box || !image) {
    return;
  }
  const win = windowAt(answer, i, j);
  const scale = image.getBoundingClientRect().width / answer.input.shape[2];
  const side = (start, span) => {
    const size = Math.max(span * scale, MIN_BOX_PX);
    return [start * scale + (span * scale - size) / 2, size];
  };
  const [left, width] = side(win.col - answer.padding[2], win.width);
  const [top, height] = side(win.row - answer.padding[0], win.height);
  box.hidden = false;
  box.style.left = `${left}px`;
  box.style.top = `${top}px`;
  box.style.width = `${width}px`;
  box.style.height = `${height}px`;
}

function readoutHead(filter, i, j, value) {
  return t("img.readout", { f: filter + 1, i, j, value });
}

/** The readout and the magnifier for one window's numbers (`win` as localWindow/serverWindow make it). */
export function showWindow(win, filter, i, j) {
  const answer = state.answer;
  const parts = win.channels.map((c) => t("img.readout_channel", { channel: channelLabel(c.name), sum: formatNumber(c.sum) }));
  const act = answer.activation === "none" ? "" : t("img.readout_act", { name: answer.activation, value: formatNumber(win.activated) });
  $("[data-readout]").textContent = [
    readoutHead(filter, i, j, formatNumber(win.value)),
    parts.join(";  "),
    t("img.readout_total", { parts: win.channels.map((c) => formatNumber(c.sum)).join(" + "), bias: formatNumber(win.bias), pre: formatNumber(win.pre), act }),
  ].join("\n");
  const panel = $("[data-hover-window]");
  panel.classList.remove("il-hw-pending");
  panel.dataset.at = `${filter},${i},${j}`;
  const blocks = win.channels.map((channel) => {
    const rows = channel.cells.map((row) =>
      row.map((cell) =>
        make("td", {}, [
          make("span", { className: "il-hw-pixel", textContent: formatNumber(cell.pixel) }),
          make("span", { className: "il-hw-weight", textContent: `× ${formatNumber(cell.weight)}` }),
          make("span", { className: "il-hw-product", textContent: `= ${formatNumber(cell.product)}` }),
        ]),
      ),
    );
    return make("figure", { className: "il-figure il-hw-block" }, [
      numberTable("il-numbers il-hw-table", rows),
      make("figcaption", { textContent: `${t("img.magnifier_channel", { channel: channelLabel(channel.name) })}${t("punct.colon")}Σ = ${formatNumber(channel.sum)}` }),
    ]);
  });
  const where = windowAt(answer, i, j);
  const total = make("p", {
    className: "il-hw-sum",
    textContent: t("img.hover_sum", {
      parts: win.channels.map((c) => formatNumber(c.sum)).join(" + "),
      bias: formatNumber(win.bias),
      pre: formatNumber(win.pre),
      i,
      j,
      rows: `${where.row - answer.padding[0]}…${where.row - answer.padding[0] + where.height - 1}`,
      cols: `${where.col - answer.padding[2]}…${where.col - answer.padding[2] + where.width - 1}`,
    }),
  });
  panel.replaceChildren(...blocks, total);
  announcePainted("window");
}

/** While a window's numbers are on their way: say where, keep the last numbers dimmed (no flash of empty). */
function showPending(filter, i, j) {
  $("[data-readout]").textContent = [readoutHead(filter, i, j, "…"), t("img.window_fetching"), ""].join("\n");
  const panel = $("[data-hover-window]");
  panel.classList.toggle("il-hw-pending", panel.childElementCount > 0);
}

function showFailure(result, filter, i, j) {
  const detail = result.status ? errorText({ rule: result.rule, field: result.field, params: result.params, detail: result.detail }) : t("img.window_unavailable");
  $("[data-readout]").textContent = [readoutHead(filter, i, j, "–"), detail, ""].join("\n");
  const panel = $("[data-hover-window]");
  panel.classList.remove("il-hw-pending");
  panel.replaceChildren();
}
