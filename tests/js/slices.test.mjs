/**
 * Long work in short tasks (slices.js): every step runs once and in order, no slice outlasts its budget by more
 * than one step, and a redraw run at once is whole before anything else can run. A page's Drawer slices its
 * first draw only, and a newer draw stops what is left of an older one.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Drawer, runAtOnce, runInSlices } from "../../static/js/slices.js";

/** A step that keeps the thread busy for `ms`, as building a card does, and notes when it ran. */
function busyStep(log, name, ms) {
  return () => {
    const start = performance.now();
    while (performance.now() - start < ms) {
      /* busy, like layout work */
    }
    log.push({ name, start, end: performance.now() });
  };
}

describe("runInSlices", () => {
  test("runs every step once, in order", async () => {
    const log = [];
    await runInSlices(Array.from({ length: 20 }, (_, n) => busyStep(log, n, 1)), 4);
    assert.deepEqual(
      log.map((entry) => entry.name),
      Array.from({ length: 20 }, (_, n) => n),
    );
  });

  test("yields to other tasks between slices, each slice no more than its budget's worth of steps", async () => {
    const log = [];
    let ticks = 0; // how often another task got the thread
    let ticking = true;
    const tick = () => {
      ticks += 1;
      if (ticking) setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
    const steps = Array.from({ length: 12 }, (_, n) => () => {
      busyStep(log, n, 3)();
      log.at(-1).slice = ticks;
    });
    await runInSlices(steps, 8);
    ticking = false;
    const perSlice = new Map();
    for (const entry of log) perSlice.set(entry.slice, [...(perSlice.get(entry.slice) ?? []), entry]);
    assert.ok(perSlice.size >= 3, `36 ms of steps ran in ${perSlice.size} slice(s)`);
    // A slice starts a step only while under budget: at most 8 / 3 + 1 steps of 3 ms (a slow machine runs fewer).
    for (const [slice, entries] of perSlice) assert.ok(entries.length <= 4, `slice ${slice} ran ${entries.length} steps`);
  });

  test("a step that throws stops the run and reaches the caller", async () => {
    const log = [];
    const boom = () => {
      throw new Error("boom");
    };
    await assert.rejects(runInSlices([busyStep(log, "a", 0), boom, busyStep(log, "b", 0)]), /boom/);
    assert.deepEqual(
      log.map((entry) => entry.name),
      ["a"],
    );
  });
});

describe("runAtOnce", () => {
  test("is whole before the caller goes on: no other task runs in between", () => {
    const log = [];
    runAtOnce(Array.from({ length: 5 }, (_, n) => busyStep(log, n, 2)));
    assert.equal(log.length, 5);
  });
});

describe("Drawer", () => {
  const busySteps = (log, name, count, ms) => Array.from({ length: count }, (_, n) => busyStep(log, `${name}${n}`, ms));

  test("the first draw yields between slices and is building meanwhile; a later draw is whole at once", async () => {
    const drawer = new Drawer(4);
    const log = [];
    const first = drawer.draw(busySteps(log, "a", 6, 3));
    assert.equal(drawer.building, true);
    assert.ok(log.length < 6, `the first draw ran ${log.length} of 6 steps before yielding`);
    assert.equal(await first, true);
    assert.equal(drawer.building, false);
    assert.equal(drawer.drawn, true);
    log.length = 0;
    const later = drawer.draw(busySteps(log, "b", 6, 3));
    assert.equal(log.length, 6, "a redraw after the first is whole before draw() returns");
    assert.equal(await later, true);
  });

  test("a newer draw stops what is left of an older one, which resolves false", async () => {
    const drawer = new Drawer(4);
    const log = [];
    const older = drawer.draw(busySteps(log, "old", 8, 3));
    const newer = drawer.draw(busySteps(log, "new", 3, 0));
    assert.deepEqual(await Promise.all([older, newer]), [false, true]);
    const names = log.map((entry) => entry.name);
    const olds = names.filter((name) => name.startsWith("old"));
    assert.ok(olds.length < 8, `the older draw ran ${olds.length} of 8 steps`);
    assert.deepEqual(
      names.filter((name) => name.startsWith("new")),
      ["new0", "new1", "new2"],
    );
    assert.ok(names.indexOf("new0") > names.lastIndexOf(olds.at(-1)), "no older step runs after the newer began");
    assert.equal(drawer.drawn, true);
  });

  test("a superseded first draw does not mark the page drawn until its successor ends", async () => {
    const drawer = new Drawer(4);
    const log = [];
    const older = drawer.draw(busySteps(log, "old", 6, 3));
    const newer = drawer.draw(busySteps(log, "new", 6, 3));
    assert.equal(await older, false);
    assert.equal(drawer.building, true);
    assert.equal(drawer.drawn, false);
    assert.equal(await newer, true);
    assert.equal(drawer.building, false);
  });
});
