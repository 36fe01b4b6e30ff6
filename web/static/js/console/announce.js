// The console's two live regions: what happened, and what the server refused.

const announcer = () => document.getElementById("console-announce");
const refusals = () => document.getElementById("console-refusal");
const urgent = () => document.getElementById("console-urgent");

const JOIN_WITHIN_MS = 1500;
const lastSaid = new WeakMap();

function say(region, text) {
  if (!region) return;
  const now = Date.now();
  const recent = now - (lastSaid.get(region) ?? 0) < JOIN_WITHIN_MS;
  lastSaid.set(region, now);
  if (recent) {
    // Happenings that arrive together are read together; none overwrites another.
    region.textContent = `${region.textContent} ${text}`.trim();
    return;
  }
  // Clearing first makes a repeated message be spoken again.
  region.textContent = "";
  window.setTimeout(() => { region.textContent = `${region.textContent} ${text}`.trim(); }, 50);
}

/** Announce a happening politely ("Sam raised a hand"). */
export function announce(text) {
  say(announcer(), text);
}

/** Announce something a facilitator must not miss (a new support alert). */
export function announceUrgent(text) {
  say(urgent(), text);
}

/** Show (and announce politely) why the server refused an action. */
export function refuse(ack) {
  const message = ack?.error?.message ?? "That did not work; please try again.";
  say(refusals(), message);
}

/** Clear the last refusal once something succeeded. */
export function clearRefusal() {
  const region = refusals();
  if (region) region.textContent = "";
}
