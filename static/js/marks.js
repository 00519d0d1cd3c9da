/**
 * Marks drawn over a grid in their own compositor layers and moved only by `transform` and
 * `opacity`: the cheapest change a browser can make, so a mark can move every animation frame.
 */

/** A mark element (position and size come later from `moveTo` / `stretch`). */
export function mark(className) {
  const el = document.createElement("div");
  el.className = `mark ${className}`;
  el.setAttribute("aria-hidden", "true");
  return el;
}

function write(el, transform, visible) {
  if (el.lastTransform !== transform) {
    el.lastTransform = transform;
    el.style.transform = transform;
  }
  const opacity = visible ? "1" : "0";
  if (el.lastOpacity !== opacity) {
    el.lastOpacity = opacity;
    el.style.opacity = opacity;
  }
}

/** Put a mark's top-left corner at (x, y) px, shown or hidden. */
export function moveTo(el, x, y, visible = true) {
  write(el, `translate(${x}px, ${y}px)`, visible);
}

/** Make a 1×1 px mark cover the rectangle (x, y, width, height) px; an empty one hides it. */
export function stretch(el, x, y, width, height) {
  const visible = width > 0 && height > 0;
  write(el, visible ? `translate(${x}px, ${y}px) scale(${width}, ${height})` : "scale(0)", visible);
}

/** Make a 1 px tall mark a line from (x1, y1) to (x2, y2) px: translate, rotate, stretch. */
export function line(el, x1, y1, x2, y2) {
  const length = Math.hypot(x2 - x1, y2 - y1);
  const angle = Math.atan2(y2 - y1, x2 - x1);
  write(el, `translate(${x1}px, ${y1}px) rotate(${angle}rad) scaleX(${length})`, length > 0);
}
