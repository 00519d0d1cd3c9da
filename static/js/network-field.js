/**
 * Receptive-field geometry of the Network lab: which input cells a unit reads.
 *
 * The bounding box follows the running formula (centre start + i·jump, half-width (r − 1)/2); the exact
 * taps inside it come from POST /api/v1/receptive-field (`row_taps`, `col_taps`): a dilated or strided
 * stack reads a lattice with holes, and the unit reads every (row, col) pair of the two lists.
 *
 * Pure (no DOM): Node's test runner imports it (tests/js/network-field.test.mjs).
 */

/** Input span of unit `index` along one axis, and the same clipped to `0..size−1`. */
export function regionOf(axis, index, size) {
  const centre = axis.start + index * axis.jump;
  const lo = Math.round(centre - (axis.rf - 1) / 2);
  const hi = Math.round(centre + (axis.rf - 1) / 2);
  return { lo, hi, from: Math.max(lo, 0), to: Math.min(hi, size - 1) };
}

/** Row and column of a unit on the map its geometry refers to (a flattened unit keeps its place). */
export function unitPosition(answer, layerIndex, unit) {
  const layer = answer.layers[layerIndex];
  if (unit.length === 2) return unit;
  if (answer.layers.slice(0, layerIndex + 1).some((l) => l.type === "linear")) return [0, 0];
  const [, h, w] = layer.in_shape.length === 3 ? layer.in_shape : answer.input_shape;
  const n = unit[0] % (h * w);
  return [Math.floor(n / w), n % w];
}

/** Every input cell the unit reads: the product of its row taps and column taps, row by row. */
export function tapCells(rowTaps, colTaps) {
  return rowTaps.flatMap((r) => colTaps.map((c) => [r, c]));
}

/** How many cells of the bounding box the unit does not read (the holes a dilation leaves). */
export function holes(rows, cols, rowTaps, colTaps) {
  return (rows.to - rows.from + 1) * (cols.to - cols.from + 1) - rowTaps.length * colTaps.length;
}

/** Multiply-adds of a convolution layer: every output value sums (C_in / groups) × kh × kw products. */
export function convMacs(result, inShape) {
  const k = [result.spec.kernel_size].flat();
  const [kh, kw] = [k[0], k[1] ?? k[0]];
  return result.out_shape.reduce((a, b) => a * b, 1) * (inShape[0] / (result.spec.groups || 1)) * kh * kw;
}
