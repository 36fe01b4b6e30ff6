// The facilitator's console: one RoomClient, the shared stage, and the moderation panels.
import { RoomClient } from "../room/client.js";
import { t } from "../shared/i18n.js";
import { refusalText } from "../shared/refusals.js";
import { RoomStore } from "../shared/room-store.js";
import { clockTime, localizeTimes } from "../shared/time.js";
import { initEscalate, openEscalate } from "./escalate.js";
import { tell } from "./live-regions.js";
import { addAlert, initAlerts } from "./panels/alerts.js";
import { initControls } from "./panels/controls.js";
import { initLobby } from "./panels/lobby.js";
import { addChat, addPrivate, initMessages, openPrivate, removeChat } from "./panels/messages.js";
import { initPeople } from "./panels/people.js";
import { initQueue } from "./panels/queue.js";
import { initRounds } from "./panels/rounds.js";
import { initShortcuts } from "./shortcuts.js";
import { mountStage } from "./stage.js";

const STATUS = {
  connecting: t("Connecting to the room…"),
  connected: t("Connected to the room."),
  reconnecting: t("The connection dropped. Reconnecting… your seat is kept."),
  closed: t("You are no longer connected to the room. Reload the page to connect again."),
};

/** Say what changed between two states, in words ("Sam raised a hand"). */
function describeChanges(before, after) {
  if (!before) return [];
  const was = new Map(before.seats.map((s) => [s.seat_id, s]));
  const now = new Map(after.seats.map((s) => [s.seat_id, s]));
  const lines = [];
  for (const seat of after.seats) {
    if (seat.seat_id === after.you?.seat_id) continue;
    const old = was.get(seat.seat_id);
    const name = seat.display_name;
    if (!old) lines.push(seat.where === "lobby" ? t("{name} is waiting in the lobby.", { name }) : t("{name} joined.", { name }));
    else {
      if (old.where === "lobby" && seat.where === "room") lines.push(t("{name} was admitted.", { name }));
      if (old.hand === null && seat.hand !== null) lines.push(t("{name} raised a hand.", { name }));
      if (!old.has_floor && seat.has_floor) lines.push(t("{name} has the floor.", { name }));
      if (old.presence !== seat.presence) {
        lines.push(seat.presence === "reconnecting" ? t("{name} is reconnecting.", { name }) : t("{name} is back.", { name }));
      }
      if (old.away !== seat.away) lines.push(seat.away ? t("{name} stepped away.", { name }) : t("{name} came back.", { name }));
    }
  }
  for (const [id, old] of was) {
    if (!now.has(id) && id !== after.you?.seat_id) lines.push(t("{name} left.", { name: old.display_name }));
  }
  if (before.phase !== "open" && after.phase === "open") lines.push(t("The room is open."));
  return lines;
}

function start() {
  const root = document.getElementById("console");
  const client = new RoomClient({ session_id: root.dataset.sessionId });
  const store = new RoomStore(client);
  const ctx = {
    client,
    store,
    groupChat: root.dataset.groupChat === "true",
    alerts: new Map(),
    newAlerts: new Set(),
    openActions: null, // the seat whose actions are open
    privateNorm: new Map(),
    privates: [],
    chat: [],
    shareSeconds: undefined,
    peopleSignature: null,
    openPrivate: (seatId) => openPrivate(ctx, seatId),
    escalate: (seat, alertId) => openEscalate(seat, alertId),
  };
  // Each panel follows the store; the happenings are told once every panel shows them.
  initControls(ctx);
  initAlerts(ctx);
  initLobby(ctx);
  initQueue(ctx);
  initRounds(ctx);
  initPeople(ctx);
  initMessages(ctx);
  initEscalate(ctx);
  initShortcuts(ctx);
  store.subscribe((state, before) => {
    const lines = describeChanges(before, state);
    if (lines.length) tell(lines.join(" "));
  });

  const connection = document.getElementById("console-connection");
  client.on("status", ({ status, code, message }) => {
    connection.dataset.status = status;
    connection.textContent = status === "refused"
      ? t("The room refused the connection: {reason}", { reason: refusalText({ code, message }) })
      : STATUS[status];
  });
  client.on("alert:new", (alert) => addAlert(ctx, alert));
  client.on("private:message", (message) => addPrivate(ctx, message));
  client.on("chat:message", (message) => addChat(ctx, message));
  client.on("chat:deleted", ({ id }) => removeChat(ctx, id));
  client.on("room:ending", ({ ends_at: endsAt }) => tell(t("The session ends at {end}.", { end: clockTime(endsAt) })));
  client.on("room:ended", () => {
    tell(t("The session has ended."));
    connection.dataset.status = "closed";
    connection.textContent = t("The session has ended. Thank you for holding the circle.");
  });
  client.connect();
  mountStage(client, store);
}

localizeTimes();
start();
