// Getting help: crisis lines and warmlines ("Get help now"), the private "I need support",
// and the gentle card a person receives when what they wrote sounded like risk.
import { el, openDialog } from "../shared/dom.js";
import { t } from "../shared/i18n.js";

/** "Get help now": the page's dialog, which holds the person's lines rendered by the server. */
export function openHelp() {
  openDialog(document.querySelector("[data-help-dialog]"));
}

/**
 * A copy of the lines the server rendered into the page for the person's region (the same
 * lines the server's answer carries), so every panel shows them in one compact form.
 */
function helpLines() {
  const lines = document.querySelector("[data-help-lines]");
  if (lines) return lines.cloneNode(true);
  return el("p", {}, t("If you are in danger, please call your local emergency number."));
}

function fillPanel(panel, heading, lines, withHelp) {
  panel.replaceChildren();
  panel.append(el("h2", {}, heading));
  for (const line of lines) panel.append(el("p", {}, line));
  if (withHelp) panel.append(helpLines());
  const close = el("button", { type: "button", class: "quiet" }, t("Close this"));
  close.addEventListener("click", () => { panel.hidden = true; });
  panel.append(close);
  panel.hidden = false;
  panel.focus();
}

// What the person is told, from whom the server says their request actually reached
// (`reached` of the ack, and of each later `support:update`).
function reachedText(answer) {
  const call = answer.emergency_number
    ? t("If you are in danger, please call {number} now.", { number: answer.emergency_number })
    : t("If you are in danger, please call your local emergency number now.");
  switch (answer.reached) {
    case "facilitator":
      return [t("A facilitator has been told"), [
        t("Only the facilitators know. One of them will reach out to you privately here, without stopping the circle."),
        t("While you wait, these lines are there for you too:"),
      ]];
    case "on_call":
      return [t("We are contacting the organization's on-call team"), [
        t("No facilitator could take this right now, so your organization's on-call team is being contacted."),
        `${call} ${t("These lines are there for you too:")}`,
      ]];
    case "on_call_delivered":
      return [t("Your organization's on-call team has been sent your request"), [
        t("Nobody from the team has replied yet."),
        `${call} ${t("These lines are there for you too:")}`,
      ]];
    case "on_call_acknowledged":
      return [t("Someone on your organization's on-call team is acting on your request"), [
        t("They have said they are taking care of it."),
        `${call} ${t("These lines are there for you too:")}`,
      ]];
    default:
      return [t("We could not reach anyone right now"), [
        `${t("Nobody from the circle can be reached at the moment.")} ${call}`,
        t("These lines are there for you, and you can reach them straight away:"),
      ]];
  }
}

// The person's latest answer, where it is shown, so a later change of its reach replaces it.
let latest = null;
const watched = new WeakSet();

function watchReach(client) {
  if (watched.has(client)) return;
  watched.add(client);
  client.on("support:update", (update) => {
    if (!latest || update.alert_id !== latest.alertId) return;
    // Asked in the lobby, now in the room: the lobby's panel is out of sight, the room's is not.
    const panel = latest.panel.parentElement.closest("[hidden]")
      ? document.querySelector("[data-stage] [data-support-panel]") ?? latest.panel
      : latest.panel;
    const [heading, lines] = reachedText(update);
    fillPanel(panel, heading, lines, latest.resources);
  });
}

/** "I need support": tell whom the server could reach, show the resources at once, and keep it true. */
export async function requestSupport(client, panel) {
  watchReach(client);
  const ack = await client.send("support:request");
  if (ack.ok) {
    latest = { alertId: ack.alert_id, panel, resources: ack.resources };
    const [heading, lines] = reachedText(ack);
    fillPanel(panel, heading, lines, true);
  } else {
    fillPanel(panel, t("We could not reach the facilitators just now"), [
      t("Please try again in a moment. If you need someone now, \"Get help now\" shows lines you can call or text."),
    ], false);
  }
}

/** The private card sent to the author of a message that sounded like risk. */
export function showRiskCard(panel) {
  fillPanel(panel, t("You are not alone"), [
    t("What you wrote sounded like things might be really hard right now. Thank you for sharing it."),
    t("If you would like to talk to someone, these people are there for you. Only you see this."),
  ], true);
}
