// The shared room stage (tiles, media, clock) from the participant client, mounted as a
// facilitator. It is loaded on its own so the console's panels work even when it cannot be.
import { t } from "../shared/i18n.js";

const STAGE_MODULE = "/static/js/room/room.js";

async function facilitatorMedia() {
  if (!navigator.mediaDevices?.getUserMedia) return null;
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  } catch {
    return null;
  }
}

/** Mount the stage into #stage; resolves to its RoomView, or null with a note on the page. */
export async function mountStage(client, store) {
  const root = document.getElementById("stage");
  const note = document.getElementById("stage-note");
  let mountRoom;
  try {
    ({ mountRoom } = await import(STAGE_MODULE));
  } catch {
    note.textContent = t("The room's video stage could not be loaded. Every control on this page still works.");
    note.hidden = false;
    return null;
  }
  const localStream = await facilitatorMedia();
  if (!localStream) {
    note.textContent = t("Your microphone and camera are not available, so the room cannot hear or see you. You can still run the room from here.");
    note.hidden = false;
  }
  return mountRoom(client, store, { root, role: "facilitator", localStream });
}
