// Saying something through an ARIA live region, the same way on every page.

// Happenings this close together are read as one message.
const JOIN_WITHIN_MS = 1500;
// Per region: when it last said something, and the lines it is saying now.
const spoken = new WeakMap();

/** Say `text` through the live `region`; what arrives together is read together, none overwrites another. */
export function announce(region, text) {
  if (!region) return;
  const now = Date.now();
  const last = spoken.get(region);
  if (last && now - last.at < JOIN_WITHIN_MS) {
    last.at = now;
    last.lines.push(text);
    if (!last.timer) region.textContent = last.lines.join(" ");
    return;
  }
  const entry = { at: now, lines: [text], timer: null };
  spoken.set(region, entry);
  // Clearing first makes a repeated message be spoken again.
  region.textContent = "";
  entry.timer = window.setTimeout(() => {
    entry.timer = null;
    region.textContent = entry.lines.join(" ");
  }, 50);
}
