// The facilitator's console: one RoomClient, the shared stage, and the moderation panels.
import { RoomClient } from "../room/client.js";
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
  connecting: "Connecting to the room…",
  connected: "Connected to the room.",
  reconnecting: "The connection dropped. Reconnecting… your seat is kept.",
  closed: "You are no longer connected to the room. Reload the page to connect again.",
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
    if (!old) lines.push(seat.where === "lobby" ? `${name} is waiting in the lobby` : `${name} joined`);
    else {
      if (old.where === "lobby" && seat.where === "room") lines.push(`${name} was admitted`);
      if (old.hand === null && seat.hand !== null) lines.push(`${name} raised a hand`);
      if (!old.has_floor && seat.has_floor) lines.push(`${name} has the floor`);
      if (old.presence !== seat.presence) lines.push(seat.presence === "reconnecting" ? `${name} is reconnecting` : `${name} is back`);
      if (old.away !== seat.away) lines.push(seat.away ? `${name} stepped away` : `${name} came back`);
    }
  }
  for (const [id, old] of was) if (!now.has(id) && id !== after.you?.seat_id) lines.push(`${old.display_name} left`);
  if (before.phase !== "open" && after.phase === "open") lines.push("The room is open");
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
    if (lines.length) tell(`${lines.join(". ")}.`);
  });

  const connection = document.getElementById("console-connection");
  client.on("status", ({ status, message }) => {
    connection.dataset.status = status;
    connection.textContent = status === "refused" ? `The room refused the connection: ${message}` : STATUS[status];
  });
  client.on("alert:new", (alert) => addAlert(ctx, alert));
  client.on("private:message", (message) => addPrivate(ctx, message));
  client.on("chat:message", (message) => addChat(ctx, message));
  client.on("chat:deleted", ({ id }) => removeChat(ctx, id));
  client.on("room:ending", ({ ends_at: endsAt }) => tell(`The session ends at ${clockTime(endsAt)}.`));
  client.on("room:ended", () => {
    tell("The session has ended.");
    connection.dataset.status = "closed";
    connection.textContent = "The session has ended. Thank you for holding the circle.";
  });
  client.connect();
  mountStage(client, store);
}

localizeTimes();
start();
