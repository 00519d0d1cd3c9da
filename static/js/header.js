/**
 * The site header's menu button: on narrow screens the navigation folds behind it, so the header
 * stays one compact bar. The button opens and closes the list; Escape and a click elsewhere close it.
 */

const button = document.querySelector("[data-menu-button]");
const nav = document.getElementById("site-nav");

function setOpen(open) {
  button.setAttribute("aria-expanded", String(open));
  nav.classList.toggle("open", open);
}

if (button && nav) {
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && nav.classList.contains("open")) {
      setOpen(false);
      button.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (nav.classList.contains("open") && !nav.contains(event.target) && !button.contains(event.target)) {
      setOpen(false);
    }
  });
}
