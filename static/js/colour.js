/**
 * The signed blue–white–orange scale of the Image lab (app/images/colormap.py), for cells and feature maps.
 *
 * Symmetric around zero: white is exactly 0, full blue is −m and full orange +m, with m the
 * largest |value| shown, so a glance tells positive from negative. The anchors are the same
 * five colours as the Image lab's, so every lab reads alike (tests/test_colour_parity.py holds them equal).
 */

export const ANCHORS = [
  [33, 102, 172],
  [146, 197, 222],
  [247, 247, 247],
  [253, 184, 99],
  [179, 88, 6],
];

/** The colour of `value` on [−m, m] as [r, g, b] (0..255); white for 0 or an empty scale. */
export function signedRgb(value, m) {
  const rgb = [0, 0, 0];
  writeSignedRgb(rgb, 0, value, m);
  return rgb;
}

/**
 * signedRgb written into `target` at `offset` (r, g, b), allocating nothing: a feature map is drawn
 * pixel by pixel straight into its ImageData.
 */
export function writeSignedRgb(target, offset, value, m) {
  const x = m > 0 && Number.isFinite(value) ? Math.max(-1, Math.min(1, value / m)) : 0;
  const position = (x + 1) * 2; // 0..4 along the anchors
  const k = Math.min(3, Math.floor(position));
  const f = position - k;
  const a = ANCHORS[k];
  const b = ANCHORS[k + 1];
  target[offset] = Math.round(a[0] + (b[0] - a[0]) * f);
  target[offset + 1] = Math.round(a[1] + (b[1] - a[1]) * f);
  target[offset + 2] = Math.round(a[2] + (b[2] - a[2]) * f);
}

/** The colour of `value` on [−m, m] as "rgb(r g b)"; white for 0 or an empty scale. */
export function signedColour(value, m) {
  const [r, g, b] = signedRgb(value, m);
  return `rgb(${r} ${g} ${b})`;
}

/** Dark ends of the scale need light text to stay readable. */
export function needsLightText(value, m) {
  return m > 0 && Number.isFinite(value) && Math.abs(value / m) > 0.62;
}

/** The largest |value| in a nested array of numbers (nulls and infinities ignored). */
export function maxAbs(values) {
  let m = 0;
  const walk = (v) => {
    if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (typeof v === "number" && Number.isFinite(v)) {
      m = Math.max(m, Math.abs(v));
    }
  };
  walk(values);
  return m;
}

/** The CSS gradient of the whole scale, for a legend bar. */
export function scaleGradient() {
  const stops = ANCHORS.map(([r, g, b], i) => `rgb(${r} ${g} ${b}) ${i * 25}%`);
  return `linear-gradient(to right, ${stops.join(", ")})`;
}
