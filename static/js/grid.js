/**
 * A matrix drawn as a small, stable grid of cells: some editable (<input>), some shown only.
 *
 * Cells are built once per shape and then updated in place (text, classes), so stepping through
 * frames never rebuilds the DOM. Editable cells move with the arrow keys and Enter, and a block
 * pasted from a spreadsheet or CSV lands with its top-left corner on the focused cell.
 */

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

/** Read a cell's text as a number; null while it is not one yet (e.g. "-" mid-typing). */
export function parseCell(text) {
  const clean = text.trim().replace("−", "-").replace(",", ".");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(clean)) {
    return null;
  }
  return Number.parseFloat(clean);
}

/** Short text for a number in a cell: integers as they are, others to 3 decimals, a real minus sign. */
export function cellText(value) {
  if (value === null || value === undefined) {
    return "";
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? "∞" : value < 0 ? "−∞" : "NaN";
  }
  const rounded = Math.abs(value) >= 1000 ? value.toFixed(0) : String(Number.parseFloat(value.toFixed(3)));
  return rounded.replace("-", "−");
}

export class MatrixGrid {
  /**
   * `editable(r, c)` says which cells take input; `onEdit(r, c, value)` and `onPaste(r, c, block)`
   * report edits; `onHover(r, c)` (null when the pointer leaves) and `onPick(r, c)` report pointing.
   */
  constructor({ label, className = "", editable = () => false, onEdit, onPaste, onHover, onPick }) {
    this.element = document.createElement("div");
    this.element.className = `matrix ${className}`.trim();
    this.element.setAttribute("role", "group");
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
      for (let c = 0; c < cols; c += 1) {
        const cell = document.createElement("div");
        cell.className = "cell";
        cell.dataset.r = String(r);
        cell.dataset.c = String(c);
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
          cell.value = document.createElement("span");
          cell.value.className = "value";
          cell.append(cell.value);
        }
        row.push(cell);
        nodes.push(cell);
      }
      cells.push(row);
    }
    this.cells = cells;
    this.element.replaceChildren(...nodes);
    this.rebuilding = false;
    this.labelCells();
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
      selection: input ? [input.selectionStart, input.selectionEnd] : null,
    };
  }

  restoreFocus({ r, c, value, dirty, selection }) {
    const cell = this.cells[Math.min(r, this.rows - 1)]?.[Math.min(c, this.cols - 1)];
    const target = cell?.input || cell;
    if (!target) {
      return;
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
    const text = cellText(value);
    const length = text.length;
    if (cell.length !== length) {
      cell.length = length;
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
    } else if (cell.value.textContent !== text) {
      cell.value.textContent = text;
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
    event.target.dirty = false;
    if (event.target.classList?.contains("unparsed") || event.target.value?.trim() === "") {
      event.target.classList.remove("unparsed");
      if (this.onEdit) {
        const at = this.position(event.target);
        this.onEdit(at[0], at[1], parseCell(event.target.value) ?? 0);
        event.target.value = cellText(parseCell(event.target.value) ?? 0);
      }
    }
  }

  focusCell(r, c) {
    const input = this.cells[r]?.[c]?.input;
    if (input) {
      input.focus();
      input.select();
      return true;
    }
    return false;
  }

  handleKey(event) {
    const at = this.position(event.target);
    if (!at || !event.target.matches("input")) {
      return;
    }
    const input = event.target;
    const [r, c] = at;
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length;
    const all = input.selectionStart === 0 && input.selectionEnd === input.value.length;
    const moves = {
      ArrowUp: [-1, 0, true],
      ArrowDown: [1, 0, true],
      Enter: [event.shiftKey ? -1 : 1, 0, true],
      ArrowLeft: [0, -1, atStart || all],
      ArrowRight: [0, 1, atEnd || all],
    };
    const move = moves[event.key];
    if (move && move[2]) {
      if (this.focusCell(r + move[0], c + move[1]) || event.key === "Enter") {
        event.preventDefault();
      }
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
