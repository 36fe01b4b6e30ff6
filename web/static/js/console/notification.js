// What became of an incident's on-call policy, in plain words: only what actually happened.
import { t } from "../shared/i18n.js";

const KIND = { webhook: t("webhook"), email: t("e-mail") };
const OUTCOME = { sending: t("sending"), delivered: t("delivered") };
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
      return t("Your organization's on-call policy is being followed. Nobody has been reached yet.");
    case "delivered":
      return t("Delivered to step {step} of your organization's on-call policy. Waiting for someone to acknowledge.", { step });
    case "acknowledged": {
      const by = notification.acknowledged_by;
      return by?.via === "email"
        ? t("Someone on call has acknowledged this incident (by e-mail, step {step}).", { step: by.step })
        : t("Someone on call has acknowledged this incident (through the organization's API).");
    }
    case "no_route":
      return t("Not delivered: your organization has no on-call route, so nobody there has been told.");
    case "unreached":
      return t("Not delivered: no step of your organization's on-call policy could be reached.");
    case "unacknowledged":
      return t("Delivered, but nobody on call acknowledged it in time.");
    default:
      return t("Hearth could not tell whether anyone was reached.");
  }
}

/** One line per attempt: "Step 1 (webhook): failed (timeout)"; the error is the delivery's own, as the endpoint gave it. */
export function attemptLines(notification) {
  return (notification.attempts ?? [])
    .filter((attempt) => attempt.purpose === "page")
    .map((attempt) => {
      const outcome = attempt.status === "failed"
        ? t("failed ({error})", { error: attempt.error ?? t("no answer") })
        : OUTCOME[attempt.status] ?? attempt.status;
      return t("Step {step} ({kind}): {outcome}", { step: attempt.step, kind: KIND[attempt.kind] ?? attempt.kind, outcome });
    });
}
