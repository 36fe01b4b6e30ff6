// Show each <time data-local> in the reader's own time zone (the server wrote the group's).
const DATE_TIME = { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" };
const TIME = { hour: "2-digit", minute: "2-digit" };

/** Rewrite the <time data-local> elements under `root` in the browser's time zone. */
export function localizeTimes(root = document) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const el of root.querySelectorAll("time[data-local]")) {
    const when = new Date(el.dateTime);
    if (Number.isNaN(when.getTime())) continue;
    const options = el.dataset.local === "time" ? TIME : DATE_TIME;
    el.textContent = new Intl.DateTimeFormat(undefined, options).format(when);
  }
  for (const el of root.querySelectorAll("[data-local='zone']")) {
    el.textContent = `(your time, ${zone})`;
  }
}

localizeTimes();
