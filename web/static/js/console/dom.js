// The console's controls, built with the shared `el` (text stays text).
import { el } from "../shared/dom.js";

/** A button; `key` names it so that focus can find it again after a re-render. */
export function button(label, onClick, { key = null, quiet = false, danger = false, ...attrs } = {}) {
  const classes = ["button", quiet && "button-quiet", danger && "button-danger"].filter(Boolean).join(" ");
  return el("button", { type: "button", class: classes, "data-key": key, onclick: onClick, ...attrs }, label);
}

/**
 * Replace the children of `container`, keeping keyboard focus on the element with the same
 * `data-key` when there is one (else on `fallback`), so re-rendering never drops a user's place.
 */
export function replaceKeepingFocus(container, children, fallback = null) {
  const active = document.activeElement;
  const hadFocus = active && container.contains(active);
  const key = hadFocus ? active.dataset.key : null;
  container.replaceChildren(...children);
  if (!hadFocus) return;
  const again = key ? container.querySelector(`[data-key="${CSS.escape(key)}"]`) : null;
  (again ?? fallback)?.focus();
}
