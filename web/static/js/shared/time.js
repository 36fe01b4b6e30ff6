// Times and durations as people read them, always in the reader's own time zone and in the
// page's language (shared/i18n.js): Intl formats them, so no English is built by hand.
import { language, t } from "./i18n.js";

const FORMATS = {
  datetime: { weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit" },
  time: { hour: "numeric", minute: "2-digit" },
  date: { day: "numeric", month: "short", year: "numeric" },
};

function unit(name, display) {
  return new Intl.NumberFormat(language, { style: "unit", unit: name, unitDisplay: display });
}

/** A time of day in the reader's zone ("18:30", "6:30 p. m.") from an ISO time or Unix seconds. */
export function clockTime(value) {
  const when = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  return new Intl.DateTimeFormat(language, FORMATS.time).format(when);
}

/** "12 minutes", "1 minute", "less than a minute" (in the page's language). */
export function minutesText(seconds) {
  if (seconds < 60) return t("less than a minute");
  return unit("minute", "long").format(Math.floor(seconds / 60));
}

/** "in 12 minutes", "in less than a minute": how soon something comes. */
export function inMinutesText(seconds) {
  if (seconds < 60) return t("in less than a minute");
  return new Intl.RelativeTimeFormat(language, { numeric: "always" }).format(Math.floor(seconds / 60), "minute");
}

/** "2 min 30 s", "3 min", "45 s" for a length of time. */
export function durationText(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  const parts = [minutes && unit("minute", "short").format(minutes), rest && unit("second", "short").format(rest)];
  return parts.filter(Boolean).join(" ") || unit("second", "short").format(0);
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
    if (format && !Number.isNaN(when.getTime())) time.textContent = new Intl.DateTimeFormat(language, format).format(when);
  }
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone.replaceAll("_", " ");
  for (const note of root.querySelectorAll("[data-local='zone']")) note.textContent = t("(your time: {zone})", { zone });
}
