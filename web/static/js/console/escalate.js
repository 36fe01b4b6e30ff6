// The escalation form: severity and what was observed; then the safe-messaging checklist and the
// truth of every attempt to reach the organization's on-call policy, looked at again until settled.
import { el } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { refusalText } from "../shared/refusals.js";
import { showDialog } from "./dialogs.js";
import { tell, tellUrgent } from "./live-regions.js";
import { attemptLines, summary, unsettled } from "./notification.js";

const $ = (id) => document.getElementById(id);
const LOOK_AGAIN_MS = 2000;

let target = null; // {seat_id, display_name, alert_id} being escalated
let watching = null; // the timer looking at the incident again

function showNotification(notification) {
  $("escalate-notification").textContent = summary(notification);
  $("escalate-attempts").replaceChildren(...attemptLines(notification).map((line) => el("li", {}, line)));
  const emergency = $("escalate-emergency");
  emergency.hidden = !notification.emergency;
  emergency.textContent = notification.emergency?.instruction ?? "";
}

function watch(ctx, incidentId, notification) {
  clearTimeout(watching);
  if (!unsettled(notification)) return;
  watching = setTimeout(async () => {
    const ack = await ctx.client.send("incident:status", { incident_id: incidentId });
    if (!ack?.ok) return;
    const before = ack.notification.status !== notification.status;
    showNotification(ack.notification);
    if (before) (ack.notification.emergency ? tellUrgent : tell)(summary(ack.notification));
    watch(ctx, incidentId, ack.notification);
  }, LOOK_AGAIN_MS);
}

export function initEscalate(ctx) {
  const dialog = $("escalate-dialog");
  $("escalate-cancel").addEventListener("click", () => dialog.close("cancel"));
  $("escalate-close").addEventListener("click", () => dialog.close("done"));
  dialog.addEventListener("close", () => clearTimeout(watching));
  $("escalate-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    if (!form.reportValidity() || !target) return;
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    const ack = await ctx.client.send("incident:escalate", {
      seat_id: target.seat_id,
      severity: form.elements.severity.value,
      observed: form.elements.observed.value.trim(),
      alert_id: target.alert_id,
    });
    submit.disabled = false;
    if (!ack?.ok) {
      $("escalate-error").textContent = refusalText(ack?.error, { withFields: true });
      return;
    }
    $("escalate-checklist").replaceChildren(...(ack.checklist ?? []).map((line) => el("li", {}, line)));
    showNotification(ack.notification);
    form.hidden = true;
    $("escalate-done").hidden = false;
    $("escalate-done-title").focus();
    const recorded = t("An incident about {name} was recorded. {summary}", { name: target.display_name, summary: summary(ack.notification) });
    (ack.notification.emergency ? tellUrgent : tell)(recorded);
    watch(ctx, ack.incident_id, ack.notification);
  });
}

/** Open the escalation form about `seat` (from an alert when `alertId` is given). */
export function openEscalate(seat, alertId) {
  target = { seat_id: seat.seat_id, display_name: seat.display_name, alert_id: alertId };
  const form = $("escalate-form");
  form.reset();
  form.hidden = false;
  $("escalate-done").hidden = true;
  $("escalate-error").textContent = "";
  $("escalate-title").textContent = t("Escalate about {name}", { name: seat.display_name });
  showDialog($("escalate-dialog"));
}
