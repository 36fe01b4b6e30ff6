// The escalation form: severity and what was observed; then the safe-messaging checklist.
import { el } from "../shared/dom.js";
import { showDialog } from "./dialogs.js";
import { tell } from "./live-regions.js";

const $ = (id) => document.getElementById(id);

let target = null; // {seat_id, display_name, alert_id} being escalated

export function initEscalate(ctx) {
  const dialog = $("escalate-dialog");
  $("escalate-cancel").addEventListener("click", () => dialog.close("cancel"));
  $("escalate-close").addEventListener("click", () => dialog.close("done"));
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
      const fields = Object.values(ack?.error?.fields ?? {}).flat();
      $("escalate-error").textContent = [ack?.error?.message ?? "That did not work; please try again.", ...fields].join(" ");
      return;
    }
    $("escalate-checklist").replaceChildren(...(ack.checklist ?? []).map((line) => el("li", {}, line)));
    form.hidden = true;
    $("escalate-done").hidden = false;
    $("escalate-done-title").focus();
    tell(`An incident about ${target.display_name} was recorded and your organization notified.`);
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
  $("escalate-title").textContent = `Escalate about ${seat.display_name}`;
  showDialog($("escalate-dialog"));
}
