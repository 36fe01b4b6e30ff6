// Getting help: crisis lines and warmlines ("Get help now"), the private "I need support",
// and the gentle card a person receives when what they wrote sounded like risk.
import { el, find, openDialog } from "../shared/dom.js";

const KIND_TEXT = {
  crisis: "Crisis line: for when you are in danger or struggling to stay safe.",
  warmline: "Warmline: someone to talk to when things feel heavy, not only in a crisis.",
};
const FALLBACK = "We could not look up lines just now. If you are in danger, please call your local emergency number.";

function contactLink(contact, url) {
  const digits = contact.value.replace(/[^\d+]/gu, "");
  switch (contact.channel) {
    case "call": return { href: `tel:${digits}`, text: `Call ${contact.value}` };
    case "text": return { href: `sms:${digits}`, text: `Text ${contact.value}` };
    default: {
      const href = /^https:\/\//u.test(contact.value) ? contact.value : url;
      return { href, text: contact.channel === "chat" ? `Chat online: ${contact.value}` : contact.value };
    }
  }
}

/** Fill `list` with resources: name, kind, ways to reach them, hours. */
export function renderResources(list, resources) {
  list.replaceChildren();
  for (const resource of resources) {
    const item = el("li", { class: `resource resource-${resource.kind}` });
    item.append(el("h3", {}, resource.name));
    item.append(el("p", { class: "hint" }, KIND_TEXT[resource.kind] ?? ""));
    const ways = el("ul", { class: "contacts" });
    for (const contact of resource.contacts) {
      const { href, text } = contactLink(contact, resource.url);
      const line = el("li");
      if (href) {
        const external = href.startsWith("https:");
        line.append(el("a", { href, target: external ? "_blank" : null, rel: external ? "noopener noreferrer" : null }, text));
      } else {
        line.append(el("span", {}, text));
      }
      if (contact.note) line.append(el("span", { class: "hint" }, ` (${contact.note})`));
      ways.append(line);
    }
    item.append(ways);
    if (resource.hours) item.append(el("p", { class: "hint" }, `Hours: ${resource.hours}`));
    list.append(item);
  }
}

/** "Get help now": ask the server for the region's lines and show them in the page's dialog. */
export async function openHelp(client) {
  const dialog = document.querySelector("[data-help-dialog]");
  const status = find(dialog, "[data-help-status]");
  const list = find(dialog, "[data-help-resources]");
  openDialog(dialog);
  if (list.childElementCount) return;
  status.textContent = "Looking up lines for your region…";
  const ack = client.status === "connected" ? await client.send("resources:get") : { ok: false };
  if (ack.ok && ack.resources.length) {
    renderResources(list, ack.resources);
    status.textContent = ack.region ? `Lines for your region (${ack.region}).` : "Lines you can reach.";
  } else {
    status.textContent = FALLBACK;
  }
}

function fillPanel(panel, heading, lines, resources) {
  panel.replaceChildren();
  panel.append(el("h2", {}, heading));
  for (const line of lines) panel.append(el("p", {}, line));
  if (resources?.length) {
    const list = el("ul", { class: "resources" });
    renderResources(list, resources);
    panel.append(list);
  }
  const close = el("button", { type: "button", class: "quiet" }, "Close this");
  close.addEventListener("click", () => { panel.hidden = true; });
  panel.append(close);
  panel.hidden = false;
  panel.focus();
}

// What the person is told, from whom the server says their request actually reached
// (`reached` of the ack, and of each later `support:update`).
function reachedText(answer) {
  const call = answer.emergency_number ? `call ${answer.emergency_number}` : "call your local emergency number";
  switch (answer.reached) {
    case "facilitator":
      return ["A facilitator has been told", [
        "Only the facilitators know. One of them will reach out to you privately here, without stopping the circle.",
        "While you wait, these lines are there for you too:",
      ]];
    case "on_call":
      return ["We are contacting the organization's on-call team", [
        "No facilitator could take this right now, so your organization's on-call team is being contacted.",
        `If you are in danger, please ${call} now. These lines are there for you too:`,
      ]];
    case "on_call_delivered":
      return ["Your organization's on-call team has been sent your request", [
        "Nobody from the team has replied yet.",
        `If you are in danger, please ${call} now. These lines are there for you too:`,
      ]];
    case "on_call_acknowledged":
      return ["Someone on your organization's on-call team is acting on your request", [
        "They have said they are taking care of it.",
        `If you are in danger, please ${call} now. These lines are there for you too:`,
      ]];
    default:
      return ["We could not reach anyone right now", [
        `Nobody from the circle can be reached at the moment. If you are in danger, please ${call} now.`,
        "These lines are there for you, and you can reach them straight away:",
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
    fillPanel(panel, heading, lines, ack.resources);
  } else {
    fillPanel(panel, "We could not reach the facilitators just now", [
      "Please try again in a moment. If you need someone now, \"Get help now\" shows lines you can call or text.",
    ], []);
  }
}

/** The private card sent to the author of a message that sounded like risk. */
export function showRiskCard(panel, resources) {
  fillPanel(panel, "You are not alone", [
    "What you wrote sounded like things might be really hard right now. Thank you for sharing it.",
    "If you would like to talk to someone, these people are there for you. Only you see this.",
  ], resources);
}
