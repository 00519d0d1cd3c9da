/**
 * The number formats of the labs, in one place: a cell of a grid, a value in a sentence, a number in a URL;
 * and the one reader of a matrix written as text ("1,2;3,4").
 *
 * Pure (no DOM): Node's test runner imports it (tests/js/format.test.mjs).
 */

const MINUS = "\u2212";

/**
 * A whole count grouped by thousands (38,720), as both page languages write it. By hand, not
 * Intl.NumberFormat: building the first formatter loads locale data, 120 ms on a slow phone's first render.
 */
export function groupDigits(count) {
  const [whole, fraction] = String(count).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** `text` with a typographic minus (−) in place of a hyphen-minus, as the grids print negatives. */
export const typographicMinus = (text) => text.replace(/^-/, MINUS);

/**
 * A value as a student reads it: at most `digits` decimals, trailing zeros dropped, never "-0", empty for
 * padding (null), a non-number or an infinity; from 1e6 up three significant digits (1.23e+6).
 * The options are an object so that `values.map(formatValue)` (which passes an index) stays right.
 */
export function formatValue(value, { digits = 4 } = {}) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return "";
  const number = Number(value);
  if (Math.abs(number) >= 1e6) return number.toPrecision(3);
  const rounded = Number.parseFloat(number.toFixed(digits));
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/** A value at exactly `digits` decimals unless it is a whole number (the transposed-conv tables: 1, 0.50, −2.25). */
export function formatFixed(value, digits = 2) {
  if (!Number.isFinite(value)) return "";
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

/** Shortest faithful text for a number in a URL or in code (at most 6 decimals). */
export function formatNumber(value) {
  return String(Number.parseFloat(Number(value).toFixed(6)));
}

/** "1,2;3,4" -> [[1,2],[3,4]]: a matrix as a URL or a text field writes it. */
export function formatMatrix(matrix) {
  return matrix.map((row) => row.map(formatNumber).join(",")).join(";");
}

/** Short text for a number in a grid cell: integers as they are, others to 3 decimals, from 1000 up whole, a real minus sign. */
export function formatCell(value) {
  if (value === null || value === undefined) return "";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : value < 0 ? `${MINUS}∞` : "NaN";
  const rounded = Math.abs(value) >= 1000 ? value.toFixed(0) : String(Number.parseFloat(value.toFixed(3)));
  return typographicMinus(rounded);
}

/** A number written by a person: "−" read as a minus sign; null when it is not (yet) one, e.g. "-" mid-typing. */
export function readNumber(text) {
  const clean = String(text).trim().replace("\u2212", "-");
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(clean) ? Number.parseFloat(clean) : null;
}

/**
 * "1,2;3,4" -> { matrix: [[1,2],[3,4]], problem: null }: rows split by ";", numbers by "," or spaces, at most
 * `maxSide` rows and columns kept. A ragged matrix or a cell that is not a number is refused, never guessed at:
 * `problem` names the rule and where it broke ({rule: "ragged", row, count, expected} or {rule: "number", row,
 * col, text}; rows and columns count from 1) so a page can say it in its own language.
 */
export function parseMatrix(text, maxSide = Number.POSITIVE_INFINITY) {
  const lines = String(text).trim().split(/\s*;\s*/).slice(0, maxSide);
  const rows = lines.map((line) => line.split(/\s*,\s*|\s+/).slice(0, maxSide));
  for (const [r, row] of rows.entries()) {
    if (row.length !== rows[0].length) {
      return { matrix: null, problem: { rule: "ragged", row: r + 1, count: row.length, expected: rows[0].length } };
    }
    const bad = row.findIndex((cell) => readNumber(cell) === null);
    if (bad >= 0) return { matrix: null, problem: { rule: "number", row: r + 1, col: bad + 1, text: row[bad] } };
  }
  return { matrix: rows.map((row) => row.map(readNumber)), problem: null };
}
