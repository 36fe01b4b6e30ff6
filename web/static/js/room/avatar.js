// How a seat without a picture is shown on its tile: initials on a calm tone.

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
