/**
 * The few DOM helpers every page uses. Text goes in through textContent only, so nothing a student typed or
 * the server sent is ever parsed as HTML.
 */

/** The first element matching `selector` under `root`. */
export const $ = (selector, root = document) => root.querySelector(selector);

/** Every element matching `selector` under `root`, as an array. */
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** An element with an optional class name and text: the common case. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = String(text);
  return node;
}

/**
 * An element from properties and children: `dataset` is merged, known DOM properties are set as properties
 * (so `textContent`, `hidden`, `value` work), anything else becomes an attribute.
 */
export function make(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

/** Let a picture be dropped on `zone`: `className` marks it while a file hovers, `onFile` gets the first file. */
export function dropTarget(zone, className, onFile) {
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add(className);
  });
  zone.addEventListener("dragleave", () => zone.classList.remove(className));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove(className);
    onFile(event.dataTransfer.files[0]);
  });
}
