// What became of an incident's on-call policy, in plain words: only what actually happened.

const KIND = { webhook: "webhook", email: "e-mail" };
// Statuses after which nothing more will change on its own.
const SETTLED = new Set(["acknowledged", "no_route", "unreached", "unacknowledged"]);

/** Whether the policy may still move (so the console should look again). */
export function unsettled(notification) {
  return !SETTLED.has(notification?.status);
}

/** One sentence saying where the policy stands. */
export function summary(notification) {
  const step = notification.delivered_to_step;
  switch (notification.status) {
    case "queued":
      return "Your organization's on-call policy is being followed. Nobody has been reached yet.";
    case "delivered":
      return `Delivered to step ${step} of your organization's on-call policy. Waiting for someone to acknowledge.`;
    case "acknowledged": {
      const by = notification.acknowledged_by;
      const how = by?.via === "email" ? ` (by e-mail, step ${by.step})` : " (through the organization's API)";
      return `Someone on call has acknowledged this incident${how}.`;
    }
    case "no_route":
      return "Not delivered: your organization has no on-call route, so nobody there has been told.";
    case "unreached":
      return "Not delivered: no step of your organization's on-call policy could be reached.";
    case "unacknowledged":
      return "Delivered, but nobody on call acknowledged it in time.";
    default:
      return "Hearth could not tell whether anyone was reached.";
  }
}

/** One line per attempt: "Step 1 (webhook): failed (timeout)". */
export function attemptLines(notification) {
  return (notification.attempts ?? [])
    .filter((attempt) => attempt.purpose === "page")
    .map((attempt) => {
      const outcome = attempt.status === "failed" ? `failed (${attempt.error ?? "no answer"})` : attempt.status;
      return `Step ${attempt.step} (${KIND[attempt.kind] ?? attempt.kind}): ${outcome}`;
    });
}
