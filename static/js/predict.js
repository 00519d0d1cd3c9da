/**
 * Predict mode's bookkeeping: which steps were answered, how many right on the first try, and
 * how close an answer must be. Kept apart from the page so the rules read in one place.
 *
 * An answer is checked against the engine's own output (the number the server computed), exactly
 * when every output of the layer is a whole number, otherwise within TOLERANCE, which the page
 * states on screen: averages, sigmoid and tanh give decimals nobody types in full.
 */

export const TOLERANCE = 0.01;

/** The tolerance for a layer's outputs (`output`: F×Ho×Wo, nulls allowed): 0 means exact. */
export function layerTolerance(output) {
  if (!output) {
    return 0;
  }
  const whole = output.every((map) => map.every((row) => row.every((v) => v === null || Number.isInteger(v))));
  return whole ? 0 : TOLERANCE;
}

/** Does `typed` count as `expected` under `tolerance`? */
export function isRight(typed, expected, tolerance) {
  if (typed === null || expected === null || !Number.isFinite(typed)) {
    return false;
  }
  return tolerance === 0 ? typed === expected : Math.abs(typed - expected) <= tolerance + 1e-9;
}

export class Predictions {
  constructor() {
    this.reset(null);
  }

  /** Forget every answer: a new layer (named by `key`) starts a new score. */
  reset(key) {
    this.key = key;
    this.revealed = new Set();
    this.tried = new Set();
    this.right = 0;
  }

  isRevealed(step) {
    return this.revealed.has(step);
  }

  /** Record one attempt at `step`; returns whether it was right. Only a first try can score. */
  attempt(step, right) {
    if (this.revealed.has(step)) {
      return right;
    }
    if (right) {
      if (!this.tried.has(step)) {
        this.right += 1;
      }
      this.revealed.add(step);
    }
    this.tried.add(step);
    return right;
  }

  /** Give up on `step`: it is revealed and counts as answered, not right. */
  giveUp(step) {
    this.tried.add(step);
    this.revealed.add(step);
  }

  /** Steps answered (right or given up): the denominator of the score. */
  get answered() {
    return this.revealed.size;
  }
}
