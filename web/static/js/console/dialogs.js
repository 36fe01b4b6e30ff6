// Modal dialogs: focus moves in on opening (native showModal), Escape closes, and focus
// goes back to whatever opened the dialog.

/** Show a modal dialog; resolves with its returnValue once it closes. */
export function showDialog(dialog) {
  const opener = document.activeElement;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener(
      "close",
      () => {
        if (opener && opener.isConnected) opener.focus();
        resolve(dialog.returnValue);
      },
      { once: true },
    );
    dialog.showModal();
  });
}

/** Ask before a serious action; resolves true only when confirmed. */
export async function confirmAction({ title, text, confirmLabel }) {
  const dialog = document.getElementById("confirm-dialog");
  dialog.querySelector("#confirm-title").textContent = title;
  dialog.querySelector("#confirm-text").textContent = text;
  dialog.querySelector("#confirm-ok").textContent = confirmLabel;
  return (await showDialog(dialog)) === "confirm";
}

/** Ask how to end the session; resolves "now", "notice", or null when kept going. */
export async function askHowToEnd() {
  const dialog = document.getElementById("end-dialog");
  if ((await showDialog(dialog)) !== "confirm") return null;
  return dialog.querySelector("input[name=how]:checked")?.value ?? "notice";
}
