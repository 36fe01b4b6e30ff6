// Alerts: support requests and risk language, until taken; then the private channel and Escalate;
// and, for an alert nobody in the room took, where the organization's on-call policy stands.
import { el } from "../../shared/dom.js";
import { language, t } from "../../shared/i18n.js";
import { clockTime } from "../../shared/time.js";
import { act } from "../actions.js";
import { button, replaceKeepingFocus } from "../dom.js";
import { alertKindLabel } from "../labels.js";
import { tellUrgent } from "../live-regions.js";
import { summary, unsettled } from "../notification.js";

const $ = (id) => document.getElementById(id);
const LOOK_AGAIN_MS = 2000;
const onCall = new Map(); // incident id -> its latest notification (null while first asking)

/** Read where the on-call policy stands for an incident, again until it settles. */
function watchOnCall(ctx, incidentId) {
  if (onCall.has(incidentId)) return;
  onCall.set(incidentId, null);
  const look = async () => {
    const ack = await ctx.client.send("incident:status", { incident_id: incidentId });
    if (!ack?.ok) return;
    const before = onCall.get(incidentId);
    onCall.set(incidentId, ack.notification);
    if (ack.notification.emergency && !before?.emergency) tellUrgent(ack.notification.emergency.instruction);
    renderAlerts(ctx);
    if (unsettled(ack.notification)) setTimeout(look, LOOK_AGAIN_MS);
  };
  look();
}

function onCallLines(ctx, alert) {
  if (!alert.on_call_incident_id) return [];
  watchOnCall(ctx, alert.on_call_incident_id);
  const notification = onCall.get(alert.on_call_incident_id);
  if (!notification) return [el("p", { class: "item-meta" }, t("Nobody in the room took this in time; it went to your organization."))];
  return [
    el("p", { class: "item-meta" }, t("Nobody in the room took this in time. {summary}", { summary: summary(notification) })),
    notification.emergency ? el("p", { class: "notice notice-urgent" }, notification.emergency.instruction) : null,
  ];
}

/** A new alert from the server (`alert:new`): kept until a room:state lists the alerts. */
export function addAlert(ctx, alert) {
  ctx.alerts.set(alert.id, alert);
  ctx.newAlerts.add(alert.id);
  tellUrgent(t("{name}: {kind}.", { name: alert.display_name, kind: alertKindLabel(alert.kind).toLocaleLowerCase(language) }));
  renderAlerts(ctx);
}

/** Follow the room's state: its list of alerts, and the ones announced since. */
export function initAlerts(ctx) {
  ctx.store.subscribe(() => {
    syncAlerts(ctx);
    renderAlerts(ctx);
  });
}

/** Take the room's own list when it carries one, keeping alerts announced since. */
function syncAlerts(ctx) {
  const listed = ctx.store.state?.alerts;
  if (!Array.isArray(listed)) return;
  const next = new Map(listed.map((alert) => [alert.id, alert]));
  for (const id of ctx.newAlerts) if (!next.has(id) && ctx.alerts.has(id)) next.set(id, ctx.alerts.get(id));
  ctx.newAlerts.clear();
  ctx.alerts = next;
}

function alertItem(ctx, alert) {
  const me = ctx.store.you?.seat_id;
  const takenBy = alert.taken_by;
  const person = ctx.store.seat(alert.seat_id) ?? { seat_id: alert.seat_id, display_name: alert.display_name };
  const status = takenBy
    ? takenBy === me
      ? t("You took this.")
      : t("Taken by {name}.", { name: ctx.store.seat(takenBy)?.display_name ?? t("another facilitator") })
    : t("Not taken yet.");
  const take = async () => {
    const ack = await act(ctx.client, "alert:take", { alert_id: alert.id }, t("You took {name}'s alert. A private channel is open.", { name: alert.display_name }));
    if (ack.ok) {
      ctx.alerts.set(alert.id, { ...alert, taken_by: me });
      renderAlerts(ctx);
      ctx.openPrivate(alert.seat_id);
    }
  };
  return el(
    "li",
    { class: `item alert${takenBy ? " is-taken" : ""}` },
    el(
      "div",
      { class: "alert-head" },
      el("span", { class: "item-name" }, alert.display_name),
      el("span", { class: "item-meta" }, alertKindLabel(alert.kind), " · ", el("time", { datetime: alert.created_at }, clockTime(alert.created_at))),
    ),
    alert.text ? el("blockquote", { class: "alert-text" }, alert.text) : null,
    el("p", { class: "item-meta" }, status),
    ...onCallLines(ctx, alert),
    el(
      "div",
      { class: "item-actions" },
      takenBy ? null : button(t("Take {name}'s alert", { name: alert.display_name }), take, { key: `take:${alert.id}` }),
      takenBy === me
        ? button(t("Message {name} privately", { name: alert.display_name }), () => ctx.openPrivate(alert.seat_id), { key: `apm:${alert.id}`, quiet: true })
        : null,
      button(t("Escalate…"), () => ctx.escalate(person, alert.id), {
        key: `aesc:${alert.id}`,
        danger: true,
        "aria-label": t("Escalate about {name}", { name: alert.display_name }),
      }),
    ),
  );
}

function renderAlerts(ctx) {
  const alerts = [...ctx.alerts.values()].sort((a, b) => a.created_at.localeCompare(b.created_at));
  replaceKeepingFocus($("alerts-list"), alerts.map((alert) => alertItem(ctx, alert)), $("alerts-heading"));
  $("alerts-empty").hidden = alerts.length > 0;
  const open = alerts.filter((alert) => !alert.taken_by).length;
  $("alerts-count").textContent = open ? t("({count} not taken)", { count: open }) : "";
  document.querySelector(".panel-alerts").classList.toggle("has-open", open > 0);
}
