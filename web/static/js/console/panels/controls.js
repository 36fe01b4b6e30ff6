// Room controls: open, lock, floor mode, share timer, voices and hands, chat, breathing, norms, end.
import { el } from "../../shared/dom.js";
import { t } from "../../shared/i18n.js";
import { clockTime, durationText } from "../../shared/time.js";
import { act } from "../actions.js";
import { askHowToEnd } from "../dialogs.js";
import { refuseWith } from "../live-regions.js";

const $ = (id) => document.getElementById(id);

const PHASES = {
  lobby: t("The room is not open yet: people wait in the lobby until you open it."),
  open: t("The room is open."),
  ended: t("The session has ended."),
};

export function initControls(ctx) {
  const { client } = ctx;
  ctx.store.subscribe(() => renderControls(ctx));
  $("open-room").addEventListener("click", () => act(client, "room:open"));
  $("lock-room").addEventListener("click", () => {
    const locked = !ctx.store.state?.locked;
    act(client, "room:lock", { locked }, locked ? t("The room is locked.") : t("The room is unlocked."));
  });
  for (const btn of document.querySelectorAll("[data-floor-mode]")) {
    btn.addEventListener("click", () =>
      act(client, "floor:mode", { mode: btn.dataset.floorMode }, t("Floor mode: {mode}.", { mode: btn.textContent })),
    );
  }
  $("timer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    setShareTimer(ctx, Number($("timer-minutes").value || 0) * 60 + Number($("timer-seconds").value || 0));
  });
  $("timer-off").addEventListener("click", () => setShareTimer(ctx, null));
  $("mute-all").addEventListener("click", () => act(client, "seat:mute_all", { muted: true }, t("Everyone is muted.")));
  $("unmute-all").addEventListener("click", () => act(client, "seat:mute_all", { muted: false }, t("Everyone is unmuted.")));
  $("lower-all").addEventListener("click", () => act(client, "hand:lower_all", undefined, t("All hands are lowered.")));
  $("chat-pause").addEventListener("click", () => {
    const paused = !chatPaused(ctx);
    act(client, "chat:pause", { paused }, paused ? t("The chat is paused.") : t("The chat is open again."));
  });
  $("breath-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("breath-seconds");
    if (!input.reportValidity()) return;
    act(client, "breath:start", { seconds: Number(input.value) }, t("The breathing pause has started."));
  });
  $("breath-stop").addEventListener("click", () => act(client, "breath:stop", undefined, t("The breathing pause has ended.")));
  $("norm-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const choice = $("norm-choice");
    if (choice.value === "") return;
    act(client, "norm:remind", { norm: Number(choice.value), seat_id: null }, t("The room was reminded of the norm."));
  });
  $("end-session").addEventListener("click", async () => {
    const how = await askHowToEnd();
    if (how === "notice") {
      act(client, "room:end", { notice: true }, t("Everyone has been told the session ends in two minutes."));
    } else if (how === "now") {
      act(client, "room:end", undefined, t("The session has ended."));
    }
  });
}

/** Ask the server for a share timer of `seconds` (null for none); the server says which lengths it takes. */
async function setShareTimer(ctx, seconds) {
  // An unreadable length must never reach the server as null, which would turn the timer off.
  if (seconds !== null && !Number.isFinite(seconds)) {
    refuseWith(t("Please give the share time in minutes and seconds."));
    return;
  }
  const ack = await act(ctx.client, "floor:timer", { seconds }, seconds ? t("Share timer: {length}.", { length: durationText(seconds) }) : t("Share timer off."));
  if (ack.ok) {
    ctx.shareSeconds = seconds;
    renderControls(ctx);
  }
}

/** Whether a facilitator paused the chat (the group has chat, but the room says it is off). */
export function chatPaused(ctx) {
  return ctx.groupChat && ctx.store.state !== null && !ctx.store.state.chat_enabled;
}

function setPressed(btn, pressed) {
  btn.setAttribute("aria-pressed", pressed ? "true" : "false");
}

/** Fill a norm <select> from the room's agreement norms. */
export function fillNorms(select, norms) {
  // Refilling an unchanged list would disturb someone choosing from it.
  const signature = JSON.stringify(norms);
  if (select.dataset.norms === signature) return;
  select.dataset.norms = signature;
  const current = select.value;
  const options = norms.length
    ? norms.map((text, index) => el("option", { value: index }, text))
    : [el("option", { value: "" }, t("The agreement's norms are not available"))];
  select.replaceChildren(...options);
  select.disabled = norms.length === 0;
  if (norms[Number(current)] !== undefined && current !== "") select.value = current;
}

function renderControls(ctx) {
  const state = ctx.store.state;
  if (!state) return;
  $("room-phase").textContent = PHASES[state.phase] ?? "";
  $("open-room").hidden = state.phase !== "lobby";
  setPressed($("lock-room"), state.locked);
  for (const btn of document.querySelectorAll("[data-floor-mode]")) {
    setPressed(btn, state.floor_mode === btn.dataset.floorMode);
  }
  if (state.floor && state.floor.share_seconds !== undefined) ctx.shareSeconds = state.floor.share_seconds;
  // Until someone holds the floor the room does not say the timer, so nothing is claimed.
  const timer = ctx.shareSeconds;
  const any = t("Any length from 30 seconds to 30 minutes.");
  $("timer-status").textContent = timer
    ? `${t("Share timer: {length} for each share.", { length: durationText(timer) })} ${any}`
    : timer === null ? `${t("Share timer off.")} ${any}` : any;
  $("chat-controls").hidden = !ctx.groupChat;
  setPressed($("chat-pause"), chatPaused(ctx));

  const breathing = state.breathing ?? null;
  $("breath-stop").hidden = !breathing;
  $("breath-start").hidden = Boolean(breathing);
  $("breath-status").textContent = breathing
    ? t("A breathing pause is on until {end}; microphones are held.", { end: clockTime(breathing.started_at + breathing.seconds) })
    : t("Microphones are held while the room breathes together.");
  fillNorms($("norm-choice"), state.norms ?? []);
  $("end-session").disabled = state.phase === "ended";
}
