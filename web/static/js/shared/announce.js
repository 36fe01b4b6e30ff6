// Saying something through an ARIA live region, the same way on every page.

// The latest messages a region keeps; older ones have long been read.
const KEEP = 8;

/**
 * Say `text` through the live `region`. Each message is added as a node of its own: a live
 * region reads what is added, so every message is read once, in the order it came, and a later
 * one never re-reads or overwrites an earlier one (the same message twice is read twice).
 */
export function announce(region, text) {
  if (!region || !text) return;
  const line = document.createElement("span");
  line.className = "announcement";
  line.textContent = `${text} `;
  region.append(line);
  while (region.childElementCount > KEEP) region.firstElementChild.remove();
}
