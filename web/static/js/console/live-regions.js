// The console's live regions: what happened, what the server refused, and what is urgent.
import { announce } from "../shared/announce.js";

const region = (id) => document.getElementById(id);

/** Tell the facilitator of a happening, politely ("Sam raised a hand"). */
export function tell(text) {
  announce(region("console-announce"), text);
}

/** Tell something a facilitator must not miss (a new support alert). */
export function tellUrgent(text) {
  announce(region("console-urgent"), text);
}

/** Show (and announce politely) why the server refused an action: only the latest is shown. */
export function refuse(ack) {
  clearRefusal();
  announce(region("console-refusal"), ack?.error?.message ?? "That did not work; please try again.");
}

/** Clear the last refusal once something succeeded. */
export function clearRefusal() {
  const refusals = region("console-refusal");
  if (refusals) refusals.textContent = "";
}
