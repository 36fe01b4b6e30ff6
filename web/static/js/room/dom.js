// Small DOM helpers shared by the join page and the room stage (text only, never HTML).

/** The first element under `root` matching `selector` (throws when the markup lacks it). */
export function find(root, selector) {
  const found = root.querySelector(selector);
  if (!found) throw new Error(`missing ${selector}`);
  return found;
}

/** A new element with attributes and text content. */
export function el(tag, attrs = {}, text = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === true) node.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, value);
  }
  if (text !== null) node.textContent = text;
  return node;
}

/** Say something through an ARIA live region (cleared first so a repeat is announced again). */
export function announce(region, text) {
  region.textContent = "";
  window.setTimeout(() => { region.textContent = text; }, 50);
}

/** Up to two initials of a display name. */
export function initials(name) {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0] ?? "?"];
  return letters.map((word) => Array.from(word)[0]).join("").toUpperCase();
}

/** One of six calm tones, stable for a seat. */
export function toneFor(seatId) {
  let hash = 0;
  for (const char of seatId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `tone-${hash % 6}`;
}

/** "12 minutes", "1 minute", "less than a minute". */
export function minutesText(seconds) {
  if (seconds < 60) return "less than a minute";
  const minutes = Math.floor(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

/** "2:05" for a count of seconds. */
export function clockText(seconds) {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/** A time of day in the person's own zone, e.g. "18:30". */
export function localTime(iso) {
  return new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" }).format(new Date(iso));
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
