/**
 * The stage: input (with its padding ring), kernel and output grids, and the marks of one step.
 *
 * `build` runs when the layer changes and creates cells only when a shape changes;
 * `showStep` moves the marks by toggling classes on the few cells that change, so playing
 * at full speed costs a handful of DOM writes per animation frame.
 */

import { MatrixGrid, cellText } from "./grid.js";
import { padSource, stepOf, stepPlace } from "./geometry.js";
import { t } from "./i18n.js";

function caption(text) {
  const el = document.createElement("div");
  el.className = "grid-caption";
  el.textContent = text;
  return el;
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
    this.geo = null;
    this.done = -1;
    this.current = null;
  }

  /** Place a layer; `state` gives the editable values, `geo` the geometry and the server's numbers. */
  build(state, geo) {
    this.geo = geo;
    this.state = state;
    this.buildInputs(state, geo);
    if (geo.mode === "conv") {
      this.buildKernels(state, geo);
    }
    this.buildOutputs(geo);
    this.done = -1;
    this.current = null;
    this.wIndex = new Map();
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
      });
      const wrap = document.createElement("div");
      wrap.className = "grid-wrap";
      wrap.append(caption(""), grid.element);
      grid.wrap = wrap;
      grids.push(grid);
    }
    grids.length = Math.max(grids.length, geo.C);
    const shown = grids.slice(0, geo.C);
    this.hosts.input.replaceChildren(...shown.map((g) => g.wrap));
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
    this.kernelGrids = this.kernelGrids.slice(0, F);
    this.biasInputs = this.biasInputs.slice(0, F);
    for (let f = 0; f < F; f += 1) {
      const block = this.filterBlocks[f] || document.createElement("div");
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
        children.push(caption(t("grid.filter", { n: f + 1 })));
      }
      rowGrids.forEach((grid, c) => {
        grid.setShape(kh, kw);
        grid.setValues(state.kernel[f][c]);
        grid.labelCells();
        if (cpg > 1) {
          children.push(caption(t("grid.channel", { n: c + 1 })));
        }
        children.push(grid.element);
      });
      if (state.flip && geo.kernel) {
        children.push(caption(t("grid.flipped")));
        geo.kernel[f].forEach((matrix) => {
          const shown = new MatrixGrid({ className: "kernel flipped", label: () => t("grid.flipped") });
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
        bias.input.value = cellText(state.bias[f]);
      }
      children.push(bias.label);
      block.replaceChildren(...children);
      blocks.push(block);
    }
    this.hosts.kernel.replaceChildren(...blocks);
  }

  makeBias(f) {
    const label = document.createElement("label");
    label.className = "bias";
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
      this.hosts.output.replaceChildren(caption(t("output.none")));
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
      const wrap = document.createElement("div");
      wrap.className = "grid-wrap";
      wrap.append(caption(""), grid.element);
      grid.wrap = wrap;
      grids.push(grid);
    }
    const shown = grids.slice(0, geo.outC);
    this.hosts.output.replaceChildren(...shown.map((g) => g.wrap));
    shown.forEach((grid, f) => {
      const many = geo.outC > 1;
      grid.wrap.firstChild.textContent = many ? t(geo.mode === "conv" ? "grid.filter" : "grid.channel", { n: f + 1 }) : "";
      grid.wrap.firstChild.hidden = !many;
      grid.setShape(geo.Ho, geo.Wo);
      grid.setValues(geo.output[f].map((row) => row.map((v) => (v === null ? -Infinity : v))));
      for (const row of grid.cells) {
        for (const cell of row) {
          cell.classList.remove("done", "current");
          cell.title = t("output.cell_hint");
        }
      }
    });
  }

  /** Move the marks to `step`; `frame` (may be null while loading) gives the winner of a max pool. */
  showStep(step, frame) {
    const geo = this.geo;
    if (!geo || !geo.output || geo.count === 0) {
      return;
    }
    this.fillDone(step);
    const place = stepPlace(geo, step);
    if (this.current) {
      this.outputGrids[this.current[0]].mark(this.current[1], this.current[2], "current", false);
    }
    this.current = [place.f, place.i, place.j];
    this.outputGrids[place.f].mark(place.i, place.j, "current", true);
    this.markWindow(place, "tap", frame);
    if (geo.mode === "conv") {
      this.filterBlocks.forEach((block, f) => {
        block.classList.toggle("active", geo.F > 1 && f === place.f);
        block.classList.toggle("inactive", geo.F > 1 && f !== place.f);
      });
    }
  }

  /** Outputs up to `step` are done; the rest wait. Only cells between the old and new step change. */
  fillDone(step) {
    const geo = this.geo;
    const lo = Math.min(this.done, step - 1);
    const hi = Math.max(this.done, step - 1);
    for (let s = Math.max(0, lo + 1); s <= hi; s += 1) {
      const p = stepPlace(geo, s);
      this.outputGrids[p.f].mark(p.i, p.j, "done", s <= step - 1);
    }
    this.done = step - 1;
  }

  /** Put `cls` on the taps of a window in every channel it reads, and the weights beside them. */
  markWindow(place, cls, frame) {
    const geo = this.geo;
    this.inputGrids.slice(0, geo.C).forEach((grid, c) => {
      const taps = place && place.channels.includes(c) ? place.taps : [];
      grid.markOnly(cls, taps.filter(([r, col]) => r < geo.Hp && col < geo.Wp));
      if (cls === "tap") {
        this.writeWeights(grid, c, place, taps);
        const winner = frame && frame.argmax && place.channels.includes(c) ? [[frame.argmax[0] + geo.pad[0], frame.argmax[1] + geo.pad[2]]] : [];
        grid.markOnly("winner", winner);
      }
    });
    if (geo.mode === "conv" && cls === "tap") {
      this.kernelGrids.forEach((row, f) =>
        row.forEach((grid) => grid.markOnly("tap", f === place.f ? place.taps.map(([, , a, b]) => [a, b]) : [])),
      );
    }
  }

  /** Show "×w" beside each tap so the products are visible on the input itself. */
  writeWeights(grid, c, place, taps) {
    const geo = this.geo;
    const previous = this.wIndex.get(grid) || [];
    for (const cell of previous) {
      delete cell.dataset.w;
    }
    const next = [];
    if (geo.mode === "conv" && taps.length) {
      const k = geo.kernel[place.f][c - place.channels[0]];
      for (const [r, col, a, b] of taps) {
        const cell = grid.cell(r, col);
        if (cell) {
          cell.dataset.w = `×${cellText(k[a][b])}`;
          next.push(cell);
        }
      }
    }
    this.wIndex.set(grid, next);
  }

  /** Outline the window of the hovered output cell (null clears it). */
  preview(step) {
    if (!this.geo || !this.geo.output) {
      return;
    }
    this.markWindow(step === null ? null : stepPlace(this.geo, step), "preview", null);
  }

  /** Fit the cells to the width: large numbers on a projector, no sideways scrolling on a tablet. */
  fit(width) {
    const geo = this.geo;
    if (!geo) {
      return;
    }
    const atLeast3 = (n) => Math.max(3, n);
    const cols = atLeast3(geo.Wp) + atLeast3(geo.mode === "conv" ? geo.kw : 2) + atLeast3(geo.Wo);
    const cell = Math.floor((width - 260) / cols) - 3;
    this.hosts.stage.style.setProperty("--cell", `${Math.max(30, Math.min(64, cell))}px`);
  }
}
