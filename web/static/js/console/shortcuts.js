// Keyboard shortcuts for the console's frequent actions, listed on the page (#shortcuts).
// Each presses the same button a pointer would, so the server sees the same event; none
// acts while the facilitator is typing (Alt with a letter types accents on some keyboards)
// or while a dialog is asking something.
import { t } from "../shared/i18n.js";
import { tell } from "./live-regions.js";

const $ = (id) => document.getElementById(id);

function passToNextHand(ctx) {
  // With no hand raised the same button would free the floor: not what "next hand" means.
  if (ctx.store.queue.length) $("pass-next").click();
  else tell(t("No hands are raised."));
}

function admitNext() {
  const admit = $("lobby-list").querySelector("button");
  if (admit) admit.click();
  else tell(t("No one is waiting in the lobby."));
}

const KEYS = {
  KeyN: passToNextHand,
  KeyM: () => $("mute-all").click(),
  KeyA: admitNext,
  KeyC: () => $("room-controls").togglePopover(),
};

export function initShortcuts(ctx) {
  document.addEventListener("keydown", (event) => {
    const run = KEYS[event.code];
    if (!run || !event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.target.closest?.("input, textarea, select, [contenteditable]") || document.querySelector("dialog:modal")) return;
    event.preventDefault();
    run(ctx);
  });
}
