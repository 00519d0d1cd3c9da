/**
 * The timeline: which step is shown, playing and pausing, and the speed.
 *
 * Playback runs on requestAnimationFrame and reports at most one step per animation frame,
 * so even the top speed costs one small render per frame.
 */

/**
 * Steps per second for each notch of the speed slider. The last notch moves whole output rows,
 * as many a second as play the layer in about TOP_SECONDS (at least MIN_ROWS_PER_SECOND, at most
 * MAX_ROWS_PER_SECOND): it used to be a row per animation frame, which finished the default
 * example in ~150 ms, too fast to see anything.
 */
export const SPEEDS = [0.5, 1, 2, 3, 5, 8, 12, 20, 30, 60, "row"];
const TOP_SECONDS = 1.5;
const MIN_ROWS_PER_SECOND = 2;
const MAX_ROWS_PER_SECOND = 20;
export const DEFAULT_SPEED = 3;

export class Player {
  /** `onStep(step)` draws a step; `onPlayChange(playing)` updates the play button. */
  constructor({ onStep, onPlayChange }) {
    this.onStep = onStep;
    this.onPlayChange = onPlayChange;
    this.count = 0;
    this.rowLength = 1;
    this.step = 0;
    this.playing = false;
    this.speed = DEFAULT_SPEED;
    this.carry = 0;
    this.last = 0;
    this.tick = (time) => this.advance(time);
  }

  /** A new layer: `count` steps, `rowLength` steps per output row. Keeps the step if it still exists. */
  setCount(count, rowLength) {
    this.count = count;
    this.rowLength = Math.max(1, rowLength);
    if (count === 0) {
      this.pause();
    }
    this.step = Math.min(this.step, Math.max(0, count - 1));
  }

  go(step) {
    if (this.count === 0) {
      return;
    }
    this.step = Math.min(this.count - 1, Math.max(0, Math.round(step)));
    this.onStep(this.step);
  }

  forward() {
    this.go(this.step + 1);
  }

  back() {
    this.go(this.step - 1);
  }

  first() {
    this.go(0);
  }

  end() {
    this.go(this.count - 1);
  }

  /** Rows a second at the top notch, for this layer. */
  get rowsPerSecond() {
    const rows = Math.ceil(this.count / this.rowLength);
    return Math.min(MAX_ROWS_PER_SECOND, Math.max(MIN_ROWS_PER_SECOND, Math.ceil(rows / TOP_SECONDS)));
  }

  setSpeed(level) {
    this.speed = Math.min(SPEEDS.length - 1, Math.max(0, level));
  }

  play() {
    if (this.playing || this.count < 2) {
      return;
    }
    if (this.step >= this.count - 1) {
      this.go(0);
    }
    this.playing = true;
    this.carry = 0;
    this.last = performance.now();
    this.onPlayChange(true);
    this.frame = requestAnimationFrame(this.tick);
  }

  pause() {
    if (!this.playing) {
      return;
    }
    this.playing = false;
    cancelAnimationFrame(this.frame);
    this.onPlayChange(false);
  }

  toggle() {
    if (this.playing) {
      this.pause();
    } else {
      this.play();
    }
  }

  advance(time) {
    if (!this.playing) {
      return;
    }
    const rate = SPEEDS[this.speed];
    const perSecond = rate === "row" ? this.rowsPerSecond : rate;
    this.carry += (Math.min(time - this.last, 250) / 1000) * perSecond;
    const units = Math.floor(this.carry);
    this.carry -= units;
    const steps = rate === "row" ? units * this.rowLength : units;
    this.last = time;
    if (steps > 0) {
      this.go(this.step + steps);
    }
    if (this.step >= this.count - 1) {
      this.pause();
      return;
    }
    this.frame = requestAnimationFrame(this.tick);
  }
}
