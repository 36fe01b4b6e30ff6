// Private messages with one person, and the room's chat with Delete for each message.
import { el } from "../../shared/dom.js";
import { t } from "../../shared/i18n.js";
import { clockTime } from "../../shared/time.js";
import { act } from "../actions.js";
import { button, replaceKeepingFocus } from "../dom.js";
import { tell } from "../live-regions.js";
import { chatPaused } from "./controls.js";

const $ = (id) => document.getElementById(id);
const KEEP = 200; // messages kept on screen (never stored anywhere)

export function initMessages(ctx) {
  ctx.store.subscribe(() => renderMessages(ctx));
  $("private-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("private-text");
    const to = $("private-to").value;
    if (!to || !text.value.trim()) return;
    const ack = await act(ctx.client, "private:send", { to, text: text.value.trim() });
    if (ack.ok) text.value = "";
  });
  $("chat-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("chat-text");
    if (!text.value.trim()) return;
    const ack = await act(ctx.client, "chat:send", { text: text.value.trim() });
    if (ack.ok) text.value = "";
  });
}

/** Point the private message form at one person and put the cursor there. */
export function openPrivate(ctx, seatId) {
  renderPrivateTargets(ctx);
  const select = $("private-to");
  select.value = seatId;
  $("private-text").focus();
}

export function addPrivate(ctx, message) {
  ctx.privates.push(message);
  if (ctx.privates.length > KEEP) ctx.privates.shift();
  if (!ctx.store.isMine(message.from)) tell(t("Private message from {name}.", { name: message.display_name }));
  renderPrivate(ctx);
}

export function addChat(ctx, message) {
  ctx.chat.push(message);
  if (ctx.chat.length > KEEP) ctx.chat.shift();
  renderChat(ctx);
}

export function removeChat(ctx, id) {
  ctx.chat = ctx.chat.filter((message) => message.id !== id);
  renderChat(ctx);
}

function renderPrivateTargets(ctx) {
  const select = $("private-to");
  const people = (ctx.store.state?.seats ?? []).filter((s) => s.role === "participant" && !ctx.store.isMine(s.seat_id));
  const signature = JSON.stringify(people.map((s) => [s.seat_id, s.display_name]));
  if (select.dataset.people === signature) return;
  select.dataset.people = signature;
  const current = select.value;
  select.replaceChildren(
    el("option", { value: "" }, people.length ? t("Choose a person") : t("Nobody is seated yet")),
    ...people.map((s) => el("option", { value: s.seat_id }, s.display_name)),
  );
  if (people.some((s) => s.seat_id === current)) select.value = current;
}

function renderPrivate(ctx) {
  const me = ctx.store.you?.seat_id;
  const items = ctx.privates.map((m) =>
    el(
      "li",
      { class: "message" },
      el(
        "span",
        { class: "item-meta" },
        m.from === me ? t("You to {name}", { name: ctx.store.nameOf(m.to, t("them")) }) : t("{name} to you", { name: m.display_name }),
        " · ",
        el("time", { datetime: m.sent_at }, clockTime(m.sent_at)),
      ),
      el("p", { class: "message-text" }, m.text),
    ),
  );
  replaceKeepingFocus($("private-list"), items, $("private-heading"));
  $("private-empty").hidden = items.length > 0;
}

function renderChat(ctx) {
  const items = ctx.chat.map((m) =>
    el(
      "li",
      { class: "message" },
      el(
        "span",
        { class: "item-meta" },
        m.display_name,
        " · ",
        el("time", { datetime: m.sent_at }, clockTime(m.sent_at)),
      ),
      el("p", { class: "message-text" }, m.text),
      button(
        t("Delete"),
        () => act(ctx.client, "chat:delete", { id: m.id }, t("The message was deleted for everyone.")),
        { key: `delete:${m.id}`, quiet: true, "aria-label": t("Delete {name}'s message", { name: m.display_name }) },
      ),
    ),
  );
  replaceKeepingFocus($("chat-list"), items, $("chat-heading"));
  $("chat-empty").hidden = items.length > 0;
}

function renderMessages(ctx) {
  renderPrivateTargets(ctx);
  document.querySelector(".panel-chat").hidden = !ctx.groupChat;
  $("chat-form").querySelector("button").disabled = chatPaused(ctx);
}
