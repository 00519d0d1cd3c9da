/** The sliding-window demo: the window crosses the padded input while the output fills in, at a speed that scales with the picture. */
import { $, make } from "./dom.js";
import { t } from "./i18n.js";
import { numberTable } from "./number-table.js";
import { magnifierTable, windowAt } from "./image-lab-math.js";
import { channelLabel, control, formatNumber, state } from "./image-lab-state.js";
import { windowFetcher } from "./image-lab-window.js";

const requestSlideWindow = windowFetcher(); // its own queue: the slide's ticks never cancel a hover

export const pictures = new Map();

export function loadPicture(src) {
  if (!pictures.has(src)) {
    pictures.clear();
    const image = new Image();
    image.src = src;
    pictures.set(src, image.decode().then(() => image));
  }
  return pictures.get(src);
}

export function slideTotal() {
  if (!state.answer) {
    return 0;
  }
  const [, h, w] = state.answer.output_shape;
  return h * w;
}

export function rewindSlide() {
  state.slide.position = 0;
  drawSlide();
}

export const TICK_MS = 80;

/** Positions per tick: one, or as many as cross the whole picture in the chosen time, whatever its size. */
export function stepSize() {
  const speed = control("speed").value;
  if (!speed.startsWith("s")) {
    return Number(speed) || 1;
  }
  const ticks = (Number(speed.slice(1)) * 1000) / TICK_MS;
  return Math.max(1, Math.ceil(slideTotal() / ticks));
}

export function tick() {
  if (!state.answer) {
    return;
  }
  state.slide.position = Math.min(slideTotal(), state.slide.position + stepSize());
  if (state.slide.position >= slideTotal()) {
    stopSlide();
  }
  drawSlide();
}

export function stopSlide() {
  clearInterval(state.slide.timer);
  state.slide.timer = null;
  const play = $('[data-action="play"]');
  play.setAttribute("aria-pressed", "false");
  play.textContent = t("img.play");
}

export function toggleSlide() {
  if (state.slide.timer) {
    stopSlide();
    return;
  }
  if (state.slide.position >= slideTotal()) {
    state.slide.position = 0;
  }
  state.slide.timer = setInterval(tick, TICK_MS);
  const play = $('[data-action="play"]');
  play.setAttribute("aria-pressed", "true");
  play.textContent = t("img.pause");
}

export async function drawSlide() {
  const answer = state.answer;
  if (!answer) {
    return;
  }
  const [, outH, outW] = answer.output_shape;
  const [, inH, inW] = answer.input.shape;
  const [top, , left] = answer.padding;
  const hp = inH + answer.padding[0] + answer.padding[1];
  const wp = inW + answer.padding[2] + answer.padding[3];
  const done = state.slide.position;
  const current = Math.min(done, slideTotal() - 1);
  const i = Math.floor(current / outW);
  const j = current % outW;
  const [input, output] = await Promise.all([loadPicture(answer.input.picture), state.painted.get(0)]).catch(() => []);
  if (!input || answer !== state.answer) {
    return;
  }
  const { ctx, scale } = blankStage("[data-slide-input]", wp, hp);
  ctx.fillStyle = "#000000"; // zero padding: value 0 is black
  ctx.fillRect(0, 0, wp * scale, hp * scale);
  if (control("padding-mode").value !== "zeros" && answer.values) {
    drawPadded(ctx, answer.values.padded_input, scale);
  }
  ctx.drawImage(input, left * scale, top * scale, inW * scale, inH * scale);
  const win = windowAt(answer, i, j);
  ctx.lineWidth = 3;
  ctx.strokeStyle = "#d55e00";
  ctx.strokeRect(win.col * scale, win.row * scale, win.width * scale, win.height * scale);

  const { ctx: octx, scale: outScale } = blankStage("[data-slide-output]", outW, outH);
  const fullRows = Math.floor(done / outW);
  const partial = done % outW;
  if (fullRows > 0) {
    octx.drawImage(output, 0, 0, outW, fullRows, 0, 0, outW * outScale, fullRows * outScale);
  }
  if (partial > 0 && fullRows < outH) {
    octx.drawImage(output, 0, fullRows, partial, 1, 0, fullRows * outScale, partial * outScale, outScale);
  }
  if (done < slideTotal()) {
    octx.lineWidth = 3;
    octx.strokeStyle = "#d55e00";
    octx.strokeRect(j * outScale, i * outScale, outScale, outScale);
  }
  $("[data-slide-counter]").textContent = t("img.slide_counter", { n: done, total: slideTotal() });
  renderMagnifier(i, j);
}

/** Non-zero padding modes: paint the padded picture from its numbers, so the border shows what it holds. */
export function drawPadded(ctx, padded, scale) {
  const [height, width] = [padded[0].length, padded[0][0].length];
  const image = ctx.createImageData(width, height);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const at = 4 * (r * width + c);
      const [red, green, blue] = padded.length === 3 ? [padded[0][r][c], padded[1][r][c], padded[2][r][c]] : Array(3).fill(padded[0][r][c]);
      image.data.set([red, green, blue, 255], at);
    }
  }
  const canvas = make("canvas", { width, height });
  canvas.getContext("2d").putImageData(image, 0, 0);
  ctx.drawImage(canvas, 0, 0, width * scale, height * scale);
}

let magnified = null; // [answer, i, j] the magnifier shows or waits for

/** The magnifier for the slide's position: from the answer's numbers, or (too large to list) from the server. */
export function renderMagnifier(i, j) {
  const answer = state.answer;
  magnified = [answer, i, j];
  const table = magnifierTable(answer, 0, i, j);
  if (table) {
    showMagnifier(table);
    return;
  }
  const still = () => magnified && magnified[0] === state.answer && magnified[1] === i && magnified[2] === j;
  const fetched = requestSlideWindow(answer, 0, i, j, {
    onArrive: (win) => still() && showMagnifier(win),
    onError: () => still() && $("[data-magnifier]").replaceChildren(make("p", { textContent: t("img.window_unavailable") })),
  });
  if (fetched) {
    showMagnifier(fetched);
  }
}

/** `table`: channels [{name, cells: rows of {pixel, weight}, sum}] and pre (Σ + bias). */
function showMagnifier(table) {
  const box = $("[data-magnifier]");
  box.replaceChildren(
    ...table.channels.map((channel) =>
      make("figure", { className: "il-figure" }, [
        numberTable(
          "il-numbers il-window",
          channel.cells.map((row) =>
            row.map((cell) =>
              make("td", {}, [make("span", { textContent: formatNumber(cell.pixel) }), make("small", { textContent: `×${formatNumber(cell.weight)}` })]),
            ),
          ),
        ),
        make("figcaption", { textContent: `${t("img.magnifier_channel", { channel: channelLabel(channel.name) })}${t("punct.colon")}${formatNumber(channel.sum)}` }),
      ]),
    ),
    make("p", { className: "il-sum", textContent: t("img.magnifier_sum", { value: formatNumber(table.pre) }) }),
  );
}

export function wireSlide() {
  $('[data-action="play"]').addEventListener("click", toggleSlide);
  $('[data-action="step"]').addEventListener("click", tick);
  $('[data-action="rewind"]').addEventListener("click", rewindSlide);
}

/** The play button's word in the page's language (unless it is playing: then it says pause). */
export function translateSlide() {
  if (!state.slide.timer) {
    $('[data-action="play"]').textContent = t("img.play");
  }
}

/** A slide canvas cleared to the stage grey, with the scale that fits `w`×`h` cells in it, unsmoothed. */
function blankStage(selector, w, h) {
  const canvas = $(selector);
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = false;
  ctx.fillStyle = "#d8d8d8";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  return { ctx, scale: Math.min(canvas.width / w, canvas.height / h) };
}

