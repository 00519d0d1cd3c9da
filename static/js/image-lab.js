/**
 * The Image lab: a picture in (upload, drop, paste, webcam or sample), feature maps out.
 *
 * The server does the numbers (POST /api/v1/images/conv2d and /pool2d) and sends each map once, as
 * raw level bytes in one binary body (maps=binary, app/images/packed.py); the page paints the view it
 * shows with the server's colour tables. A filter change asks for that one filter's map only; an
 * unchanged picture is not sent back. One module per panel:
 *
 *   image-lab-state.js     state, controls, names, numbers     image-lab-api.js       form and POST
 *   image-lab-run.js       computing maps, channel breakdown    image-lab-source.js    picture sources
 *   image-lab-filters.js   filters editor                       image-lab-grid.js      maps grid, legends
 *   image-lab-hover.js     hover magnifier                      image-lab-slide.js     sliding-window demo
 *   image-lab-pool.js      pooling panel                        image-lab-channels.js  channel breakdown
 *   image-lab-maps.js      decoding and painting maps           image-lab-math.js      window arithmetic
 *   image-lab-url.js       the link: one table of parameters, URL both ways
 */

import "./messages/image-lab.js";
import { answerInPage } from "./api.js";
import { $, $$ } from "./dom.js";
import { initI18n, onLanguageChange, revealPage } from "./i18n.js";
import { renderChannels } from "./image-lab-channels.js";
import { addFilter, renderFilters } from "./image-lab-filters.js";
import { renderAnswer } from "./image-lab-grid.js";
import { keepMapsClearOfDock } from "./image-lab-hover.js";
import { wirePool } from "./image-lab-pool.js";
import { run, runFocus, scheduleRun } from "./image-lab-run.js";
import { drawSlide, translateSlide, wireSlide } from "./image-lab-slide.js";
import { loadSamples, translateSamples, useFile, wireSource } from "./image-lab-source.js";
import { announcePainted, control, DEFAULT_FILTERS, presetValues, state } from "./image-lab-state.js";
import { readUrl, writeUrl } from "./image-lab-url.js";
import { nextTask } from "./slices.js";

// The sample the server marked selected; the student may have picked another while the page started.
const DEFAULT_SAMPLE = [...control("sample").options].find((o) => o.defaultSelected)?.value || state.sample;
state.sample = control("sample").value || DEFAULT_SAMPLE;

/** Repaint what is on screen from the answer the page holds (a view switch, a language switch): no request. */
async function repaint() {
  await renderAnswer();
  renderChannels();
}

function wire() {
  wireSource();
  wirePool();
  wireSlide();
  for (const name of ["max-side", "padding", "padding-mode", "stride", "bias", "activation"]) {
    control(name).addEventListener("change", scheduleRun);
  }
  for (const radio of $$('[data-control="color"]')) {
    radio.addEventListener("change", scheduleRun);
  }
  control("focus").addEventListener("change", () => state.answer && runFocus());
  for (const radio of $$('[data-control="view"]')) {
    radio.addEventListener("change", async () => {
      state.view = radio.value;
      await repaint();
      announcePainted("view");
      drawSlide();
    });
  }
  $('[data-action="add-filter"]').addEventListener("click", addFilter);
  keepMapsClearOfDock();
  onLanguageChange(() => {
    renderFilters();
    translateSamples();
    repaint();
    translateSlide();
  });
}

async function start() {
  initI18n();
  await nextTask(); // the page's words in one task, its wiring in the next: neither holds a slow phone long
  wire();
  // The presets and the samples come in the page (app/api/routes/pages.py): the first maps wait for no list.
  const samples = answerInPage("/api/v1/images/samples");
  const kernels = await answerInPage("/api/v1/kernels");
  state.presets = kernels.ok ? kernels.data : [];
  state.filters = DEFAULT_FILTERS.map((name) => ({ preset: name, values: presetValues(name) }));
  readUrl();
  const filters = renderFilters(); // in short tasks, while the samples arrive
  await loadSamples(samples);
  if (state.samples.length && !state.samples.some((s) => s.name === state.sample)) {
    state.sample = DEFAULT_SAMPLE; // a link naming a sample this server does not have
    control("sample").value = state.sample;
  }
  const early = $("#il-file").files[0]; // the source card shows before the page is wired: a file chosen then
  if (early) useFile(early, { run: false });
  // What is on screen is what the link says (a hovered window changes no setting).
  document.addEventListener("il-painted", (event) => event.detail.kind !== "window" && writeUrl());
  await Promise.all([filters, run()]);
  revealPage();
}

start().finally(revealPage);
