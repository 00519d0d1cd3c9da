/**
 * On a phone the arithmetic and the player are docked at the bottom of the screen, and a tall layer
 * (several channels, the output below them) can leave the step's grids under the dock or above the
 * top. When the student moves the step (a tap on the player, the scrubber, a key) this scrolls just
 * enough to show the input and output grids above the dock, or, when they are taller than that, the
 * window and the output cell being written. Playing, it follows the step only when the window or the
 * output cell would leave the screen, and never while the student is scrolling by hand.
 */

const NARROW = window.matchMedia("(max-width: 900px)"); // matrix-lab.css docks the player at this width
const MARGIN = 6;
const HAND_SCROLL_MS = 1500; // a scroll, wheel or drag this recent is the student's: playing leaves the page alone

let handScrolledAt = -Infinity;
let ownScrollY = null; // where our own last scroll left the page: its scroll event is not the student's
let watching = false;

/** Note the student's own scrolling (a wheel, a finger dragging the page, a scroll we did not make). */
function watchHandScrolling() {
  if (watching) {
    return;
  }
  watching = true;
  const byHand = () => (handScrolledAt = performance.now());
  window.addEventListener("wheel", byHand, { passive: true });
  window.addEventListener(
    "touchmove",
    (event) => event.target.closest && !event.target.closest("input[type=range]") && byHand(),
    { passive: true },
  );
  window.addEventListener(
    "scroll",
    () => {
      if (ownScrollY !== null && Math.abs(window.scrollY - ownScrollY) < 2) {
        return;
      }
      ownScrollY = null;
      byHand();
    },
    { passive: true },
  );
}

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
 * output cell; the window over the last channel and the output cell (the least a step needs); the
 * output cell alone.
 */
function candidates(root) {
  const grids = [...root.querySelectorAll("[data-testid=input-grid] .matrix, [data-testid=output-grid] .matrix")];
  const shown = (selector) => [...root.querySelectorAll(selector)].filter((mark) => mark.style.opacity === "1");
  const windows = shown(".window-mark").map((mark) => mark.querySelector(".window-span") || mark);
  const current = shown(".current-mark");
  const least = [...windows.slice(-1), ...current];
  const sets = [grids, [...windows, ...current], least, current].filter((set) => set.length > 0);
  return { sets, least };
}

/**
 * Scroll the page (instantly, once) so the step's grids are between the top and the dock; no-op if they
 * are. `follow` (playing): only if the last channel's window or the output cell would be out of view, and
 * not within HAND_SCROLL_MS of the student's own scrolling.
 */
export function keepStepInView(root = document, { follow = false } = {}) {
  if (!NARROW.matches) {
    return; // a laptop or projector: nothing is docked, the page stays where the student put it
  }
  watchHandScrolling();
  const lab = root.querySelector(".lab");
  const dock = root.querySelector(".dock");
  if (!lab || !dock || lab.classList.contains("present")) {
    return;
  }
  if (follow && performance.now() - handScrolledAt < HAND_SCROLL_MS) {
    return;
  }
  // Where the dock's top is while stuck (scrolled to the end of the page it rides higher, in its place,
  // and comes down to here as the page scrolls back up to the grids).
  const stuckTop = window.innerHeight - (parseFloat(getComputedStyle(dock).bottom) || 0) - dock.offsetHeight;
  const floor = stuckTop - MARGIN;
  const inView = (box) => box.top >= MARGIN && box.bottom <= floor;
  const { sets, least } = candidates(root);
  if (follow && least.length > 0 && inView(union(least.map(settledRect)))) {
    return; // the window and the output cell are on screen: playing leaves the page where it is
  }
  for (const set of sets) {
    const box = union(set.map(settledRect));
    if (inView(box)) {
      return;
    }
    if (box.bottom - box.top <= floor - 2 * MARGIN) {
      const by = box.top < MARGIN ? box.top - MARGIN : box.bottom - floor;
      window.scrollBy({ top: by, behavior: "instant" });
      ownScrollY = window.scrollY;
      return;
    }
  }
}
