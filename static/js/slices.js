/**
 * Long work in short tasks. A first render that builds a whole page in one go blocks a slow phone for a
 * quarter of a second (no tap, no scroll answered); the same steps run here a few milliseconds at a time,
 * the browser free to paint and answer between them.
 */

const BUDGET_MS = 8; // well under the 50 ms a task may take before a phone feels it stuck

/** The next task: `scheduler.yield()` where the browser has it (it keeps our place in line), else a timer. */
export const nextTask = () =>
  globalThis.scheduler?.yield ? globalThis.scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));

/** Run `steps` (functions) in order, yielding whenever one slice has used its budget; resolves when all have run. */
export async function runInSlices(steps, budget = BUDGET_MS) {
  let start = performance.now();
  for (const step of steps) {
    if (performance.now() - start > budget) {
      await nextTask();
      start = performance.now();
    }
    step();
  }
}

/** Run `steps` at once, in one task: a re-render after an edit, which must be whole before the next event. */
export function runAtOnce(steps) {
  for (const step of steps) step();
}

/**
 * A page's draws: the first (the page still hidden, half-built) runs in slices so a slow phone is never blocked
 * by it; every later one (an edit, a keystroke) runs at once, whole before the next event. A newer draw stops
 * what is left of an older one, so a language switched mid-build never leaves two draws interleaved.
 */
export class Drawer {
  #serial = 0;
  #firsts = 0; // sliced draws under way: a newer answer's may start before an older one has stopped
  /** True once a draw has run to its end: from then on, draws run at once. */
  drawn = false;

  constructor(budget = BUDGET_MS) {
    this.budget = budget;
  }

  /** True while a first, sliced draw is under way: what the page shows is not whole yet. */
  get building() {
    return this.#firsts > 0;
  }

  /**
   * Run `steps` (functions), sliced until one draw has ended, else at once (then synchronously, before this
   * returns). Resolves true when they all ran, false when a newer draw took over.
   */
  async draw(steps) {
    const mine = ++this.#serial;
    const guarded = steps.map((step) => () => mine === this.#serial && step());
    if (this.drawn) {
      runAtOnce(guarded);
      return mine === this.#serial;
    }
    this.#firsts += 1;
    try {
      await runInSlices(guarded, this.budget);
    } finally {
      this.#firsts -= 1;
    }
    if (mine !== this.#serial) {
      return false;
    }
    this.drawn = true;
    return true;
  }
}
