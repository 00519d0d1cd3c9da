/**
 * On a phone the arithmetic and the player are docked at the bottom of the screen, and a tall layer
 * (several channels, the output below them) can leave the step's grids under the dock or above the
 * top. After a tap on the player this scrolls just enough to show the input and output grids above
 * the dock, or, when they are taller than that, the window and the output cell being written.
 */

const NARROW = "(max-width: 900px)"; // matrix-lab.css docks the player at this width
const MARGIN = 6;

/**
 * Where an element will be once its mark has glided to its step: the marks move by a transform with a
 * short transition, so mid-glide the box is shifted by (target − current translation).
 */
function settledRect(el) {
  const rect = el.getBoundingClientRect();
  const mark = el.closest(".mark");
  if (!mark || !mark.style.transform) {
    return rect;
  }
  const now = new DOMMatrix(getComputedStyle(mark).transform);
  const target = new DOMMatrix(mark.style.transform);
  const dy = target.f - now.f;
  return { top: rect.top + dy, bottom: rect.bottom + dy };
}

function union(rects) {
  return {
    top: Math.min(...rects.map((r) => r.top)),
    bottom: Math.max(...rects.map((r) => r.bottom)),
  };
}

/**
 * The boxes the student should see, best first: the grids; the window over every channel and the
 * output cell; the window over the last channel and the output cell; the output cell alone.
 */
function candidates(root) {
  const grids = [...root.querySelectorAll("[data-testid=input-grid] .matrix, [data-testid=output-grid] .matrix")];
  const shown = (selector) => [...root.querySelectorAll(selector)].filter((mark) => mark.style.opacity === "1");
  const windows = shown(".window-mark").map((mark) => mark.querySelector(".window-span") || mark);
  const current = shown(".current-mark");
  const sets = [grids, [...windows, ...current], [...windows.slice(-1), ...current], current];
  return sets.filter((set) => set.length > 0);
}

/** Scroll the page (instantly, once) so the step's grids are between the top and the dock; no-op if they are. */
export function keepStepInView(root = document) {
  const lab = root.querySelector(".lab");
  const dock = root.querySelector(".dock");
  if (!lab || !dock || lab.classList.contains("present") || !window.matchMedia(NARROW).matches) {
    return;
  }
  // Where the dock's top is while stuck (scrolled to the end of the page it rides higher, in its place,
  // and comes down to here as the page scrolls back up to the grids).
  const stuckTop = window.innerHeight - (parseFloat(getComputedStyle(dock).bottom) || 0) - dock.offsetHeight;
  const floor = stuckTop - MARGIN;
  for (const set of candidates(root)) {
    const box = union(set.map(settledRect));
    if (box.top >= MARGIN && box.bottom <= floor) {
      return;
    }
    if (box.bottom - box.top <= floor - 2 * MARGIN) {
      const by = box.top < MARGIN ? box.top - MARGIN : box.bottom - floor;
      window.scrollBy({ top: by, behavior: "instant" });
      return;
    }
  }
}
