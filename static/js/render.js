/**
 * The stage: input (with its padding ring), kernel and output grids, and the marks of one step.
 *
 * `build` runs when the layer changes and creates cells only when a shape changes. The marks of
 * a step (the window, the current output cell, the veil over outputs still to come, the max-pool
 * winner) live in overlay layers moved by `transform`, so playing at full speed changes no cell:
 * no layout and no repaint of the grids, only a few compositor updates per animation frame.
 */

import { el } from "./dom.js";
import { MatrixGrid } from "./grid.js";
import { formatCell } from "./format.js";
import { line, mark, moveTo, stretch } from "./marks.js";
import { padSource, stepOf, stepPlace } from "./geometry.js";
import { t } from "./i18n.js";
import { maxAbs, needsLightText, scaleGradient, signedColour } from "./colour.js";

/** Below this width the stage stacks (matrix-lab.css uses the same query). */
const NARROW = "(max-width: 900px)";

function caption(text) {
  return el("div", "grid-caption", text);
}

/**
 * Make `nodes` the children of `host`, touching the DOM only if they differ. A move would blur the
 * element being typed in, so if the focus was inside it is put back, caret and all.
 */
export function placeChildren(host, nodes) {
  const kids = host.children;
  if (kids.length === nodes.length && nodes.every((node, i) => kids[i] === node)) {
    return;
  }
  const active = document.activeElement;
  const inside = active && active !== document.body && host.contains(active);
  const selection = inside && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
  host.replaceChildren(...nodes);
  if (inside && active.isConnected && document.activeElement !== active) {
    active.focus({ preventScroll: true });
    if (selection) {
      active.setSelectionRange(...selection);
    }
  }
}

/** A legend for the signed scale: a bar from −m (blue) through 0 (white) to +m (orange). */
function makeLegend(testid) {
  const box = el("div", "scale-legend");
  box.dataset.testid = testid;
  const bar = el("div", "scale-bar");
  bar.style.background = scaleGradient();
  const labels = el("div", "scale-labels");
  box.labels = ["", "0", ""].map((text) => {
    const span = document.createElement("span");
    span.textContent = text;
    labels.append(span);
    return span;
  });
  box.append(bar, labels);
  return box;
}

function writeLegend(box, m) {
  box.hidden = !(m > 0);
  box.labels[0].textContent = formatCell(-m);
  box.labels[2].textContent = `+${formatCell(m)}`;
}

/** Cells narrower than this stop a phone's output from sitting beside the channels: it goes below them. */
const BESIDE_MIN_CELL = 26;

/**
 * A volume's cell on a phone (the kernel below, matrix-lab.css): the channels and the output side by
 * side if the cells stay legible, else the output below the channels, and as many channels a row as
 * keep cells of 20 px (the rest wrap below); never wider than the kernel's slices side by side allow.
 */
export function phoneVolumeCell(geo, width) {
  const cols = Math.max(3, geo.Wp);
  const fit = (perRow, extraCols) => Math.floor((width - 24 - perRow * 12 - extraCols * 4) / (perRow * cols + extraCols)) - 3;
  const beside = fit(geo.C, Math.max(3, geo.Wo));
  if (beside >= BESIDE_MIN_CELL) {
    return beside;
  }
  let perRow = geo.C;
  while (perRow > 1 && fit(perRow, 0) < 20) {
    perRow -= 1;
  }
  // A filter's slices lie side by side below: they must fit the width too.
  const kernel = Math.floor((width - 24 - geo.cpg * 14) / (geo.cpg * Math.max(3, geo.kw))) - 3;
  return Math.min(fit(perRow, 0), kernel);
}

export class Stage {
  /** `hosts`: {input, kernel, output} elements; `handlers`: edit, paste, bias, hover and pick callbacks. */
  constructor(hosts, handlers) {
    this.hosts = hosts;
    this.handlers = handlers;
    this.inputGrids = [];
    this.kernelGrids = [];
    this.outputGrids = [];
    this.filterBlocks = [];
    this.biasInputs = [];
    this.flippedGrids = [];
    this.captions = new Map();
    this.revealedUpTo = null;
    this.showAll = false;
    this.geo = null;
    // The connector: a line from the window to the output cell it makes, moved by transform only.
    this.connector = mark("connector");
    hosts.stage.append(this.connector);
    this.offsets = null;
    this.connectorFrame = 0;
    this.watchLayout(hosts.stage);
    this.kernelLegend = makeLegend("kernel-legend");
    this.outputLegend = makeLegend("output-legend");
    hosts.kernel.after(this.kernelLegend);
    hosts.output.after(this.outputLegend);
  }

  /**
   * Where the grids sit changes without a build or a fit: a channel's Σ line appears once its frame
   * is in, Predict hides it again, a folded filter opens, the output wraps below the stage. Any of
   * these resizes the stage or a panel; the observer runs after that layout and before its paint,
   * so the marks are placed again and the connector never ends at the cell where the output used to be.
   */
  watchLayout(stage) {
    if (typeof ResizeObserver === "undefined") {
      return;
    }
    const observer = new ResizeObserver(() => {
      this.offsets = null;
      const shown = this.shown;
      if (shown && this.geo && this.geo.output && shown[0] < this.geo.count) {
        this.measureOffsets(); // layout has just run: reading it here costs nothing
        this.showStep(...shown); // the cells may have a new size too (a resize fits them again)
      }
    });
    observer.observe(stage);
    for (const panel of stage.querySelectorAll(".panel")) {
      observer.observe(panel);
    }
  }

  /** One caption element per `key`, reused so a rebuild leaves the DOM as it was. */
  captionFor(key, text) {
    let node = this.captions.get(key);
    if (!node) {
      node = caption(text);
      this.captions.set(key, node);
    }
    if (node.textContent !== text) {
      node.textContent = text;
    }
    return node;
  }

  /**
   * Place a layer, as three parts to run in order (inputs, kernels, outputs), so that a first draw can yield
   * between them; `state` gives the editable values, `geo` the geometry and the server's numbers.
   */
  buildSteps(state, geo) {
    return [
      () => {
        this.geo = geo;
        this.state = state;
        this.buildInputs(state, geo);
      },
      () => {
        if (geo.mode === "conv") {
          this.buildKernels(state, geo);
        }
      },
      () => {
        this.buildOutputs(geo);
        this.revealedUpTo = null; // cells may be new: the next step sets every output cell's class
        this.offsets = null;
        for (const grid of this.inputGrids) {
          grid.window.weightsKey = null;
        }
      },
    ];
  }

  buildInputs(state, geo) {
    const [top, , left] = geo.pad;
    const key = `${geo.mode}:${top},${left},${geo.paddingMode}`;
    const grids = this.inputGrids;
    while (grids.length < geo.C) {
      const c = grids.length;
      const grid = new MatrixGrid({
        className: "input",
        label: (r, col) =>
          r === null
            ? t("grid.input_label", { c: c + 1 })
            : t("grid.cell_label", { r: r - this.geo.pad[0] + 1, c: col - this.geo.pad[2] + 1 }),
        editable: (r, col) => this.isReal(r, col),
        onEdit: (r, col, value) => this.handlers.input(c, r - this.geo.pad[0], col - this.geo.pad[2], value),
        onPaste: (r, col, block) => this.handlers.inputPaste(c, r - this.geo.pad[0], col - this.geo.pad[2], block),
        onHover: (r, col) => this.showSource(grid, r, col),
        onPick: (r, col) => this.handlers.inputPick?.(c, r - this.geo.pad[0], col - this.geo.pad[2]),
      });
      const wrap = el("div", "grid-wrap");
      const box = el("div", "grid-box");
      grid.window = mark("window-mark");
      grid.winner = mark("winner-mark");
      box.append(grid.element, grid.window, grid.winner);
      grid.sum = document.createElement("div");
      grid.sum.className = "channel-sum";
      wrap.append(caption(""), box, grid.sum);
      grid.wrap = wrap;
      grids.push(grid);
    }
    const shown = grids.slice(0, geo.C);
    // Several channels lie side by side as a volume, their kernels' slices under them, outputs beside.
    this.hosts.stage.classList.toggle("volume", geo.mode === "conv" && geo.C > 1);
    placeChildren(this.hosts.input, shown.map((g) => g.wrap));
    shown.forEach((grid, c) => {
      grid.wrap.firstChild.textContent = geo.C > 1 ? t("grid.channel", { n: c + 1 }) : "";
      grid.wrap.firstChild.hidden = geo.C === 1;
      grid.setShape(geo.Hp, geo.Wp, key);
      this.paintPadding(grid, geo);
      const values = geo.padded ? geo.padded[c] : this.rawPadded(state.input[c], geo);
      grid.setValues(values);
      grid.labelCells();
    });
  }

  /** Hovering a copied padding cell (reflect, replicate, circular) outlines the real cell it copies. */
  showSource(grid, r, c) {
    const geo = this.geo;
    let source = [];
    if (r !== null && !this.isReal(r, c) && geo.mode === "conv" && geo.paddingMode !== "zeros") {
      const sr = padSource(geo.paddingMode, r - geo.pad[0], geo.H);
      const sc = padSource(geo.paddingMode, c - geo.pad[2], geo.W);
      source = [[sr + geo.pad[0], sc + geo.pad[2]]];
    }
    grid.markOnly("source", source);
    this.showReaders(this.inputGrids.indexOf(grid), r, c);
  }

  /** Hovering input cell (r, c) of channel `channel` (padded coordinates) outlines every output cell that reads it. */
  showReaders(channel, r, c) {
    const geo = this.geo;
    if (!geo || !geo.output) {
      return;
    }
    const along = (p, stride, dilation, taps, size) => {
      const hits = [];
      for (let a = 0; a < taps; a += 1) {
        const q = p - a * dilation;
        if (q >= 0 && q % stride === 0 && q / stride < size) hits.push(q / stride);
      }
      return hits;
    };
    const rows = r === null ? [] : along(r, geo.stride[0], geo.dilation[0], geo.kh, geo.Ho);
    const cols = c === null ? [] : along(c, geo.stride[1], geo.dilation[1], geo.kw, geo.Wo);
    const cells = rows.flatMap((i) => cols.map((j) => [i, j]));
    let total = 0;
    this.outputGrids.slice(0, geo.outC).forEach((grid, f) => {
      const reads = geo.mode === "conv" ? stepPlace(geo, stepOf(geo, f, 0, 0)).channels.includes(channel) : f === channel;
      grid.markOnly("reader", reads ? cells : []);
      total += reads ? cells.length : 0;
    });
    this.hosts.output.dataset.readers = String(total);
  }

  isReal(r, c) {
    const g = this.geo;
    return r >= g.pad[0] && r < g.pad[0] + g.H && c >= g.pad[2] && c < g.pad[2] + g.W;
  }

  rawPadded(matrix, geo) {
    return Array.from({ length: geo.Hp }, (_, r) =>
      Array.from({ length: geo.Wp }, (_, c) => matrix[r - geo.pad[0]]?.[c - geo.pad[2]] ?? null),
    );
  }

  /** Mark padding cells and say, on hover, which real cell each copies. */
  paintPadding(grid, geo) {
    for (let r = 0; r < geo.Hp; r += 1) {
      for (let c = 0; c < geo.Wp; c += 1) {
        const cell = grid.cell(r, c);
        if (this.isReal(r, c)) {
          continue;
        }
        cell.classList.add("pad", `pad-${geo.paddingMode}`);
        const sr = padSource(geo.paddingMode, r - geo.pad[0], geo.H);
        const sc = padSource(geo.paddingMode, c - geo.pad[2], geo.W);
        cell.title =
          sr === null || geo.paddingMode === "pool" || geo.paddingMode === "zeros"
            ? t(geo.mode === "pool" ? "pad.pool" : "pad.zero")
            : t("pad.copies", { r: sr + 1, c: sc + 1 });
      }
    }
  }

  buildKernels(state, geo) {
    const F = state.kernel.length;
    const cpg = state.kernel[0].length;
    const kh = state.kernel[0][0].length;
    const kw = state.kernel[0][0][0].length;
    const blocks = [];
    const kernelScale = maxAbs(state.kernel);
    writeLegend(this.kernelLegend, kernelScale);
    this.kernelGrids = this.kernelGrids.slice(0, F);
    this.biasInputs = this.biasInputs.slice(0, F);
    for (let f = 0; f < F; f += 1) {
      let block = this.filterBlocks[f];
      if (!block) {
        block = document.createElement("div");
        // In a volume only the current filter's slices show; a folded filter opens at its first step.
        block.addEventListener("click", (event) => {
          if (block.classList.contains("inactive") && this.hosts.stage.classList.contains("volume")) {
            event.preventDefault();
            this.handlers.pick(stepOf(this.geo, f, 0, 0));
          }
        });
      }
      block.className = "filter-block";
      this.filterBlocks[f] = block;
      const rowGrids = (this.kernelGrids[f] ||= []);
      rowGrids.length = Math.min(rowGrids.length, cpg);
      while (rowGrids.length < cpg) {
        const c = rowGrids.length;
        rowGrids.push(
          new MatrixGrid({
            className: "kernel",
            label: (r, col) =>
              r === null ? t("grid.kernel_label", { f: f + 1, c: c + 1 }) : t("grid.cell_label", { r: r + 1, c: col + 1 }),
            editable: () => true,
            onEdit: (r, col, value) => this.handlers.kernel(f, c, r, col, value),
            onPaste: (r, col, block2) => this.handlers.kernelPaste(f, c, r, col, block2),
          }),
        );
      }
      const children = [];
      if (F > 1) {
        children.push(this.captionFor(`filter:${f}`, t("grid.filter", { n: f + 1 })));
      }
      // A filter's slices sit side by side, in channel order, like the input channels above them.
      const slices = (block.slices ||= document.createElement("div"));
      slices.className = "kernel-slices";
      const columns = rowGrids.map((grid, c) => {
        grid.setShape(kh, kw);
        grid.setValues(state.kernel[f][c]);
        grid.tint(state.kernel[f][c], (v) => signedColour(v, kernelScale), (v) => needsLightText(v, kernelScale));
        grid.labelCells();
        const column = (grid.column ||= document.createElement("div"));
        column.className = "kernel-slice";
        const parts = [grid.element];
        if (cpg > 1) {
          const channel = geo.mode === "conv" ? Math.floor(f / (F / geo.groups)) * cpg + c : c;
          parts.unshift(this.captionFor(`channel:${f}:${c}`, t("grid.channel_short", { n: channel + 1 })));
        }
        placeChildren(column, parts);
        return column;
      });
      placeChildren(slices, columns);
      children.push(slices);
      if (state.flip && geo.kernel) {
        children.push(this.captionFor(`flipped:${f}`, t("grid.flipped")));
        const flipped = (this.flippedGrids[f] ||= []);
        geo.kernel[f].forEach((matrix, c) => {
          const shown = (flipped[c] ||= new MatrixGrid({ className: "kernel flipped", label: () => t("grid.flipped") }));
          shown.setShape(kh, kw);
          shown.setValues(matrix);
          children.push(shown.element);
        });
      }
      const bias = this.biasInputs[f] || this.makeBias(f);
      this.biasInputs[f] = bias;
      bias.label.firstChild.textContent = t("grid.bias");
      bias.input.setAttribute("aria-label", t("grid.bias_label", { f: f + 1 }));
      if (document.activeElement !== bias.input) {
        bias.input.value = formatCell(state.bias[f]);
      }
      children.push(bias.label);
      block.classList.toggle("many", F > 1);
      placeChildren(block, children);
      blocks.push(block);
    }
    placeChildren(this.hosts.kernel, blocks);
  }

  makeBias(f) {
    const label = el("label", "bias");
    const input = document.createElement("input");
    input.type = "text";
    input.inputMode = "decimal";
    input.className = "cell-input";
    input.dataset.testid = `bias-${f + 1}`;
    label.append(document.createTextNode(""), input);
    input.addEventListener("input", () => this.handlers.bias(f, input.value));
    return { label, input };
  }

  buildOutputs(geo) {
    const grids = this.outputGrids;
    if (!geo.output) {
      writeLegend(this.outputLegend, 0);
      placeChildren(this.hosts.output, [this.captionFor("output.none", t("output.none"))]);
      return;
    }
    while (grids.length < geo.outC) {
      const f = grids.length;
      const grid = new MatrixGrid({
        className: "output",
        label: (r, c) => (r === null ? t("grid.output_label", { f: f + 1 }) : ""),
        onHover: (r, c) => this.handlers.hover(r === null ? null : stepOf(this.geo, f, r, c)),
        onPick: (r, c) => this.handlers.pick(stepOf(this.geo, f, r, c)),
      });
      const wrap = el("div", "grid-wrap");
      const box = el("div", "grid-box");
      grid.veilRow = mark("veil");
      grid.veilRest = mark("veil");
      grid.current = mark("current-mark");
      box.append(grid.element, grid.veilRow, grid.veilRest, grid.current);
      wrap.append(caption(""), box);
      grid.wrap = wrap;
      grids.push(grid);
    }
    const shown = grids.slice(0, geo.outC);
    const outputScale = maxAbs(geo.output);
    writeLegend(this.outputLegend, outputScale);
    placeChildren(this.hosts.output, shown.map((g) => g.wrap));
    shown.forEach((grid, f) => {
      const many = geo.outC > 1;
      grid.wrap.firstChild.textContent = many ? t(geo.mode === "conv" ? "grid.filter" : "grid.channel", { n: f + 1 }) : "";
      grid.wrap.firstChild.hidden = !many;
      grid.setShape(geo.Ho, geo.Wo);
      grid.setValues(geo.output[f].map((row) => row.map((v) => (v === null ? -Infinity : v))));
      grid.tint(geo.output[f], (v) => signedColour(v, outputScale), (v) => needsLightText(v, outputScale));
      for (const row of grid.cells) {
        for (const cell of row) {
          cell.title = t("output.cell_hint");
        }
      }
    });
  }

  /**
   * Move the marks to `step`; `frame` (may be null while loading) gives the winner of a max pool.
   * `view.upTo`: outputs of steps before it show their value, the rest are blank; `view.showAll`
   * shows every value (those to come faded); `view.winner` false hides the max-pool winner.
   */
  showStep(step, frame, view = { upTo: step + 1, showAll: false, winner: true }) {
    const geo = this.geo;
    if (!geo || !geo.output || geo.count === 0 || !this.pitch) {
      return;
    }
    const place = stepPlace(geo, step);
    this.place = place;
    this.shown = [step, frame, view];
    this.reveal(view.showAll ? geo.count : view.upTo);
    this.showAll = view.showAll;
    this.placeWindow(place, view.winner === false ? null : frame);
    this.placeOutputMarks(place);
    this.placeConnector(place);
    // Plain-text positions for tests and tools (no selector reads them: no restyle).
    this.hosts.output.dataset.current = `${place.f},${place.i},${place.j}`;
    this.hosts.input.dataset.window = `${place.origin[0]},${place.origin[1]}`;
    if (geo.mode === "conv") {
      this.kernelGrids.forEach((row, f) =>
        row.forEach((grid) => grid.markOnly("tap", f === place.f ? place.taps.map(([, , a, b]) => [a, b]) : [])),
      );
      this.filterBlocks.forEach((block, f) => {
        block.classList.toggle("active", geo.F > 1 && f === place.f);
        block.classList.toggle("inactive", geo.F > 1 && f !== place.f);
      });
    }
  }

  /** Under each input channel, its share of the current output: Σ of its products (null hides them). */
  writeChannelSums(frame, place) {
    const geo = this.geo;
    this.inputGrids.slice(0, geo.C).forEach((grid, c) => {
      const k = place ? place.channels.indexOf(c) : -1;
      const text =
        frame && geo.mode === "conv" && geo.C > 1 && k >= 0 && frame.channel_sums
          ? t("grid.channel_sum", { v: formatCell(frame.channel_sums[k]) })
          : "";
      if (grid.sum.textContent !== text) {
        grid.sum.textContent = text;
      }
    });
  }

  /** The window over every input channel it reads, its "×w" labels, and the max-pool winner. */
  placeWindow(place, frame) {
    const geo = this.geo;
    const pitch = this.pitch;
    this.inputGrids.slice(0, geo.C).forEach((grid, c) => {
      const used = place.channels.includes(c);
      moveTo(grid.window, place.origin[1] * pitch, place.origin[0] * pitch, used);
      if (used && geo.mode === "conv") {
        this.writeWeights(grid, geo.kernel[place.f][c - place.channels[0]], `${place.f}:${c}`);
      }
      const argmax = used && frame && frame.argmax && frame.step === this.stepOfFrame(place) ? frame.argmax : null;
      if (used) {
        this.hosts.input.dataset.winner = argmax ? `${argmax[0]},${argmax[1]}` : "";
      }
      moveTo(
        grid.winner,
        argmax ? (argmax[1] + geo.pad[2]) * pitch : 0,
        argmax ? (argmax[0] + geo.pad[0]) * pitch : 0,
        Boolean(argmax),
      );
    });
  }

  stepOfFrame(place) {
    return stepOf(this.geo, place.f, place.i, place.j);
  }

  /** Write the kernel weights into the window's tap labels (only when the filter or channel changes). */
  writeWeights(grid, weights, key) {
    if (grid.window.weightsKey === key) {
      return;
    }
    grid.window.weightsKey = key;
    const labels = grid.window.querySelectorAll(".tap-mark span");
    const flat = weights.flat();
    labels.forEach((label, n) => {
      label.textContent = `×${formatCell(flat[n])}`;
      label.classList.toggle("long", label.textContent.length > 3);
    });
  }

  /**
   * Outputs of steps below `upTo` show their value; later ones are blank, outline only. Only the
   * cells between the old and the new bound change class, so a step costs one or two cells.
   */
  reveal(upTo) {
    const geo = this.geo;
    const perMap = geo.Ho * geo.Wo;
    const from = this.revealedUpTo ?? 0;
    const all = this.revealedUpTo === null;
    const [lo, hi] = all ? [0, geo.count] : [Math.min(from, upTo), Math.max(from, upTo)];
    for (let k = lo; k < hi; k += 1) {
      const f = Math.floor(k / perMap);
      const cell = this.outputGrids[f]?.cell(Math.floor((k % perMap) / geo.Wo), k % geo.Wo);
      cell?.classList.toggle("pending", k >= upTo);
    }
    this.revealedUpTo = upTo;
    this.hosts.output.dataset.revealed = String(upTo);
  }

  /** The current output cell, and the veil over the outputs not computed yet. */
  placeOutputMarks(place) {
    const geo = this.geo;
    const pitch = this.pitch;
    const cell = this.cell;
    this.outputGrids.slice(0, geo.outC).forEach((grid, f) => {
      const here = f === place.f;
      moveTo(grid.current, place.j * pitch, place.i * pitch, here);
      let row = 0;
      let rowWidth = 0;
      let restTop = 0;
      if (f === place.f) {
        row = place.i;
        rowWidth = (geo.Wo - place.j - 1) * pitch;
        restTop = place.i + 1;
      } else if (f < place.f) {
        restTop = geo.Ho;
      }
      // Blank cells need no veil; with "show all outputs" the veil fades those still to come.
      const veiled = this.showAll ? 1 : 0;
      stretch(grid.veilRow, (place.j + 1) * pitch, row * pitch, rowWidth * veiled, here ? cell : 0);
      stretch(grid.veilRest, 0, restTop * pitch, geo.Wo * pitch * veiled, (geo.Ho - restTop) * pitch);
    });
  }

  /**
   * Where the grids sit, relative to the stage: measured once per layout (after a build or a fit), so
   * each step is then arithmetic and one transform.
   */
  measureOffsets() {
    const geo = this.geo;
    const stage = this.hosts.stage;
    const origin = stage.getBoundingClientRect();
    const at = (node) => {
      const box = node.getBoundingClientRect();
      return [box.left - origin.left - stage.clientLeft, box.top - origin.top - stage.clientTop];
    };
    this.offsets = {
      input: this.inputGrids.slice(0, geo.C).map((grid) => at(grid.element)),
      output: this.outputGrids.slice(0, geo.outC).map((grid) => at(grid.element)),
      // A line is only honest between grids side by side; stacked, it would cross the kernel.
      inputRight: Math.max(...this.inputGrids.slice(0, geo.C).map((grid) => grid.element.getBoundingClientRect().right)) - origin.left,
    };
  }

  /**
   * Draw the connector from the window's centre to the output cell's centre. Right after a build or
   * a fit the grids have not been laid out yet: measuring them then would force a layout in the middle
   * of the redraw, so the line waits for the next frame, where that layout is done once anyway.
   */
  placeConnector(place) {
    const geo = this.geo;
    const pitch = this.pitch;
    if (!this.offsets) {
      if (!this.connectorFrame) {
        this.connectorFrame = requestAnimationFrame(() => {
          this.connectorFrame = 0;
          if (this.geo && this.geo.output && this.place && this.shown && this.shown[0] < this.geo.count) {
            this.measureOffsets();
            this.placeConnector(this.place);
          }
        });
      }
      return;
    }
    const input = this.offsets.input[place.channels[place.channels.length - 1]];
    const output = this.offsets.output[place.f];
    if (!input || !output) {
      return;
    }
    if (output[0] < this.offsets.inputRight && window.matchMedia(NARROW).matches) {
      line(this.connector, 0, 0, 0, 0); // zero length: hidden
      this.connector.dataset.ends = "";
      return;
    }
    const spanH = ((geo.kh - 1) * geo.dilation[0] + 1) * pitch - 3;
    const spanW = ((geo.kw - 1) * geo.dilation[1] + 1) * pitch - 3;
    const x1 = input[0] + place.origin[1] * pitch + spanW;
    const y1 = input[1] + place.origin[0] * pitch + spanH / 2;
    const x2 = output[0] + place.j * pitch + this.cell / 2;
    const y2 = output[1] + place.i * pitch + this.cell / 2;
    line(this.connector, x1, y1, x2, y2);
    this.connector.dataset.ends = [x1, y1, x2, y2].map(Math.round).join(",");
  }

  /** Size the window's taps and frame for the current cell size (after a build or a resize). */
  layoutMarks() {
    const geo = this.geo;
    const pitch = this.pitch;
    const spanH = ((geo.kh - 1) * geo.dilation[0] + 1) * pitch - 3;
    const spanW = ((geo.kw - 1) * geo.dilation[1] + 1) * pitch - 3;
    const key = `${geo.mode}:${geo.kh}x${geo.kw}:${geo.dilation}:${pitch}`;
    // ceil_mode can keep a last window that hangs past the edge: leave room for it inside the stage.
    const overRows = Math.max(0, (geo.Ho - 1) * geo.stride[0] + (geo.kh - 1) * geo.dilation[0] + 1 - geo.Hp);
    const overCols = Math.max(0, (geo.Wo - 1) * geo.stride[1] + (geo.kw - 1) * geo.dilation[1] + 1 - geo.Wp);
    for (const grid of this.inputGrids.slice(0, geo.C)) {
      grid.wrap.lastChild.style.paddingBottom = `${overRows * pitch}px`;
      grid.wrap.lastChild.style.paddingRight = `${overCols * pitch}px`;
      if (grid.window.layoutKey === key) {
        continue;
      }
      grid.window.layoutKey = key;
      grid.window.weightsKey = null;
      const frame = el("div", "window-span");
      frame.style.width = `${spanW}px`;
      frame.style.height = `${spanH}px`;
      const taps = [];
      for (let a = 0; a < geo.kh; a += 1) {
        for (let b = 0; b < geo.kw; b += 1) {
          const tap = el("div", "tap-mark");
          tap.style.left = `${b * geo.dilation[1] * pitch}px`;
          tap.style.top = `${a * geo.dilation[0] * pitch}px`;
          tap.append(document.createElement("span"));
          taps.push(tap);
        }
      }
      grid.window.replaceChildren(frame, ...taps);
    }
  }

  /** Light up the input tap and the weight of product term (slice c, tap a, b) of the current step; null clears. */
  highlightTerm(c, a, b) {
    const geo = this.geo;
    const place = this.place;
    if (!geo || !place || geo.mode !== "conv") {
      return;
    }
    const tap = c === null ? null : place.taps.find(([, , ta, tb]) => ta === a && tb === b);
    this.inputGrids.slice(0, geo.C).forEach((grid, channel) => {
      grid.markOnly("term-hot", tap && channel === place.channels[c] ? [[tap[0], tap[1]]] : []);
    });
    this.kernelGrids.forEach((row, f) =>
      row.forEach((grid, k) => grid.markOnly("term-hot", tap && f === place.f && k === c ? [[a, b]] : [])),
    );
  }

  /** Outline the window of the hovered output cell (null clears it). */
  preview(step) {
    const geo = this.geo;
    if (!geo || !geo.output) {
      return;
    }
    const place = step === null ? null : stepPlace(geo, step);
    this.inputGrids.slice(0, geo.C).forEach((grid, c) => {
      const taps = place && place.channels.includes(c) ? place.taps : [];
      grid.markOnly(
        "preview",
        taps.filter(([r, col]) => r < geo.Hp && col < geo.Wp),
      );
    });
  }

  /** Fit the cells to the width: large numbers on a projector, no sideways scrolling on a tablet. */
  fit(width, maxCell = 64) {
    const geo = this.geo;
    if (!geo) {
      return;
    }
    this.minCell = 26;
    const atLeast3 = (n) => Math.max(3, n);
    const narrow = window.matchMedia(NARROW).matches && !this.hosts.stage.classList.contains("present");
    if (this.hosts.stage.classList.contains("volume") && narrow) {
      this.setCell(Math.max(16, Math.min(48, phoneVolumeCell(geo, width), maxCell)));
      this.minCell = 16;
      return;
    }
    if (this.hosts.stage.classList.contains("volume")) {
      // One row: the channels side by side, each filter's slices side by side, the output maps.
      const cols = geo.C * atLeast3(geo.Wp) + geo.cpg * atLeast3(geo.kw) + atLeast3(geo.Wo);
      const cell = Math.floor((width - 240 - geo.C * 12 - geo.cpg * 10) / cols) - 3;
      // Present mode keeps the row on a 1024 px projector with smaller cells, so nothing wraps below.
      this.minCell = this.hosts.stage.classList.contains("present") ? 20 : 24;
      this.setCell(Math.max(this.minCell, Math.min(64, cell, maxCell)));
      return;
    }
    const inputCols = atLeast3(geo.Wp);
    const middleCols = atLeast3(geo.mode === "conv" ? geo.kw : 2);
    const outputCols = atLeast3(geo.Wo);
    if (narrow) {
      // Phone or tablet: input and output side by side (the kernel below them, matrix-lab.css), so
      // the window and the cell it makes are on screen together; cells as large as that allows.
      this.minCell = 16;
      const sideBySide = Math.floor((width - 30) / (inputCols + outputCols)) - 3;
      this.setCell(Math.max(this.minCell, Math.min(64, sideBySide, maxCell)));
      return;
    }
    // One row of three panels if the numbers stay large; otherwise the output wraps below.
    const oneRow = Math.floor((width - 260) / (inputCols + middleCols + outputCols)) - 3;
    const twoRows = Math.floor((width - 160) / (inputCols + middleCols)) - 3;
    const top = this.hosts.stage.classList.contains("present") ? 110 : 64; // Present mode: projector-sized
    const byWidth = Math.max(30, Math.min(top, oneRow >= 44 ? oneRow : Math.max(oneRow, twoRows)));
    this.setCell(Math.max(this.minCell, Math.min(byWidth, maxCell)));
  }

  setCell(cell) {
    const geo = this.geo;
    this.cell = cell;
    this.pitch = this.cell + 3;
    this.hosts.stage.style.setProperty("--cell", `${this.cell}px`);
    this.offsets = null; // grids moved: measure again before the next connector
    // Small cells have no room for the "×w" labels on the window's taps: the arithmetic has them.
    this.hosts.stage.classList.toggle("small-cells", this.cell < 36);
    if (geo.output) {
      this.layoutMarks();
    }
  }
}
