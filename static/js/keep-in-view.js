/**
 * On a phone the arithmetic and the player are docked at the bottom of the screen, and a tall layer
 * (several channels, the output below them) can leave the step's grids under the dock or above the
 * top. After a tap on the player this scrolls just enough to show the input and output grids above
 * the dock, or, when they are taller than that, the window and the output cell being written.
 */

const NARROW = "(max-width: 900px)"; // matrix-lab.css docks the player at this width
const MARGIN = 6;

function union(rects) {
  return {
    top: Math.min(...rects.map((r) => r.top)),
    bottom: Math.max(...rects.map((r) => r.bottom)),
  };
}

/** The boxes the student must see: the grids (first choice), then the visible window and output cell. */
function candidates(root) {
  const grids = [...root.querySelectorAll("[data-testid=input-grid] .matrix, [data-testid=output-grid] .matrix")];
  const shown = (selector) => [...root.querySelectorAll(selector)].filter((mark) => mark.style.opacity === "1");
  const marks = [
    ...shown(".window-mark").map((mark) => mark.querySelector(".window-span") || mark),
    ...shown(".current-mark"),
  ];
  return [grids, marks].filter((set) => set.length > 0);
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
    const box = union(set.map((el) => el.getBoundingClientRect()));
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
