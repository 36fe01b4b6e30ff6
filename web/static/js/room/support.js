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

// The person's latest answer: its alert, whom it reached, and the panel showing it (null while
// no support panel is in sight, as on a reload before the lobby or the room is back).
let latest = null;
const watched = new WeakSet();

function panelInSight() {
  const panels = document.querySelectorAll("[data-lobby-support-panel], [data-stage] [data-support-panel]");
  return [...panels].find((panel) => !panel.parentElement.closest("[hidden]")) ?? null;
}

// The page's own copies (the help panel, "Get help now"), rendered by the server on load, say
// the same: they are what someone sees after the room, or with the connection down. As the
// server renders them, they say nothing of a call a facilitator has: its answer is in the room.
function showInPage(answer, heading, lines) {
  for (const notice of document.querySelectorAll("[data-own-reach]")) {
    notice.replaceChildren(el("h3", {}, heading), ...lines.map((line) => el("p", {}, line)));
    notice.dataset.alertId = answer.alert_id;
    notice.dataset.reached = answer.reached;
    notice.hidden = answer.reached === "facilitator";
  }
}

function showReach(answer, panel) {
  latest = { alertId: answer.alert_id, answer, panel };
  const [heading, lines] = reachedText(answer);
  showInPage(answer, heading, lines);
  if (panel) fillPanel(panel, heading, lines, true);
}

/**
 * Keep what the person is told of their call for support true: each `support:update` (a change
 * of whom it reached, or where it stands, sent again on every return) replaces what is shown.
 */
export function followReach(client) {
  if (watched.has(client)) return;
  watched.add(client);
  client.on("support:update", (update) => {
    const known = latest?.alertId === update.alert_id;
    // Told again on a reconnect what this page already shows: nothing to open again.
    if (known && latest.answer.reached === update.reached && latest.panel) return;
    // Asked in the lobby, now in the room: the lobby's panel is out of sight, the room's is not.
    const shown = known && latest.panel && !latest.panel.parentElement.closest("[hidden]") ? latest.panel : null;
    showReach(update, shown ?? panelInSight());
  });
}

/** Show the latest answer in the support panel now in sight, if it could not be shown when it came. */
export function showPendingReach() {
  if (latest && !latest.panel) showReach(latest.answer, panelInSight());
}

// What a request may still come to: while the page shows one of these, it keeps asking, every
// few seconds while on-call steps are usually tried (minutes), then every few minutes.
const MAY_CHANGE = ["facilitator", "on_call", "on_call_delivered"];
const QUICK_LOOK_MS = 10_000;
const QUICK_FOR_MS = 600_000;
const SLOW_LOOK_MS = 300_000;
let lookingUp = false;

/**
 * After the room, or when the room cannot be reached, the page has no connection: it asks the
 * server (`url`) where the person's latest call for support stands, for as long as that may change.
 */
export function followReachWithoutConnection(url) {
  if (lookingUp) return;
  lookingUp = true;
  const started = Date.now();
  const look = async () => {
    try {
      const response = await fetch(url, { cache: "no-store" });
      const { reach } = await response.json();
      if (!reach) return;
      if (latest?.alertId !== reach.alert_id || latest.answer.reached !== reach.reached) showReach(reach, null);
      if (!MAY_CHANGE.includes(reach.reached)) return;
    } catch {
      // Offline, or the server is away: ask again later.
    }
    window.setTimeout(look, Date.now() - started < QUICK_FOR_MS ? QUICK_LOOK_MS : SLOW_LOOK_MS);
  };
  look();
}

/** "I need support": tell whom the server could reach, show the resources at once, and keep it true. */
export async function requestSupport(client, panel) {
  followReach(client);
  const ack = await client.send("support:request");
  if (ack.ok) {
    showReach(ack, panel);
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
