// Small DOM helpers shared by every page: markup is built without innerHTML, so text stays text.

/** An element with attributes (`class`, `data-*`, aria; `on*` functions become listeners) and children. */
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

/** The first element under `root` matching `selector` (throws when the markup lacks it). */
export function find(root, selector) {
  const found = root.querySelector(selector);
  if (!found) throw new Error(`missing ${selector}`);
  return found;
}

/** Open a <dialog> modally, focusing its first control; Escape closes it natively. */
export function openDialog(dialog) {
  for (const closer of dialog.querySelectorAll("[data-dialog-close]")) {
    closer.onclick = () => dialog.close();
  }
  dialog.showModal();
  const first = dialog.querySelector("[tabindex='-1'], input, button, a[href]");
  first?.focus();
}

/** The value of the checked radio named `name` in `form`, or null. */
export function checkedValue(form, name) {
  return form.querySelector(`input[name="${name}"]:checked`)?.value ?? null;
}
