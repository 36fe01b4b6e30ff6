// "Exit now": leave at once for the neutral page the link names, as GOV.UK's "Exit this page"
// does. The page is replaced in the history, so Back does not return to it; pressing Shift
// three times in a row does the same from anywhere on the page. Without scripts the link
// simply goes there.

const PRESSES = 3;
const WITHIN_MS = 3000;

/**
 * Make every `[data-exit-now]` link under `root` leave without a way back, add the Shift
 * shortcut and show its `[data-exit-hint]`. `beforeLeaving()` runs first; a promise it returns
 * is waited for at most `PATIENCE_MS`, so the page is gone at once either way.
 */
// Long enough for a "leave" to reach the server over a slow link, short enough to feel instant.
const PATIENCE_MS = 300;

export function installExitNow(root, beforeLeaving = () => {}) {
  const links = [...root.querySelectorAll("[data-exit-now]")];
  if (!links.length) return;
  const target = links[0].href;
  const leave = () => {
    let pending = null;
    try {
      pending = beforeLeaving();
    } finally {
      const go = () => window.location.replace(target);
      if (pending && typeof pending.then === "function") {
        Promise.race([pending, new Promise((done) => window.setTimeout(done, PATIENCE_MS))]).then(go, go);
      } else {
        go();
      }
    }
  };
  for (const link of links) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      leave();
    });
  }
  listenForShift(leave);
  for (const hint of root.querySelectorAll("[data-exit-hint]")) hint.hidden = false;
}

function listenForShift(leave) {
  let presses = [];
  // Shift held for a capital letter is typing, not a press.
  let typing = false;
  window.addEventListener("keydown", (event) => {
    if (event.key === "Shift") {
      if (!event.repeat) typing = false;
      return;
    }
    typing = event.shiftKey;
    presses = [];
  }, true);
  window.addEventListener("keyup", (event) => {
    if (event.key !== "Shift" || typing) return;
    const now = performance.now();
    presses = [...presses.filter((at) => now - at < WITHIN_MS), now];
    if (presses.length >= PRESSES) leave();
  }, true);
}
