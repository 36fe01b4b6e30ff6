// Small helpers to build the console's markup without innerHTML (text stays text).

/** An element with attributes (`class`, `data-*`, aria, properties via `on*` handlers) and children. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      node.className = value;
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  node.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

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

/** Format an ISO time or Unix seconds as a short local clock time. */
export function clockTime(value) {
  const when = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  return new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" }).format(when);
}
