// The console's live regions: what happened, what the server refused, and what is urgent.
import { announce } from "../shared/announce.js";
import { refusalText } from "../shared/refusals.js";

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
  refuseWith(refusalText(ack?.error));
}

/** Show (and announce politely) why an action cannot be done, in the console's own words. */
export function refuseWith(text) {
  clearRefusal();
  announce(region("console-refusal"), text);
}

/** Clear the last refusal once something succeeded. */
export function clearRefusal() {
  const refusals = region("console-refusal");
  if (refusals) refusals.textContent = "";
}
