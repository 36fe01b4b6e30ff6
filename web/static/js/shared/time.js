// Times and durations as people read them, always in the reader's own time zone.

const FORMATS = {
  datetime: { weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit" },
  time: { hour: "numeric", minute: "2-digit" },
  date: { day: "numeric", month: "short", year: "numeric" },
};

/** A time of day in the reader's zone ("18:30") from an ISO time or Unix seconds. */
export function clockTime(value) {
  const when = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  return new Intl.DateTimeFormat(undefined, FORMATS.time).format(when);
}

/** "12 minutes", "1 minute", "less than a minute". */
export function minutesText(seconds) {
  if (seconds < 60) return "less than a minute";
  const minutes = Math.floor(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

/** "2 min 30 s", "3 min", "45 s" for a length of time. */
export function durationText(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  return [minutes && `${minutes} min`, rest && `${rest} s`].filter(Boolean).join(" ") || "0 s";
}

/** "2:05" for a count of seconds left. */
export function countdownText(seconds) {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/**
 * Rewrite each <time data-local="datetime | time | date"> under `root` in the reader's zone
 * (the server wrote the group's), and say which zone that is in each [data-local="zone"].
 */
export function localizeTimes(root = document) {
  for (const time of root.querySelectorAll("time[data-local]")) {
    const when = new Date(time.dateTime);
    const format = FORMATS[time.dataset.local];
    if (format && !Number.isNaN(when.getTime())) time.textContent = new Intl.DateTimeFormat(undefined, format).format(when);
  }
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone.replaceAll("_", " ");
  for (const note of root.querySelectorAll("[data-local='zone']")) note.textContent = `(your time: ${zone})`;
}
