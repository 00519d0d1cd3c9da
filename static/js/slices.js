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
