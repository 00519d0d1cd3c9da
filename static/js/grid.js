/**
 * A matrix drawn as a small, stable grid of cells: some editable (<input>), some shown only.
 *
 * Cells are built once per shape and then updated in place (text, classes), so stepping through
 * frames never rebuilds the DOM. A block pasted from a spreadsheet or CSV lands with its top-left
 * corner on the focused cell.
 *
 * Keyboard (WAI-ARIA grid pattern, roving tabindex): the whole grid is one Tab stop; the arrow
 * keys, Home and End move between cells; typing replaces a cell's number; Enter or F2 edits it
 * in place (←/→ then move the caret), Escape or Enter leaves the edit. In a grid without inputs
 * (the output), Enter on a cell picks it.
 */

import { formatCell, readNumber } from "./format.js";

/** Parse pasted text (tabs, commas, semicolons or spaces between numbers; one row a line). */
export function parseBlock(text) {
  const rows = text
    .replace(/\r/g, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const block = rows.map((line) =>
    line
      .split(/[\t,;]+|\s+/)
      .filter((cell) => cell !== "")
      .map((cell) => Number.parseFloat(cell.replace("−", "-"))),
  );
  if (block.length === 0 || block.some((row) => row.length === 0 || row.some((v) => !Number.isFinite(v)))) {
    return null;
  }
  return block;
}

/** Read a cell's text as a number (a decimal comma allowed); null while it is not one yet (e.g. "-" mid-typing). */
export function parseCell(text) {
  return readNumber(text.replace(",", "."));
}

export class MatrixGrid {
  /**
   * `editable(r, c)` says which cells take input; `onEdit(r, c, value)` and `onPaste(r, c, block)`
   * report edits; `onHover(r, c)` (null when the pointer leaves) and `onPick(r, c)` report pointing.
   */
  constructor({ label, className = "", editable = () => false, onEdit, onPaste, onHover, onPick }) {
    this.element = document.createElement("div");
    this.element.className = `matrix ${className}`.trim();
    // A grid the keyboard can walk (editable or pickable cells); a picture-only grid is a plain group.
    this.navigable = Boolean(onEdit || onPick);
    this.element.setAttribute("role", this.navigable ? "grid" : "group");
    this.onPick = onPick;
    this.onHover = onHover;
    this.active = [0, 0];
    this.editing = null;
    this.label = label;
    this.editable = editable;
    this.onEdit = onEdit;
    this.onPaste = onPaste;
    this.rows = 0;
    this.cols = 0;
    this.cells = [];
    this.marked = new Map();
    this.element.addEventListener("input", (event) => this.handleInput(event));
    this.element.addEventListener("keydown", (event) => this.handleKey(event));
    this.element.addEventListener("paste", (event) => this.handlePaste(event));
    this.element.addEventListener("focusout", (event) => this.handleBlur(event));
    this.element.addEventListener("focusin", (event) => this.handleFocus(event));
    // A click on an input edits it where the pointer put the caret, as any text field would.
    this.element.addEventListener("pointerdown", (event) => {
      if (event.target.matches?.("input")) {
        this.editing = event.target;
      }
    });
    if (onHover) {
      this.element.addEventListener("pointerover", (event) => {
        const at = this.position(event.target);
        if (at) onHover(...at);
      });
      this.element.addEventListener("pointerleave", () => onHover(null, null));
    }
    if (onPick) {
      this.element.addEventListener("click", (event) => {
        const at = this.position(event.target);
        if (at) onPick(...at);
      });
    }
  }

  /** Give the grid `rows`×`cols` cells; rebuilds only when the shape or the editable mask changes. */
  setShape(rows, cols, key = "") {
    const shapeKey = `${rows}x${cols}:${key}`;
    if (shapeKey === this.shapeKey) {
      return;
    }
    this.shapeKey = shapeKey;
    // The cell being typed in is about to be replaced: remember where the caret was, and put it back.
    const focused = this.focusedPlace();
    this.rebuilding = true;
    this.rows = rows;
    this.cols = cols;
    this.marked.clear();
    this.element.style.setProperty("--cols", String(cols));
    this.element.style.setProperty("--rows", String(rows));
    const cells = [];
    const nodes = [];
    for (let r = 0; r < rows; r += 1) {
      const row = [];
      const rowEl = document.createElement("div");
      rowEl.className = "matrix-row";
      rowEl.setAttribute("role", this.navigable ? "row" : "presentation");
      nodes.push(rowEl);
      for (let c = 0; c < cols; c += 1) {
        const cell = document.createElement("div");
        cell.className = "cell";
        cell.dataset.r = String(r);
        cell.dataset.c = String(c);
        if (this.navigable) {
          cell.setAttribute("role", "gridcell");
        }
        if (this.editable(r, c)) {
          const input = document.createElement("input");
          input.type = "text";
          input.inputMode = "decimal";
          input.autocomplete = "off";
          input.spellcheck = false;
          input.className = "cell-input";
          cell.classList.add("editable");
          cell.append(input);
          cell.input = input;
        } else {
          // The value sits in its own span, so a cell can be blank (not computed yet) and keep its outline.
          cell.text = document.createElement("span");
          cell.text.className = "value";
          cell.append(cell.text);
        }
        row.push(cell);
        rowEl.append(cell);
      }
      cells.push(row);
    }
    this.cells = cells;
    this.element.replaceChildren(...nodes);
    this.rebuilding = false;
    this.labelCells();
    this.rove(...this.active);
    if (focused) {
      this.restoreFocus(focused);
    }
  }

  /** Where the focus is inside this grid: cell, caret and whether the user has typed there. */
  focusedPlace() {
    const active = document.activeElement;
    const at = active && this.element.contains(active) ? this.position(active) : null;
    if (!at) {
      return null;
    }
    const input = active.matches("input") ? active : null;
    return {
      r: at[0],
      c: at[1],
      value: input ? input.value : null,
      dirty: Boolean(input && input.dirty),
      editing: Boolean(input && this.editing === input),
      selection: input ? [input.selectionStart, input.selectionEnd] : null,
    };
  }

  restoreFocus({ r, c, value, dirty, editing, selection }) {
    const cell = this.cells[Math.min(r, this.rows - 1)]?.[Math.min(c, this.cols - 1)];
    const target = cell?.input || cell;
    if (!target) {
      return;
    }
    if (editing) {
      this.editing = cell.input;
    }
    target.focus({ preventScroll: true });
    if (cell.input && dirty && value !== null) {
      cell.input.value = value;
      cell.input.dirty = true;
    }
    if (cell.input && selection) {
      cell.input.setSelectionRange(...selection);
    }
  }

  /** Name every input for screen readers: "<grid label>, row r, column c". */
  labelCells() {
    const label = typeof this.label === "function" ? this.label : () => this.label;
    for (const row of this.cells) {
      for (const cell of row) {
        const r = Number(cell.dataset.r);
        const c = Number(cell.dataset.c);
        const name = label(r, c);
        if (cell.input) {
          cell.input.setAttribute("aria-label", name);
        }
      }
    }
    this.element.setAttribute("aria-label", label(null, null));
  }

  /** Show `values` (rows×cols; null leaves a cell blank). A focused input being typed in is left alone. */
  setValues(values) {
    for (let r = 0; r < this.rows; r += 1) {
      for (let c = 0; c < this.cols; c += 1) {
        this.setCell(r, c, values[r]?.[c] ?? null);
      }
    }
  }

  setCell(r, c, value) {
    const cell = this.cells[r]?.[c];
    if (!cell) {
      return;
    }
    const text = formatCell(value);
    const length = text.length;
    if (cell.length !== length) {
      cell.length = length;
      cell.classList.toggle("three", length === 3); // only small cells on phones use it (matrix-lab.css)
      cell.classList.toggle("long", length === 4);
      cell.classList.toggle("longer", length === 5);
      cell.classList.toggle("longest", length > 5);
    }
    if (cell.input) {
      // Never overwrite what the user is typing ("-", "3." or "12" on its way) with the server's echo.
      if (document.activeElement === cell.input && (cell.input.dirty || parseCell(cell.input.value) === value)) {
        return;
      }
      if (cell.input.value !== text) {
        cell.input.value = text;
        if (document.activeElement === cell.input) {
          cell.input.select(); // a value from elsewhere (a paste): the next key replaces it
        }
      }
    } else if (cell.text.textContent !== text) {
      cell.text.textContent = text;
    }
  }

  /** Tint every cell by its value on the signed scale `colour(v)`; `light(v)` says which need light text. */
  tint(values, colour, light) {
    for (let r = 0; r < this.rows; r += 1) {
      for (let c = 0; c < this.cols; c += 1) {
        const cell = this.cells[r][c];
        const v = values[r]?.[c];
        const background = v === null || v === undefined ? "" : colour(v);
        if (cell.style.backgroundColor !== background) {
          cell.style.backgroundColor = background;
        }
        cell.classList.toggle("light-text", v !== null && v !== undefined && light(v));
      }
    }
  }

  /** Put class `name` on exactly the cells listed (`[[r, c], ...]`), touching only those that change. */
  markOnly(name, positions) {
    const next = new Set(positions.map(([r, c]) => r * this.cols + c));
    const previous = this.marked.get(name) || new Set();
    for (const key of previous) {
      if (!next.has(key)) {
        this.cellAt(key)?.classList.remove(name);
      }
    }
    for (const key of next) {
      if (!previous.has(key)) {
        this.cellAt(key)?.classList.add(name);
      }
    }
    this.marked.set(name, next);
  }

  cellAt(key) {
    return this.cells[Math.floor(key / this.cols)]?.[key % this.cols];
  }

  cell(r, c) {
    return this.cells[r]?.[c] ?? null;
  }

  position(target) {
    const cell = target.closest?.(".cell");
    if (!cell || !this.element.contains(cell)) {
      return null;
    }
    return [Number(cell.dataset.r), Number(cell.dataset.c)];
  }

  handleInput(event) {
    const at = this.position(event.target);
    if (!at || !this.onEdit) {
      return;
    }
    event.target.dirty = true;
    const value = parseCell(event.target.value);
    event.target.classList.toggle("unparsed", value === null && event.target.value.trim() !== "");
    if (value !== null) {
      this.onEdit(at[0], at[1], value);
    }
  }

  handleBlur(event) {
    if (this.rebuilding || !event.target.isConnected) {
      return;
    }
    if (!this.onEdit && this.onHover && !this.element.contains(event.relatedTarget)) {
      this.onHover(null, null);
    }
    event.target.dirty = false;
    if (this.editing === event.target) {
      this.editing = null;
    }
    if (event.target.classList?.contains("unparsed") || event.target.value?.trim() === "") {
      event.target.classList.remove("unparsed");
      if (this.onEdit) {
        const at = this.position(event.target);
        this.onEdit(at[0], at[1], parseCell(event.target.value) ?? 0);
        event.target.value = formatCell(parseCell(event.target.value) ?? 0);
      }
    }
  }

  /** The element that takes focus for cell (r, c): its input, or the cell itself in an output grid. */
  target(r, c) {
    const cell = this.cells[r]?.[c];
    if (!cell || !this.navigable) {
      return null;
    }
    if (this.onEdit) {
      return cell.input || null; // padding cells hold no input and take no focus
    }
    return this.onPick ? cell : null;
  }

  /** Make (r, c) the grid's one Tab stop (or the nearest cell that can take focus). */
  rove(r, c) {
    if (!this.navigable || this.rows === 0) {
      return;
    }
    let place = this.target(r, c) ? [r, c] : null;
    for (let k = 0; !place && k < this.rows * this.cols; k += 1) {
      const [rr, cc] = [Math.floor(k / this.cols), k % this.cols];
      if (this.target(rr, cc)) place = [rr, cc];
    }
    if (!place) {
      return;
    }
    this.active = place;
    for (let rr = 0; rr < this.rows; rr += 1) {
      for (let cc = 0; cc < this.cols; cc += 1) {
        const el = this.target(rr, cc);
        if (el) el.tabIndex = rr === place[0] && cc === place[1] ? 0 : -1;
      }
    }
  }

  handleFocus(event) {
    const at = this.position(event.target);
    if (!at) {
      return;
    }
    if (this.active[0] !== at[0] || this.active[1] !== at[1] || event.target.tabIndex !== 0) {
      this.rove(...at);
    }
    if (event.target.matches("input") && this.editing !== event.target) {
      event.target.select(); // keyboard arrival: the next key replaces the number
    }
    if (!this.onEdit && this.onHover) {
      this.onHover(...at); // a focused output cell shows its window, as hovering does
    }
  }

  focusCell(r, c) {
    const el = this.target(r, c);
    if (!el) {
      return false;
    }
    this.editing = null;
    this.rove(r, c);
    el.focus();
    if (el.matches("input")) {
      el.select();
    }
    return true;
  }

  /** Move from (r, c) by (dr, dc), skipping cells that take no focus (padding), stopping at the edge. */
  move(r, c, dr, dc) {
    for (let rr = r + dr, cc = c + dc; rr >= 0 && rr < this.rows && cc >= 0 && cc < this.cols; rr += dr, cc += dc) {
      if (this.focusCell(rr, cc)) {
        return true;
      }
    }
    return false;
  }

  /** The first (or last) focusable cell of row `r`, or of the whole grid. */
  edge(r, last, wholeGrid) {
    const rows = wholeGrid ? [...Array(this.rows).keys()] : [r];
    if (last) rows.reverse();
    for (const rr of rows) {
      const cols = [...Array(this.cols).keys()];
      if (last) cols.reverse();
      for (const cc of cols) {
        if (this.focusCell(rr, cc)) return true;
      }
    }
    return false;
  }

  handleKey(event) {
    const at = this.position(event.target);
    if (!at || !this.navigable || event.altKey || event.metaKey) {
      return;
    }
    const [r, c] = at;
    const input = event.target.matches("input") ? event.target : null;
    const editing = input && this.editing === input;
    const handled = () => {
      event.preventDefault();
      event.stopPropagation();
    };
    if (input && (event.key === "Enter" || event.key === "F2") && !editing && !event.ctrlKey) {
      if (event.key === "Enter" && input.dirty) {
        // Typed over a number: Enter keeps it and moves on, as in a spreadsheet.
        this.move(r, c, event.shiftKey ? -1 : 1, 0);
      } else {
        this.editing = input;
        input.setSelectionRange(input.value.length, input.value.length);
      }
      handled();
      return;
    }
    if (editing && (event.key === "Escape" || event.key === "Enter")) {
      this.editing = null;
      if (event.key === "Enter") {
        this.move(r, c, event.shiftKey ? -1 : 1, 0);
      } else {
        input.select();
      }
      handled();
      return;
    }
    if (!input && this.onPick && (event.key === "Enter" || event.key === "F2")) {
      this.onPick(r, c);
      handled();
      return;
    }
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (moves[event.key] && !event.ctrlKey && !(editing && (event.key === "ArrowLeft" || event.key === "ArrowRight"))) {
      this.move(r, c, ...moves[event.key]);
      handled();
      return;
    }
    if ((event.key === "Home" || event.key === "End") && !editing) {
      this.edge(r, event.key === "End", event.ctrlKey);
      handled();
    }
  }

  handlePaste(event) {
    const at = this.position(event.target);
    if (!at || !this.onPaste) {
      return;
    }
    const block = parseBlock(event.clipboardData.getData("text/plain"));
    if (block && (block.length > 1 || block[0].length > 1)) {
      event.preventDefault();
      event.target.dirty = false;
      this.onPaste(at[0], at[1], block);
    }
  }
}
