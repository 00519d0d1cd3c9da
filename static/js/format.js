/**
 * The number formats of the labs, in one place: a cell of a grid, a value in a sentence, a number in a URL.
 *
 * Pure (no DOM): Node's test runner imports it (tests/js/format.test.mjs).
 */

const MINUS = "\u2212";

/** `text` with a typographic minus (−) in place of a hyphen-minus, as the grids print negatives. */
export const typographicMinus = (text) => text.replace(/^-/, MINUS);

/**
 * A value as a student reads it: at most `digits` decimals, trailing zeros dropped, never "-0", empty for
 * padding (null), a non-number or an infinity; from 1e6 up three significant digits (1.23e+6).
 */
export function formatValue(value, digits = 4) {
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
