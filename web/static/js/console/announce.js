// The console's two live regions: what happened, and what the server refused.

const announcer = () => document.getElementById("console-announce");
const refusals = () => document.getElementById("console-refusal");
const urgent = () => document.getElementById("console-urgent");

function say(region, text) {
  if (!region) return;
  // Clearing first makes a repeated message be spoken again.
  region.textContent = "";
  window.setTimeout(() => { region.textContent = text; }, 50);
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
