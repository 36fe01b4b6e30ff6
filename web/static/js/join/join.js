// The participant's way in: the circle and its agreement, getting ready, an optional private
// check-in, the lobby, the room and the goodbye, as steps of one page on one room connection.
import { RoomClient } from "../room/client.js";
import { getMedia, MicMeter, stopStream } from "../room/devices.js";
import { mountRoom } from "../room/room.js";
import { followReach, followReachWithoutConnection, requestSupport, showPendingReach } from "../room/support.js";
import { announce } from "../shared/announce.js";
import { checkedValue, find } from "../shared/dom.js";
import { installExitNow } from "../shared/exit-now.js";
import { t } from "../shared/i18n.js";
import { modeInfo } from "../shared/modes.js";
import { refusalText } from "../shared/refusals.js";
import { RoomStore } from "../shared/room-store.js";
import { clockTime, inMinutesText, localizeTimes } from "../shared/time.js";

const page = document.getElementById("join");
const $ = (selector) => find(page, selector);
const client = new RoomClient({ token: page.dataset.token });
const store = new RoomStore(client);
const meter = new MicMeter($("[data-mic-level]"));
followReach(client);
const CAMERA_KEY = "hearth-camera-on";

let step = "group";
const baseTitle = document.title;
let stream = null;
let view = null;
let restoring = false;

const REFUSALS = {
  outside_window: t("The room opens a few minutes before the circle starts. Please come back then: this same link will let you in."),
  session_ended: t("This session has ended. Thank you for being part of it."),
  session_cancelled: t("This session has been cancelled. Your organization will let you know about the next one."),
  invalid_token: t("This link cannot open the room right now. If you are on the waitlist, there's nothing to do: this link will let you in once a seat is yours."),
};

// Steps before the circle, where a word that nobody has opened the room yet belongs.
const WAITING_STEPS = ["group", "device", "checkin", "lobby"];

function show(name) {
  step = name;
  for (const section of page.querySelectorAll("[data-step]")) section.hidden = section.dataset.step !== name;
  renderUnattended();
  // In the room its own "Get help now" opens the same lines in a dialog; "Exit now" stays.
  $("[data-help-link]").hidden = name === "room";
  $("[data-help-panel]").hidden = name === "room";
  page.querySelector(`[data-step="${name}"] h1`)?.focus();
  showPendingReach();
}

// The server renders the notice on page load; the room's state keeps it true afterwards.
const unattendedOnLoad = !$("[data-unattended]").hidden;

function renderUnattended() {
  const unattended = store.state?.unattended ?? unattendedOnLoad;
  $("[data-unattended]").hidden = !(unattended && WAITING_STEPS.includes(step));
}

function say(text) {
  announce($("[data-page-announce]"), text);
}

function showError(selector, text) {
  const box = $(selector);
  box.textContent = text;
  box.hidden = !text;
}

// --- the circle and its agreement --------------------------------------------------------

$("[data-agree-form]").addEventListener("submit", (event) => {
  event.preventDefault();
  const accepted = event.target.elements.accept.checked;
  showAgreementError(event.target.elements.accept, !accepted);
  if (!accepted) return;
  show("device");
  updateDeviceCheck();
});

// The summary's link moves to the box itself, as GOV.UK's does, rather than only scrolling.
page.querySelector("[data-agree-summary] a").addEventListener("click", (event) => {
  event.preventDefault();
  $("#accept-agreement").focus();
});

/** The error summary at the top and the message above the box, as the GOV.UK Design System shows them. */
function showAgreementError(box, shown) {
  const summary = $("[data-agree-summary]");
  summary.hidden = !shown;
  $("[data-agree-error]").hidden = !shown;
  $("[data-agree-group]").classList.toggle("has-error", shown);
  for (const [name, value] of [["aria-invalid", "true"], ["aria-describedby", "accept-error"]]) {
    if (shown) box.setAttribute(name, value);
    else box.removeAttribute(name);
  }
  document.title = shown ? t("Error: {title}", { title: baseTitle }) : baseTitle;
  if (shown) summary.focus();
}

// --- getting ready -------------------------------------------------------------------------

const deviceForm = $("[data-device-form]");

async function updateDeviceCheck() {
  const mode = modeInfo(checkedValue(deviceForm, "mode"));
  const offersCamera = mode.sends.includes("video");
  const camera = offersCamera && $("[data-camera-toggle]").checked;
  $("[data-mic-check]").hidden = !mode.needs_devices;
  $("[data-camera-choice]").hidden = !offersCamera;
  const preview = $("[data-camera-preview]");
  meter.stop();
  stopStream(stream);
  stream = null;
  preview.srcObject = null;
  preview.hidden = true;
  if (!mode.needs_devices) return;
  const status = $("[data-mic-status]");
  status.textContent = t("Asking your browser for the microphone…");
  try {
    stream = await getMedia(mode, camera);
  } catch {
    status.textContent = t("Your microphone could not be used. You can allow it in your browser, or choose Listen only.");
    return;
  }
  status.textContent = t("Say a few words: the level below should move.");
  meter.start(stream);
  if (camera) {
    preview.srcObject = stream;
    preview.hidden = false;
    preview.play().catch(() => {});
  }
}

for (const radio of deviceForm.querySelectorAll("input[name=mode]")) radio.addEventListener("change", updateDeviceCheck);
$("[data-camera-toggle]").addEventListener("change", updateDeviceCheck);

deviceForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = deviceForm.elements.display_name.value.trim();
  const mode = checkedValue(deviceForm, "mode");
  if (!name || name.length > 40) {
    showError("[data-device-error]", t("Please choose a name of 1 to 40 characters."));
    deviceForm.elements.display_name.focus();
    return;
  }
  if (modeInfo(mode).needs_devices && !stream?.getAudioTracks().length) {
    showError("[data-device-error]", t("Your microphone is not available. Allow it in your browser, or choose Listen only."));
    return;
  }
  const ack = await client.send("room:agree", { display_name: name, mode });
  if (!ack.ok) {
    showError("[data-device-error]", refusalText(ack.error));
    return;
  }
  showError("[data-device-error]", "");
  meter.stop();
  sessionStorage.setItem(CAMERA_KEY, String(Boolean(stream?.getVideoTracks().length)));
  show("checkin");
});

// --- check-in ------------------------------------------------------------------------------

$("[data-checkin-form]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const rating = checkedValue(event.target, "arriving");
  if (rating) await client.send("mood:check_in", { rating: Number(rating) });
  toLobbyOrRoom();
});
$("[data-checkin-skip]").addEventListener("click", toLobbyOrRoom);

// --- lobby ---------------------------------------------------------------------------------

function toLobbyOrRoom() {
  if (store.you?.where === "room") enterRoom();
  else {
    show("lobby");
    renderLobbyClock();
  }
}

function renderLobbyClock() {
  const state = store.state;
  if (!state) return;
  const startsIn = (Date.parse(state.starts_at) - Date.now()) / 1000;
  $("[data-lobby-clock]").textContent = startsIn > 0
    ? t("The circle starts at {start}, {soon}, and ends at {end}.", {
      start: clockTime(state.starts_at), soon: inMinutesText(startsIn), end: clockTime(state.ends_at),
    })
    : t("The circle runs from {start} to {end}.", { start: clockTime(state.starts_at), end: clockTime(state.ends_at) });
}

$("[data-lobby-support]").addEventListener("click", () => requestSupport(client, $("[data-lobby-support-panel]")));
$("[data-lobby-leave]").addEventListener("click", async () => {
  await client.send("room:leave");
  goodbye("left");
});

// --- the room and after --------------------------------------------------------------------

function enterRoom() {
  show("room");
  view = mountRoom(client, store, {
    root: page.querySelector('[data-step="room"]'),
    role: "participant",
    localStream: stream,
    onExit: (reason) => (reason === "removed" ? removed() : goodbye(reason)),
  });
  say(t("You are in the circle."));
}

function leaveQuietlyDone() {
  stopStream(stream);
  client.close();
}

// With no connection left, where a call for support stands is asked for now and then.
const followWithoutConnection = () => followReachWithoutConnection(`./${page.dataset.token}/support`);

function goodbye(reason) {
  view = null;
  show("goodbye");
  followWithoutConnection();
  if (reason === "ended") {
    $("[data-goodbye-title]").textContent = t("The circle has ended");
    $("[data-goodbye-text]").textContent = t("Thank you for being here. Take care of yourself, and see you next time.");
    $("[data-checkout-form]").hidden = false;
  } else {
    leaveQuietlyDone();
  }
}

$("[data-checkout-form]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const rating = checkedValue(event.target, "leaving");
  if (rating) await client.send("mood:check_out", { rating: Number(rating) });
  event.target.hidden = true;
  $("[data-checkout-done]").hidden = false;
  leaveQuietlyDone();
});

function removed() {
  view = null;
  show("removed");
  followWithoutConnection();
  leaveQuietlyDone();
}

// --- the connection ---------------------------------------------------------------------

async function restoreSeat(you) {
  // A reload (or a return) finds the same seat: get the same devices back without asking anew.
  restoring = true;
  if (you.needs_devices) {
    try {
      stream = await getMedia(you, sessionStorage.getItem(CAMERA_KEY) === "true");
    } catch {
      stream = null;
    }
  }
  restoring = false;
  toLobbyOrRoom();
}

store.subscribe((state) => {
  const you = state.you;
  renderUnattended();
  if (["goodbye", "removed"].includes(step) || restoring) return;
  if (state.phase === "ended" && step !== "room") {
    goodbye("ended");
    return;
  }
  if (!you) {
    $("[data-agree-form]").hidden = false;
    $("[data-availability]").hidden = true;
    return;
  }
  if (step === "group") restoreSeat(you);
  else if (step === "lobby") {
    renderLobbyClock();
    if (you.where === "room") enterRoom();
  }
});

client.on("status", ({ status, code, message }) => {
  if (status === "refused") {
    followWithoutConnection();
    const box = $("[data-availability]");
    box.textContent = REFUSALS[code] ?? refusalText({ code, message });
    box.hidden = false;
    $("[data-agree-form]").hidden = true;
  } else if (status === "reconnecting" && step === "lobby") {
    $("[data-lobby-status]").textContent = t("Reconnecting… your place is kept.");
  } else if (status === "connected" && step === "lobby") {
    $("[data-lobby-status]").textContent = t("Waiting for the facilitator to let you in.");
  }
});

client.on("room:removed", () => {
  if (!view) removed();
});
client.on("room:ended", () => {
  if (!view && step !== "goodbye") goodbye("ended");
});

// --- help and the quick exit -------------------------------------------------------------

// The lines are in the page: go to them without a history entry, so Back never leads here
// again after "Exit now".
$("[data-help-link]").addEventListener("click", (event) => {
  event.preventDefault();
  $("[data-help-panel]").focus();
});

installExitNow(page, () => {
  // Leave the room quietly, as "Leave quietly" does; the page waits a moment at most for it.
  stopStream(stream);
  if (client.status !== "connected") {
    client.close();
    return null;
  }
  return client.send("room:leave").finally(() => client.close());
});

localizeTimes(page);
window.setInterval(() => { if (step === "lobby") renderLobbyClock(); }, 30000);
client.connect();
